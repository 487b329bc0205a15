"""Canonical JSON and its SHA-256: one byte string per value, so that a digest taken today is taken again
tomorrow, on another machine, by anyone holding the data.

The form: keys sorted, no spaces (separators "," and ":"), non-ASCII characters kept as they are (not \\uXXXX),
UTF-8 bytes. Values JSON cannot hold are written as: Decimal → its string ("12.50", digits kept), date and
datetime → ISO 8601 (`isoformat()`, with the offset of an aware datetime), a model instance → "app.Model:pk",
a set → its sorted list. Anything else raises TypeError. Floats are written as Python's `repr` (the shortest
text that reads back to the same number).

Stored digests depend on these bytes: the audit chain's row hashes (apps.audit), the result document of every
locked list (apps.selection.results) and review ranking snapshots (apps.review). Changing the form breaks the
verification of every row and document already stored; apps/core/tests/test_canonical.py pins it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db.models import Model


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Model):
        return f"{value._meta.label}:{value.pk}"
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """`data` as canonical JSON text (see the module docstring)."""
    return json.dumps(data, default=_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(data: Any) -> bytes:
    """The UTF-8 bytes of canonical_json: what a digest is taken over and what a download serves."""
    return canonical_json(data).encode("utf-8")


def digest(data: Any) -> str:
    """The SHA-256 of canonical_bytes, in hex: `sha256sum` of a file holding those bytes prints the same."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()
