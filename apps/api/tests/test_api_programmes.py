"""GET /api/v1/programmes/ and /quotas/ (R-104, R-105), scoped exactly as the pages are."""

import pytest
from rest_framework.test import APIClient

from apps.core.scoping import scopes_disabled
from tests.world import build_world


@pytest.fixture
def world(tree):
    with scopes_disabled():
        return build_world(tree)


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_city_sees_its_provinces_programme_and_the_brand_project_only(world):
    data = client_for(world.hangzhou_admin).get("/api/v1/programmes/").json()
    assert sorted((p["kind"], p["org_code"]) for p in data) == [("brand", "000000"), ("province", "330000")]
    assert data[0]["year"] == 2026


def test_the_centre_sees_every_programme(world):
    data = client_for(world.center_admin).get("/api/v1/programmes/").json()
    assert {p["org_code"] for p in data} == {"000000", "330000", "510000"}


def test_quotas_split_the_target_by_associations_with_the_surplus_length(world):
    response = client_for(world.hangzhou_admin).get(f"/api/v1/programmes/{world.zhejiang_programme.pk}/quotas/")
    assert response.status_code == 200
    rows = {r["org_code"]: r for r in response.json()}
    # 杭州 has 3 associations, 宁波 2: Hamilton on 100 gives 60 and 40.
    assert rows["330100"] == {"org_code": "330100", "org_name": "杭州市", "associations": 3, "quota": 60,
                              "min_list_length": 72}
    assert rows["330200"]["quota"] == 40 and rows["330200"]["min_list_length"] == 48
    assert sum(r["quota"] for r in rows.values()) == 100


def test_another_provinces_quotas_answer_404(world):
    response = client_for(world.chengdu_admin).get(f"/api/v1/programmes/{world.zhejiang_programme.pk}/quotas/")
    assert response.status_code == 404


def test_the_brand_project_has_no_quota_table(world):
    response = client_for(world.center_admin).get(f"/api/v1/programmes/{world.brand_programme.pk}/quotas/")
    assert response.status_code == 404
