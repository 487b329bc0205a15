"""Fixed-window rate limits (apps.core.ratelimit) give the same answers on both backends: the database
(no Redis configured) and Redis (REDIS_URL set)."""

from __future__ import annotations

import pytest

from apps.core import ratelimit
from apps.core.models import RateBucket
from apps.core.redis import redis_client
from apps.core.tests.redis_fixture import redis_url  # noqa: F401 (fixture)


@pytest.fixture(params=["database", "redis"])
def backend(request, settings, db):
    if request.param == "redis":
        settings.REDIS_URL = request.getfixturevalue("redis_url")
        redis_client().flushdb()
    else:
        settings.REDIS_URL = ""
    return request.param


def test_hit_allows_up_to_the_limit_in_a_window_then_refuses(backend):
    now = 1_800_000_000.0  # a window boundary of 60 s: 1_800_000_000 = 30_000_000 × 60
    answers = [ratelimit.hit("code-ip:abc", 3, 60, now=now + n) for n in range(5)]
    assert answers == [True, True, True, False, False]
    assert ratelimit.peek("code-ip:abc", 60, now=now + 30) == 5
    # The next window starts afresh; other keys and other window lengths are counted apart.
    assert ratelimit.hit("code-ip:abc", 3, 60, now=now + 60)
    assert ratelimit.peek("code-ip:other", 60, now=now) == 0
    assert ratelimit.add("code-ip:abc", 3600, now=now) == 1


def test_database_windows_that_ended_are_pruned(db, settings):
    settings.REDIS_URL = ""  # Redis keys expire by themselves
    ratelimit.add("k", 60, now=1_000.0)
    ratelimit.add("k", 60, now=5_000.0)
    assert ratelimit.prune(now=4_000.0) == 1
    assert list(RateBucket.objects.values_list("bucket", flat=True)) == [5_000 // 60]
