"""A round's selection problem as data: the rules by the round's kind with their R-ids, and its candidates."""

from __future__ import annotations

from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for
from apps.selection.selectors import candidates_for, rules_for, target_for


def test_the_city_round_has_eligibility_one_per_enterprise_and_its_surplus_list_length(poll, entries):
    with scopes_disabled():
        rules = rules_for(poll.round)
    assert [(r.rule, r.kind) for r in rules][:2] == [("R-107", "eligibility"), ("R-108", "per_group")]
    assert rules[1].attribute == "enterprise" and rules[1].maximum == 1
    # The test tree's quota table gives 杭州市 60 of 浙江省's 100 (3 of its 5 associations): the list it sends
    # to the province needs ceil(1.2 × 60) = 72 cases.
    assert (rules[2].rule, rules[2].op, rules[2].n) == ("R-105", ">=", 72)
    assert rules[2].text == "杭州市名额60件，按差额比例20%至少推荐72件"


def test_the_province_and_presenter_rounds_follow_r109_and_r110(campaign):
    with scopes_disabled():
        province = round_for(programme=campaign.zhejiang_programme, org=campaign.zhejiang,
                             kind=Round.Kind.PROVINCE_SELECTION)
        presenters = round_for(programme=campaign.zhejiang_programme, org=campaign.zhejiang,
                               kind=Round.Kind.PRESENTER_SELECTION)
        province_rules, presenter_rules = rules_for(province), rules_for(presenters)
        target = target_for(province)
    assert [(r.rule, r.kind) for r in province_rules] == [("R-107", "eligibility"), ("R-109", "count"),
                                                          ("R-109", "share")]
    assert (province_rules[1].op, province_rules[1].n) == ("<=", 100) and province_rules[2].minimum == 0.3
    assert province_rules[2].text == "园区科协推荐的案例占比不低于30%" and target == 100
    assert [(r.rule, r.kind) for r in presenter_rules] == [("R-107", "eligibility"), ("R-110", "count"),
                                                           ("R-110", "per_group"), ("R-110", "share")]
    assert (presenter_rules[1].op, presenter_rules[1].n, presenter_rules[2].maximum) == ("==", 10, 2)


def test_candidates_carry_score_enterprise_city_channel_and_eligibility(poll, entries, campaign):
    with scopes_disabled():
        RoundEntry.plain.filter(pk=entries[1].pk).update(decision=RoundEntry.Decision.OUT)
        found = {c.id: c for c in candidates_for(poll.round)}
    first = found[entries[0].case_id]
    assert first.city == campaign.hangzhou.pk and first.province == campaign.zhejiang.pk
    assert first.enterprise == entries[0].case.enterprise_id and first.channel == entries[0].case.channel
    assert not found[entries[1].case_id].eligible and first.eligible and first.score == 0.0
