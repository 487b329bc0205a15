"""Errors shared by every app's services."""

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404

T = TypeVar("T")


def ensure(condition: bool, error: type[Exception] | Exception) -> None:
    """Raise `error` unless `condition` holds (services check permissions with it)."""
    if not condition:
        raise error() if isinstance(error, type) else error


class NotFound(Http404):
    """Missing and foreign objects answer alike, so ids cannot be probed."""


def visible_or_404(obj: T | None, allowed: Callable[[T], bool]) -> T:
    """`obj` when it exists and `allowed(obj)` holds (the `access_<noun>` functions); else NotFound, the same for
    both, so ids cannot be probed."""
    if obj is None or not allowed(obj):
        raise NotFound()
    return obj
