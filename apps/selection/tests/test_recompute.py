"""`manage.py round_recompute` on a locked list (issue 7, item 6): the result document is built again from the
stored scores, votes and rules and compared with the SHA-256 recorded at locking; a document edited in the
database, or whose totals do not follow from its own parts, is named as such. The downloads are the stored bytes."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.review.models import ScoreSheet
from apps.review.tests.conftest import make_expert, scores, submitted_sheet
from apps.selection import results, services
from apps.selection.models import LockedList
from apps.voting import services as voting
from apps.voting.tests.conftest import verify


@pytest.fixture
def sheet(small, entries, campaign):
    """周教授's submitted sheet for entries[0]'s case (70 of 100), the round's only expert review."""
    with scopes_disabled():
        expert = make_expert("周教授", org=campaign.hangzhou, industries=["C"])
        return submitted_sheet(small, entries[0].case, expert, scores(20, 20, 20, 10))


def _lock(round, entries, admin) -> LockedList:
    with scopes_disabled():
        services.list_set(round=round, by=admin, add=[entries[0].case_id, entries[1].case_id])
        return services.list_lock(round=round, by=admin)


def _recompute(round) -> str:
    out = io.StringIO()
    call_command("round_recompute", str(round.pk), stdout=out)
    return out.getvalue()


def test_recompute_of_an_unchanged_locked_list_prints_identical(small, sheet, entries, campaign):
    locked = _lock(small, entries, campaign.hangzhou_admin)
    assert locked.result["ranking"][0] == {"rank": 1, "case_id": entries[0].case_id, "total": 49.0}  # 70 × 70%
    output = _recompute(small)
    assert "locked list 1 (2 cases): identical to the result locked on" in output
    assert locked.sha256 in output


def test_recompute_names_the_case_whose_expert_scores_changed_after_locking(small, sheet, entries,
                                                                            campaign):
    _lock(small, entries, campaign.hangzhou_admin)
    with scopes_disabled():
        ScoreSheet.plain.filter(pk=sheet.pk).update(scores=scores(30, 30, 20, 10), total=90)
    with pytest.raises(CommandError) as failed:
        _recompute(small)
    message = str(failed.value)
    assert "differs from its recomputation" in message
    assert f"inputs of cases [{entries[0].case_id}] changed" in message
    assert f"ranking of cases [{entries[0].case_id}] changed" in message


def test_recompute_names_the_cases_whose_votes_were_invalidated_after_locking(small, poll, entries,
                                                                              campaign):
    with scopes_disabled():
        voter = verify(poll, "13900139000")
        vote = voting.vote_cast(poll=poll, entry_id=entries[1].pk, voter_id=voter.pk, address="203.0.113.7")
        locked = _lock(small, entries, campaign.hangzhou_admin)
        assert locked.result["ranking"][0] == {"rank": 1, "case_id": entries[1].case_id, "total": 30.0}
        voting.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="同一设备批量投票",
                                vote_ids=[vote.pk])
    with pytest.raises(CommandError, match=rf"inputs of cases \[{entries[1].case_id}\] changed"):
        _recompute(small)


def test_recompute_says_a_result_edited_in_the_database_was_altered(small, entries, campaign):
    locked = _lock(small, entries, campaign.hangzhou_admin)
    document = locked.result
    document["inputs"][0]["title"] = "改过的标题"
    with scopes_disabled():
        LockedList.plain.filter(pk=locked.pk).update(result=document)
    with pytest.raises(CommandError, match=rf"locked list 1 \(2 cases\) was altered: .* it records {locked.sha256}"):
        _recompute(small)


def test_recompute_refuses_totals_that_do_not_follow_from_their_parts(small, sheet, entries, campaign):
    """A tamperer who also rewrites the stored digest is caught by the document's own arithmetic."""
    locked = _lock(small, entries, campaign.hangzhou_admin)
    document = locked.result
    document["ranking"][1]["total"] = 60.0
    tampered_case = document["ranking"][1]["case_id"]
    with scopes_disabled():
        LockedList.plain.filter(pk=locked.pk).update(result=document, sha256=results.digest(document))
    with pytest.raises(CommandError) as failed:
        _recompute(small)
    assert "do not follow from their parts and weights" in str(failed.value)
    assert f"[{tampered_case}]" in str(failed.value)


def test_recompute_compares_the_latest_lock_after_an_unlock(small, sheet, entries, campaign):
    admin = campaign.hangzhou_admin
    assert "no locked list yet: no result to compare" in _recompute(small)
    first = _lock(small, entries, admin)
    with scopes_disabled():
        services.list_unlock(round=small, by=admin, reason="异议成立，调整名单")
        ScoreSheet.plain.filter(pk=sheet.pk).update(scores=scores(30, 30, 20, 10), total=90)
        services.list_set(round=small, by=admin, remove=[entries[1].case_id], add=[entries[2].case_id])
        second = services.list_lock(round=small, by=admin)
    assert second.sha256 != first.sha256
    output = _recompute(small)
    assert "locked list 2 (2 cases): identical" in output and second.sha256 in output


def test_recompute_of_an_unknown_round_fails(db):
    with pytest.raises(CommandError, match="no round 987654"):
        call_command("round_recompute", "987654", stdout=io.StringIO())


def test_the_downloads_carry_the_sha256_of_their_bytes_and_stay_as_locked(client, small, sheet, entries,
                                                                          campaign):
    locked = _lock(small, entries, campaign.hangzhou_admin)
    client.force_login(campaign.hangzhou_admin)
    as_json = client.get(reverse("selection:result_json", args=[locked.pk]))
    as_csv = client.get(reverse("selection:result_csv", args=[locked.pk]))
    assert as_json["X-Content-SHA256"] == hashlib.sha256(as_json.content).hexdigest() == locked.sha256
    assert as_csv["X-Content-SHA256"] == hashlib.sha256(as_csv.content).hexdigest() == results.csv_digest(
        locked.result)
    assert as_csv["Content-Disposition"] == f'attachment; filename="round-{small.pk}-list-1.csv"'
    rows = as_csv.content.decode().splitlines()
    assert rows[0] == "rank,case_id,title,enterprise,city,channel,eligible,score_review,score_voting,total,on_list"
    assert rows[1].startswith(f"1,{entries[0].case_id},") and rows[1].endswith(",70.0000,0.0000,49.0000,1")
    with scopes_disabled():  # a later change of the scores does not change what was locked
        ScoreSheet.plain.filter(pk=sheet.pk).update(scores=scores(30, 30, 20, 10), total=90)
    again = client.get(reverse("selection:result_csv", args=[locked.pk]))
    assert again.content == as_csv.content and again["X-Content-SHA256"] == as_csv["X-Content-SHA256"]
