"""The home page's "what to do next" list. Each app registers a provider in its AppConfig.ready,
so the shell does not import the apps above it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    rule: str = ""  # R-id the task serves, shown beside it
    due: dt.date | None = None
    urgent: bool = False


Provider = Callable[[object, object], Iterable[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(user, org) -> list[Todo]:
    items: list[Todo] = []
    for provider in _providers:
        items.extend(provider(user, org))
    return sorted(items, key=lambda t: (not t.urgent, t.due or dt.date.max, t.text))
