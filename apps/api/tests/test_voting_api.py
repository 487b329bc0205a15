"""Public online voting in the API (issue 6 item 7): who reaches the tally, the anomaly report, invalidations
and certification of a round's poll, and that the API's changes go through the services (R-108, R-109).

The fixtures are the voting tests' (apps/voting/tests/conftest.py): 杭州市's city selection round with four
cases and its poll, published and open from an hour ago for three days. `ballots` adds three verified voters:
the first votes for cases 1 and 2, the others for case 1 (tally 3, 1, 0, 0).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.core.scoping import scopes_disabled
from apps.voting import services
from apps.voting.models import Certificate, Invalidation, Poll, Vote
from apps.voting.tests.conftest import (  # noqa: F401 (fixtures)
    ADDRESS,
    _sms_memory,
    campaign,
    city_round,
    entries,
    poll,
    verify,
    voting_round,
)

# Everyone the poll concerns, by their relation to 杭州市's round.
PEOPLE = {
    "own": "hangzhou_admin",
    "staff": "hangzhou_staff",
    "province": "zhejiang_admin",
    "county_below": "xihu_admin",
    "other_city": "ningbo_admin",
    "other_province": "chengdu_admin",
    "anon": None,
}
READERS = {who: 404 for who in PEOPLE} | {"own": 200, "staff": 200, "province": 200, "anon": 401}
# Those who may not change the poll: strangers, and the province too, which watches but does not act.
REFUSED = {"anon": 401, "province": 404, "county_below": 404, "other_city": 404, "other_province": 404}


def token_client(user) -> APIClient:
    api = APIClient()
    if user is not None:
        _token, text = AuthToken.objects.create(user=user)  # a factory: no audit row, no per-person limit
        api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return api


def as_(campaign, who: str) -> APIClient:  # noqa: F811
    attr = PEOPLE[who]
    return token_client(getattr(campaign, attr) if attr else None)


def statuses(campaign, method: str, url: str, data: dict | None = None, people=PEOPLE) -> dict[str, int]:  # noqa: F811
    return {who: getattr(as_(campaign, who), method)(url, data, format="json").status_code for who in people}


def poll_url(poll, tail: str = "") -> str:  # noqa: F811
    return f"/api/v1/voting/polls/{poll.pk}/{tail}"


def cast(poll, entry, voter, *, now=None, address=ADDRESS) -> Vote:  # noqa: F811
    with scopes_disabled():
        return services.vote_cast(poll=poll, entry_id=entry.pk, voter_id=voter.pk, address=address,
                                  user_agent="Mozilla/5.0 MicroMessenger", now=now)


def close(poll) -> Poll:  # noqa: F811
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(closes_at=poll.opens_at + dt.timedelta(minutes=30))
        poll.refresh_from_db()
    return poll


def stored_validity() -> list[bool]:
    with scopes_disabled():
        return [v.is_valid for v in Vote.plain.order_by("pk")]


@pytest.fixture
def ballots(poll, entries):  # noqa: F811
    with scopes_disabled():
        voters = [verify(poll, f"1381234{n:04d}", address=f"192.0.2.{n + 1}") for n in range(3)]
    votes = [cast(poll, entries[0], voters[0]), cast(poll, entries[1], voters[0]),
             cast(poll, entries[0], voters[1]), cast(poll, entries[0], voters[2])]
    return SimpleNamespace(voters=voters, votes=votes)


def counts(campaign, poll, entries) -> list[int]:  # noqa: F811
    """The tally endpoint's votes for the four cases, in the fixture's order."""
    rows = as_(campaign, "own").get(poll_url(poll, "tally/")).json()["rows"]
    by_entry = {row["entry"]: row["votes"] for row in rows}
    return [by_entry[e.pk] for e in entries]


# -- who reaches what -----------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["", "tally/", "anomalies/", "invalidations/"])
def test_a_poll_is_read_by_the_round_orgs_people_and_the_offices_above_only(campaign, poll, tail):  # noqa: F811
    assert statuses(campaign, "get", poll_url(poll, tail)) == READERS


def test_a_rounds_poll_is_found_by_the_round_for_the_same_readers(campaign, poll):  # noqa: F811
    url = f"/api/v1/voting/rounds/{poll.round_id}/poll/"
    assert statuses(campaign, "get", url) == READERS
    assert as_(campaign, "province").get(url).json()["id"] == poll.pk


def test_a_round_without_a_poll_and_ids_that_are_not_numbers_answer_404(campaign, voting_round):  # noqa: F811
    api = as_(campaign, "own")
    assert api.get(f"/api/v1/voting/rounds/{voting_round.pk}/poll/").status_code == 404
    assert api.get("/api/v1/voting/rounds/abc/poll/").status_code == 404
    assert api.get("/api/v1/voting/polls/x1/").status_code == 404
    assert api.get("/api/v1/voting/polls/999999/tally/").status_code == 404
    assert api.post("/api/v1/voting/invalidations/999999/revert/", {"reason": "x"}, format="json").status_code == 404


def test_only_the_round_orgs_admins_and_staff_invalidate_votes(campaign, poll, ballots):  # noqa: F811
    url = poll_url(poll, "invalidations/")
    body = {"reason": "同一人多号刷票", "votes": [ballots.votes[0].pk]}
    assert statuses(campaign, "post", url, body, people=REFUSED) == REFUSED
    assert stored_validity() == [True, True, True, True]
    assert as_(campaign, "own").post(url, body, format="json").status_code == 201
    other = {"reason": "同一地址批量投票", "votes": [ballots.votes[2].pk]}
    assert as_(campaign, "staff").post(url, other, format="json").status_code == 201
    assert stored_validity() == [False, True, False, True]


def test_an_office_above_gets_404_for_a_change_even_with_bad_input(campaign, poll, ballots):  # noqa: F811
    """The province learns nothing from its input being checked: it may not act, so the answer is 404."""
    body = {"reason": "", "votes": [ballots.votes[0].pk], "flag": "ip:" + "0" * 32}
    response = as_(campaign, "province").post(poll_url(poll, "invalidations/"), body, format="json")
    assert response.status_code == 404


def test_only_the_round_orgs_admins_and_staff_revert_an_invalidation(campaign, poll, ballots):  # noqa: F811
    with scopes_disabled():
        gone = services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="刷票",
                                         vote_ids=[ballots.votes[0].pk])
    url = f"/api/v1/voting/invalidations/{gone.pk}/revert/"
    assert statuses(campaign, "post", url, {"reason": "核实为真实投票"}, people=REFUSED) == REFUSED
    assert stored_validity() == [False, True, True, True]
    assert as_(campaign, "staff").post(url, {"reason": "核实为真实投票"}, format="json").status_code == 200
    assert stored_validity() == [True, True, True, True]


def test_only_the_round_orgs_admins_and_staff_certify(campaign, poll, ballots):  # noqa: F811
    close(poll)
    url = poll_url(poll, "certify/")
    assert statuses(campaign, "post", url, people=REFUSED) == REFUSED
    with scopes_disabled():
        assert not Certificate.plain.exists()
    assert as_(campaign, "staff").post(url).status_code == 201


# -- reading the poll -----------------------------------------------------------------------------

def test_the_poll_shows_its_settings_state_and_counts(campaign, poll, ballots):  # noqa: F811
    with scopes_disabled():
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="刷票",
                                  vote_ids=[ballots.votes[2].pk])
    data = as_(campaign, "own").get(poll_url(poll)).json()
    assert (data["id"], data["round"], data["org_code"], data["org_name"]) == (poll.pk, poll.round_id, "330100",
                                                                              "杭州市")
    assert (data["title"], data["slug"], data["published"], data["state"]) == (
        "杭州市创新案例网络投票", poll.slug, True, "open")
    assert (data["votes_per_day"], data["counts"], data["formula"]) == (5, "delayed", "top")
    assert data["summary"] == {"valid_votes": 3, "invalid_votes": 1, "voters": 2}
    assert data["certificate"] is None and data["can_run"] is True
    assert as_(campaign, "province").get(poll_url(poll)).json()["can_run"] is False


def test_the_tally_lists_every_case_by_votes_with_the_rulebook_formula(campaign, poll, entries, ballots):  # noqa: F811
    data = as_(campaign, "province").get(poll_url(poll, "tally/")).json()
    assert data["certified"] is False and data["valid_votes"] == 4
    assert data["formula"] == {"key": "top", "label": "100 × 票数 ÷ 本轮最高票数"}
    assert [(r["entry"], r["votes"], r["score"]) for r in data["rows"][:2]] == [
        (entries[0].pk, 3, "100.0000"), (entries[1].pk, 1, "33.3333")]
    assert sorted(r["entry"] for r in data["rows"]) == sorted(e.pk for e in entries)
    with scopes_disabled():
        first = entries[0].case
        assert (data["rows"][0]["case"], data["rows"][0]["title"]) == (first.pk, first.title)
        assert data["rows"][0]["enterprise"] == first.enterprise.name


def test_the_anomaly_report_shows_a_burst_and_one_request_invalidates_it(campaign, poll, entries):  # noqa: F811
    """Twelve votes for case 1 in one minute, against a baseline of 0.2 a minute: a burst (R-109)."""
    moment = poll.opens_at + dt.timedelta(minutes=30)
    with scopes_disabled():
        voters = [verify(poll, f"1390000{n:04d}", address=f"198.51.100.{n + 1}") for n in range(13)]
    for voter in voters[:12]:
        cast(poll, entries[0], voter, now=moment, address="203.0.113.50")
    cast(poll, entries[1], voters[12], now=moment + dt.timedelta(minutes=5))
    report = as_(campaign, "staff").get(poll_url(poll, "anomalies/")).json()
    [burst] = report["flags"]
    assert (burst["kind"], burst["votes"], burst["entry"]) == ("burst", 12, entries[0].pk)
    assert burst["key"].startswith(f"burst:{entries[0].pk}:")
    assert {"label": "该时段票数", "value": "12"} in burst["evidence"]
    assert {"label": "来源地址数", "value": "1"} in burst["evidence"]
    assert report["codes"] == {"asked": 13, "failed_sends": 0, "verified": 13, "wrong": 0}

    response = as_(campaign, "own").post(poll_url(poll, "invalidations/"),
                                         {"reason": "集中刷票", "flag": burst["key"]}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["count"], response.json()["flag"]) == (12, burst["key"])
    assert counts(campaign, poll, entries) == [0, 1, 0, 0]
    assert as_(campaign, "own").get(poll_url(poll, "anomalies/")).json()["flags"] == []


# -- invalidation and recount ---------------------------------------------------------------------

def test_invalidating_through_the_api_recounts_and_reverting_restores(campaign, poll, entries, ballots):  # noqa: F811
    api = as_(campaign, "own")
    assert counts(campaign, poll, entries) == [3, 1, 0, 0]
    body = {"reason": "同一人多号刷票", "votes": [ballots.votes[0].pk, ballots.votes[2].pk]}
    response = api.post(poll_url(poll, "invalidations/"), body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["poll"], made["reason"], made["count"], made["active"]) == (poll.pk, "同一人多号刷票", 2, True)
    assert made["created_by"] == str(campaign.hangzhou_admin) and made["reverted_at"] is None
    assert counts(campaign, poll, entries) == [1, 1, 0, 0]
    assert api.get(poll_url(poll)).json()["summary"] == {"valid_votes": 2, "invalid_votes": 2, "voters": 2}
    listed = api.get(poll_url(poll, "invalidations/")).json()["results"]
    assert [(i["id"], i["count"], i["active"]) for i in listed] == [(made["id"], 2, True)]

    reverted = api.post(f"/api/v1/voting/invalidations/{made['id']}/revert/", {"reason": "核实为真实投票"},
                        format="json")
    assert reverted.status_code == 200, reverted.content
    assert (reverted.json()["active"], reverted.json()["revert_reason"]) == (False, "核实为真实投票")
    assert reverted.json()["reverted_by"] == str(campaign.hangzhou_admin)
    assert counts(campaign, poll, entries) == [3, 1, 0, 0]
    assert [i["active"] for i in api.get(poll_url(poll, "invalidations/")).json()["results"]] == [False]


@pytest.mark.parametrize("body,message", [
    ({"reason": "  ", "votes": ["first"]}, "请填写作废原因"),
    ({"votes": ["first"]}, "请填写作废原因"),
    ({"reason": "刷票"}, "请选择要作废的投票"),
    ({"reason": "刷票", "votes": ["first"], "flag": "ip:" + "0" * 32},
     "请只选择一种作废方式：填写投票ID，或选择一个异常标记"),
    ({"reason": "刷票", "flag": "burst:x"}, "异常标记无法识别，请从异常报告中选择"),
    ({"reason": "刷票", "votes": ["first", 999999]}, "投票ID 999999 不属于本次投票，请核对"),
    ({"reason": "x" * 501, "votes": ["first"]}, "作废原因不超过500字"),
])
def test_a_refused_invalidation_answers_400_in_words_and_changes_nothing(campaign, poll, ballots, body,  # noqa: F811
                                                                         message):
    body = {**body, "votes": [ballots.votes[0].pk if v == "first" else v for v in body.get("votes", [])]}
    response = as_(campaign, "own").post(poll_url(poll, "invalidations/"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": [message]}
    assert stored_validity() == [True, True, True, True]
    with scopes_disabled():
        assert not Invalidation.plain.exists()


def test_votes_that_are_not_numbers_answer_400(campaign, poll, ballots):  # noqa: F811
    response = as_(campaign, "own").post(poll_url(poll, "invalidations/"), {"reason": "刷票", "votes": ["abc"]},
                                         format="json")
    assert response.status_code == 400 and "votes" in response.json()
    assert stored_validity() == [True, True, True, True]


def test_an_invalidation_already_made_is_refused_in_words(campaign, poll, ballots):  # noqa: F811
    api = as_(campaign, "own")
    body = {"reason": "刷票", "votes": [ballots.votes[0].pk]}
    assert api.post(poll_url(poll, "invalidations/"), body, format="json").status_code == 201
    again = api.post(poll_url(poll, "invalidations/"), body, format="json")
    assert again.status_code == 400 and again.json() == {"detail": ["没有可作废的有效投票（可能已被作废）"]}


def test_a_revert_needs_a_reason_and_happens_once(campaign, poll, entries, ballots):  # noqa: F811
    with scopes_disabled():
        gone = services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="刷票",
                                         vote_ids=[ballots.votes[0].pk])
    api, url = as_(campaign, "own"), f"/api/v1/voting/invalidations/{gone.pk}/revert/"
    blank = api.post(url, {"reason": " "}, format="json")
    assert blank.status_code == 400 and blank.json() == {"detail": ["请填写恢复原因"]}
    assert counts(campaign, poll, entries) == [2, 1, 0, 0]
    assert api.post(url, {"reason": "核实"}, format="json").status_code == 200
    twice = api.post(url, {"reason": "核实"}, format="json")
    assert twice.status_code == 400 and twice.json() == {"detail": ["这次作废已经撤销过了"]}
    assert counts(campaign, poll, entries) == [3, 1, 0, 0]


# -- certification --------------------------------------------------------------------------------

def test_certifying_before_the_close_is_refused_in_words(campaign, poll, ballots):  # noqa: F811
    response = as_(campaign, "own").post(poll_url(poll, "certify/"))
    assert response.status_code == 400
    assert response.json()["detail"][0].startswith("投票尚未截止")
    with scopes_disabled():
        assert not Certificate.plain.exists()


def test_a_closed_poll_is_certified_once_and_then_frozen(campaign, poll, entries, ballots):  # noqa: F811
    api = as_(campaign, "own")
    assert api.post(poll_url(poll, "invalidations/"), {"reason": "刷票", "votes": [ballots.votes[3].pk]},
                    format="json").status_code == 201
    close(poll)
    response = api.post(poll_url(poll, "certify/"))
    assert response.status_code == 201, response.content
    made = response.json()
    with scopes_disabled():
        expected = services.vote_set_digest(poll)
    assert (made["digest"], made["valid_votes"], made["invalid_votes"]) == expected == (expected[0], 3, 1)
    assert made["poll"] == poll.pk
    assert [(r["entry"], r["votes"], r["score"]) for r in made["tally"][:2]] == [
        (entries[0].pk, 2, "100.0000"), (entries[1].pk, 1, "50.0000")]
    assert made["created_by"] == str(campaign.hangzhou_admin)

    again = api.post(poll_url(poll, "certify/"))
    assert again.status_code == 400 and again.json() == {"detail": ["投票结果已经认证过了"]}
    late = api.post(poll_url(poll, "invalidations/"), {"reason": "迟到的作废", "votes": [ballots.votes[0].pk]},
                    format="json")
    assert late.status_code == 400 and late.json() == {"detail": ["投票结果已认证，不能再更改"]}
    detail = api.get(poll_url(poll)).json()
    assert detail["state"] == "certified"
    assert (detail["certificate"]["digest"], detail["certificate"]["valid_votes"]) == (made["digest"], 3)
    tally = api.get(poll_url(poll, "tally/")).json()
    assert tally["certified"] is True and tally["rows"] == made["tally"]


# -- the schema -----------------------------------------------------------------------------------

def test_the_schema_documents_the_voting_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/voting/polls/{id}/", "/api/v1/voting/polls/{id}/tally/",
                 "/api/v1/voting/polls/{id}/anomalies/", "/api/v1/voting/polls/{id}/invalidations/",
                 "/api/v1/voting/polls/{id}/certify/", "/api/v1/voting/invalidations/{id}/revert/",
                 "/api/v1/voting/rounds/{round_id}/poll/"):
        assert f"{path}:" in schema, path
    for component in ("PaginatedInvalidationList", "InvalidationInput", "AnomalyReport", "CertificateDetail",
                      "Tally"):
        assert f"    {component}:" in schema, component
