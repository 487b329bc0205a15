"""The Redis connection, when REDIS_URL is configured (ARCHITECTURE: Redis is optional; the database is the
record and everything works without it)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30)


def redis_client():
    """A shared client (one connection pool per process), or None without REDIS_URL."""
    url = getattr(settings, "REDIS_URL", "")
    return _client(url) if url else None
