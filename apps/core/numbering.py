"""The next number of a thing kept in versions or builds (a plan's version, a list's lock, a book's build): one more
than the highest so far, 1 for the first. Callers hold a lock on the parent row, so two writers cannot take the
same number (and a unique constraint on (parent, number) says so if one forgot)."""

from __future__ import annotations

from django.db.models import Max, QuerySet


def next_number(rows: QuerySet, field: str = "number") -> int:
    return (rows.aggregate(highest=Max(field))["highest"] or 0) + 1
