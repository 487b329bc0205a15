"""Two people pressing the same button at the same moment on a manual quota table (R-104): the request's row lock
lets one centre admin decide and tells the other it is decided; the database constraint
approval_one_pending_per_thread keeps one version of the province's table waiting however many are sent at once.
PostgreSQL only: SQLite serialises writers, so there is no race to test there."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve
from apps.approvals.tests.world import submit_table
from apps.audit.models import AuditEntry
from apps.campaigns.models import QuotaPlan
from apps.core.scoping import scopes_disabled
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]

State = ApprovalRequest.State


def test_race_two_centre_admins_approving_at_once_make_one_approval(
        campaign_world, pending_table, centre_reviewer_zhou):
    def approve(user):
        approval_approve(request=ApprovalRequest.plain.get(pk=pending_table.pk), by=user, comment=user.username)

    outcomes = at_once(approve, [campaign_world.center_admin.username, centre_reviewer_zhou.username])
    assert sorted(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    winner = next(u for u, o in outcomes.items() if o == "ok")
    refusal = next(o for o in outcomes.values() if o != "ok")
    # The row lock made the second wait and read the first's decision.
    assert refusal.startswith("该手工名额表已") and "已通过" in refusal and refusal.endswith("不能再处理")
    with scopes_disabled():
        request = ApprovalRequest.plain.select_related("decided_by").get(pk=pending_table.pk)
        approvals = list(AuditEntry.plain.filter(action="approval.approve"))
        plan = QuotaPlan.plain.get(pk=pending_table.object_id)
    assert (request.state, request.decided_by.username, request.comment) == (State.APPROVED, winner, winner)
    assert len(approvals) == 1 and json.loads(approvals[0].data)["comment"] == winner
    assert plan.status == QuotaPlan.Status.IN_FORCE


def test_race_two_province_admins_sending_tables_at_once_make_one_pending_request(
        campaign_world, zhejiang_admin_wang):
    tables = {campaign_world.zhejiang_admin.username: {"330100": 55, "330200": 45},
              zhejiang_admin_wang.username: {"330100": 50, "330200": 50}}

    def send(user):
        submit_table(campaign_world, tables[user.username], f"{user.display_name}的调整", by=user)

    outcomes = at_once(send, list(tables))
    assert sorted(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    winner = next(u for u, o in outcomes.items() if o == "ok")
    assert [o for o in outcomes.values() if o != "ok"] == [
        "已有一版手工名额表在等待审核，请待审核后再报送，或先撤回待审核的一版"]
    with scopes_disabled():
        pending = list(ApprovalRequest.plain.filter(state=State.PENDING).select_related("submitted_by"))
        plans = list(QuotaPlan.plain.all())
        submits = AuditEntry.plain.filter(action="approval.submit").count()
        manual_sets = AuditEntry.plain.filter(action="quota.manual_set").count()
    assert [(r.version, r.submitted_by.username) for r in pending] == [(1, winner)]
    # The loser's table was rolled back with its refusal: one plan, one audit row of each.
    assert [(p.pk, p.status) for p in plans] == [(pending[0].object_id, QuotaPlan.Status.PENDING)]
    assert (submits, manual_sets) == (1, 1)
