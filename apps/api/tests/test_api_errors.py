"""The API's errors are the documented ones: numbers beyond the database's BIGINT answer 400 (a filter, a body) or
404 (an id in the path), never 500, on PostgreSQL too, and so does text with a NUL character; a wrong type is
refused and a right one accepted; a method a path does not have answers 405; a path that names nothing answers 404
in JSON; every operation documents its errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

OVERFLOW = "17893048805462358016"  # above 2**63 - 1


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_enterprise_filter_beyond_bigint_answers_400_in_chinese(world):
    response = api_as(world.zhejiang_admin).get(
        "/api/v1/enterprises/", {"campaign": OVERFLOW, "little_giant_batch": "4611686018427387904"})
    assert response.status_code == 400
    assert set(response.json()) == {"campaign", "little_giant_batch"}
    assert "小于或者等于" in response.json()["campaign"][0]


@pytest.mark.parametrize("value,status", [("2021", 200), ("abc", 400), ("null", 400), ("", 400), ("2018", 400)])
def test_the_little_giant_batch_filter_takes_a_batch_year_only(world, value, status):
    response = api_as(world.zhejiang_admin).get("/api/v1/enterprises/", {"little_giant_batch": value})
    assert response.status_code == status, response.content


def test_a_malformed_filter_is_refused_even_for_a_caller_without_an_org(world):
    api = api_as(world.expert_a_user)
    assert api.get("/api/v1/enterprises/", {"little_giant_batch": "2018"}).status_code == 400
    assert api.get("/api/v1/cases/", {"year": "0"}).status_code == 400


@pytest.mark.parametrize("params,status", [
    ({"kind": "city_selection"}, 200), ({"kind": "town"}, 400), ({"state": "open"}, 200), ({"state": ""}, 400),
])
def test_the_round_filters_take_their_lists(world, params, status):
    assert api_as(world.zhejiang_admin).get("/api/v1/rounds/", params).status_code == status


@pytest.mark.parametrize("params,status", [({"method": "review"}, 200), ({"method": "x"}, 400), ({"state": "y"}, 400)])
def test_the_assignment_filters_take_their_lists(world, params, status):
    url = f"/api/v1/review/rounds/{world.hangzhou_round.pk}/assignments/"
    assert api_as(world.hangzhou_admin).get(url, params).status_code == status


def test_a_year_without_a_campaign_and_a_status_an_office_never_sees_list_nothing(world):
    api = api_as(world.zhejiang_admin)
    for params in ({"year": "2019"}, {"status": "draft"}):
        response = api.get("/api/v1/cases/", params)
        assert response.status_code == 200 and response.json()["results"] == [], params
    assert api.get("/api/v1/cases/", {"status": "nope"}).status_code == 400


@pytest.mark.parametrize("path", [
    "/api/v1/cases/{n}/", "/api/v1/enterprises/{n}/", "/api/v1/programmes/{n}/quotas/", "/api/v1/rounds/{n}/locked/",
    "/api/v1/review/rounds/{n}/", "/api/v1/voting/polls/{n}/tally/", "/api/v1/voting/rounds/{n}/poll/",
])
def test_an_id_beyond_bigint_in_the_path_answers_404(world, path):
    response = api_as(world.center_admin).get(path.format(n=OVERFLOW))
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


@pytest.mark.parametrize("method,path", [
    ("get", "/api/v1/orgs/a%00b/"), ("get", "/api/v1/review/pools/a%00b/experts/"),
    ("delete", "/api/v1/auth/tokens/a%00bcdefgh/"),
])
def test_a_code_with_a_nul_character_in_the_path_answers_404(world, method, path):
    """PostgreSQL refuses to compare text with a NUL character: no code holds one, so it names nothing."""
    response = getattr(api_as(world.hangzhou_admin), method)(path)
    assert response.status_code == 404


@pytest.mark.parametrize("params", [{"county": "a\x00b"}, {"q": "a\x00b"}])
def test_a_filter_with_a_nul_character_answers_400(world, params):
    assert api_as(world.zhejiang_admin).get("/api/v1/cases/", params).status_code == 400


@pytest.mark.parametrize("url,body", [
    ("/api/v1/rounds/{round}/validate/", {"case_ids": [int(OVERFLOW)]}),
    ("/api/v1/rounds/{round}/propose/", {"include": [int(OVERFLOW)]}),
    ("/api/v1/voting/polls/{poll}/invalidations/", {"reason": "刷票", "votes": [int(OVERFLOW)]}),
])
def test_an_id_beyond_bigint_in_a_body_answers_400(world, url, body):
    url = url.format(round=world.hangzhou_round.pk, poll=world.poll.pk)
    response = api_as(world.hangzhou_admin).post(url, body, format="json")
    assert response.status_code == 400, response.content


def test_a_path_that_names_nothing_answers_404_in_json_to_every_method(world):
    api = api_as(world.hangzhou_admin)
    for method in ("get", "post", "delete", "trace"):
        response = getattr(api, method)("/api/v1/cases/0.5/")
        assert response.status_code == 404 and response.json() == {"detail": "未找到。"}, method


def test_trace_answers_405_even_where_the_caller_is_not_an_expert(world):
    api = api_as(world.hangzhou_admin)
    assert api.get("/api/v1/review/my/assignments/").status_code == 404  # not an expert
    response = api.trace("/api/v1/review/my/assignments/")
    assert response.status_code == 405 and "GET" in response["Allow"]


def test_a_malformed_body_answers_400_with_a_list_of_problems(world):
    response = api_as(world.hangzhou_admin).post(f"/api/v1/rounds/{world.hangzhou_round.pk}/validate/", "{",
                                                 content_type="application/json")
    assert response.status_code == 400 and isinstance(response.json()["detail"], list)


def test_every_operation_documents_its_errors(client, db):
    from rest_framework.settings import api_settings

    from apps.api.schema import AutoSchema

    assert api_settings.DEFAULT_SCHEMA_CLASS is AutoSchema, (
        'settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] must be "apps.api.schema.AutoSchema"')
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            secured = {} not in operation.get("security", [{}])
            assert not secured or {"401", "403"} <= codes, (method, path)
            params = {p["in"] for p in operation.get("parameters", [])}
            assert "path" not in params or "404" in codes, (method, path)
            assert "requestBody" not in operation or "400" in codes, (method, path)
