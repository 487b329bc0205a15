"""The approvals mechanism (apps/approvals/services.py) on its first kind, 浙江省's manual quota tables (R-104): who
decides and who withdraws, what a decision needs, one version waiting at a time, the deadlines in Beijing dates,
and one audit row per step."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.approvals.kinds import kind_of
from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve, approval_return, approval_withdraw
from apps.approvals.tests.world import submit_table
from apps.audit.models import AuditEntry
from apps.campaigns.approvals import KIND
from apps.campaigns.models import QuotaPlan
from apps.core.errors import NotFound

State = ApprovalRequest.State
RETURN_WITHOUT_COMMENT = "退回时请填写审核意见，报送单位将按意见修改后重新报送"
ONE_WAITS = "已有一版手工名额表在等待审核，请待审核后再报送，或先撤回待审核的一版"
EVEN_SPLIT = {"330100": 50, "330200": 50}


def reread(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.plain.get(pk=request.pk)


def plan_status(request: ApprovalRequest) -> str:
    return QuotaPlan.plain.get(pk=request.object_id).status


def audit_versions(action: str) -> list[int]:
    return [json.loads(e.data)["version"] for e in AuditEntry.plain.filter(action=action).order_by("id")]


def test_r104_the_province_sends_its_table_to_the_centre_as_version_1(campaign_world, pending_table, system):
    request = pending_table
    assert (request.kind, request.submitter, request.approver) == (KIND, campaign_world.zhejiang,
                                                                  campaign_world.center)
    assert (request.state, request.version, str(request)) == (State.PENDING, 1, "浙江省手工名额表（第1版）")
    assert request.submitted_by == campaign_world.zhejiang_admin
    assert plan_status(request) == QuotaPlan.Status.PENDING


# -- deadlines ------------------------------------------------------------------------------------------------

def test_the_centre_decides_within_7_days_of_the_beijing_date_of_submission(campaign_world, system, beijing_clock):
    beijing_clock(2026, 3, 2, 1, 30)  # still 1 March in UTC: the deadline counts from the Beijing date
    request = submit_table(campaign_world, EVEN_SPLIT, "两市科协数量相近")
    assert kind_of(KIND).decide_days == 7
    assert request.decide_by == dt.date(2026, 3, 9)
    assert request.resubmit_by is None


def test_a_returned_table_is_resubmitted_within_14_days_of_the_beijing_date_of_the_return(
        campaign_world, pending_table, system, beijing_clock):
    beijing_clock(2026, 3, 5, 7, 45)  # 23:45 on 4 March in UTC
    approval_return(request=pending_table, by=campaign_world.center_admin, comment="请说明宁波市新增园区的批复文件")
    assert kind_of(KIND).resubmit_days == 14
    assert reread(pending_table).resubmit_by == dt.date(2026, 3, 19)


# -- deciding -------------------------------------------------------------------------------------------------

def test_a_return_needs_a_comment_and_without_one_nothing_changes(campaign_world, pending_table, system):
    with pytest.raises(ValidationError) as refused:
        approval_return(request=pending_table, by=campaign_world.center_admin, comment="   ")
    assert refused.value.message_dict == {"comment": [RETURN_WITHOUT_COMMENT]}
    request = reread(pending_table)
    assert (request.state, request.decided_by, request.comment) == (State.PENDING, None, "")
    assert plan_status(request) == QuotaPlan.Status.PENDING
    assert not AuditEntry.plain.filter(action="approval.return").exists()


def test_the_centre_returns_a_table_with_its_comment(campaign_world, pending_table, system):
    approval_return(request=pending_table, by=campaign_world.center_admin, comment="请说明宁波市新增园区的批复文件")
    request = reread(pending_table)
    assert (request.state, request.comment, request.decided_by) == (
        State.RETURNED, "请说明宁波市新增园区的批复文件", campaign_world.center_admin)
    assert plan_status(request) == QuotaPlan.Status.RETURNED


@pytest.mark.parametrize("decide", [
    lambda request, by: approval_approve(request=request, by=by),
    lambda request, by: approval_return(request=request, by=by, comment="请修改"),
], ids=["approve", "return"])
@pytest.mark.parametrize("who", ["zhejiang_admin", "hangzhou_admin", "sichuan_admin"])
def test_only_the_centres_people_decide_on_a_provinces_table(campaign_world, pending_table, system, decide, who):
    """The province that sent the table, a city below it and another province: the same NotFound as for no request."""
    with pytest.raises(NotFound):
        decide(pending_table, getattr(campaign_world, who))
    assert reread(pending_table).state == State.PENDING
    assert plan_status(pending_table) == QuotaPlan.Status.PENDING


@pytest.mark.parametrize("decide_again", [
    lambda request, by: approval_approve(request=request, by=by),
    lambda request, by: approval_return(request=request, by=by, comment="请修改"),
], ids=["approve", "return"])
def test_a_decided_request_cannot_be_decided_again(campaign_world, pending_table, system, decide_again):
    approval_approve(request=pending_table, by=campaign_world.center_admin)
    with pytest.raises(ValidationError, match="不能再处理"):
        decide_again(pending_table, campaign_world.center_admin)
    assert reread(pending_table).state == State.APPROVED
    assert plan_status(pending_table) == QuotaPlan.Status.IN_FORCE
    assert audit_versions("approval.approve") == [1]
    assert not AuditEntry.plain.filter(action="approval.return").exists()


def test_the_refusal_to_decide_again_names_the_state_once(campaign_world, pending_table, system):
    approval_approve(request=pending_table, by=campaign_world.center_admin)
    with pytest.raises(ValidationError) as refused:
        approval_approve(request=pending_table, by=campaign_world.center_admin)
    assert refused.value.messages == ["该手工名额表已通过，不能再处理"]


# -- withdrawing and submitting again -------------------------------------------------------------------------

def test_the_province_withdraws_a_waiting_table_and_may_then_send_another(campaign_world, pending_table, system):
    approval_withdraw(request=pending_table, by=campaign_world.zhejiang_admin)
    withdrawn = reread(pending_table)
    assert (withdrawn.state, withdrawn.decided_by) == (State.WITHDRAWN, campaign_world.zhejiang_admin)
    assert plan_status(withdrawn) == QuotaPlan.Status.WITHDRAWN
    again = submit_table(campaign_world, EVEN_SPLIT, "两市科协数量相近")
    assert (again.state, again.version, again.thread) == (State.PENDING, 2, withdrawn.thread)


def test_a_withdrawn_table_cannot_be_decided(campaign_world, pending_table, system):
    approval_withdraw(request=pending_table, by=campaign_world.zhejiang_admin)
    with pytest.raises(ValidationError, match="不能再处理"):
        approval_approve(request=pending_table, by=campaign_world.center_admin)
    assert plan_status(pending_table) == QuotaPlan.Status.WITHDRAWN


@pytest.mark.parametrize("who", ["hangzhou_admin", "sichuan_admin"])
def test_another_org_cannot_withdraw_the_provinces_table(campaign_world, pending_table, system, who):
    with pytest.raises(NotFound):
        approval_withdraw(request=pending_table, by=getattr(campaign_world, who))
    assert reread(pending_table).state == State.PENDING


def test_the_centre_decides_but_does_not_withdraw_the_provinces_table(campaign_world, pending_table, system):
    """An office above watches the province's table; the approver returns it with a comment instead."""
    with pytest.raises(NotFound):
        approval_withdraw(request=pending_table, by=campaign_world.center_admin)
    assert reread(pending_table).state == State.PENDING


def test_a_second_table_while_one_waits_is_refused_and_writes_nothing(campaign_world, pending_table, system):
    before = (QuotaPlan.plain.count(), ApprovalRequest.plain.count(), AuditEntry.plain.count())
    with pytest.raises(ValidationError) as refused:
        submit_table(campaign_world, EVEN_SPLIT, "两市科协数量相近")
    assert refused.value.messages == [ONE_WAITS]
    assert (QuotaPlan.plain.count(), ApprovalRequest.plain.count(), AuditEntry.plain.count()) == before
    assert reread(pending_table).state == State.PENDING


def test_the_database_keeps_one_version_of_a_table_waiting(campaign_world, pending_table, system):
    """approval_one_pending_per_thread holds even for a writer that skips the service's check (a race)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.plain.create(
            kind=KIND, object_id=pending_table.object_id, thread=pending_table.thread, version=2,
            title=pending_table.title, submitter=campaign_world.zhejiang, approver=campaign_world.center,
            submitted_at=timezone.now(), decide_by=pending_table.decide_by)
    assert ApprovalRequest.plain.filter(thread=pending_table.thread, state=State.PENDING).count() == 1


# -- audit ----------------------------------------------------------------------------------------------------

def test_each_step_writes_one_audit_row_with_its_version(campaign_world, pending_table, system):
    """Version 1 returned, version 2 withdrawn, version 3 approved."""
    centre, province = campaign_world.center_admin, campaign_world.zhejiang_admin
    approval_return(request=pending_table, by=centre, comment="请说明宁波市新增园区的批复文件")
    second = submit_table(campaign_world, {"330100": 52, "330200": 48}, "宁波市新增一个园区")
    approval_withdraw(request=second, by=province)
    third = submit_table(campaign_world, EVEN_SPLIT, "两市科协数量相近")
    approval_approve(request=third, by=centre, comment="同意")
    assert audit_versions("approval.submit") == [1, 2, 3]
    assert audit_versions("approval.return") == [1]
    assert audit_versions("approval.withdraw") == [2]
    assert audit_versions("approval.approve") == [3]
    approve = AuditEntry.plain.get(action="approval.approve")
    assert (approve.actor_id, approve.org_path, json.loads(approve.data)["comment"]) == (
        centre.pk, campaign_world.zhejiang.path, "同意")
    assert json.loads(AuditEntry.plain.get(action="approval.return").data)["comment"] == "请说明宁波市新增园区的批复文件"
