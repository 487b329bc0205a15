"""`manage.py round_recompute <id>`: the ranking recomputed from the stored sheets matches its snapshot."""

import pytest
from django.core.management import CommandError, call_command

from apps.core.scoping import scopes_disabled
from apps.review.models import Assignment, RankingSnapshot, ScoreSheet
from apps.review.services import ranking_snapshot

pytestmark = pytest.mark.django_db

FULL = {"innovation": 27, "results": 25, "demonstration": 20, "typicality": 12}


def _submit(world):
    with scopes_disabled():
        ScoreSheet.plain.filter(assignment=world.review_assignment).update(scores=FULL, state="submitted", total=84)
        Assignment.plain.filter(pk=world.review_assignment.pk).update(state="submitted")


def _run(round_id) -> str:
    from io import StringIO

    out = StringIO()
    call_command("round_recompute", str(round_id), stdout=out)
    return out.getvalue()


def test_without_a_snapshot_it_prints_the_digest_and_says_there_is_nothing_to_compare(world):
    _submit(world)
    out = _run(world.hangzhou_round.pk)
    assert "1 ranked cases" in out and "no snapshot saved yet" in out


def test_a_snapshot_recomputes_identically(world):
    _submit(world)
    with scopes_disabled():
        snapshot = ranking_snapshot(round=world.hangzhou_round, by=world.hangzhou_admin)
    assert f"identical to snapshot {snapshot.pk}" in _run(world.hangzhou_round.pk)


def test_a_changed_score_is_caught_and_the_case_named(world):
    _submit(world)
    with scopes_disabled():
        ranking_snapshot(round=world.hangzhou_round, by=world.hangzhou_admin)
        ScoreSheet.plain.filter(assignment=world.review_assignment).update(scores={**FULL, "results": 20})
    with pytest.raises(CommandError, match=rf"cases whose rows differ: \[{world.xihu_case.pk}\]"):
        _run(world.hangzhou_round.pk)


def test_an_altered_snapshot_is_caught(world):
    _submit(world)
    with scopes_disabled():
        snapshot = ranking_snapshot(round=world.hangzhou_round, by=world.hangzhou_admin)
        data = snapshot.data
        data["ranking"]["rows"][0]["score"] = 99.0
        RankingSnapshot.plain.filter(pk=snapshot.pk).update(data=data)
    with pytest.raises(CommandError, match="was altered"):
        _run(world.hangzhou_round.pk)


def test_an_unknown_round_is_an_error(db):
    with pytest.raises(CommandError, match="no round 999999"):
        _run(999999)
