"""The approvals pages as each person uses them (R-104 manual quota tables): the centre's inbox with its deadlines,
the request page where the centre decides and the province withdraws, and the home page's to-dos."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_return
from apps.approvals.tests.world import submit_table
from apps.audit.models import AuditEntry
from apps.campaigns.models import QuotaPlan
from apps.core.scoping import scopes_disabled

State = ApprovalRequest.State
COMMENT = "请附宁波市新增园区的批复文件后重新报送"


def page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def detail_url(request: ApprovalRequest) -> str:
    return reverse("approvals:detail", args=[request.pk])


def state_of(request: ApprovalRequest) -> str:
    with scopes_disabled():
        return ApprovalRequest.plain.get(pk=request.pk).state


# -- the inbox ------------------------------------------------------------------------------------------------

def test_the_centres_inbox_lists_the_provinces_table_with_its_deadline(client, campaign_world, pending_table):
    html = page(client, campaign_world.center_admin, reverse("approvals:inbox"))
    assert "待本单位审核（1）" in html
    assert f'<a href="{detail_url(pending_table)}">浙江省手工名额表（第1版）</a>' in html
    assert "浙江省" in html and f"{pending_table.decide_by:%Y-%m-%d}" in html
    assert "已逾期" not in html


def test_an_overdue_request_shows_as_overdue_in_the_inbox(client, campaign_world, pending_table):
    with scopes_disabled():
        ApprovalRequest.plain.filter(pk=pending_table.pk).update(
            decide_by=timezone.localdate() - dt.timedelta(days=1))
    html = page(client, campaign_world.center_admin, reverse("approvals:inbox"))
    assert '<span class="badge warn">已逾期</span>' in html


def test_a_request_due_today_is_not_yet_overdue(client, campaign_world, pending_table):
    with scopes_disabled():
        ApprovalRequest.plain.filter(pk=pending_table.pk).update(decide_by=timezone.localdate())
    assert "已逾期" not in page(client, campaign_world.center_admin, reverse("approvals:inbox"))


def test_the_province_finds_what_it_sent_under_its_own_tab(client, campaign_world, pending_table):
    html = page(client, campaign_world.zhejiang_admin, reverse("approvals:inbox") + "?tab=sent")
    assert "浙江省手工名额表（第1版）" in html and "中国科协企业创新服务中心" in html and "待审核" in html
    waiting = page(client, campaign_world.zhejiang_admin, reverse("approvals:inbox"))
    assert "没有等待本单位审核的事项。" in waiting and "待本单位审核（0）" in waiting


def test_another_provinces_inbox_is_empty(client, campaign_world, pending_table):
    html = page(client, campaign_world.sichuan_admin, reverse("approvals:inbox") + "?tab=sent")
    assert "本单位还没有报送过需要审核的事项。" in html and "浙江省手工名额表" not in html


# -- the request page -----------------------------------------------------------------------------------------

def test_the_centre_reads_the_table_and_is_offered_the_decision_not_the_withdrawal(
        client, campaign_world, pending_table):
    html = page(client, campaign_world.center_admin, detail_url(pending_table))
    assert "杭州市：55件" in html and "宁波市：45件" in html and "调整理由：宁波市新增两个园区" in html
    assert "提交审核结果" in html
    assert reverse("approvals:withdraw", args=[pending_table.pk]) not in html


def test_the_province_reads_its_table_and_may_withdraw_but_not_decide(client, campaign_world, pending_table):
    html = page(client, campaign_world.zhejiang_admin, detail_url(pending_table))
    assert "杭州市：55件" in html
    assert "提交审核结果" not in html
    assert reverse("approvals:withdraw", args=[pending_table.pk]) in html


def test_another_province_and_a_city_below_get_404_on_the_request(client, campaign_world, pending_table):
    page(client, campaign_world.sichuan_admin, detail_url(pending_table), status=404)
    page(client, campaign_world.hangzhou_admin, detail_url(pending_table), status=404)


def test_the_centre_approves_on_the_page(client, campaign_world, pending_table):
    client.force_login(campaign_world.center_admin)
    response = client.post(detail_url(pending_table), {"decision": "approve", "comment": "同意"}, follow=True)
    assert response.redirect_chain == [(detail_url(pending_table), 302)]
    assert "已通过浙江省手工名额表（第1版）" in response.content.decode()
    assert state_of(pending_table) == State.APPROVED


def test_a_return_without_a_comment_shows_the_message_at_the_comment_and_changes_nothing(
        client, campaign_world, pending_table):
    client.force_login(campaign_world.center_admin)
    response = client.post(detail_url(pending_table), {"decision": "return", "comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"comment": ["退回时请填写审核意见，报送单位将按意见修改后重新报送"]}
    assert state_of(pending_table) == State.PENDING
    with scopes_disabled():
        assert not AuditEntry.plain.filter(action="approval.return").exists()


def test_the_province_deciding_on_its_own_table_gets_404(client, campaign_world, pending_table):
    client.force_login(campaign_world.zhejiang_admin)
    assert client.post(detail_url(pending_table), {"decision": "approve"}).status_code == 404
    assert state_of(pending_table) == State.PENDING


def test_another_province_posting_a_decision_gets_404(client, campaign_world, pending_table):
    client.force_login(campaign_world.sichuan_admin)
    assert client.post(detail_url(pending_table), {"decision": "approve"}).status_code == 404
    assert state_of(pending_table) == State.PENDING


def test_the_province_withdraws_on_the_page(client, campaign_world, pending_table):
    client.force_login(campaign_world.zhejiang_admin)
    response = client.post(reverse("approvals:withdraw", args=[pending_table.pk]), follow=True)
    assert response.redirect_chain == [(detail_url(pending_table), 302)]
    assert "已撤回，修改后可重新报送" in response.content.decode()
    assert state_of(pending_table) == State.WITHDRAWN
    with scopes_disabled():
        assert QuotaPlan.plain.get(pk=pending_table.object_id).status == QuotaPlan.Status.WITHDRAWN


def test_a_decided_request_offers_no_decision_and_no_withdrawal(client, campaign_world, pending_table):
    with scopes_disabled():
        approval_return(request=pending_table, by=campaign_world.center_admin, comment=COMMENT)
    html = page(client, campaign_world.center_admin, detail_url(pending_table))
    assert COMMENT in html and "提交审核结果" not in html
    assert reverse("approvals:withdraw", args=[pending_table.pk]) not in html


# -- the home page's to-dos -----------------------------------------------------------------------------------

def test_the_centre_sees_the_waiting_table_among_its_to_dos(client, campaign_world, pending_table):
    html = page(client, campaign_world.center_admin, reverse("home"))
    assert f'<a href="{detail_url(pending_table)}">浙江省报送的浙江省手工名额表（第1版）待审核</a>' in html


def test_the_province_sees_its_returned_table_with_the_comment_among_its_to_dos(
        client, campaign_world, pending_table):
    with scopes_disabled():
        approval_return(request=pending_table, by=campaign_world.center_admin, comment=COMMENT)
    quotas = reverse("campaigns:quotas", args=[campaign_world.zhejiang_programme.pk])
    html = page(client, campaign_world.zhejiang_admin, reverse("home"))
    assert f'<a href="{quotas}">浙江省手工名额表（第1版）被退回：{COMMENT}</a>' in html


def test_a_returned_table_leaves_the_to_dos_once_resubmitted(client, campaign_world, pending_table):
    with scopes_disabled():
        approval_return(request=pending_table, by=campaign_world.center_admin, comment=COMMENT)
        submit_table(campaign_world, {"330100": 52, "330200": 48}, "宁波市新增一个园区，已附批复文件")
    assert "被退回" not in page(client, campaign_world.zhejiang_admin, reverse("home"))
