"""A Redis database of its own for each test worker (the machine's Redis, 127.0.0.1:6379 by default)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def redis_url():
    import redis

    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "")
    base = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379")
    number = 15 - (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    url = f"{base}/{number}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {base} (REDIS_TEST_URL): start redis-server for these tests")
    return url
