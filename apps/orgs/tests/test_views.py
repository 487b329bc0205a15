"""The org page: breadcrumb, children with association counts, subtree search, people."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.scoping import scope
from apps.orgs.models import Org
from apps.orgs.selectors import children_with_counts
from apps.orgs.services import org_create


def page(client, user, code, **params):
    client.force_login(user)
    response = client.get(reverse("org_detail", args=[code]), params)
    assert response.status_code == 200
    return response


def crumb_html(response) -> str:
    return re.search(r'<ol class="crumbs">(.*?)</ol>', response.content.decode(), re.S).group(1)


def test_the_breadcrumb_links_only_to_orgs_the_viewer_may_open(client, tree):
    crumbs = crumb_html(page(client, tree.hangzhou_admin, "330106"))
    assert f'href="{reverse("org_detail", args=["330100"])}"' in crumbs
    assert "浙江省" in crumbs and reverse("org_detail", args=["330000"]) not in crumbs
    assert "中国科协企业创新服务中心" in crumbs and reverse("org_detail", args=["000000"]) not in crumbs


def test_the_centre_sees_every_breadcrumb_as_a_link(client, tree):
    crumbs = crumb_html(page(client, tree.center_admin, "330106"))
    for code in ("000000", "330000", "330100"):
        assert reverse("org_detail", args=[code]) in crumbs


def test_children_carry_the_counts_of_associations_below_them(tree):
    with scope(org=tree.zhejiang):
        children = {c.code: (c.n_parks, c.n_enterprises, c.n_associations) for c in children_with_counts(tree.zhejiang)}
    assert children == {"330100": (2, 1, 3), "330200": (1, 1, 2)}


def test_the_counts_leave_out_inactive_associations(tree, system):
    tree.xihu_ent.is_active = False
    tree.xihu_ent.save()
    with scope(org=tree.hangzhou):
        children = {c.code: c.n_associations for c in children_with_counts(tree.hangzhou)}
    assert children == {"330102": 1, "330106": 1}


def test_the_page_shows_the_counts(client, tree):
    body = page(client, tree.zhejiang_admin, "330000").content.decode()
    row = re.search(r"杭州市</a>.*?</tr>", body, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "1", "3"]


def _grow(tree, cities: int, counties_each: int):
    """Add cities, counties and associations so the page has more to show."""
    codes = ["330300", "330400", "330500", "330600", "330700"][:cities]
    for i, ccode in enumerate(codes):
        city = org_create(kind=Org.Kind.CITY, code=ccode, name=f"市{i}", parent=tree.zhejiang, audit=False)
        for j in range(counties_each):
            county = org_create(kind=Org.Kind.COUNTY, code=f"{ccode[:4]}{j + 2:02d}", name=f"县{i}{j}",
                                parent=city, audit=False)
            for k in range(2):
                org_create(kind=Org.Kind.PARK, code=f"{county.code}-P{k + 1:03d}", name="园", parent=county,
                           audit=False)


def _queries(client, user, code, **params) -> int:
    client.force_login(user)
    url = reverse("org_detail", args=[code])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "区"}, {"kind": "park"}])
def test_the_org_page_makes_the_same_number_of_queries_however_big_the_tree(client, tree, params):
    small = _queries(client, tree.zhejiang_admin, "330000", **params)
    from apps.core.scoping import scopes_disabled

    with scopes_disabled():
        _grow(tree, cities=5, counties_each=4)
    assert _queries(client, tree.zhejiang_admin, "330000", **params) == small
    assert small <= 14, small


def test_the_children_and_their_counts_take_two_queries(tree, django_assert_num_queries):
    from apps.core.scoping import scopes_disabled

    with scopes_disabled():
        _grow(tree, cities=3, counties_each=3)
    with scope(org=tree.zhejiang):
        with django_assert_num_queries(2):
            children = children_with_counts(tree.zhejiang)
    assert len(children) == 5 and sum(c.n_parks for c in children) == 3 + 18


def test_search_finds_orgs_below_by_name_or_code(client, tree):
    def found(**params):
        return {o.code for o in page(client, tree.hangzhou_admin, "330100", **params).context["page"].object_list}

    assert found(q="西湖") == {"330106", "330106-P001"}
    assert found(q="p001") == {"330106-P001", "330102-P001"}
    assert "西湖科技园科协" in page(client, tree.hangzhou_admin, "330100", q="西湖").content.decode()


def test_search_filters_by_level(client, tree):
    response = page(client, tree.zhejiang_admin, "330000", kind="enterprise")
    found = {o.code for o in response.context["page"].object_list}
    assert found == {"330106-E001", "330203-E001"}


def test_search_stays_inside_the_acting_orgs_subtree(client, tree):
    response = page(client, tree.hangzhou_admin, "330100", q="海曙")
    assert list(response.context["page"].object_list) == []
    assert "没有找到符合条件的单位" in response.content.decode()


def test_search_results_are_paginated_and_keep_the_query(client, tree, system):
    for k in range(35):
        org_create(kind=Org.Kind.PARK, code=f"330106-P{k + 2:03d}", name=f"西湖第{k}园区科协", parent=tree.xihu, audit=False)
    response = page(client, tree.xihu_admin, "330106", q="园区")
    assert response.context["page"].paginator.count == 35
    assert len(response.context["page"].object_list) == 30
    assert "?q=%E5%9B%AD%E5%8C%BA&amp;kind=&amp;page=2" in response.content.decode()
    second = page(client, tree.xihu_admin, "330106", q="园区", page=2)
    assert len(second.context["page"].object_list) == 5


def test_admins_see_member_actions_and_staff_do_not(client, tree):
    body = page(client, tree.hangzhou_admin, "330100").content.decode()
    assert reverse("member_add", args=["330100"]) in body and "重置密码" in body
    body = page(client, tree.hangzhou_staff, "330100").content.decode()
    assert reverse("member_add", args=["330100"]) not in body and "重置密码" not in body


def test_only_a_province_admin_sees_the_import_link(client, tree):
    assert reverse("org_import", args=["330000"]) in page(client, tree.zhejiang_admin, "330000").content.decode()
    assert "/import/" not in page(client, tree.hangzhou_admin, "330100").content.decode()


def test_a_county_page_shows_its_associations_without_counts(client, tree):
    body = page(client, tree.xihu_admin, "330106").content.decode()
    assert "西湖科技园科协" in body and '<td class="num">—</td>' in body


def test_an_associations_to_dos_show_no_rule_ids_but_an_offices_do(client, tree, system):
    """Rule ids stay with the officials; an association reads what to do in words."""
    from apps.core.todos import Todo, _providers

    def provider(user, org):
        return [Todo(text="请完成案例填写", url="/cases/", rule="R-106")]

    _providers.append(provider)
    try:
        client.force_login(tree.xihu_park_admin)
        assert "R-106" not in client.get("/").content.decode()
        client.force_login(tree.xihu_admin)
        assert "R-106" in client.get("/").content.decode()
    finally:
        _providers.remove(provider)
