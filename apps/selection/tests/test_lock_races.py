"""Two people of the same city pressing 「锁定名单」 or 「上报」 at the same moment (R-106): the round's row lock makes
one of them win and tells the other what happened. PostgreSQL only: SQLite serialises writers, so there is no
race to test there."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership, User
from apps.orgs.services import membership_add
from apps.rounds.models import Round, RoundEntry
from apps.rounds.selectors import round_lock_record
from apps.selection import services
from apps.selection.models import LockedList, Objection
from tests.concurrency import at_once
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def hangzhou_clerk_li(campaign):
    """A second worker of 杭州市科协 (staff), with a name of her own so a message can tell the two apart."""
    with scopes_disabled():
        user = make_user("hangzhou-clerk-li", "李敏")
        membership_add(org=campaign.hangzhou, user=user, role=Membership.Role.STAFF, by=None, check=False)
    return user


def test_two_workers_locking_at_once_make_one_lock_and_the_other_learns_who_locked(
        listed, campaign, hangzhou_clerk_li):
    admin = campaign.hangzhou_admin

    def lock(user):
        services.list_lock(round=Round.plain.get(pk=listed.pk), by=user)

    outcomes = at_once(lock, [admin.username, hangzhou_clerk_li.username])
    assert sorted(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    winner = next(u for u, o in outcomes.items() if o == "ok")
    loser_message = next(o for o in outcomes.values() if o != "ok")
    with scopes_disabled():
        winner = User.objects.get(username=winner)
        assert f"已由{winner.display_name}于" in loser_message and "锁定，不能重复锁定" in loser_message
        assert LockedList.plain.filter(round=listed).count() == 1
        current = Round.plain.get(pk=listed.pk)
        assert current.state == Round.State.LOCKED and round_lock_record(current).by == winner.display_name
        locks = AuditEntry.plain.filter(action="selection.lock")
        assert locks.count() == 1 and locks.get().actor_id == winner.pk


def test_two_workers_sending_at_once_send_each_case_up_once(listed, entries, campaign, hangzhou_clerk_li):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = services.list_lock(round=listed, by=admin)
        today = timezone.localdate()
        LockedList.plain.filter(pk=locked.pk).update(starts_on=today - dt.timedelta(days=6),
                                                     ends_on=today - dt.timedelta(days=1))

    def send(user):
        services.list_send(round=Round.plain.get(pk=listed.pk), by=user)

    outcomes = at_once(send, [admin.username, hangzhou_clerk_li.username])
    assert list(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    assert "不能重复操作" in next(o for o in outcomes.values() if o != "ok")
    with scopes_disabled():
        province = Round.plain.get(org=campaign.zhejiang, kind=Round.Kind.PROVINCE_SELECTION)
        received = sorted(RoundEntry.plain.filter(round=province).values_list("case_id", flat=True))
        assert received == sorted([entries[0].case_id, entries[1].case_id])
        sends = AuditEntry.plain.filter(action="round.send")
        assert sends.count() == 1 and json.loads(sends.get().data)["locked_list"] == locked.pk
        receipts = [json.loads(d) for d in AuditEntry.plain.filter(action="round.receive").values_list("data", flat=True)]
        assert sorted(r["case"] for r in receipts if r["round"] == province.pk) == received
        assert Round.plain.get(pk=listed.pk).state == Round.State.SENT


def test_a_list_changed_while_another_worker_locks_is_locked_as_it_stands(listed, entries, campaign,
                                                                          hangzhou_clerk_li):
    """Either the change comes first and is locked with the list, or the lock comes first and the change is
    refused: the locked list is never other than the list on the page."""
    admin = campaign.hangzhou_admin

    def act(user):
        current = Round.plain.get(pk=listed.pk)
        if user.pk == admin.pk:
            services.list_lock(round=current, by=user)
        else:
            services.list_set(round=current, by=user, add=[entries[2].case_id])

    outcomes = at_once(act, [admin.username, hangzhou_clerk_li.username])
    assert outcomes[admin.username] == "ok"
    with scopes_disabled():
        locked = LockedList.plain.get(round=listed)
        assert sorted(locked.case_ids) == sorted(services.list_ids(listed))
        if outcomes[hangzhou_clerk_li.username] == "ok":
            assert entries[2].case_id in locked.case_ids
        else:
            assert "名单不能修改" in outcomes[hangzhou_clerk_li.username] and len(locked.case_ids) == 2


def test_an_objection_upheld_while_the_list_is_sent_either_stops_the_send_or_comes_too_late(
        listed, entries, campaign, hangzhou_clerk_li):
    """A list is never sent with an objection upheld against it (R-106)."""
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = services.list_lock(round=listed, by=admin)
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="张华",
                                              contact="13800138000", reason="该企业已被列入经营异常名录。")
        services.objection_answer(objection=objection, by=admin, outcome="dismissed", answer="经核实，已移出名录。")
        today = timezone.localdate()
        LockedList.plain.filter(pk=locked.pk).update(starts_on=today - dt.timedelta(days=6),
                                                     ends_on=today - dt.timedelta(days=1))

    def act(user):
        if user.pk == admin.pk:
            services.list_send(round=Round.plain.get(pk=listed.pk), by=user)
        else:
            services.objection_answer(objection=Objection.plain.get(pk=objection.pk), by=user, outcome="upheld",
                                      answer="复核后认为异议成立。")

    outcomes = at_once(act, [admin.username, hangzhou_clerk_li.username])
    assert list(outcomes.values()).count("ok") == 1
    with scopes_disabled():
        state = Round.plain.get(pk=listed.pk).state
        outcome = Objection.plain.get(pk=objection.pk).outcome
    if outcomes[admin.username] == "ok":
        assert (state, outcome) == (Round.State.SENT, Objection.Outcome.DISMISSED)
        assert outcomes[hangzhou_clerk_li.username] == "名单已上报，异议答复不能再修改"
    else:
        assert (state, outcome) == (Round.State.LOCKED, Objection.Outcome.UPHELD)
        assert "1条异议成立" in outcomes[admin.username]
