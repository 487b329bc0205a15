"""The exhibits API: the same scoping, services and refusals as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.exhibits.tests.conftest import FIELDS, photo, propose

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_scoped_and_filters_by_state_with_photos_as_links(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w)
    rows = api(w.zhejiang_admin).get("/api/v1/exhibits/").json()["results"]
    assert [r["id"] for r in rows] == [exhibit.pk]
    assert rows[0]["little_giant_batch"] == 2023 and rows[0]["state_label"] == "已申报"
    assert rows[0]["photos"][0]["url"] == f"/exhibits/{exhibit.pk}/photos/{exhibit.photos.get().pk}/"
    assert rows[0]["decision"] is None
    assert api(w.zhejiang_admin).get("/api/v1/exhibits/", {"state": "accepted"}).json()["results"] == []
    assert api(w.zhejiang_admin).get("/api/v1/exhibits/", {"state": "lost"}).status_code == 400
    assert api(w.sichuan_admin).get("/api/v1/exhibits/").json()["results"] == []
    assert api(w.sichuan_admin).get(f"/api/v1/exhibits/{exhibit.pk}/").status_code == 404
    assert api(w.center_admin).get(f"/api/v1/exhibits/{exhibit.pk}/").json()["name"] == "智能协作机械臂"


def test_an_association_proposes_and_the_province_shortlists_or_declines(exhibit_world, system):
    w = exhibit_world
    body = {**FIELDS, "enterprise": w.giant.pk, "photos": [photo()]}
    made = api(w.xihu_park_admin).post("/api/v1/exhibits/propose/", body, format="multipart")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    refused = api(w.xihu_park_admin).post("/api/v1/exhibits/propose/",
                                          {**body, "enterprise": w.ordinary.pk, "photos": [photo()]},
                                          format="multipart")
    assert refused.status_code == 400 and "不在专精特新“小巨人”名单中" in refused.json()["enterprise"][0]
    assert api(w.zhejiang_admin).post("/api/v1/exhibits/propose/", body, format="multipart").status_code == 404
    assert api(w.xihu_park_admin).post(f"/api/v1/exhibits/{pk}/shortlist/").status_code == 404
    sent = api(w.zhejiang_admin).post(f"/api/v1/exhibits/{pk}/shortlist/")
    assert sent.status_code == 200 and sent.json()["state"] == "shortlisted"
    assert sent.json()["decision"]["state"] == "pending"
    again = api(w.zhejiang_admin).post(f"/api/v1/exhibits/{pk}/decline/", {"reason": "同类"}, format="json")
    assert again.status_code == 400
    other = propose(w, name="光纤传感演示台")
    declined = api(w.zhejiang_admin).post(f"/api/v1/exhibits/{other.pk}/decline/", {"reason": "同类展品已推荐"},
                                          format="json")
    assert declined.json()["state"] == "declined" and declined.json()["declined_by"] == "330000"
