"""R-102 notice cascade: issue → forward → acknowledge, and the refusals that keep the record true."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.notices.services import notice_delivery_acknowledge, notice_delivery_forward, notice_issue
from apps.notices.tests.world import delivery_of
from apps.orgs.models import Org
from tests.factories import make_org


def _issue(t, **kw):
    data = dict(programme=t.zhejiang_programme, by=t.zhejiang_admin, title="关于开展案例征集的通知",
                body="请各市转发。", deadline=timezone.localdate() + dt.timedelta(days=7))
    data.update(kw)
    return notice_issue(**data)


def _counts():
    with scopes_disabled():
        return (Notice.plain.count(), NoticeDelivery.plain.count(), NoticeAttachment.plain.count(),
                AuditEntry.plain.count())


def test_r102_issuing_delivers_to_every_active_city_and_is_audited(notice_tree):
    t = notice_tree
    with scopes_disabled():
        make_org(Org.Kind.CITY, "330300", "温州市", t.zhejiang, "330300")
        closed = make_org(Org.Kind.CITY, "330400", "嘉兴市", t.zhejiang, "330400")
        Org.plain.filter(pk=closed.pk).update(is_active=False)
    notice = _issue(t, joint_issuers="浙江省科学技术厅")
    with scopes_disabled():
        cities = set(NoticeDelivery.plain.filter(notice=notice).values_list("org__name", flat=True))
        entry = AuditEntry.plain.filter(action="notice.issue").get()
    assert cities == {"杭州市", "宁波市", "温州市"}
    assert notice.joint_issuers == "浙江省科学技术厅"
    assert entry.target_id == str(notice.pk) and "330100" in entry.data


def test_r102_issue_forward_acknowledge_happy_path(notice_tree):
    """Province → 杭州市 → 西湖区 → every association of 西湖区, each level recorded."""
    t = notice_tree
    notice = _issue(t)
    with scopes_disabled():
        hangzhou = delivery_of(notice, t.hangzhou)
    counties = notice_delivery_forward(delivery=hangzhou, by=t.hangzhou_staff, addendum="杭州市：月底前报送")
    assert {d.org.name for d in counties} == {"西湖区", "上城区"}
    with scopes_disabled():
        hangzhou = delivery_of(notice, t.hangzhou)
        assert hangzhou.forwarded_at and hangzhou.received_at, "forwarding also acknowledges receipt"
        assert hangzhou.forwarded_by == t.hangzhou_staff and hangzhou.addendum == "杭州市：月底前报送"
        xihu = delivery_of(notice, t.xihu)
        assert xihu.sender == t.hangzhou and xihu.received_at is None
    associations = notice_delivery_forward(delivery=xihu, by=t.xihu_admin)
    assert {d.org.code for d in associations} == {"330106-P001", "330106-E001"}
    with scopes_disabled():
        park = delivery_of(notice, t.xihu_park)
    notice_delivery_acknowledge(delivery=park, by=t.xihu_park_admin)
    with scopes_disabled():
        park.refresh_from_db()
        actions = list(AuditEntry.plain.order_by("id").values_list("action", flat=True))
    assert park.received_at is not None and park.received_by == t.xihu_park_admin
    assert actions[-4:] == ["notice.issue", "notice_delivery.forward", "notice_delivery.forward",
                            "notice_delivery.acknowledge"]


def test_r102_forwarding_twice_is_refused_with_the_time_and_writes_nothing(cascade):
    t = cascade
    before = _counts()
    with pytest.raises(ValidationError) as err:
        notice_delivery_forward(delivery=t.hangzhou_delivery, by=t.hangzhou_admin, addendum="再发一次")
    message = err.value.messages[0]
    assert message.startswith("该通知已于") and message.endswith("转发，不能重复转发")
    with scopes_disabled():
        t.hangzhou_delivery.refresh_from_db()
    assert _counts() == before
    assert t.hangzhou_delivery.addendum == "杭州市：请各区县于本月底前报送。"


def test_r102_forwarding_by_someone_outside_the_chain_is_not_found_and_writes_nothing(cascade):
    t = cascade
    before = _counts()
    with pytest.raises(NotFound):  # a sibling city
        notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.ningbo_admin)
    with pytest.raises(NotFound):  # the city above: the county forwards for itself
        notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.hangzhou_admin)
    with pytest.raises(NotFound):  # another province
        notice_delivery_forward(delivery=t.ningbo_delivery, by=t.sichuan_admin)
    assert _counts() == before


def test_r102_forwarding_out_of_chain_on_the_page_is_404_and_writes_nothing(cascade, client):
    t = cascade
    before = _counts()
    client.force_login(t.ningbo_admin)
    response = client.post(reverse("notices:notice_delivery_forward", kwargs={"pk": t.shangcheng_delivery.pk}),
                           {"addendum": "越级转发"})
    assert response.status_code == 404
    assert _counts() == before


def test_r102_an_association_only_acknowledges_and_only_once(cascade):
    t = cascade
    with pytest.raises(NotFound):
        notice_delivery_forward(delivery=t.xihu_park_delivery, by=t.xihu_park_admin)
    notice_delivery_acknowledge(delivery=t.xihu_park_delivery, by=t.xihu_park_admin)
    before = _counts()
    with pytest.raises(ValidationError, match="已于.*确认收到，无需重复确认"):
        notice_delivery_acknowledge(delivery=t.xihu_park_delivery, by=t.xihu_park_admin)
    assert _counts() == before


def test_r102_a_county_does_not_acknowledge_for_its_association(cascade):
    with pytest.raises(NotFound):
        notice_delivery_acknowledge(delivery=cascade.xihu_park_delivery, by=cascade.xihu_admin)


def test_r102_a_county_forwards_to_its_active_associations_only(cascade):
    t = cascade
    with scopes_disabled():
        Org.plain.filter(pk=t.shangcheng_park.pk).update(is_active=False)
        make_org(Org.Kind.ENTERPRISE, "330102-E001", "上城某软件有限公司科协", t.shangcheng)
    created = notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.shangcheng_admin)
    assert [d.org.code for d in created] == ["330102-E001"]


def test_r102_a_county_with_no_association_cannot_forward_and_is_told_why(cascade):
    t = cascade
    with scopes_disabled():
        Org.plain.filter(pk=t.shangcheng_park.pk).update(is_active=False)
    before = _counts()
    with pytest.raises(ValidationError, match="上城区下没有启用的园区科协、企业科协"):
        notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.shangcheng_admin)
    assert _counts() == before


def test_r102_only_the_province_admin_issues(notice_tree):
    t = notice_tree
    before = _counts()
    for outsider in (t.hangzhou_admin, t.center_admin, t.sichuan_admin):
        with pytest.raises(NotFound):
            _issue(t, by=outsider)
    assert _counts() == before


def test_r102_a_deadline_in_the_past_is_refused(notice_tree):
    before = _counts()
    with pytest.raises(ValidationError, match="截止日期.*已过"):
        _issue(notice_tree, deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="请填写通知标题"):
        _issue(notice_tree, title="  ")
    assert _counts() == before
