"""Vote counts for display. The votes table is the record; Redis, when configured, keeps a hot counter per
case so the live tally costs one hash read instead of a count over the votes. Every admin decision that
changes what counts (invalidation, revert) rebuilds the counter from the record, and a counter older than
REBUILD_SECONDS is rebuilt on read, so a lost increment heals by itself."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from apps.core.redis import redis_client
from apps.voting.models import Poll, Vote

log = logging.getLogger("innocase.voting")
REBUILD_SECONDS = 600
LIVE_CACHE_SECONDS = 5  # without Redis: a live count is at most this old


def _key(poll: Poll | int) -> str:
    return f"innocase:votes:{getattr(poll, 'pk', poll)}"


def from_database(poll: Poll) -> dict[int, int]:
    rows = (Vote.plain.filter(poll=poll, invalidation__isnull=True).order_by()
            .values_list("entry_id").annotate(n=Count("id")))
    return {entry: n for entry, n in rows}


def add(poll: Poll | int, entry_id: int) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        key = _key(poll)
        if client.exists(key):
            client.hincrby(key, str(entry_id), 1)
    except Exception:  # noqa: BLE001 - Redis down: the database still has the vote; the counter rebuilds
        log.warning("vote counter of poll %s not updated; it will be rebuilt", getattr(poll, "pk", poll),
                    exc_info=True)


def rebuild(poll: Poll) -> dict[int, int]:
    counts = from_database(poll)
    client = redis_client()
    if client is not None:
        try:
            key = _key(poll)
            pipe = client.pipeline()
            pipe.delete(key)
            pipe.hset(key, mapping={"_built": str(time.time()), **{str(k): v for k, v in counts.items()}})
            pipe.execute()
        except Exception:  # noqa: BLE001
            log.warning("vote counter of poll %s not rebuilt", poll.pk, exc_info=True)
    cache.delete_many([f"{_key(poll)}:live"])
    return counts


def live(poll: Poll) -> dict[int, int]:
    client = redis_client()
    if client is not None:
        try:
            raw = client.hgetall(_key(poll))
            built = float(raw.pop(b"_built", 0) or 0)
            if built and time.time() - built < REBUILD_SECONDS:
                return {int(k): int(v) for k, v in raw.items()}
        except Exception:  # noqa: BLE001
            log.warning("vote counter of poll %s unreadable; counting from the database", poll.pk, exc_info=True)
            return from_database(poll)
        return rebuild(poll)
    key = f"{_key(poll)}:live"
    counts = cache.get(key)
    if counts is None:
        counts = from_database(poll)
        cache.set(key, counts, LIVE_CACHE_SECONDS)
    return counts


def delayed(poll: Poll, seconds: int, now: dt.datetime) -> tuple[dict[int, int], dt.datetime]:
    """The counts as of the start of the current refresh period (every `seconds`), the same for everyone."""
    bucket = int(now.timestamp() // seconds)
    key = f"{_key(poll)}:delayed:{seconds}:{bucket}"
    found = cache.get(key)
    if found is None:
        found = (from_database(poll), timezone.now())
        cache.set(key, found, seconds)
    return found
