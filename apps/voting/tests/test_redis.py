"""With REDIS_URL set, the code limits count in Redis and the live tally reads Redis's hot counters; the
database stays the record: invalidation rebuilds the counters from it, and a lost counter heals on read."""

from __future__ import annotations

import pytest

from apps.core.redis import redis_client
from apps.core.scoping import scopes_disabled
from apps.core.tests.redis_fixture import redis_url  # noqa: F401 (fixture)
from apps.voting import counters, services
from apps.voting.models import Poll, Vote
from apps.voting.services import CaptchaRequired
from apps.voting.tests.conftest import ADDRESS, verify


@pytest.fixture
def with_redis(settings, redis_url):  # noqa: F811
    settings.REDIS_URL = redis_url
    redis_client().flushdb()
    yield redis_client()
    redis_client().flushdb()


def test_live_counts_come_from_redis_and_invalidation_rebuilds_them(with_redis, poll, entries, campaign):
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.LIVE)
        poll.refresh_from_db()
        voters = [verify(poll, f"1381234{n:04d}", address=f"192.0.2.{n}") for n in range(3)]
        assert services.public_counts(poll)[0] == {}  # builds the counter
        for voter in voters:
            services.vote_cast(poll=poll, entry_id=entries[0].pk, voter_id=voter.pk, address=ADDRESS)
        assert with_redis.hget(f"innocase:votes:{poll.pk}", str(entries[0].pk)) == b"3"
        assert services.public_counts(poll)[0] == {entries[0].pk: 3}
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="核查",
                                  vote_ids=[Vote.plain.first().pk])
        assert services.public_counts(poll)[0] == {entries[0].pk: 2}
        with_redis.delete(f"innocase:votes:{poll.pk}")  # Redis lost its data: the record rebuilds it
        assert counters.live(poll) == {entries[0].pk: 2}


def test_the_address_limits_count_in_redis(with_redis, poll, entries):
    with scopes_disabled():
        for n in range(services.CAPTCHA_AFTER):
            services.code_request(poll=poll, phone=f"1390000{n:04d}", address=ADDRESS)
        with pytest.raises(CaptchaRequired):
            services.code_request(poll=poll, phone="13900009999", address=ADDRESS)
    assert any(key.startswith(b"innocase:rl:code-ip:") for key in with_redis.keys("*"))
