"""R-102 cascade page: level by level, who was reached, acknowledged, forwarded, and who is missing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import scope, scopes_disabled
from apps.notices.models import NoticeDelivery
from apps.notices.selectors import notice_cascade
from apps.notices.services import notice_delivery_acknowledge, notice_delivery_forward
from apps.notices.tests.world import delivery_of
from apps.orgs.models import Membership, Org
from tests.factories import admin_of, make_org


def _numbers(c):
    return {level.kind: (level.total, level.delivered, level.received, level.forwarded, level.missing)
            for level in c.levels}


def _names(states):
    return sorted(s.org.name for s in states)


def test_r102_cascade_counts_each_level_and_names_who_has_not_acted(cascade):
    t = cascade
    notice_delivery_acknowledge(delivery=t.xihu_park_delivery, by=t.xihu_park_admin)
    with scope(org=t.zhejiang):
        c = notice_cascade(notice=t.notice, root=t.zhejiang)
    # (total, delivered, received, forwarded, missing)
    assert _numbers(c) == {"city": (2, 2, 1, 1, 1), "county": (3, 2, 1, 1, 2), "association": (5, 2, 1, 0, 4)}
    city, county, association = c.levels
    assert _names(city.not_received) == ["宁波市"] and city.to_remind == [t.ningbo]
    assert _names(county.not_reached) == ["海曙区"] and county.not_reached[0].parent == t.ningbo
    assert _names(county.not_received) == ["上城区"]
    assert _names(association.not_reached) == ["上城数字经济园科协", "宁波某机械股份有限公司科协", "海曙智造园科协"]
    assert _names(association.not_received) == ["杭州某科技有限公司科协"]
    assert not c.complete


def test_r102_cascade_is_complete_when_every_association_acknowledged(cascade):
    t = cascade
    notice_delivery_forward(delivery=t.shangcheng_delivery, by=t.shangcheng_admin)
    notice_delivery_forward(delivery=t.ningbo_delivery, by=t.ningbo_admin)
    with scopes_disabled():
        haishu = delivery_of(t.notice, t.haishu)
    notice_delivery_forward(delivery=haishu, by=t.haishu_admin)
    with scopes_disabled():
        admin_of(t.shangcheng_park)
        admin_of(t.haishu_ent)
        users = {m.org_id: m.user for m in Membership.plain.filter(org__kind__in=Org.ASSOCIATIONS)}
        deliveries = list(delivery_of(t.notice, o) for o in (t.xihu_park, t.xihu_ent, t.shangcheng_park,
                                                               t.haishu_park, t.haishu_ent))
    for d in deliveries:
        notice_delivery_acknowledge(delivery=d, by=users[d.org_id])
    with scope(org=t.center):
        c = notice_cascade(notice=t.notice, root=t.zhejiang)
    assert c.complete and [level.missing for level in c.levels] == [0, 0, 0]


def test_r102_the_cascade_page_shows_the_levels_and_the_missing_orgs(cascade, client):
    t = cascade
    client.force_login(t.zhejiang_admin)
    response = client.get(reverse("notices:notice_cascade", kwargs={"pk": t.notice.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("市", "区县", "园区科协·企业科协", "宁波市", "海曙区", "上城区", "杭州某科技有限公司科协",
                 "尚未送达（上级单位未转发）", "提醒未完成的"):
        assert text in page, text


def test_r102_a_city_reads_only_its_own_part_and_cannot_remind(cascade, client):
    t = cascade
    client.force_login(t.hangzhou_admin)
    response = client.get(reverse("notices:notice_cascade", kwargs={"pk": t.notice.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "上城区" in page and "宁波市" not in page and "海曙区" not in page
    assert 'data-level="city"' not in page and "提醒未完成的" not in page


def _grow(t, cities=3, counties=3, associations=4):
    """Add cities, counties and associations under 浙江省, the notice delivered to each of them
    (half of them acknowledged), so both the tree and the deliveries grow."""
    added = []
    for i in range(cities):
        city = make_org(Org.Kind.CITY, f"3399{i:02d}", f"测试市{i}", t.zhejiang)
        added.append(city)
        for j in range(counties):
            county = make_org(Org.Kind.COUNTY, f"39{i:02d}{j:02d}", f"测试县{i}-{j}", city)
            added.append(county)
            for k in range(associations):
                added.append(make_org(Org.Kind.PARK, f"39{i:02d}{j:02d}-P{k:03d}", f"测试园{i}-{j}-{k}科协", county))
    now = timezone.now()
    NoticeDelivery.plain.bulk_create([
        NoticeDelivery(notice=t.notice, org=org, sender_id=org.parent_id, received_at=now if n % 2 else None)
        for n, org in enumerate(added)
    ])
    return added


def test_r102_the_cascade_takes_a_fixed_number_of_queries_whatever_the_tree_size(cascade, django_assert_num_queries):
    t = cascade
    with scope(org=t.zhejiang), django_assert_num_queries(2):
        small = notice_cascade(notice=t.notice, root=t.zhejiang)
    with scopes_disabled():
        _grow(t)
    with scope(org=t.zhejiang), django_assert_num_queries(2):
        big = notice_cascade(notice=t.notice, root=t.zhejiang)
        # Reading every number and name of the result queries nothing more.
        [(lv.total, lv.missing, _names(lv.not_reached), [s.parent.name for s in lv.orgs if s.parent]) for lv in big.levels]
    assert big.levels[2].total == small.levels[2].total + 36
    assert big.levels[2].delivered == small.levels[2].delivered + 36


@pytest.mark.parametrize("who", ["zhejiang_admin", "hangzhou_admin"])
def test_r102_the_cascade_page_makes_as_many_queries_for_a_large_tree_as_for_a_small_one(cascade, client, who):
    t = cascade
    client.force_login(getattr(t, who))
    url = reverse("notices:notice_cascade", kwargs={"pk": t.notice.pk})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    with scopes_disabled():
        _grow(t)
        for i in range(3):  # and some counties under 杭州市, for the city's view
            county = make_org(Org.Kind.COUNTY, f"3301{80 + i}", f"杭州测试区{i}", t.hangzhou)
            park = make_org(Org.Kind.PARK, f"{county.code}-P001", f"杭州测试园{i}科协", county)
            NoticeDelivery.plain.bulk_create([NoticeDelivery(notice=t.notice, org=o, sender_id=o.parent_id)
                                              for o in (county, park)])
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.status_code == 200 and "测试" in response.content.decode()
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]
    assert len(big) <= 16, [q["sql"] for q in big.captured_queries]
