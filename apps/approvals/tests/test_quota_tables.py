"""Manual quota tables through the centre's approval (R-104): which table is in force at each step. 浙江省's target
is 100 and its computed Hamilton split 杭州市 60 / 宁波市 40 (3 and 2 associations); a manual table replaces that
split only once the centre approves it, and a later approved table retires the earlier one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve, approval_return
from apps.approvals.tests.world import submit_table
from apps.audit.models import AuditEntry
from apps.campaigns.models import QuotaPlan, Rulebook
from apps.campaigns.selectors import quota_table
from apps.campaigns.services import rulebook_update
from apps.campaigns.tests.world import approved_quota_table
from apps.core.scoping import scopes_disabled

State = ApprovalRequest.State
COMPUTED = {"杭州市": 60, "宁波市": 40}
COMMENT = "请附宁波市新增园区的批复文件后重新报送"


def in_force(programme) -> dict[str, int]:
    """The quota of each city in force: the manual table's if one is in force, else the computed split."""
    with scopes_disabled():
        return {row["city"].name: row["quota"] for row in quota_table(programme).rows()}


def plan_of(request: ApprovalRequest) -> QuotaPlan:
    with scopes_disabled():
        return QuotaPlan.plain.get(pk=request.object_id)


def returned(world, request: ApprovalRequest) -> ApprovalRequest:
    with scopes_disabled():
        return approval_return(request=request, by=world.center_admin, comment=COMMENT)


def test_r104_while_the_centre_decides_the_computed_split_stays_in_force(campaign_world):
    programme = campaign_world.zhejiang_programme
    assert in_force(programme) == COMPUTED
    with scopes_disabled():
        request = submit_table(campaign_world, {"330100": 55, "330200": 45}, "宁波市新增两个园区")
    assert in_force(programme) == COMPUTED
    assert plan_of(request).status == QuotaPlan.Status.PENDING


def test_r104_a_returned_table_leaves_the_computed_split_in_force(campaign_world, pending_table):
    returned(campaign_world, pending_table)
    assert in_force(campaign_world.zhejiang_programme) == COMPUTED
    assert plan_of(pending_table).status == QuotaPlan.Status.RETURNED


def test_r104_the_quotas_page_shows_the_centres_comment_on_a_returned_table(client, campaign_world, pending_table):
    request = returned(campaign_world, pending_table)
    client.force_login(campaign_world.zhejiang_admin)
    page = client.get(reverse("campaigns:quotas", args=[campaign_world.zhejiang_programme.pk])).content.decode()
    assert f"中心退回了手工名额表（第1版）：{COMMENT}" in page
    assert "目前按比例计算的名额（下表）执行" in page
    assert f"请于{request.resubmit_by:%Y-%m-%d}前修改后重新报送" in page
    assert "修改后重新报送</a>" in page and "待中心审核" not in page


def test_r104_revising_a_returned_table_starts_from_it_not_from_the_split_in_force(
        client, campaign_world, pending_table):
    returned(campaign_world, pending_table)
    client.force_login(campaign_world.zhejiang_admin)
    response = client.get(reverse("campaigns:quota_manual", args=[campaign_world.zhejiang_programme.pk]))
    assert response.context["form"].initial == {"city_330100": 55, "city_330200": 45, "reason": "宁波市新增两个园区"}
    assert f"中心退回了第1版：{COMMENT}" in response.content.decode()


def test_r104_the_revised_table_goes_as_version_2_and_the_split_stands_until_it_is_approved(
        client, campaign_world, pending_table):
    programme = campaign_world.zhejiang_programme
    returned(campaign_world, pending_table)
    client.force_login(campaign_world.zhejiang_admin)
    response = client.post(reverse("campaigns:quota_manual", args=[programme.pk]),
                           {"city_330100": "52", "city_330200": "48", "reason": "宁波市新增一个园区，已附批复文件"})
    assert response.status_code == 302
    with scopes_disabled():
        second = ApprovalRequest.plain.get(version=2)
    assert (second.state, second.thread) == (State.PENDING, pending_table.thread)
    assert in_force(programme) == COMPUTED


def test_r104_the_approved_version_2_is_in_force_and_its_page_lists_both_versions(
        client, campaign_world, pending_table):
    programme = campaign_world.zhejiang_programme
    returned(campaign_world, pending_table)
    with scopes_disabled():
        second = submit_table(campaign_world, {"330100": 52, "330200": 48}, "宁波市新增一个园区，已附批复文件")
        approval_approve(request=second, by=campaign_world.center_admin)
    assert in_force(programme) == {"杭州市": 52, "宁波市": 48}
    assert (plan_of(pending_table).status, plan_of(second).status) == (QuotaPlan.Status.RETURNED,
                                                                         QuotaPlan.Status.IN_FORCE)
    client.force_login(campaign_world.zhejiang_admin)
    page = client.get(reverse("approvals:detail", args=[second.pk])).content.decode()
    assert "各版本" in page
    assert f'<a href="{reverse("approvals:detail", args=[pending_table.pk])}">第1版</a>' in page
    assert "第2版" in page and COMMENT in page
    assert "杭州市：52件" in page and "宁波市：48件" in page


def test_r104_a_second_approved_table_retires_the_first(campaign_world):
    programme = campaign_world.zhejiang_programme
    with scopes_disabled():
        first = approved_quota_table(campaign_world, {"330100": 55, "330200": 45}, "宁波市新增两个园区")
        request = submit_table(campaign_world, {"330100": 50, "330200": 50}, "两市科协数量已相近")
    assert in_force(programme) == {"杭州市": 55, "宁波市": 45}  # the second waits; the first stands
    with scopes_disabled():
        approval_approve(request=request, by=campaign_world.center_admin)
        first.refresh_from_db()
        in_force_plans = list(QuotaPlan.plain.filter(programme=programme, status=QuotaPlan.Status.IN_FORCE))
    assert in_force(programme) == {"杭州市": 50, "宁波市": 50}
    assert first.status == QuotaPlan.Status.RETIRED and first.retired_at is not None
    assert in_force_plans == [plan_of(request)]
    assert request.version == 2


def test_r104_a_table_sent_for_the_old_target_is_not_approved_under_a_new_one(campaign_world, pending_table):
    """The province sends 55 / 45 for target 100, then raises the target to 120 while the centre decides: the
    centre's approval is refused with the reason (the table would not add up), the table keeps waiting and the
    computed split for 120 stays in force."""
    world = campaign_world
    with scopes_disabled():
        rulebook_update(rulebook=Rulebook.plain.get(programme=world.zhejiang_programme), by=world.zhejiang_admin,
                        values={"target": 120})
        with pytest.raises(ValidationError) as refused:
            approval_approve(request=pending_table, by=world.center_admin)
        table = quota_table(world.zhejiang_programme)
        assert ApprovalRequest.plain.get(pk=pending_table.pk).state == State.PENDING
        assert not AuditEntry.plain.filter(action="approval.approve").exists()
    assert refused.value.messages == [
        "该名额表按目标100件分配，省级目标现为120件，各市名额合计不符；请退回，由省级按现行目标重新报送"]
    assert not table.is_manual and table.total_quota == table.target == 120
