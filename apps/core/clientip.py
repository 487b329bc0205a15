"""The client's address, as far as it can be trusted.

Without a proxy the address is REMOTE_ADDR. Behind proxies, `CLIENT_IP_HEADER` names the header they fill
(X-Forwarded-For, or one a proxy overwrites such as X-Real-IP) and `CLIENT_IP_PROXIES` says how many trusted
proxies append to it. Each proxy appends the address it saw, so the client's address is the entry that many
places from the right: what the last trusted proxy saw. Entries further left were written by the client and
prove nothing. A request whose address cannot be read (no header, fewer entries than proxies, not an IP
address) gets "", which every limit counts as one shared bucket.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(text: str) -> str:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def client_address(request) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if not header:
        return _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = max(1, int(getattr(settings, "CLIENT_IP_PROXIES", 1)))
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry for entry in value.split(",") if entry.strip()]
    if len(entries) < proxies:
        return ""
    return _valid(entries[-proxies])
