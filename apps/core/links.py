"""Links as compared for duplicates: one normaliser for every record that counts a published link once (a media
report, R-303; a use of a brand channel, R-502)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = ("utm_", "spm", "from", "share", "timestamp")


def url_key(url: str) -> str:
    """The link as compared for duplicates: scheme and host in lower case, no "www.", no fragment, no trailing
    slash, no tracking parameters (utm_*, spm, from, share…), the rest of the query sorted."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING))
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower(), host, path,
                       urlencode(query), ""))


def is_web_link(url: str, max_length: int = 500) -> bool:
    """An http(s) link with a host, no longer than `max_length`."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and len(url) <= max_length
