"""Fixed-window rate limits: Redis counters when REDIS_URL is set, else a row per window in the database.

`hit(key, limit, seconds)` counts one more event and says whether it stays within `limit` events in the
current window of `seconds`; `peek` reads the count without adding one. Both backends give the same
answers, so tests of the rules run on either. A window restarts at its boundary (a burst may straddle two
windows: limits that must be exact, such as a phone's codes per hour, are counted from their own records).
"""

from __future__ import annotations

import time

from django.db import connection

from apps.core.models import RateBucket
from apps.core.redis import redis_client

PREFIX = "innocase:rl:"


def _window(seconds: int, now: float | None) -> int:
    return int((time.time() if now is None else now) // seconds)


def hit(key: str, limit: int, seconds: int, *, now: float | None = None) -> bool:
    """Count one event for `key`; True while the window holds at most `limit` events."""
    return add(key, seconds, now=now) <= limit


def add(key: str, seconds: int, *, now: float | None = None) -> int:
    """Count one event for `key` and return the window's count, this one included."""
    window = _window(seconds, now)
    client = redis_client()
    if client is not None:
        name = f"{PREFIX}{key}:{seconds}:{window}"
        pipe = client.pipeline()
        pipe.incr(name)
        pipe.expire(name, seconds + 5)
        return int(pipe.execute()[0])
    table = RateBucket._meta.db_table
    with connection.cursor() as cursor:
        # One statement on both SQLite (≥ 3.35) and PostgreSQL: concurrent callers cannot lose a count.
        cursor.execute(
            f"INSERT INTO {table} (key, bucket, count, ends) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (key, bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [f"{key}:{seconds}", window, (window + 1) * seconds],
        )
        return int(cursor.fetchone()[0])


def peek(key: str, seconds: int, *, now: float | None = None) -> int:
    """The current window's count for `key`."""
    window = _window(seconds, now)
    client = redis_client()
    if client is not None:
        value = client.get(f"{PREFIX}{key}:{seconds}:{window}")
        return int(value or 0)
    row = RateBucket.objects.filter(key=f"{key}:{seconds}", bucket=window).values_list("count", flat=True).first()
    return int(row or 0)


def prune(*, now: float | None = None) -> int:
    """Delete database windows that have ended (a periodic task; Redis keys expire by themselves)."""
    deleted, _by_model = RateBucket.objects.filter(ends__lt=int(time.time() if now is None else now)).delete()
    return deleted
