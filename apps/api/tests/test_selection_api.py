"""POST /api/v1/rounds/{id}/validate/ (issue 7 item 7): the list's violations by R-id, with the numbers."""

from __future__ import annotations

from rest_framework.test import APIClient

from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import campaign, city_round  # noqa: F401 (fixtures)
from apps.rounds.models import RoundEntry
from apps.voting.tests.conftest import _sms_memory, entries, poll, voting_round  # noqa: F401 (fixtures)


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_validate_names_each_broken_rule_with_its_r_id_and_numbers(poll, entries, campaign):  # noqa: F811
    round = poll.round
    with scopes_disabled():
        RoundEntry.plain.filter(pk=entries[3].pk).update(decision=RoundEntry.Decision.OUT)
    ids = [e.case_id for e in entries]
    response = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{round.pk}/validate/",
                                                     {"case_ids": ids + [999999]}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["valid"] is False and body["count"] == 5
    rules = [v["rule"] for v in body["violations"]]
    # 4 cases against the 72 that 杭州市's quota of 60 needs (R-105), one case out of the list (R-107), an
    # unknown id last.
    assert rules == ["R-107", "R-105", ""]
    surplus = body["violations"][1]
    assert (surplus["needed"], surplus["have"]) == (72, 4)
    assert body["violations"][0]["cases"] == [entries[3].case_id]


def test_validate_refuses_bad_input_and_foreign_rounds(poll, entries, campaign):  # noqa: F811
    url = f"/api/v1/rounds/{poll.round.pk}/validate/"
    assert _client(campaign.hangzhou_admin).post(url, {"case_ids": "x"}, format="json").status_code == 400
    assert _client(campaign.hangzhou_admin).post(url, {}, format="json").status_code == 400
    assert _client(campaign.ningbo_admin).post(url, {"case_ids": []}, format="json").status_code == 404
    assert _client(campaign.zhejiang_admin).post(url, {"case_ids": []}, format="json").status_code == 200
    assert APIClient().post(url, {"case_ids": []}, format="json").status_code == 401


def test_propose_explains_why_no_list_meets_the_surplus_rule(poll, entries, campaign):  # noqa: F811
    response = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{poll.round.pk}/propose/", {}, format="json")
    body = response.json()
    # 4 candidates cannot make the 72 cases 杭州市's quota of 60 needs with a 20% surplus (R-105).
    assert response.status_code == 200 and body["infeasible"] is True and body["case_ids"] == []
    assert "R-105" in body["rules"] and any("72" in sentence for sentence in body["explanations"])


def test_propose_returns_the_best_list_when_the_rules_allow_one(poll, entries, campaign):  # noqa: F811
    from apps.campaigns.models import Rulebook

    with scopes_disabled():
        rulebook = Rulebook.plain.get(programme=poll.round.programme)
        # 杭州市's quota follows the province's target: 3 of 100 makes it 2, with no surplus the list needs 2.
        rulebook.values = {**rulebook.values, "target": 3, "surplus_ratio": "0"}
        rulebook.save()
    body = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{poll.round.pk}/propose/",
                                                 {"exclude": [entries[0].case_id]}, format="json").json()
    assert body["infeasible"] is False and body["optimal"] is True
    assert entries[0].case_id not in body["case_ids"] and body["count"] >= 1
    check = _client(campaign.hangzhou_admin).post(f"/api/v1/rounds/{poll.round.pk}/validate/",
                                                  {"case_ids": body["case_ids"]}, format="json").json()
    assert check["valid"] is True
