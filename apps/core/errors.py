"""Errors shared by every app's services."""

from django.http import Http404


def ensure(condition: bool, error: type[Exception] | Exception) -> None:
    """Raise `error` unless `condition` holds (services check permissions with it)."""
    if not condition:
        raise error() if isinstance(error, type) else error


class NotFound(Http404):
    """Missing and foreign objects answer alike, so ids cannot be probed."""
