"""The solver (issue 7 §3): the best valid list under a round's rules and pins, the same optimum as brute force on
small instances, the same optimum with and without pruning, and explanations that name the rules (R-ids) and
numbers when no valid list exists or the target cannot be reached."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.rounds.rules import Candidate, Count, Eligibility, PerGroup, Quota, Share
from apps.selection.solver import SCALE, propose
from apps.selection.validator import validate

AT_MOST_100 = Count("R-109", "<=", 100, "省级遴选案例不超过100件")
PARK_30 = Share("R-109", "channel", "park", 0.30, "园区科协推荐案例占比不低于30%")
ONE_PER_ENTERPRISE = PerGroup("R-108", "enterprise", 1, "每个企业最多推荐1件")
TWO_PER_CITY = PerGroup("R-110", "city", 2, "每个市最多2件")
PASSED = Eligibility("R-107", "只有通过下级遴选的案例可以入选")
NANJING, SUZHOU, WUXI = 3201, 3205, 3202
CITY_NAMES = {NANJING: "南京市", SUZHOU: "苏州市", WUXI: "无锡市"}


def case(id, score, *, enterprise=None, city=NANJING, channel="enterprise", eligible=True):
    return Candidate(id=id, score=score, enterprise=id if enterprise is None else enterprise, city=city,
                     channel=channel, eligible=eligible, label=f"案例{id}")


def province_pool(parks: int, others: int) -> list[Candidate]:
    """A province's candidates: `parks` park-recommended, `others` enterprise-recommended, 10 cities."""
    pool = [case(i, 90 - i * 0.01, city=i % 10, channel="park") for i in range(1, parks + 1)]
    pool += [case(1000 + i, 95 - i * 0.01, city=i % 10) for i in range(1, others + 1)]
    return pool


# Rule by rule ---------------------------------------------------------------------------------------------------


def test_exact_count_takes_the_top_scores_and_breaks_ties_by_the_smaller_id():
    pool = [case(5, 80), case(2, 90), case(9, 90), case(4, 70), case(7, 80)]
    proposal = propose([Count("R-110", "==", 3, "宣讲案例10件")], pool)
    assert proposal.chosen == (2, 9, 5)
    assert (proposal.count, proposal.total, proposal.optimal) == (3, 260.0, True)


def test_equal_totals_go_to_the_list_higher_in_the_ranking():
    # Allowed pairs {1, 5} and {2, 3} both total 8; ranks 1 + 5 > 2 + 3, so {2, 3} stands higher.
    pool = [case(1, 6, enterprise=1, city=1), case(2, 5, enterprise=1, city=2), case(3, 3, enterprise=2, city=1),
            case(4, 2.5, enterprise=1, city=1), case(5, 2, enterprise=3, city=3)]
    rules = [Count("R-110", "==", 2, "两件"), ONE_PER_ENTERPRISE, PerGroup("R-110", "city", 1, "每市最多1件")]
    proposal = propose(rules, pool)
    assert (proposal.chosen, proposal.total) == ((2, 3), 8.0)
    tied = [case(4, 5), case(3, 5), case(2, 5), case(1, 5)]
    assert propose([Count("R-110", "==", 2, "两件")], tied).chosen == (1, 2)


def test_park_share_brings_in_lower_scoring_park_cases_r109():
    pool = [case(i, 90 - i) for i in range(1, 8)] + [case(20 + i, 50 - i, channel="park") for i in range(1, 4)]
    proposal = propose([Count("R-109", "==", 7, "七件"), PARK_30], pool)
    assert proposal.chosen == (1, 2, 3, 4, 21, 22, 23)
    assert validate([PARK_30], pool, proposal.chosen) == []


def test_share_with_two_decimals_is_exact():
    share = Share("R-109", "channel", "park", 0.35, "园区占比不低于35%")
    pool = [case(i, 90 - i) for i in range(1, 20)] + [case(100 + i, 10, channel="park") for i in range(1, 20)]
    proposal = propose([Count("R-109", "==", 20, "二十件"), share], pool)
    assert sum(1 for i in proposal.chosen if i > 100) == 7  # ceil(0.35 × 20) = 7, not 8
    assert validate([share], pool, proposal.chosen) == []


def test_one_case_per_enterprise_r108():
    pool = [case(1, 90, enterprise=7), case(2, 89, enterprise=7), case(3, 50, enterprise=8)]
    proposal = propose([Count("R-108", "==", 2, "两件"), ONE_PER_ENTERPRISE], pool)
    assert proposal.chosen == (1, 3)


def test_cases_without_a_city_are_in_no_city_group_r110():
    pool = [case(1, 90, city=None), case(2, 80, city=None), case(3, 70, city=None)]
    proposal = propose([Count("R-110", "==", 3, "三件"), PerGroup("R-110", "city", 1, "每市最多1件")], pool)
    assert proposal.chosen == (1, 2, 3)


def test_exact_city_quotas_and_no_case_from_a_city_without_a_quota_r104():
    quota = Quota("R-104", "city", "==", {NANJING: 2, SUZHOU: 1}, "各市名额", names=CITY_NAMES)
    pool = [case(1, 99, city=WUXI), case(2, 90), case(3, 80), case(4, 70), case(5, 60, city=SUZHOU),
            case(6, 50, city=SUZHOU)]
    proposal = propose([quota], pool)
    assert proposal.chosen == (2, 3, 5)


def test_minimum_quotas_allow_more_r105():
    quota = Quota("R-105", "city", ">=", {NANJING: 1}, "差额", names=CITY_NAMES)
    pool = [case(1, 90, city=WUXI), case(2, 10)]
    assert propose([quota, Count("R-105", "<=", 5, "至多5件")], pool).chosen == (1, 2)


def test_ineligible_cases_stay_out_r107():
    pool = [case(1, 99, eligible=False), case(2, 50), case(3, 40)]
    assert propose([Count("R-109", "==", 2, "两件"), PASSED], pool).chosen == (2, 3)


def test_pins_are_kept_and_exclusions_left_out():
    pool = [case(i, 100 - i) for i in range(1, 6)]
    proposal = propose([Count("R-110", "==", 2, "两件")], pool, include=[5], exclude=[1])
    assert proposal.chosen == (2, 5)


# Infeasible: why, in words --------------------------------------------------------------------------------------


def test_too_few_park_cases_for_thirty_percent_of_a_hundred_r109():
    rules = [Count("R-103", "==", 100, "每省公示100件"), PARK_30]
    proposal = propose(rules, province_pool(parks=25, others=200))
    assert proposal.infeasible and proposal.chosen == ()
    assert "只有25件园区科协推荐的候选案例，100件的30%需要30件（R-109）" in proposal.explanations
    assert set(proposal.rules) == {"R-103", "R-109"}


def test_a_city_with_fewer_candidates_than_its_quota_r104():
    quota = Quota("R-104", "city", "==", {NANJING: 3, SUZHOU: 1}, "各市名额", names=CITY_NAMES)
    pool = [case(1, 90), case(2, 80), case(3, 70, city=SUZHOU)]
    proposal = propose([quota], pool)
    assert proposal.infeasible
    assert "南京市只有2件候选案例，名额要求3件（R-104）" in proposal.explanations


def test_quota_beyond_one_per_enterprise_r104_r108():
    quota = Quota("R-104", "city", "==", {NANJING: 2}, "各市名额", names=CITY_NAMES)
    pool = [case(1, 90, enterprise=7), case(2, 80, enterprise=7)]
    proposal = propose([quota, ONE_PER_ENTERPRISE], pool)
    assert proposal.infeasible
    assert ("南京市候选案例来自1个企业，每企业最多1件，最多可选1件（R-108），名额要求2件（R-104）"
            in proposal.explanations)


def test_too_few_eligible_candidates_for_the_count():
    pool = [case(1, 90), case(2, 80, eligible=False), case(3, 70)]
    proposal = propose([Count("R-110", "==", 3, "宣讲案例3件"), PASSED], pool)
    assert proposal.infeasible
    assert proposal.explanations == ["宣讲案例3件，名单至少3件（R-110），但符合条件的候选案例只有2件"]
    assert set(proposal.rules) == {"R-110", "R-107"}


def test_two_per_city_times_the_cities_is_below_the_count_r110():
    pool = [case(i, 90 - i, city=NANJING if i < 5 else SUZHOU) for i in range(1, 10)]
    proposal = propose([Count("R-110", "==", 5, "宣讲案例5件"), TWO_PER_CITY], pool)
    assert proposal.infeasible
    assert "候选案例来自2个市，每市最多2件，最多可选4件（R-110）" in proposal.explanations[0]


def test_pins_that_break_a_rule_are_named():
    pool = [case(1, 90, enterprise=7), case(2, 80, enterprise=7), case(3, 70)]
    proposal = propose([ONE_PER_ENTERPRISE], pool, include=[1, 2])
    assert proposal.infeasible and proposal.rules == ("R-108",)
    assert "超过每企业1件的上限（R-108）" in proposal.explanations[0]
    assert propose([], pool, include=[1], exclude=[1]).explanations == ["案例1既被指定入选又被指定排除"]
    assert propose([], pool, include=[99]).explanations == ["指定入选的案例99不在本轮候选名单中"]


def test_rules_that_only_clash_together_are_found_by_the_deletion_filter():
    # Every enterprise and every city alone allows 3, but enterprise 1 and city 1 touch every case: at most 2.
    pool = [case(1, 90, enterprise=1, city=1), case(2, 80, enterprise=1, city=2), case(3, 70, enterprise=2, city=1),
            case(4, 60, enterprise=1, city=3), case(5, 50, enterprise=3, city=1)]
    one_per_city = PerGroup("R-110", "city", 1, "每市最多1件")
    rules = [Count("R-103", "==", 3, "三件"), ONE_PER_ENTERPRISE, one_per_city, AT_MOST_100]
    proposal = propose(rules, pool)
    assert proposal.infeasible
    assert proposal.explanations == [
        "以下规则无法同时满足：三件（R-103）；每个企业最多推荐1件（R-108）；每市最多1件（R-110）"]


# The province round's target (R-103) -----------------------------------------------------------------------------


def test_target_shortfall_says_how_many_and_that_the_park_share_limits_it_r109():
    pool = province_pool(parks=25, others=300)
    proposal = propose([AT_MOST_100, PARK_30], pool, target=100)
    assert not proposal.infeasible and proposal.optimal
    assert (proposal.count, proposal.reachable) == (83, 83)
    assert validate([AT_MOST_100, PARK_30], pool, proposal.chosen) == []
    assert proposal.explanations == ["名单目标为100件，在现有规则下最多只能选出83件",
                                     "只有25件园区科协推荐的候选案例，按不低于30%计算最多可选83件（R-109）"]
    assert proposal.rules == ("R-109",)


def test_target_is_reached_when_the_rules_allow_it():
    pool = province_pool(parks=40, others=300)
    proposal = propose([AT_MOST_100, PARK_30, ONE_PER_ENTERPRISE], pool, target=100)
    assert (proposal.count, proposal.reachable, proposal.explanations) == (100, 100, [])
    assert sum(1 for i in proposal.chosen if i < 1000) == 30  # the other 70 are the higher-scoring ones


def test_target_counts_first_then_the_score():
    # Case 4 adds nothing to the score: only the target brings it in.
    pool = [case(1, 99), case(2, 98), case(3, 1, channel="park"), case(4, 0)]
    rules = [Count("R-109", "<=", 4, "至多4件"), Share("R-109", "channel", "park", 0.25, "园区25%")]
    assert propose(rules, pool).chosen == (1, 2, 3)
    assert propose(rules, pool, target=4).chosen == (1, 2, 3, 4)


# Scale -----------------------------------------------------------------------------------------------------------


def test_province_of_20k_candidates_is_optimal_and_valid():
    pool = [Candidate(id=i, score=round(50 + (i * 7919 % 4999) / 100, 4), enterprise=i // 2, city=i // 2 % 97,
                      channel="park" if i % 9 == 0 else "enterprise") for i in range(20_000)]
    rules = [AT_MOST_100, PARK_30, ONE_PER_ENTERPRISE, PerGroup("R-109", "city", 15, "每市最多15件")]
    proposal = propose(rules, pool, target=100)
    assert proposal.optimal and proposal.count == 100
    assert validate(rules, pool, proposal.chosen) == []
    assert proposal.considered < 5_000


# Properties ------------------------------------------------------------------------------------------------------

channels = st.sampled_from(["park", "enterprise"])


@st.composite
def instances(draw, max_size=8):
    size = draw(st.integers(0, max_size))
    pool = [Candidate(id=i + 1, score=draw(st.sampled_from([0, 1, 2, 2.5, 3, 7.25, 10])),
                      enterprise=draw(st.integers(1, 4)), city=draw(st.sampled_from([1, 2, 3, None])),
                      channel=draw(channels), eligible=draw(st.booleans()) or draw(st.booleans()))
            for i in range(size)]
    rules = []
    if draw(st.booleans()):
        rules.append(Count("R-1", draw(st.sampled_from(["<=", "==", ">="])), draw(st.integers(0, 6)), "件数"))
    if draw(st.booleans()):
        rules.append(Share("R-2", "channel", "park", draw(st.sampled_from([0.3, 0.25, 0.5, 0.35, 1.0])), "园区占比"))
    if draw(st.booleans()):
        rules.append(PerGroup("R-3", "enterprise", draw(st.integers(1, 2)), "每企业"))
    if draw(st.booleans()):
        rules.append(PerGroup("R-4", "city", draw(st.integers(1, 3)), "每市"))
    if draw(st.booleans()):
        table = draw(st.dictionaries(st.sampled_from([1, 2, 3]), st.integers(0, 3), max_size=3))
        rules.append(Quota("R-5", "city", draw(st.sampled_from(["<=", "==", ">="])), table, "名额"))
    if draw(st.booleans()):
        rules.append(Eligibility("R-6", "通过下级遴选"))
    ids = [c.id for c in pool]
    include = draw(st.sets(st.sampled_from(ids), max_size=2)) if ids and draw(st.integers(0, 3)) == 0 else set()
    exclude = draw(st.sets(st.sampled_from(ids), max_size=2)) if ids and draw(st.integers(0, 3)) == 0 else set()
    return draw(st.permutations(rules)), pool, include, exclude


def valid(rules, pool, chosen) -> bool:
    """The rules' meaning, written out again (independent of the validator and the solver)."""
    listed = [c for c in pool if c.id in chosen]
    size = len(listed)
    for rule in rules:
        if isinstance(rule, Count):
            if not {"<=": size <= rule.n, "==": size == rule.n, ">=": size >= rule.n}[rule.op]:
                return False
        elif isinstance(rule, Share):
            if sum(c.channel == rule.value for c in listed) < rule.needed(size):
                return False
        elif isinstance(rule, PerGroup):
            groups = [c.group(rule.attribute) for c in listed]
            if any(g is not None and groups.count(g) > rule.maximum for g in groups):
                return False
        elif isinstance(rule, Quota):
            groups = [c.city for c in listed]
            for group in set(groups) | set(rule.table):
                have, n = groups.count(group), rule.table.get(group)
                if n is None and rule.op == ">=":
                    continue
                n = n or 0
                if not {"<=": have <= n, "==": have == n, ">=": have >= n}[rule.op]:
                    return False
        elif isinstance(rule, Eligibility) and not all(c.eligible for c in listed):
            return False
    return True


def ranking(pool):
    return {c.id: rank for rank, c in enumerate(sorted(pool, key=lambda c: (-c.score, c.id)), start=1)}


def brute_force(rules, pool, include, exclude, target=None):
    """Every valid list, best first by (size up to the target when there is one, score, −rank sum)."""
    rank = ranking(pool)
    found = []
    for size in range(len(pool) + 1):
        for chosen in itertools.combinations([c.id for c in pool], size):
            chosen = set(chosen)
            if include <= chosen and not chosen & exclude and valid(rules, pool, chosen):
                points = sum(round(c.score * SCALE) for c in pool if c.id in chosen)
                size_key = min(size, target + 1) if target is not None and size <= target else -1
                if target is None:
                    size_key = 0
                found.append(((size_key, points, -sum(rank[i] for i in chosen)), chosen))
    return sorted(found, key=lambda item: item[0], reverse=True)


def key_of(proposal, pool):
    rank = ranking(pool)
    points = sum(round(c.score * SCALE) for c in pool if c.id in proposal.chosen)
    return points, -sum(rank[i] for i in proposal.chosen)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_proposal_matches_brute_force_and_passes_the_validator(instance):
    rules, pool, include, exclude = instance
    proposal = propose(rules, pool, include=include, exclude=exclude)
    lists = brute_force(rules, pool, include, exclude)
    if not lists:
        assert proposal.infeasible and proposal.explanations
        # The rules the explanation names, with the pins, have no valid list on their own.
        named = [r for r in rules if r.rule in proposal.rules]
        assert not brute_force(named, pool, include, exclude)
        return
    assert not proposal.infeasible and proposal.optimal
    assert validate(rules, pool, proposal.chosen) == []
    assert include <= set(proposal.chosen) and not set(proposal.chosen) & exclude
    assert key_of(proposal, pool) == lists[0][0][1:]
    assert proposal.total == pytest.approx(sum(c.score for c in pool if c.id in proposal.chosen))
    assert list(proposal.chosen) == [c.id for c in sorted(pool, key=lambda c: (-c.score, c.id))
                                     if c.id in proposal.chosen]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 7))
def test_target_reaches_the_largest_size_then_the_best_score(instance, target):
    rules, pool, include, exclude = instance
    rules = [r for r in rules if not isinstance(r, Count) or r.op == "<="]
    proposal = propose(rules, pool, include=include, exclude=exclude, target=target)
    lists = brute_force(rules, pool, include, exclude, target=target)
    reachable = [item for item in lists if item[0][0] >= 0]
    if not reachable:
        assert proposal.infeasible and proposal.explanations
        return
    best = reachable[0]
    assert proposal.reachable == len(best[1]) == proposal.count
    assert validate(rules, pool, proposal.chosen) == []
    assert key_of(proposal, pool) == best[0][1:]
    if proposal.reachable < target:
        assert proposal.explanations[0] == f"名单目标为{target}件，在现有规则下最多只能选出{proposal.reachable}件"
        assert len(proposal.explanations) >= 2
    else:
        assert proposal.explanations == []


@st.composite
def larger_instances(draw):
    """Up to 60 candidates in few groups, so that pruning has something to cut."""
    size = draw(st.integers(0, 60))
    pool = [Candidate(id=i + 1, score=draw(st.integers(0, 12)) / 2, enterprise=draw(st.integers(1, 8)),
                      city=draw(st.sampled_from([1, 2, 3, None])), channel=draw(channels)) for i in range(size)]
    nested = draw(st.booleans())  # enterprises inside one city, as in real data
    if nested:
        pool = [Candidate(id=c.id, score=c.score, enterprise=c.enterprise, city=c.enterprise % 3 + 1,
                          channel=c.channel) for c in pool]
    rules = [Count("R-1", draw(st.sampled_from(["<=", "=="])), draw(st.integers(0, 12)), "件数")]
    if draw(st.booleans()):
        rules.append(Share("R-2", "channel", "park", draw(st.sampled_from([0.3, 0.5])), "园区占比"))
    if draw(st.booleans()):
        rules.append(PerGroup("R-3", "enterprise", draw(st.integers(1, 2)), "每企业"))
    if draw(st.booleans()):
        rules.append(PerGroup("R-4", "city", draw(st.integers(1, 4)), "每市"))
    if draw(st.booleans()):
        table = draw(st.dictionaries(st.sampled_from([1, 2, 3]), st.integers(0, 4), max_size=3))
        rules.append(Quota("R-5", "city", draw(st.sampled_from(["<=", "==", ">="])), table, "名额"))
    ids = [c.id for c in pool]
    include = draw(st.sets(st.sampled_from(ids), max_size=2)) if ids and draw(st.booleans()) else set()
    return rules, pool, include


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(larger_instances(), st.sampled_from([None, 6, 12]))
def test_pruning_never_changes_the_optimum(instance, target):
    rules, pool, include = instance
    if target is not None:
        rules = [r for r in rules if not isinstance(r, Count) or r.op == "<="]
    pruned = propose(rules, pool, include=include, target=target)
    full = propose(rules, pool, include=include, target=target, prune=False)
    assert pruned.infeasible == full.infeasible
    assert (pruned.count, pruned.reachable) == (full.count, full.reachable)
    assert key_of(pruned, pool) == key_of(full, pool)
    assert pruned.considered <= full.considered
