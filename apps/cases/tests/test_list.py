"""The case list every level shares: scoping, filters, keyset pages, the empty state, constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases.listing import PAGE_SIZE, cases_for, keyset_page
from apps.cases.models import Case
from apps.cases.tests.list_world import build_list_cases, submitted_case
from apps.core.scoping import scope, scopes_disabled
from tests.factories import make_case, make_enterprise

URL = "/cases/"


@pytest.fixture
def listed(tree):
    with scopes_disabled():
        return build_list_cases(tree)


def titles(response) -> set[str]:
    body = response.content.decode()
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in body else ""
    return {t.strip() for t in re.findall(r"<td>(?:<a [^>]*>)?([^<]+)(?:</a>)?</td>", table)} & ALL_TITLES


ALL_TITLES = {"西溪软件草稿案例", "数字孪生柔性产线", "低代码平台助力政务服务", "城市数据大脑", "精密轴承工艺革新", "被退回的案例"}


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_r106_an_association_sees_its_own_cases_drafts_included(client, listed):
    assert titles(get(client, listed.xihu_park_admin)) == {"西溪软件草稿案例", "数字孪生柔性产线"}


def test_r107_a_county_sees_its_submitted_cases_and_nothing_of_another_county(client, listed):
    assert titles(get(client, listed.xihu_admin)) == {"数字孪生柔性产线", "低代码平台助力政务服务"}


def test_a_city_sees_everything_submitted_under_it_and_nothing_of_another_city(client, listed):
    assert titles(get(client, listed.hangzhou_admin)) == {"数字孪生柔性产线", "低代码平台助力政务服务", "城市数据大脑"}


def test_a_province_sees_every_submitted_or_returned_case_but_no_draft(client, listed):
    assert titles(get(client, listed.zhejiang_admin)) == ALL_TITLES - {"西溪软件草稿案例"}


def test_another_province_sees_none_of_zhejiangs_cases(client, listed):
    response = get(client, listed.sichuan_admin)
    assert titles(response) == set()
    assert "下级单位还没有提交案例" in response.content.decode()


@pytest.mark.parametrize("params,expected", [
    ({"type": "organisational"}, {"低代码平台助力政务服务"}),
    ({"channel": "enterprise"}, {"低代码平台助力政务服务", "被退回的案例"}),
    ({"industry": "C"}, {"数字孪生柔性产线"}),
    ({"little_giant": "1"}, {"数字孪生柔性产线"}),
    ({"little_giant": "0"}, {"低代码平台助力政务服务", "城市数据大脑", "精密轴承工艺革新", "被退回的案例"}),
    ({"status": "returned"}, {"被退回的案例"}),
    ({"county": "330106"}, {"数字孪生柔性产线", "低代码平台助力政务服务"}),
    ({"county": "330200"}, {"精密轴承工艺革新", "被退回的案例"}),
    ({"q": "数据"}, {"城市数据大脑"}),
    ({"q": "海曙机械"}, {"精密轴承工艺革新", "被退回的案例"}),
    ({"type": "technological", "county": "330100"}, {"数字孪生柔性产线", "城市数据大脑"}),
])
def test_the_province_filters_its_list(client, listed, params, expected):
    assert titles(get(client, listed.zhejiang_admin, **params)) == expected


def test_the_search_finds_a_case_by_the_enterprises_credit_code(client, listed):
    code = listed.ent_shangcheng.credit_code
    assert titles(get(client, listed.hangzhou_admin, q=code[:12].lower())) == {"城市数据大脑"}


def test_r107_a_county_filters_by_its_screening_decision(client, listed):
    assert titles(get(client, listed.xihu_admin, decision="passed")) == {"数字孪生柔性产线"}
    assert titles(get(client, listed.xihu_admin, decision="pending")) == {"低代码平台助力政务服务"}


def test_an_association_reads_its_countys_decision_on_its_case(client, listed):
    body = get(client, listed.xihu_park_admin).content.decode()
    assert "区县筛查结果" in body and "通过" in body


def test_a_county_code_outside_the_viewer_is_refused_and_ignored(client, listed):
    response = get(client, listed.hangzhou_admin, county="330203")
    assert "不在本单位范围内" in response.content.decode()
    assert titles(response) == {"数字孪生柔性产线", "低代码平台助力政务服务", "城市数据大脑"}


def test_the_empty_state_names_the_filters_to_relax(client, listed):
    body = get(client, listed.zhejiang_admin, type="process", industry="C").content.decode()
    assert "没有符合全部条件的案例" in body
    assert "去掉“案例类型：工艺创新”" in body and "去掉“行业门类：C 制造业”" in body
    assert 'href="?industry=C"' in body  # dropping the type keeps the industry


def _total(response) -> str:
    body = response.content.decode()
    start = body.index('id="list-total"')
    return re.sub(r"<[^>]+>", "", body[body.index(">", start) + 1:body.index("</p>", start)])


def test_the_list_shows_its_total(client, listed):
    assert _total(get(client, listed.zhejiang_admin)) == "共 5 件"
    assert _total(get(client, listed.xihu_park_admin)) == "共 2 件"  # an association's own, its draft included


def test_the_total_counts_what_the_filters_leave(client, listed):
    assert _total(get(client, listed.zhejiang_admin, county="330200")) == "共 2 件（符合筛选条件）"
    assert _total(get(client, listed.xihu_admin, decision="passed")) == "共 1 件（符合筛选条件）"


def test_the_total_counts_every_page_not_just_the_one_shown(client, tree):
    _many(tree, PAGE_SIZE + 5)
    response = get(client, tree.xihu_admin)
    expected = f"共 {PAGE_SIZE + 5 + 2} 件"  # and the two submitted cases of the list world
    assert _total(response) == expected
    older = re.search(r'href="\?([^"]*after=\d+)"', response.content.decode()).group(1)
    assert _total(client.get(URL + "?" + older)) == expected


def test_the_total_stops_counting_at_the_cap(client, listed, monkeypatch):
    from apps.cases import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    assert _total(get(client, listed.zhejiang_admin)) == "超过 3 件"
    assert _total(get(client, listed.xihu_admin)) == "共 2 件"


def test_no_acting_org_no_list(client, db):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 404


# -- keyset pages ------------------------------------------------------------------------------

def _many(tree, n: int):
    with scopes_disabled():
        if not hasattr(tree, "campaign"):
            build_list_cases(tree)
        ent = getattr(tree, "ent_bulk", None) or make_enterprise(tree.campaign, tree.xihu, name="杭州批量案例有限公司",
                                                                  serial="MA2PBME77")
        tree.ent_bulk = ent
        start = Case.plain.filter(enterprise=ent).count()
        Case.plain.bulk_create([
            Case(campaign=tree.campaign, enterprise=ent, recommender=tree.xihu_park, channel="park", county=tree.xihu,
                 status="submitted", version=1, title=f"批量案例{i:04d}", type="technological") for i in range(start, start + n)])


def test_keyset_pages_walk_every_row_once_both_ways(listed):
    _many(listed, 120)
    with scope(org=listed.xihu):
        qs = cases_for(listed.xihu)
        seen, page = [], keyset_page(qs)
        while True:
            seen += [c.pk for c in page.rows]
            if page.older is None:
                break
            page = keyset_page(qs, after=page.older)
        expected = list(qs.values_list("pk", flat=True))
        assert seen == expected and len(seen) == 122
        # And back: the newer page of the last page is the one before it.
        back = keyset_page(qs, before=page.rows[0].pk)
        assert [c.pk for c in back.rows] == expected[50:100]
        assert back.newer == expected[50] and back.older == expected[99]


def test_the_more_link_leads_to_the_next_page_and_keeps_the_filters(client, listed):
    _many(listed, 60)
    first = get(client, listed.xihu_admin, type="technological").content.decode()
    more = re.search(r'href="\?([^"]*after=\d+)"', first).group(1).replace("&amp;", "&")
    assert "type=technological" in more
    second = client.get(URL + "?" + more).content.decode()
    assert "数字孪生柔性产线" in second and "批量案例0000" in second and "较新的案例" in second
    assert "更多 →" not in second


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"type": "technological"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_as_many_queries_for_100_rows_as_for_10(client, tree):
    """Query-count test (issue 4): no query per row."""
    _many(tree, 10)
    ten = _queries(client, tree.hangzhou_admin)
    _many(tree, 90)
    hundred = _queries(client, tree.hangzhou_admin)
    assert ten == hundred
    assert ten <= 12


def test_a_page_holds_fifty_rows(client, tree):
    _many(tree, PAGE_SIZE + 5)
    body = get(client, tree.xihu_admin).content.decode()
    assert len(re.findall(r"批量案例\d{4}", body)) == PAGE_SIZE


def test_the_page_sql_has_no_offset_and_one_count_that_stops_at_the_cap(client, listed):
    from apps.cases.listing import COUNT_CAP

    _many(listed, 70)
    client.force_login(listed.zhejiang_admin)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"after": 10**9})
    sql = [q["sql"].upper() for q in ctx.captured_queries]
    assert not any("OFFSET" in q for q in sql)
    counts = [q for q in sql if "COUNT(" in q]
    assert len(counts) == 1 and f"LIMIT {COUNT_CAP + 1}" in counts[0]
    assert "ROUNDS_ROUNDENTRY" not in counts[0]  # the decision of each row is not computed to count it


def test_a_returned_and_resubmitted_case_is_listed_once(client, listed):
    from apps.cases.levels import levels

    with scopes_disabled():
        again = submitted_case(listed.ent_xihu_soft, listed.xihu_park, listed.xihu_park_admin, title="再次提交的案例")
        again.version = 2
        again.save()
        levels().receive(case=again, by=listed.xihu_park_admin)
    body = get(client, listed.xihu_admin).content.decode()
    assert body.count("再次提交的案例") == 1


def test_a_draft_made_after_submission_stays_out_of_the_countys_list(client, listed):
    with scopes_disabled():
        make_case(listed.ent_xihu_maker, listed.xihu_ent, title="新草稿")
    assert "新草稿" not in get(client, listed.xihu_admin).content.decode()
    assert reverse("cases:list") == URL
