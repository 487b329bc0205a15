import re

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD


@pytest.fixture
def api():
    return APIClient()


def token_for(api, username):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_token_opens_the_api_in_the_callers_scope(api, tree):
    token = token_for(api, "admin-330100")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/orgs/")
    assert response.status_code == 200
    codes = [o["code"] for o in response.json()["results"]]
    assert codes[0] == "330100"
    assert set(codes) == {"330100", "330102", "330106", "330102-P001", "330106-E001", "330106-P001"}
    first = response.json()["results"][1]
    assert set(first) >= {"code", "name", "kind", "parent"}


def test_a_wrong_password_gets_no_token(api, tree):
    response = api.post("/api/v1/auth/token/", {"username": "admin-330100", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_an_org_of_another_city_answers_404_like_a_missing_one(api, tree):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, 'admin-330100')}")
    assert api.get("/api/v1/orgs/330203/").status_code == 404
    assert api.get("/api/v1/orgs/999999/").status_code == 404
    assert api.get("/api/v1/orgs/330106/").json()["parent"] == "330100"


def test_the_api_without_a_token_is_refused(api, tree):
    assert api.get("/api/v1/orgs/").status_code == 401


def test_the_openapi_schema_and_docs_need_no_cdn(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/orgs/" in schema.content and b"/api/v1/programmes/{id}/quotas/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', docs) if u.startswith(("http:", "https:", "//"))]
    assert external == []
