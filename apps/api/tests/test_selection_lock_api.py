"""Locking, 公示, objections and sending in the API (issue 7 item 7, R-106): POST /api/v1/rounds/{id}/lock/,
unlock/, send/; GET locked/, result/, objections/; POST /api/v1/selection/objections/{id}/answer/. Only the city
running the round acts; the province above reads; another city sees nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.orgs.services import membership_add
from apps.review.tests.conftest import campaign, city_round  # noqa: F401 (fixtures)
from apps.rounds.models import Round, RoundEntry
from apps.selection import results, services
from apps.selection.models import LockedList, Objection
from apps.selection.tests.conftest import end_publicity, listed, small  # noqa: F401 (fixtures)
from apps.voting.tests.conftest import _sms_memory, entries, poll, voting_round  # noqa: F401 (fixtures)
from tests.factories import make_user


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def locked(listed, campaign):  # noqa: F811
    with scopes_disabled():
        return services.list_lock(round=listed, by=campaign.hangzhou_admin)


@pytest.fixture
def objection(locked, entries):  # noqa: F811
    with scopes_disabled():
        return services.objection_submit(locked=locked, case_id=entries[1].case_id, name="张华",
                                         contact="13800138000", reason="该企业的专利尚未授权，与案例所述不符。")


def _urls(round_pk: int, objection_pk: int) -> dict[str, tuple[str, str]]:
    base = f"/api/v1/rounds/{round_pk}"
    return {"lock": ("post", f"{base}/lock/"), "unlock": ("post", f"{base}/unlock/"), "send": ("post", f"{base}/send/"),
            "answer": ("post", f"/api/v1/selection/objections/{objection_pk}/answer/"),
            "locked": ("get", f"{base}/locked/"), "result": ("get", f"{base}/result/"),
            "objections": ("get", f"{base}/objections/")}


def _call(user, method, url, data=None):
    client = _client(user)
    return client.post(url, data or {}, format="json") if method == "post" else client.get(url)


def test_lock_answers_201_with_the_digest_and_the_publicity_period(listed, entries, campaign):  # noqa: F811
    response = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{listed.pk}/lock/", {}, format="json")
    body = response.json()
    assert response.status_code == 201
    with scopes_disabled():
        stored = LockedList.plain.get(round=listed)
    assert body["id"] == stored.pk and body["sha256"] == stored.sha256 == results.digest(stored.result)
    today = timezone.localdate()
    assert body["starts_on"] == today.isoformat() and body["ends_on"] == (today + dt.timedelta(days=4)).isoformat()
    assert body["public_path"] == f"/gs/{stored.slug}/" and body["state"] == "open"
    assert sorted(body["case_ids"]) == sorted([entries[0].case_id, entries[1].case_id])
    assert body["blockers"] == [f"公示期至{body['ends_on']}，期满后方可上报"]


def test_locking_a_locked_list_answers_400_naming_who_locked_it(locked, campaign):  # noqa: F811
    with scopes_disabled():
        clerk_li = make_user("hangzhou-clerk-li", "李敏")
        membership_add(org=campaign.hangzhou, user=clerk_li, role=Membership.Role.STAFF, by=None, check=False)
    response = _client(clerk_li).post(f"/api/v1/rounds/{locked.round_id}/lock/", {}, format="json")
    assert response.status_code == 400
    message = response.json()["detail"][0]
    assert f"已由{campaign.hangzhou_admin.display_name}于" in message and "李敏" not in message
    with scopes_disabled():
        assert LockedList.plain.count() == 1


def test_unlock_needs_a_reason_then_withdraws_the_publicity(locked, campaign):  # noqa: F811
    url = f"/api/v1/rounds/{locked.round_id}/unlock/"
    client = _client(campaign.hangzhou_admin)
    refused = client.post(url, {"reason": "  "}, format="json")
    assert refused.status_code == 400 and "请写明解锁的原因" in refused.json()["detail"][0]
    with scopes_disabled():
        assert Round.plain.get(pk=locked.round_id).state == Round.State.LOCKED
    done = client.post(url, {"reason": "异议成立，需调整名单"}, format="json")
    assert done.status_code == 200 and done.json() == {"id": locked.round_id, "state": "open"}
    after = client.get(f"/api/v1/rounds/{locked.round_id}/locked/").json()
    assert after["state"] == "withdrawn" and after["withdraw_reason"] == "异议成立，需调整名单"


def test_send_during_the_publicity_answers_400_with_the_date_it_ends(locked, campaign):  # noqa: F811
    response = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{locked.round_id}/send/", format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == [f"公示期至{locked.ends_on.isoformat()}，期满后方可上报"]
    with scopes_disabled():
        assert Round.plain.get(pk=locked.round_id).state == Round.State.LOCKED


def test_objections_are_listed_answered_and_then_the_list_is_sent(locked, objection, entries, campaign):  # noqa: F811
    client = _client(campaign.hangzhou_admin)
    rows = client.get(f"/api/v1/rounds/{locked.round_id}/objections/").json()
    assert [(r["id"], r["case"], r["outcome"]) for r in rows] == [(objection.pk, entries[1].case_id, "pending")]
    assert rows[0]["contact"] == "13800138000"  # the city answers the objector
    above = _call(campaign.zhejiang_admin, "get", f"/api/v1/rounds/{locked.round_id}/objections/").json()
    assert above[0]["contact"] == "" and above[0]["reason"] == rows[0]["reason"]  # the province watches only
    end_publicity(locked)
    blocked = client.post(f"/api/v1/rounds/{locked.round_id}/send/", format="json")
    assert blocked.status_code == 400 and blocked.json()["detail"] == ["还有1条异议未答复"]
    answered = client.post(f"/api/v1/selection/objections/{objection.pk}/answer/",
                           {"outcome": "dismissed", "answer": "经核实，专利已于今年3月授权。"}, format="json")
    assert answered.status_code == 200
    assert answered.json()["outcome"] == "dismissed" and answered.json()["answered_at"]
    sent = client.post(f"/api/v1/rounds/{locked.round_id}/send/", format="json")
    assert sent.status_code == 200 and sent.json()["id"] == locked.pk
    again = client.post(f"/api/v1/rounds/{locked.round_id}/send/", format="json")
    assert again.status_code == 400 and "不能重复操作" in again.json()["detail"][0]
    with scopes_disabled():
        assert Round.plain.get(pk=locked.round_id).state == Round.State.SENT
        province = Round.plain.get(org=campaign.zhejiang, kind=Round.Kind.PROVINCE_SELECTION)
        assert sorted(RoundEntry.plain.filter(round=province).values_list("case_id", flat=True)) == sorted(
            locked.case_ids)


def test_a_bad_outcome_answers_400_and_changes_nothing(objection, campaign):  # noqa: F811
    url = f"/api/v1/selection/objections/{objection.pk}/answer/"
    response = _client(campaign.hangzhou_admin).post(url, {"outcome": "maybe", "answer": "经核实，情况属实。"},
                                                     format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    with scopes_disabled():
        fresh = Objection.plain.get(pk=objection.pk)
    assert (fresh.outcome, fresh.answer, fresh.answered_by) == (Objection.Outcome.PENDING, "", None)


def test_the_province_above_reads_but_does_not_act(locked, objection, campaign):  # noqa: F811
    urls = _urls(locked.round_id, objection.pk)
    province = campaign.zhejiang_admin
    for name in ("lock", "unlock", "send", "answer"):
        method, url = urls[name]
        data = {"reason": "省级代为处理", "outcome": "dismissed", "answer": "省级代为答复。"}
        assert _call(province, method, url, data).status_code == 404, name
    for name in ("locked", "result", "objections"):
        method, url = urls[name]
        assert _call(province, method, url).status_code == 200, name
    result = _call(province, *urls["result"]).json()
    assert result["sha256"] == locked.sha256 == results.digest(result["document"])
    with scopes_disabled():
        assert Round.plain.get(pk=locked.round_id).state == Round.State.LOCKED
        assert Objection.plain.get(pk=objection.pk).outcome == Objection.Outcome.PENDING


def test_another_city_sees_nothing(locked, objection, campaign):  # noqa: F811
    for name, (method, url) in _urls(locked.round_id, objection.pk).items():
        data = {"reason": "宁波市代为处理", "outcome": "dismissed", "answer": "宁波市代为答复。"}
        assert _call(campaign.ningbo_admin, method, url, data).status_code == 404, name
    with scopes_disabled():
        assert Round.plain.get(pk=locked.round_id).state == Round.State.LOCKED
        assert LockedList.plain.get(pk=locked.pk).withdrawn_at is None
