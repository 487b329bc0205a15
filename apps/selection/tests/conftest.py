"""Fixtures of the selection tests: 杭州市's round of the review and voting tests (apps.review.tests.conftest,
apps.voting.tests.conftest) and, for locking, 公示 and sending, that round with rules two cases can satisfy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.campaigns.models import Rulebook
from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import campaign, city_round, pool  # noqa: F401 (fixtures)
from apps.voting.tests.conftest import _sms_memory, entries, poll, voting_round  # noqa: F401 (fixtures)


def set_rulebook(round, **values) -> None:
    """Change rule values of the round's province (set-up; the rulebook's own editing is tested elsewhere)."""
    with scopes_disabled():
        rulebook = Rulebook.plain.get(programme=round.programme)
        rulebook.values = {**rulebook.values, **values}
        rulebook.save()


def end_publicity(locked) -> None:
    """Move the locked list's 公示 into the past (it ended yesterday)."""
    from apps.selection.models import LockedList

    today = timezone.localdate()
    with scopes_disabled():
        LockedList.plain.filter(pk=locked.pk).update(starts_on=today - dt.timedelta(days=6),
                                                     ends_on=today - dt.timedelta(days=1))
    locked.refresh_from_db()


@pytest.fixture
def small(poll, entries, campaign):  # noqa: F811
    """杭州市's round (review 70, voting 30) with a quota of 2 and no surplus: two cases make a valid list."""
    set_rulebook(poll.round, target=3, surplus_ratio="0")
    return poll.round


@pytest.fixture
def listed(small, entries, campaign):  # noqa: F811
    """`small` with entries[0] and entries[1] on its list: valid, not locked."""
    from apps.selection import services

    with scopes_disabled():
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
    return small
