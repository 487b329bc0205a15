"""Sections of the home page besides the to-do list (e.g. the overview of the units below). Each app
registers a provider in its AppConfig.ready, so the shell does not import the apps above it.

A provider takes (user, org) and returns a Section, or None when it has nothing for this person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # smaller first; the to-do list sits at 50


Provider = Callable[[object, object], "Section | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user, org) -> list[Section]:
    found = [s for s in (provider(user, org) for provider in _providers) if s is not None]
    return sorted(found, key=lambda s: s.order)
