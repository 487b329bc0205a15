"""The events API: the same scoping and refusals as the pages (a province never reads another's events)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.events.tests.test_events import planned

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_events_list_is_scoped_and_held_is_refused_with_the_plans_state(team, system):
    w = team
    event = planned(w)
    rows = api(w.zhejiang_admin).get("/api/v1/events/").json()["results"]
    assert [r["id"] for r in rows] == [event.pk] and rows[0]["plan_state"] == "未报送"
    assert api(w.center_admin).get("/api/v1/events/").json()["results"][0]["id"] == event.pk
    assert api(w.sichuan_admin).get("/api/v1/events/").json()["results"] == []
    assert api(w.sichuan_admin).get(f"/api/v1/events/{event.pk}/").status_code == 404
    refused = api(w.zhejiang_admin).post(f"/api/v1/events/{event.pk}/held/")
    assert refused.status_code == 400 and "方案目前：未报送" in refused.json()["detail"][0]
    sent = api(w.zhejiang_admin).post(f"/api/v1/events/{event.pk}/submit/")
    assert sent.status_code == 200 and sent.json()["plan_state"] == "第1版待中心审核"


def test_the_team_lists_the_acting_orgs_presenters(team, system):
    w = team
    rows = api(w.zhejiang_admin).get("/api/v1/presenters/").json()
    assert sorted(r["name"] for r in rows) == ["宣讲人0", "宣讲人1"] and all(r["org"] == "330000" for r in rows)
    assert api(w.center_admin).get("/api/v1/presenters/").json() == []
