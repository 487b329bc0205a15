"""The brand project in the API (apps/api/brand_api.py): the brand team records contacts and logs uses through the
same services as the pages; a link already logged is refused at `url`; a province gets 404."""

from __future__ import annotations

import pytest

from apps.brand.models import ChannelUse
from apps.brand.tests.conftest import add_contact, in_year, shot
from apps.core.scoping import scopes_disabled

pytestmark = pytest.mark.django_db


def test_the_brand_team_records_a_contact(client, brand_world):
    client.force_login(brand_world.brand_staff)
    response = client.post("/api/v1/brand/media-contacts/", {
        "outlet": "新华网", "level": "national", "person": "赵编辑", "email": "zhao@xinhua.example.cn",
        "last_contact_on": in_year(brand_world).isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["level_label"] == "权威主流媒体"
    listed = client.get("/api/v1/brand/media-contacts/").json()["results"]
    assert [c["person"] for c in listed] == ["赵编辑"]


def test_a_contact_with_a_wrong_phone_is_refused_at_the_field(client, brand_world):
    client.force_login(brand_world.brand_staff)
    response = client.post("/api/v1/brand/media-contacts/", {
        "outlet": "新华网", "level": "national", "person": "赵编辑", "phone": "123",
        "last_contact_on": in_year(brand_world).isoformat()}, content_type="application/json")
    assert response.status_code == 400 and "phone" in response.json()


def test_the_brand_team_logs_a_use_once(client, brand_world):
    with scopes_disabled():
        add_contact(brand_world)
    client.force_login(brand_world.center_admin)
    data = {"outlet": "科技日报", "channel": "wechat", "used_on": in_year(brand_world).isoformat(),
            "title": "创新故事", "url": "https://mp.example.cn/s/abc"}
    first = client.post("/api/v1/brand/channel-uses/", {**data, "evidence": shot()})
    assert first.status_code == 201, first.content
    assert first.json()["evidence_url"] == f"/brand/uses/{first.json()['id']}/evidence/"
    again = client.post("/api/v1/brand/channel-uses/", {**data, "url": "https://mp.example.cn/s/abc/",
                                                        "evidence": shot()})
    assert again.status_code == 400 and "url" in again.json()
    with scopes_disabled():
        assert ChannelUse.plain.count() == 1


def test_a_province_logs_nothing(client, brand_world):
    client.force_login(brand_world.zhejiang_admin)
    response = client.post("/api/v1/brand/channel-uses/", {"outlet": "科技日报", "evidence": shot()})
    assert response.status_code == 404
