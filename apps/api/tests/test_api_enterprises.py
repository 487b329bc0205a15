"""GET /api/v1/enterprises/: the registry, scoped as the pages are, with credit-code and county filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.campaigns.tests.world import build_campaign
from apps.core.scoping import scopes_disabled
from tests.factories import make_enterprise


@pytest.fixture
def world(tree):
    with scopes_disabled():
        build_campaign(tree)
        c = tree.campaign
        tree.gear = make_enterprise(c, tree.xihu, name="杭州西湖精密齿轮有限公司", serial="MA2GEAR01",
                                    park=tree.xihu_park, industry_section="C", industry_division="34",
                                    little_giant_batch=2021)
        tree.soft = make_enterprise(c, tree.shangcheng, name="杭州上城工业软件有限公司", serial="MA2XFT001")
        tree.wuhou_e = make_enterprise(c, tree.wuhou, name="成都武侯电子有限公司", serial="MA2WH0001")
    return tree


def api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def names(response):
    assert response.status_code == 200, response.content
    return sorted(e["name"] for e in response.json()["results"])


def test_a_county_lists_its_own_enterprises(world):
    assert names(api_as(world.xihu_admin).get("/api/v1/enterprises/")) == ["杭州西湖精密齿轮有限公司"]


def test_an_association_lists_its_countys_enterprises(world):
    assert names(api_as(world.xihu_ent_admin).get("/api/v1/enterprises/")) == ["杭州西湖精密齿轮有限公司"]


def test_a_city_lists_its_subtree_and_another_province_sees_none_of_it(world):
    assert names(api_as(world.hangzhou_admin).get("/api/v1/enterprises/")) == [
        "杭州上城工业软件有限公司", "杭州西湖精密齿轮有限公司"]
    assert names(api_as(world.chengdu_admin).get("/api/v1/enterprises/")) == ["成都武侯电子有限公司"]


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{fullwidth}", " {code} "])
def test_credit_code_filter_normalises_the_input(world, typed):
    code = world.gear.credit_code
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    query = typed.format(code=code, lower=code.lower(), fullwidth=fullwidth)
    response = api_as(world.hangzhou_admin).get("/api/v1/enterprises/", {"credit_code": query})
    assert names(response) == ["杭州西湖精密齿轮有限公司"]


def test_credit_code_filter_does_not_reach_outside_the_scope(world):
    response = api_as(world.hangzhou_admin).get("/api/v1/enterprises/", {"credit_code": world.wuhou_e.credit_code})
    assert names(response) == []


def test_county_filter_takes_an_org_code(world):
    api = api_as(world.zhejiang_admin)
    assert names(api.get("/api/v1/enterprises/", {"county": "330102"})) == ["杭州上城工业软件有限公司"]
    assert names(api.get("/api/v1/enterprises/", {"county": "510107"})) == []


def test_detail_by_id_carries_the_registry_fields(world):
    data = api_as(world.xihu_park_admin).get(f"/api/v1/enterprises/{world.gear.pk}/").json()
    assert data["credit_code"] == world.gear.credit_code and data["county"] == "330106"
    assert data["park"] == "330106-P001" and data["industry_division_name"] == "通用设备制造业"
    assert data["little_giant_batch"] == 2021 and data["campaign_year"] == 2026


def test_detail_of_another_countys_enterprise_answers_404_like_a_missing_one(world):
    api = api_as(world.haishu_park_admin)
    assert api.get(f"/api/v1/enterprises/{world.gear.pk}/").status_code == 404
    assert api.get("/api/v1/enterprises/999999/").status_code == 404


def test_anonymous_callers_are_refused(world):
    assert APIClient().get("/api/v1/enterprises/").status_code == 401


def test_the_list_makes_the_same_number_of_queries_for_few_and_many(world):
    api = api_as(world.zhejiang_admin)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/enterprises/").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the caller's memberships are read once and kept
    few = queries()
    with scopes_disabled():
        for i in range(40):
            make_enterprise(world.campaign, world.haishu, name=f"宁波企业{i:02d}", serial=f"MA2N{i:05d}",
                            park=world.haishu_park)
    assert queries() == few
