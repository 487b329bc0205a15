"""Two people of a city pressing 催办 for the same county at the same moment send one reminder (the unit's row
lock). PostgreSQL only: SQLite serialises writers, so there is no race there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.scoping import scope, scopes_disabled
from apps.orgs.models import Membership, Message
from apps.orgs.services import membership_add
from apps.reports.models import Reminder
from apps.reports.services import unit_remind
from apps.rounds.models import Round
from apps.rounds.services import round_for
from tests.concurrency import at_once
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_two_reminders_at_once_make_one(tree):
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
        r = round_for(programme=tree.zhejiang_programme, org=tree.xihu, kind=Round.Kind.COUNTY_SCREENING)
        Round.plain.filter(pk=r.pk).update(state=Round.State.OPEN, deadline=timezone.localdate() - dt.timedelta(days=1))
        clerk = make_user("hangzhou-clerk-li", "李敏")
        membership_add(org=tree.hangzhou, user=clerk, role=Membership.Role.STAFF, by=None, check=False)

    def remind(user):
        with scope(org=tree.hangzhou):
            unit_remind(unit=tree.xihu, by=user)

    outcomes = at_once(remind, [tree.hangzhou_admin.username, clerk.username])
    assert sorted(outcomes.values())[0] == "ok" and list(outcomes.values()).count("ok") == 1
    assert any("今天已经催办过西湖区" in o for o in outcomes.values())
    with scopes_disabled():
        assert Reminder.plain.filter(org=tree.xihu).count() == 1
        assert Message._base_manager.filter(org=tree.xihu).count() == 1
