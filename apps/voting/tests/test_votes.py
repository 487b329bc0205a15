"""Vote rules (R-108, R-109; issue 6): N votes a voter a day, at most one per case a day, days in
Asia/Shanghai, a voting window; invalidation, recount and the certified tally."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.rounds.models import RoundEntry
from apps.voting import services
from apps.voting.models import Poll, Vote
from apps.voting.services import VoteError
from apps.voting.tests.conftest import ADDRESS, verify

UTC = dt.timezone.utc


def cast(poll, entry, voter, *, now=None, address=ADDRESS):
    return services.vote_cast(poll=poll, entry_id=entry.pk, voter_id=voter.pk, address=address,
                              user_agent="Mozilla/5.0 MicroMessenger", now=now)


def test_one_vote_per_case_a_day(poll, entries):
    with scopes_disabled():
        voter = verify(poll, "13812345678")
        vote = cast(poll, entries[0], voter)
        with pytest.raises(VoteError) as again:
            cast(poll, entries[0], voter)
        assert Vote.plain.count() == 1
    assert vote.slot == 1 and vote.user_agent == "Mozilla/5.0 MicroMessenger" and len(vote.ip_hash) == 32
    assert again.value.code == "already"
    assert again.value.message == "您今天已为该案例投过票，每个案例每天只能投1票，明天可以再投"


def test_n_votes_a_day_from_the_rulebook(poll, entries):
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(votes_per_day=3)
        poll.refresh_from_db()
        voter = verify(poll, "13812345678")
        slots = [cast(poll, entry, voter).slot for entry in entries[:3]]
        with pytest.raises(VoteError) as limit:
            cast(poll, entries[3], voter)
    assert slots == [1, 2, 3]
    assert limit.value.code == "limit" and limit.value.message == "您今天的3票已全部投出，明天可以再投"


def test_the_day_ends_at_midnight_in_beijing_not_utc(poll, entries):
    # 2 days after opening, 23:59:59 and 00:00:00 Beijing time = 15:59:59 and 16:00:00 UTC.
    day = timezone.localtime(poll.opens_at).date() + dt.timedelta(days=1)
    before = dt.datetime.combine(day, dt.time(15, 59, 59), tzinfo=UTC)
    after = before + dt.timedelta(seconds=1)
    with scopes_disabled():
        voter = verify(poll, "13812345678", now=before - dt.timedelta(minutes=2))
        first = cast(poll, entries[0], voter, now=before - dt.timedelta(hours=15))  # 08:59 Beijing, same day
        with pytest.raises(VoteError):
            cast(poll, entries[0], voter, now=before)
        second = cast(poll, entries[0], voter, now=after)
    assert first.day == day and second.day == day + dt.timedelta(days=1)


def test_the_voting_window_is_enforced(poll, entries):
    with scopes_disabled():
        voter = verify(poll, "13812345678")
        with pytest.raises(VoteError) as early:
            cast(poll, entries[0], voter, now=poll.opens_at - dt.timedelta(seconds=1))
        with pytest.raises(VoteError) as late:
            cast(poll, entries[0], voter, now=poll.closes_at)
        last_second = cast(poll, entries[0], voter, now=poll.closes_at - dt.timedelta(seconds=1))
    assert early.value.code == "not_open" and early.value.message.startswith("投票尚未开始")
    assert late.value.code == "closed" and last_second.pk


def test_a_case_outside_the_poll_or_out_of_the_round_takes_no_vote(poll, entries, campaign):
    with scopes_disabled():
        voter = verify(poll, "13812345678")
        RoundEntry.plain.filter(pk=entries[1].pk).update(decision=RoundEntry.Decision.OUT)
        with pytest.raises(NotFound):
            cast(poll, entries[1], voter)
        foreign = RoundEntry.plain.exclude(round=poll.round).first()
        with pytest.raises(NotFound):
            services.vote_cast(poll=poll, entry_id=foreign.pk, voter_id=voter.pk, address=ADDRESS)
        Poll.plain.filter(pk=poll.pk).update(published=False)
        poll.refresh_from_db()
        with pytest.raises(NotFound):
            cast(poll, entries[0], voter)
        assert Vote.plain.count() == 0


def test_invalidation_is_reversible_audited_and_the_tally_recounts(poll, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        voters = [verify(poll, f"1381234{n:04d}", address=f"192.0.2.{n}") for n in range(3)]
        votes = [cast(poll, entries[0], v) for v in voters] + [cast(poll, entries[1], voters[0])]
        assert services.tally(poll) == {entries[0].pk: 3, entries[1].pk: 1}
        with pytest.raises(ValidationError):
            services.votes_invalidate(poll=poll, by=admin, reason="  ", vote_ids=[votes[0].pk])
        gone = services.votes_invalidate(poll=poll, by=admin, reason="同一人多号刷票",
                                         vote_ids=[votes[0].pk, votes[1].pk])
        assert services.tally(poll) == {entries[0].pk: 1, entries[1].pk: 1}
        with pytest.raises(ValidationError) as twice:
            services.votes_invalidate(poll=poll, by=admin, reason="再次", vote_ids=[votes[0].pk])
        services.invalidation_revert(invalidation=gone, by=admin, reason="核实为真实投票")
        assert services.tally(poll) == {entries[0].pk: 3, entries[1].pk: 1}
        with pytest.raises(ValidationError):
            services.invalidation_revert(invalidation=gone, by=admin, reason="again")
        actions = list(AuditEntry.plain.filter(action__startswith="voting.").values_list("action", flat=True))
    assert gone.count == 2 and twice.value.messages == ["没有可作废的有效投票（可能已被作废）"]
    assert actions.count("voting.invalidate") == 1 and actions.count("voting.invalidation_revert") == 1


def test_only_the_round_org_may_invalidate(poll, entries, campaign):
    with scopes_disabled():
        voter = verify(poll, "13812345678")
        vote = cast(poll, entries[0], voter)
        for outsider in (campaign.zhejiang_admin, campaign.xihu_admin):
            with pytest.raises(NotFound):
                services.votes_invalidate(poll=poll, by=outsider, reason="x", vote_ids=[vote.pk])
        assert Vote.plain.get().invalidation_id is None


def test_vote_scores_follow_the_rulebook_formula(poll, entries):
    counts = {entries[0].pk: 40, entries[1].pk: 10, entries[2].pk: 0}
    assert services.vote_scores(poll, counts) == {entries[0].pk: 100.0, entries[1].pk: 25.0, entries[2].pk: 0.0}
    poll.formula = Poll.Formula.TOTAL
    assert services.vote_scores(poll, counts) == {entries[0].pk: 80.0, entries[1].pk: 20.0, entries[2].pk: 0.0}
    assert services.vote_scores(poll, {}) == {}


def test_the_certified_tally_carries_a_digest_anyone_can_recompute(poll, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        voters = [verify(poll, f"1381234{n:04d}", address=f"192.0.2.{n}") for n in range(3)]
        for n, voter in enumerate(voters):
            for entry in entries[: n + 1]:
                cast(poll, entry, voter)
        services.votes_invalidate(poll=poll, by=admin, reason="测试", vote_ids=[Vote.plain.first().pk])
        with pytest.raises(ValidationError) as early:
            services.poll_certify(poll=poll, by=admin)
        closed = poll.closes_at + dt.timedelta(minutes=1)
        certificate = services.poll_certify(poll=poll, by=admin, now=closed)
        lines = [services.VOTE_SET_HEADER, *services.vote_set_lines(poll)]
        with pytest.raises(ValidationError) as again:
            services.poll_certify(poll=poll, by=admin, now=closed)
        with pytest.raises(ValidationError) as frozen:
            services.votes_invalidate(poll=poll, by=admin, reason="迟到的作废", vote_ids=[Vote.plain.last().pk])
        counts, _as_of = services.public_counts(poll)
    assert early.value.messages[0].startswith("投票尚未截止")
    assert certificate.digest == hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest()
    assert (certificate.valid_votes, certificate.invalid_votes) == (5, 1)
    assert [row["votes"] for row in certificate.tally] == [2, 2, 1, 0]
    assert certificate.tally[0]["score"] == "100.0000" and certificate.tally[2]["score"] == "50.0000"
    assert again.value.messages == ["投票结果已经认证过了"] and frozen.value.messages == ["投票结果已认证，不能再更改"]
    assert counts == {row["entry"]: row["votes"] for row in certificate.tally}


def test_counts_shown_to_the_public_follow_the_rulebook(poll, entries):
    with scopes_disabled():
        voter = verify(poll, "13812345678")
        Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.DELAYED, refresh_minutes=10)
        poll.refresh_from_db()
        before, as_of = services.public_counts(poll)
        cast(poll, entries[0], voter)
        still, _ = services.public_counts(poll)  # the same ten-minute period: the cached counts
        later, _ = services.public_counts(poll, now=timezone.now() + dt.timedelta(minutes=10))
        poll.counts = Poll.Counts.LIVE
        live, _ = services.public_counts(poll)
        poll.counts = Poll.Counts.HIDDEN
        hidden = services.public_counts(poll)
    assert before == {} and still == {} and as_of is not None
    assert later == {entries[0].pk: 1} and live == {entries[0].pk: 1}
    assert hidden == (None, None)


def test_poll_settings_come_from_the_rulebook_and_freeze_with_the_first_vote(poll, entries, campaign):
    from apps.campaigns.models import Rulebook

    admin = campaign.hangzhou_admin
    with scopes_disabled():
        assert poll.votes_per_day == 5 and poll.counts == "delayed" and poll.formula == "top"
        rulebook = Rulebook.plain.get(programme=poll.round.programme)
        rulebook.values = {**rulebook.values, "votes_per_day": 3}
        rulebook.save()
        poll = services.poll_save(round=poll.round, by=admin, title=poll.title, intro="", opens_at=poll.opens_at,
                                  closes_at=poll.closes_at, published=True)
        assert poll.votes_per_day == 3
        cast(poll, entries[0], verify(poll, "13812345678"))
        rulebook.values = {**rulebook.values, "votes_per_day": 7}
        rulebook.save()
        poll = services.poll_save(round=poll.round, by=admin, title="新标题", intro="", opens_at=poll.opens_at,
                                  closes_at=poll.closes_at + dt.timedelta(days=1), published=True)
        with pytest.raises(ValidationError) as moved:
            services.poll_save(round=poll.round, by=admin, title="新标题", intro="",
                               opens_at=poll.opens_at + dt.timedelta(hours=1), closes_at=poll.closes_at, published=True)
    assert poll.votes_per_day == 3 and poll.title == "新标题"
    assert moved.value.messages == ["已有投票，开始时间不能再修改"]


def test_a_poll_needs_voting_in_the_round_settings_and_a_sane_window(campaign, voting_round, entries):
    from apps.review.tests.conftest import configure

    admin = campaign.hangzhou_admin
    now = timezone.now()
    with scopes_disabled():
        with pytest.raises(ValidationError) as backwards:
            services.poll_save(round=voting_round, by=admin, title="投票", intro="", opens_at=now, closes_at=now,
                               published=False)
        configure(voting_round, methods=["review"], weights={"review": 100})
        with pytest.raises(ValidationError) as no_voting:
            services.poll_save(round=voting_round, by=admin, title="投票", intro="", opens_at=now,
                               closes_at=now + dt.timedelta(days=1), published=False)
        with pytest.raises(NotFound):
            services.poll_save(round=voting_round, by=campaign.xihu_admin, title="投票", intro="", opens_at=now,
                               closes_at=now + dt.timedelta(days=1), published=False)
        assert not Poll.plain.exists()
    assert backwards.value.messages == ["投票截止时间应晚于开始时间"]
    assert no_voting.value.messages[0].startswith("请先在本轮评审设置中选择“网络投票”")


@pytest.mark.postgres
def test_fifty_simultaneous_votes_of_one_voter_for_one_case_make_one_vote(transactional_db, campaign, poll, entries):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so there is no race to test")
    with scopes_disabled():
        voter = verify(poll, "13812345678")
    outcomes = _race(poll, [entries[0].pk] * 50, voter.pk)
    with scopes_disabled():
        assert Vote.plain.filter(poll=poll).count() == 1
    assert outcomes.count("ok") == 1 and outcomes.count("already") == 49


@pytest.mark.postgres
def test_fifty_simultaneous_votes_for_different_cases_stop_at_the_daily_limit(transactional_db, campaign, poll,
                                                                               entries):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so there is no race to test")
    from apps.review.tests.conftest import add_cases

    with scopes_disabled():
        more = add_cases(campaign, poll.round, 46)
        ids = [e.pk for e in entries] + [poll.round.entries.get(case=c).pk for c in more]
        voter = verify(poll, "13812345678")
    outcomes = _race(poll, ids, voter.pk)
    with scopes_disabled():
        slots = sorted(Vote.plain.filter(poll=poll).values_list("slot", flat=True))
    assert outcomes.count("ok") == poll.votes_per_day == 5 and slots == [1, 2, 3, 4, 5]
    assert set(outcomes) == {"ok", "limit"}


def _race(poll, entry_ids, voter_id):
    barrier = threading.Barrier(len(entry_ids))
    outcomes: list[str] = []

    def one(entry_id):
        try:
            fresh = Poll.plain.get(pk=poll.pk)
            barrier.wait(timeout=20)
            services.vote_cast(poll=fresh, entry_id=entry_id, voter_id=voter_id, address=ADDRESS)
            outcomes.append("ok")
        except VoteError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(e,)) for e in entry_ids]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert len(outcomes) == len(entry_ids)
    return outcomes


def test_voting_cannot_be_dropped_from_the_round_once_votes_exist(poll, entries, campaign):
    from apps.review.services import review_configure

    admin = campaign.hangzhou_admin
    with scopes_disabled():
        review_configure(round=poll.round, by=admin, data={"weights": {"review": 80, "voting": 20}})
        cast(poll, entries[0], verify(poll, "13812345678"))
        with pytest.raises(ValidationError) as refused:
            review_configure(round=poll.round, by=admin, data={"methods": ["review"], "weights": {"review": 100}})
    assert refused.value.messages == ["本轮网络投票已有投票，不能取消“网络投票”；如需调整，请修改其权重"]
