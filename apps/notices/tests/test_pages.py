"""R-102 notice pages: the list with what each org still has to do, the detail with the chain's
addenda and actions, issuing and forwarding through the pages, and the home page's to-dos."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import scope, scopes_disabled
from apps.notices import todos
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.notices.tests.world import pdf_upload


def _get(client, user, name, **kwargs):
    client.force_login(user)
    query = kwargs.pop("query", "")
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_r102_the_notice_list_shows_each_received_notice_with_what_is_left_to_do(cascade, client):
    t = cascade
    assert "待确认收到" in _get(client, t.xihu_park_admin, "notices:notice_list")
    assert "已完成" in _get(client, t.hangzhou_admin, "notices:notice_list")
    page = _get(client, t.shangcheng_admin, "notices:notice_list", query="?tab=received&state=done")
    assert "没有该状态的通知" in page
    page = _get(client, t.shangcheng_admin, "notices:notice_list", query="?tab=received&state=to_acknowledge")
    assert t.notice.title in page


def test_r102_the_province_lists_the_notices_it_issued_with_their_progress(cascade, client):
    page = _get(client, cascade.zhejiang_admin, "notices:notice_list")
    assert cascade.notice.title in page and "转发情况" in page and "下发通知" in page


def test_the_notice_list_has_an_empty_state(tree, client):
    page = _get(client, tree.wuhou_admin, "notices:notice_list")
    assert "本单位还没有收到通知" in page


def test_r102_an_association_reads_the_addenda_of_every_org_above_it(cascade, client):
    t = cascade
    page = _get(client, t.xihu_park_admin, "notices:notice_detail", pk=t.notice.pk)
    assert "杭州市：请各区县于本月底前报送。" in page and "西湖区：请各园区、企业科协做好宣传。" in page
    assert "征集通知.pdf" in page and "浙江省科学技术厅" in page
    assert "确认收到" in page and "转发至下级单位" not in page


def test_r102_a_county_reads_its_city_addendum_but_not_a_sibling_county_addendum(cascade, client):
    t = cascade
    page = _get(client, t.shangcheng_admin, "notices:notice_detail", pk=t.notice.pk)
    assert "杭州市：请各区县于本月底前报送。" in page and "西湖区：" not in page
    assert "转发至下级单位" in page and "查看转发情况" in page


def test_r102_issuing_through_the_page_with_files(notice_tree, client, media):
    t = notice_tree
    client.force_login(t.zhejiang_admin)
    response = client.post(reverse("notices:notice_issue"), {
        "programme": t.zhejiang_programme.pk, "title": "关于组织开展案例推荐的通知", "body": "各市科协：……",
        "joint_issuers": "浙江省科学技术厅", "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "attachments": [pdf_upload("通知.pdf"), pdf_upload("名额分配表.pdf")],
    }, follow=True)
    assert "通知已下发至2个市级单位" in response.content.decode()
    with scopes_disabled():
        notice = Notice.plain.get()
        assert sorted(NoticeAttachment.plain.values_list("name", flat=True)) == ["名额分配表.pdf", "通知.pdf"]
    assert notice.joint_issuers == "浙江省科学技术厅"


def test_r102_forwarding_through_the_page_then_again_shows_the_refusal(cascade, client, media):
    t = cascade
    client.force_login(t.shangcheng_admin)
    url = reverse("notices:notice_delivery_forward", kwargs={"pk": t.shangcheng_delivery.pk})
    assert "上城数字经济园科协" in client.get(url).content.decode()
    response = client.post(url, {"addendum": "上城区：请于周五前确认", "attachment": pdf_upload("上城区.pdf")}, follow=True)
    assert "已转发至1个下级单位" in response.content.decode()
    with scopes_disabled():
        count = NoticeDelivery.plain.count()
    again = client.post(url, {"addendum": "再转一次"})
    assert again.status_code == 200
    assert "转发，不能重复转发" in again.content.decode()
    with scopes_disabled():
        assert NoticeDelivery.plain.count() == count
        t.shangcheng_delivery.refresh_from_db()
    assert t.shangcheng_delivery.addendum == "上城区：请于周五前确认"


def test_r102_acknowledging_through_the_page_once(cascade, client):
    t = cascade
    client.force_login(t.xihu_park_admin)
    url = reverse("notices:notice_delivery_acknowledge", kwargs={"pk": t.xihu_park_delivery.pk})
    assert "已确认收到通知" in client.post(url, follow=True).content.decode()
    assert "无需重复确认" in client.post(url, follow=True).content.decode()


def test_r102_todos_ask_to_forward_or_acknowledge_and_are_urgent_near_the_deadline(cascade):
    t = cascade
    with scope(org=t.shangcheng):
        (todo,) = todos.notice_todos(t.shangcheng_admin, t.shangcheng)
    assert todo.text.startswith("转发通知《") and todo.rule == "R-102" and not todo.urgent
    with scopes_disabled():
        Notice.plain.filter(pk=t.notice.pk).update(deadline=timezone.localdate() + dt.timedelta(days=3))
    with scope(org=t.xihu_park):
        (todo,) = todos.notice_todos(t.xihu_park_admin, t.xihu_park)
    assert todo.text.startswith("确认收到通知《") and todo.urgent
    with scope(org=t.hangzhou):
        assert todos.notice_todos(t.hangzhou_admin, t.hangzhou) == []


def test_r102_the_home_page_lists_the_notice_to_forward(cascade, client):
    page = _get(client, cascade.shangcheng_admin, "home")
    assert "转发通知《关于开展2026年企业典型创新案例征集及宣讲活动的通知》至下级单位" in page
