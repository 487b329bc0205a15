"""Fixtures of the voting tests: 杭州市's city selection round with review and voting (70/30), four cases,
and its poll, published and open from an hour ago for three days. SMS codes go to the memory outbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.core import sms
from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import add_cases, campaign, city_round, configure  # noqa: F401 (fixtures)
from apps.voting import services
from apps.voting.models import Poll

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _sms_memory(settings):
    settings.SMS_BACKEND = "memory"
    settings.REDIS_URL = ""
    sms.outbox.clear()
    cache.clear()
    yield
    sms.outbox.clear()


def last_code(phone: str) -> str:
    """The code in the last SMS sent to `phone`."""
    text = next(m.text for m in reversed(sms.outbox) if m.phone == phone)
    return re.search(r"\d{6}", text).group(0)


def verify(poll: Poll, phone: str, *, address: str = ADDRESS, now=None):
    """A voter verified through the real code flow."""
    services.code_request(poll=poll, phone=phone, address=address, now=now)
    return services.code_verify(poll=poll, phone=phone, code=last_code(phone), address=address, now=now)


@pytest.fixture
def voting_round(campaign, city_round):  # noqa: F811
    with scopes_disabled():
        return configure(city_round, methods=["review", "voting"], weights={"review": 70, "voting": 30})


@pytest.fixture
def entries(campaign, voting_round):  # noqa: F811
    """The four cases' entries in the round."""
    with scopes_disabled():
        cases = add_cases(campaign, voting_round, 4)
        return [voting_round.entries.get(case=c) for c in cases]


@pytest.fixture
def poll(campaign, voting_round, entries):  # noqa: F811
    now = timezone.now()
    with scopes_disabled():
        return services.poll_save(round=voting_round, by=campaign.hangzhou_admin, title="杭州市创新案例网络投票",
                                  intro="每人每天可投5票", opens_at=now - dt.timedelta(hours=1),
                                  closes_at=now + dt.timedelta(days=3), published=True)
