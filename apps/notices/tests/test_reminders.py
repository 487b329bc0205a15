"""R-102 reminders: the orgs of a level that have not acted get an in-app message and an e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scope, scopes_disabled
from apps.notices.services import notice_delivery_forward, notice_remind
from apps.orgs.models import Membership, Message
from tests.factories import admin_of


@pytest.fixture
def with_emails(cascade):
    """People of 宁波市 and of the 西湖区 associations with e-mail addresses (and one without)."""
    t = cascade
    with scopes_disabled():
        for user, email in ((t.ningbo_admin, "ningbo@kx.example.cn"), (t.xihu_park_admin, "park@kx.example.cn"),
                            (t.xihu_ent_admin, "ent@kx.example.cn"), (t.hangzhou_admin, "hz@kx.example.cn")):
            user.email = email
            user.save(update_fields=["email"])
        t.ningbo_staff = admin_of(t.ningbo, "staff-330200", role=Membership.Role.STAFF)  # no address
        gone = admin_of(t.ningbo, "left-330200", role=Membership.Role.STAFF)
        gone.email = "left@kx.example.cn"
        gone.save(update_fields=["email"])
        Membership.plain.filter(user=gone).update(is_active=False)
    return t


def _messages():
    with scopes_disabled():
        return {(m.org.name, m.subject) for m in Message._base_manager.select_related("org")}


def test_r102_reminding_cities_messages_and_emails_only_those_that_have_not_forwarded(with_emails, mailoutbox):
    t = with_emails
    targets, sent = notice_remind(notice=t.notice, by=t.zhejiang_admin, org=t.zhejiang, level="city")
    assert targets == [t.ningbo] and sent == 1
    assert ("宁波市", "提醒：请转发通知《关于开展2026年企业典型创新案例征集及宣讲活动的通知》") in _messages()
    assert not any(org == "杭州市" and "转发通知《关于开展2026" in s for org, s in _messages())
    assert [m.to for m in mailoutbox] == [["ningbo@kx.example.cn"]]
    assert "浙江省提醒" in mailoutbox[0].body and f"/campaigns/notices/{t.notice.pk}/" in mailoutbox[0].body
    with scopes_disabled():
        entry = AuditEntry.plain.filter(action="notice.remind").get()
    assert '"orgs":["330200"]' in entry.data and '"level":"city"' in entry.data


def test_r102_reminding_associations_reaches_each_one_reached_but_not_acknowledged(with_emails, mailoutbox):
    t = with_emails
    targets, sent = notice_remind(notice=t.notice, by=t.zhejiang_admin, org=t.zhejiang, level="association")
    assert {o.name for o in targets} == {"西湖科技园科协", "杭州某科技有限公司科协"}
    assert sorted(m.to[0] for m in mailoutbox) == ["ent@kx.example.cn", "park@kx.example.cn"]
    assert all(len(m.to) == 1 for m in mailoutbox), "one e-mail per person: no one sees another's address"
    assert "确认收到" in mailoutbox[0].subject


def test_r102_a_level_with_nobody_to_remind_is_refused_and_nothing_is_sent(cascade, mailoutbox):
    t = cascade
    notice_delivery_forward(delivery=t.ningbo_delivery, by=t.ningbo_admin)
    with pytest.raises(ValidationError, match="市没有需要提醒的单位"):
        notice_remind(notice=t.notice, by=t.zhejiang_admin, org=t.zhejiang, level="city")
    assert mailoutbox == [] and not any("请转发通知《关于开展" in s for _, s in _messages())


def test_r102_only_the_issuing_province_reminds(cascade):
    t = cascade
    with pytest.raises(NotFound):
        notice_remind(notice=t.notice, by=t.center_admin, org=t.center, level="city")
    with pytest.raises(NotFound):
        notice_remind(notice=t.notice, by=t.hangzhou_admin, org=t.hangzhou, level="county")


def test_r102_remind_on_the_cascade_page_then_the_city_reads_it_in_its_inbox(with_emails, client, mailoutbox):
    t = with_emails
    client.force_login(t.zhejiang_admin)
    response = client.post(reverse("notices:notice_remind", kwargs={"pk": t.notice.pk}), {"level": "city"}, follow=True)
    assert "已向1个单位发送站内提醒，发出邮件1封" in response.content.decode()
    assert f"http://testserver/campaigns/notices/{t.notice.pk}/" in mailoutbox[0].body
    client.force_login(t.ningbo_admin)
    inbox = client.get(reverse("notices:inbox")).content.decode()
    assert "提醒：请转发通知" in inbox and "1 条未读" in inbox
    with scope(org=t.ningbo):
        message = Message.objects.get()
    client.post(reverse("notices:message_read", kwargs={"pk": message.pk}))
    with scopes_disabled():
        message.refresh_from_db()
    assert message.read_at is not None
    assert "未读" not in client.get(reverse("notices:inbox")).content.decode()


def test_an_inbox_is_private_to_its_org_and_paginates(cascade, client):
    t = cascade
    with scopes_disabled():
        Message._base_manager.bulk_create([Message(org=t.ningbo, subject=f"消息{i}") for i in range(25)])
    client.force_login(t.ningbo_admin)
    first = client.get(reverse("notices:inbox")).content.decode()
    assert "消息24" in first and "消息0<" not in first and "第 1 / 2 页" in first
    assert "消息0<" in client.get(reverse("notices:inbox") + "?page=2").content.decode()
    client.force_login(t.zhejiang_admin)  # the province does not read its city's inbox
    page = client.get(reverse("notices:inbox")).content.decode()
    assert "消息24" not in page and "暂无消息" in page
