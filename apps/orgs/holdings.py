"""What an account holds besides its org roles, as each app that grants something to accounts declares it.

An admin may hand an account over (reset its password) only when everything the account holds was granted
by that admin's own orgs. Org roles are checked here; an app above (expert review: an expert profile and pool
places) registers a function in its AppConfig.ready that names what a user holds in it, in words an admin
reads. The shell does not import the apps above it.
"""

from __future__ import annotations

from typing import Callable

Finder = Callable[[object], list[str]]
_finders: list[Finder] = []


def register(finder: Finder) -> Finder:
    if finder not in _finders:
        _finders.append(finder)
    return finder


def holdings_of(user) -> list[str]:
    """What `user` holds in the registered apps (e.g. "评审专家身份"), each as a short phrase."""
    found: list[str] = []
    for finder in _finders:
        found.extend(finder(user))
    return found
