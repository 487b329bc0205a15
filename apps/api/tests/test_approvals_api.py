"""Approvals in the API (apps/api/approval_api.py) on 浙江省's manual quota table (R-104): what waits for the centre
and what the province sent, one request, and approving, returning and withdrawing through the same services and
predicates as the pages. A request of another org answers 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.approvals.models import ApprovalRequest
from apps.approvals.tests.world import NINGBO_PARKS, NINGBO_PARKS_REASON, submit_table
from apps.campaigns.models import QuotaPlan
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (a fixture)
from apps.core.scoping import scopes_disabled

State = ApprovalRequest.State


@pytest.fixture
def pending_table(campaign_world):  # noqa: F811
    """浙江省's table 杭州市 55 / 宁波市 45, version 1, waiting for the centre."""
    with scopes_disabled():
        return submit_table(campaign_world, NINGBO_PARKS, NINGBO_PARKS_REASON)


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def url(request: ApprovalRequest, action: str = "") -> str:
    return f"/api/v1/approvals/{request.pk}/" + (f"{action}/" if action else "")


def reread(request: ApprovalRequest) -> ApprovalRequest:
    with scopes_disabled():
        return ApprovalRequest.plain.get(pk=request.pk)


def plan_status(request: ApprovalRequest) -> str:
    with scopes_disabled():
        return QuotaPlan.plain.get(pk=request.object_id).status


def test_the_centre_lists_what_waits_for_its_decision(campaign_world, pending_table):  # noqa: F811
    data = client_for(campaign_world.center_admin).get("/api/v1/approvals/").json()
    assert [(r["id"], r["title"], r["submitter"], r["state"]) for r in data["results"]] == [
        (pending_table.pk, "浙江省手工名额表", "330000", "pending")]


def test_the_province_lists_what_it_sent_under_box_sent(campaign_world, pending_table):  # noqa: F811
    api = client_for(campaign_world.zhejiang_admin)
    assert api.get("/api/v1/approvals/").json()["results"] == []
    sent = api.get("/api/v1/approvals/", {"box": "sent"}).json()["results"]
    assert [(r["id"], r["approver"], r["version"]) for r in sent] == [(pending_table.pk, "000000", 1)]


def test_an_unknown_box_answers_400(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.center_admin).get("/api/v1/approvals/", {"box": "all"})
    assert response.status_code == 400 and "box" in response.json()


def test_the_province_reads_its_request(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.zhejiang_admin).get(url(pending_table))
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("kind", "object_id", "version", "submitter", "approver", "state", "decide_by")} == {
        "kind": "quota_table", "object_id": pending_table.object_id, "version": 1, "submitter": "330000",
        "approver": "000000", "state": "pending", "decide_by": pending_table.decide_by.isoformat()}


def test_the_centre_approves_and_the_table_goes_in_force(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.center_admin).post(url(pending_table, "approve"), {"comment": "同意"},
                                                            format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["comment"]) == ("approved", "同意")
    assert plan_status(pending_table) == QuotaPlan.Status.IN_FORCE


def test_the_centre_returns_with_a_comment(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.center_admin).post(
        url(pending_table, "return"), {"comment": "请附宁波市新增园区的批复文件"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["comment"]) == ("returned", "请附宁波市新增园区的批复文件")
    assert body["resubmit_by"] == reread(pending_table).resubmit_by.isoformat()
    assert plan_status(pending_table) == QuotaPlan.Status.RETURNED


def test_a_return_without_a_comment_answers_400_with_why_and_changes_nothing(
        campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.center_admin).post(url(pending_table, "return"), {}, format="json")
    assert response.status_code == 400
    # Under the field at fault, as the page shows it, and in `detail` for clients that read only that.
    assert response.json() == {"comment": ["退回时请填写审核意见，报送单位将按意见修改后重新报送"],
                               "detail": ["退回时请填写审核意见，报送单位将按意见修改后重新报送"]}
    assert reread(pending_table).state == State.PENDING


def test_a_decided_request_answers_400(campaign_world, pending_table):  # noqa: F811
    api = client_for(campaign_world.center_admin)
    assert api.post(url(pending_table, "approve"), {}, format="json").status_code == 200
    response = api.post(url(pending_table, "return"), {"comment": "请修改"}, format="json")
    assert response.status_code == 400 and response.json()["detail"][0].endswith("不能再处理")
    assert reread(pending_table).state == State.APPROVED


def test_the_province_withdraws_its_waiting_table(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.zhejiang_admin).post(url(pending_table, "withdraw"), format="json")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert plan_status(pending_table) == QuotaPlan.Status.WITHDRAWN


def test_the_centre_decides_but_cannot_withdraw_the_provinces_table(campaign_world, pending_table):  # noqa: F811
    response = client_for(campaign_world.center_admin).post(url(pending_table, "withdraw"), format="json")
    assert response.status_code == 404
    assert reread(pending_table).state == State.PENDING


def test_the_province_deciding_on_its_own_table_answers_404(campaign_world, pending_table):  # noqa: F811
    api = client_for(campaign_world.zhejiang_admin)
    assert api.post(url(pending_table, "approve"), {}, format="json").status_code == 404
    assert api.post(url(pending_table, "return"), {"comment": "请修改"}, format="json").status_code == 404
    assert reread(pending_table).state == State.PENDING


@pytest.mark.parametrize("method,action,body", [
    ("get", "", None), ("post", "approve", {}), ("post", "return", {"comment": "请修改"}), ("post", "withdraw", None),
])
def test_another_province_gets_404_on_every_route_and_changes_nothing(
        campaign_world, pending_table, method, action, body):  # noqa: F811
    api = client_for(campaign_world.sichuan_admin)
    response = getattr(api, method)(url(pending_table, action), body, format="json")
    assert response.status_code == 404
    assert reread(pending_table).state == State.PENDING


def test_another_province_lists_nothing(campaign_world, pending_table):  # noqa: F811
    api = client_for(campaign_world.sichuan_admin)
    assert api.get("/api/v1/approvals/").json()["results"] == []
    assert api.get("/api/v1/approvals/", {"box": "sent"}).json()["results"] == []
