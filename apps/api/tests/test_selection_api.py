"""POST /api/v1/rounds/{id}/validate/ (issue 7 item 7): the list's violations by R-id, with the numbers."""

from __future__ import annotations

from rest_framework.test import APIClient

from apps.orgs.scoping import scopes_disabled
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
