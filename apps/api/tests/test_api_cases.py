"""Cases and rounds in the API, scoped exactly as the pages (issue 4 item 7)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.cases.tests.list_world import build_list_cases
from apps.core.scoping import scopes_disabled


@pytest.fixture
def listed(tree):
    with scopes_disabled():
        return build_list_cases(tree)


@pytest.fixture
def api():
    return APIClient()


def as_(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {c["title"] for c in response.json()["results"]}


def test_a_county_lists_its_submitted_cases_with_its_screening_decision(api, listed):
    response = as_(api, listed.xihu_admin).get("/api/v1/cases/")
    assert titles(response) == {"数字孪生柔性产线", "低代码平台助力政务服务"}
    by_title = {c["title"]: c for c in response.json()["results"]}
    passed = by_title["数字孪生柔性产线"]
    assert passed["decision"] == "passed" and passed["status"] == "submitted" and passed["channel"] == "park"
    assert passed["enterprise"]["little_giant_batch"] == 2021 and passed["county"]["code"] == "330106"


def test_drafts_are_listed_only_for_their_association(api, listed):
    assert "西溪软件草稿案例" in titles(as_(api, listed.xihu_park_admin).get("/api/v1/cases/"))
    assert "西溪软件草稿案例" not in titles(as_(api, listed.xihu_admin).get("/api/v1/cases/"))
    draft = listed.cases["xihu_draft"].pk
    assert as_(api, listed.xihu_admin).get(f"/api/v1/cases/{draft}/").status_code == 404
    assert as_(api, listed.xihu_park_admin).get(f"/api/v1/cases/{draft}/").status_code == 200


@pytest.mark.parametrize("params,expected", [
    ({"type": "process"}, {"精密轴承工艺革新"}),
    ({"channel": "enterprise"}, {"低代码平台助力政务服务", "被退回的案例"}),
    ({"industry": "C"}, {"数字孪生柔性产线"}),
    ({"little_giant": "1"}, {"数字孪生柔性产线"}),
    ({"county": "330102"}, {"城市数据大脑"}),
    ({"status": "returned"}, {"被退回的案例"}),
    ({"q": "轴承"}, {"精密轴承工艺革新"}),
])
def test_the_api_filters_like_the_page(api, listed, params, expected):
    assert titles(as_(api, listed.zhejiang_admin).get("/api/v1/cases/", params)) == expected


def test_a_bad_filter_answers_400_with_the_reason(api, listed):
    response = as_(api, listed.hangzhou_admin).get("/api/v1/cases/", {"county": "510107"})
    assert response.status_code == 400 and "不在本单位范围内" in response.content.decode()
    assert as_(api, listed.hangzhou_admin).get("/api/v1/cases/", {"type": "nope"}).status_code == 400


def test_another_countys_case_answers_404_like_a_missing_one(api, listed):
    shangcheng = listed.cases["shangcheng"].pk
    assert as_(api, listed.xihu_admin).get(f"/api/v1/cases/{shangcheng}/").status_code == 404
    assert as_(api, listed.xihu_admin).get("/api/v1/cases/999999/").status_code == 404
    detail = as_(api, listed.hangzhou_admin).get(f"/api/v1/cases/{shangcheng}/").json()
    assert detail["title"] == "城市数据大脑" and detail["background"] and detail["consent_truthful"] is True


def test_the_case_list_pages_by_cursor_newest_first(api, listed):
    from apps.cases.models import Case

    with scopes_disabled():
        Case.plain.bulk_create([Case(campaign=listed.campaign, enterprise=listed.ent_xihu_maker,
                                     recommender=listed.xihu_park, channel="park", county=listed.xihu,
                                     status="submitted", version=1, title=f"批量{i}") for i in range(60)])
    client = as_(api, listed.xihu_admin)
    first = client.get("/api/v1/cases/").json()
    assert len(first["results"]) == 50 and first["next"]
    ids = [c["id"] for c in first["results"]]
    assert ids == sorted(ids, reverse=True)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 12 and second["next"] is None
    assert max(c["id"] for c in second["results"]) < min(ids)


def test_rounds_list_their_kind_org_state_and_counts_by_decision(api, listed):
    response = as_(api, listed.hangzhou_admin).get("/api/v1/rounds/")
    assert response.status_code == 200
    rounds = {r["org"]["code"]: r for r in response.json()["results"]}
    assert set(rounds) == {"330106", "330102"}  # 海曙区 is in 宁波市
    xihu = rounds["330106"]
    assert xihu["kind"] == "county_screening" and xihu["state"] == "open" and xihu["year"] == 2026
    assert xihu["counts"] == {"pending": 1, "passed": 1, "out": 0, "returned": 0, "total": 2}


def test_an_association_reads_its_countys_round_state_but_not_its_counts(api, listed):
    response = as_(api, listed.xihu_park_admin).get("/api/v1/rounds/")
    rounds = response.json()["results"]
    assert [(r["org"]["code"], r["state"], r["counts"]) for r in rounds] == [("330106", "open", None)]
    detail = as_(api, listed.xihu_park_admin).get(f"/api/v1/rounds/{rounds[0]['id']}/").json()
    assert detail["counts"] is None


def test_another_countys_round_answers_404(api, listed):
    response = as_(api, listed.shangcheng_admin).get("/api/v1/rounds/")
    own = response.json()["results"]
    assert [r["org"]["code"] for r in own] == ["330102"]
    with scopes_disabled():
        xihu_round = listed.cases["xihu_park"].round_entries.first().round_id
    assert as_(api, listed.shangcheng_admin).get(f"/api/v1/rounds/{xihu_round}/").status_code == 404


def test_rounds_filter_by_kind_and_state(api, listed):
    client = as_(api, listed.zhejiang_admin)
    assert len(client.get("/api/v1/rounds/", {"kind": "county_screening"}).json()["results"]) == 3
    assert client.get("/api/v1/rounds/", {"state": "locked"}).json()["results"] == []
    assert [r["org"]["code"] for r in client.get("/api/v1/rounds/", {"org": "330203"}).json()["results"]] == ["330203"]


def test_the_schema_documents_the_case_and_round_endpoints(client, db):
    schema = client.get("/api/schema/").content
    assert b"/api/v1/cases/" in schema and b"/api/v1/rounds/{id}/" in schema


def test_the_contact_phone_reaches_the_association_and_its_county_only(api, listed):
    """The case page's rule, the export's and the API's are one (apps.cases.permissions.contact_visible_to_org)."""
    case = listed.cases["xihu_park"]
    with scopes_disabled():
        type(case).plain.filter(pk=case.pk).update(contact_phone="13900001234")
    url = f"/api/v1/cases/{case.pk}/"
    for person in (listed.xihu_park_admin, listed.xihu_admin):
        assert as_(APIClient(), person).get(url).json()["contact_phone"] == "13900001234"
    for person in (listed.hangzhou_admin, listed.zhejiang_admin, listed.center_admin):
        answer = as_(APIClient(), person).get(url)
        assert answer.status_code == 200 and answer.json()["contact_phone"] is None
