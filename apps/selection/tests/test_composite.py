"""The composite ranking (R-108, R-109; issue 6 "into the ranking"): review and votes by the round's weights,
vote score = 100 × votes ÷ the round's top count (rulebook data), a missing part counts 0."""

from __future__ import annotations

from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import make_expert, scores, submitted_sheet
from apps.selection.composite import composite_of
from apps.voting import services
from apps.voting.hashing import phone_hash
from apps.voting.models import Poll, Vote, Voter


def _votes(poll, entry, n, start=0):
    voters = Voter.objects.bulk_create([Voter(phone_hash=phone_hash(f"137{start + i:08d}")) for i in range(n)])
    Vote.plain.bulk_create([Vote(poll=poll, entry=entry, voter=v, day=services.shanghai_day(poll.opens_at), slot=1,
                                 created_at=poll.opens_at, ip_hash="a" * 32, net_hash="b" * 32) for v in voters])


def _world(poll, entries, campaign):
    round = poll.round
    expert = make_expert("周教授", org=campaign.hangzhou)
    submitted_sheet(round, entries[0].case, expert, scores(24, 24, 20, 12))  # 80
    submitted_sheet(round, entries[1].case, expert, scores(27, 27, 22.5, 13.5))  # 90
    _votes(poll, entries[0], 10)
    _votes(poll, entries[1], 5, start=100)


def test_review_and_votes_combine_by_the_round_weights(poll, entries, campaign):
    with scopes_disabled():
        _world(poll, entries, campaign)
        composite = composite_of(poll.round)
    by_entry = {row.entry_id: row for row in composite.rows}
    assert [row.entry_id for row in composite.rows[:2]] == [entries[0].pk, entries[1].pk]
    assert by_entry[entries[0].pk].total == 86.0  # 0.7 × 80 + 0.3 × 100
    assert by_entry[entries[1].pk].total == 78.0  # 0.7 × 90 + 0.3 × 50
    assert by_entry[entries[2].pk].total == 0.0 and by_entry[entries[2].pk].parts[0].score is None
    assert composite.formula[0] == "综合得分 = 专家评审得分 × 70% + 网络投票得分 × 30%"
    assert "网络投票得分 = 100 × 票数 ÷ 本轮最高票数（工作细则，R-108）" in composite.formula


def test_the_total_formula_of_the_rulebook_changes_the_vote_score(poll, entries, campaign):
    with scopes_disabled():
        _world(poll, entries, campaign)
        Poll.plain.filter(pk=poll.pk).update(formula=Poll.Formula.TOTAL)
        by_entry = {row.entry_id: row for row in composite_of(poll.round).rows}
    assert by_entry[entries[0].pk].total == round(0.7 * 80 + 0.3 * 100 * 10 / 15, 4)


def test_an_invalidated_vote_leaves_the_composite(poll, entries, campaign):
    with scopes_disabled():
        _world(poll, entries, campaign)
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="刷票",
                                  vote_ids=list(Vote.plain.filter(entry=entries[0])[:6].values_list("pk", flat=True)))
        by_entry = {row.entry_id: row for row in composite_of(poll.round).rows}
    # 4 votes left against 5: entry 1 is now the top count.
    assert by_entry[entries[1].pk].total == 0.7 * 90 + 30.0
    assert by_entry[entries[0].pk].total == 0.7 * 80 + 0.3 * 80


def test_the_ranking_page_prints_the_formula_and_each_part(client, poll, entries, campaign):
    with scopes_disabled():
        _world(poll, entries, campaign)
    client.force_login(campaign.hangzhou_admin)
    page = client.get(reverse("selection:composite", args=[poll.round.pk])).content.decode()
    assert "综合得分 = 专家评审得分 × 70% + 网络投票得分 × 30%" in page
    assert "86.00" in page and "10票" in page and "1位评委" in page
    client.force_login(campaign.ningbo_admin)
    assert client.get(reverse("selection:composite", args=[poll.round.pk])).status_code == 404
