"""Expert assignment: exactly k experts a case, loads within bounds, no conflicted pair, fixed pairs kept, the fewest
industry mismatches (checked against exhaustive search), then the most even loads; infeasible input explained."""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.review.assignment import CaseNeed, ExpertCapacity, solve_assignment

SECTIONS = "CIM"


def _check_valid(result, cases, experts, k, forbidden, fixed):
    pairs = result.pairs
    assert pairs == sorted(pairs)
    assert len(set(pairs)) == len(pairs)
    per_case = {c.case_id: 0 for c in cases}
    loads = {e.expert_id: 0 for e in experts}
    for case_id, expert_id in pairs:
        per_case[case_id] += 1
        loads[expert_id] += 1
    assert all(n == k for n in per_case.values())
    assert result.loads == loads
    for e in experts:
        assert e.min_load <= loads[e.expert_id] <= e.max_load
    assert not set(pairs) & set(forbidden)
    assert set(fixed) <= set(pairs)
    assert result.mismatches == _mismatches(pairs, cases, experts)


def _matches(case, expert):
    """Written apart from the module's own rule: same first letter, case-insensitive; no industry, no match."""
    letter = case.industry[:1].upper()
    return bool(letter) and letter in {i[:1].upper() for i in expert.industries}


def _mismatches(pairs, cases, experts):
    case_by_id = {c.case_id: c for c in cases}
    expert_by_id = {e.expert_id: e for e in experts}
    return sum(not _matches(case_by_id[c], expert_by_id[e]) for c, e in pairs)


def _exhaustive(cases, experts, k, forbidden, fixed):
    """Every valid assignment, by brute force: the least (mismatches, Σ load²), or None when there is none."""
    options = []
    for case in cases:
        allowed = [e for e in experts if (case.case_id, e.expert_id) not in forbidden]
        must = {expert_id for case_id, expert_id in fixed if case_id == case.case_id}  # a forbidden one: no combo
        options.append([combo for combo in itertools.combinations(allowed, k) if must <= {e.expert_id for e in combo}])
    best = None
    for choice in itertools.product(*options):
        loads = {e.expert_id: 0 for e in experts}
        cost = 0
        for case, combo in zip(cases, choice):
            for e in combo:
                loads[e.expert_id] += 1
                cost += not _matches(case, e)
        if all(e.min_load <= loads[e.expert_id] <= e.max_load for e in experts):
            key = (cost, sum(v * v for v in loads.values()))
            best = key if best is None or key < best else best
    return best


@st.composite
def instances(draw, max_cases, max_experts, max_k):
    """Random rounds, about half of them feasible; k may exceed the experts and fixed pairs may break rules."""
    n = draw(st.integers(1, max_cases))
    m = draw(st.integers(1, max_experts))
    k = draw(st.integers(1, min(max_k, m + 1)))
    industry = st.builds(lambda s, d: s + d, st.sampled_from(SECTIONS), st.sampled_from(["", "13", "39"]))
    cases = [CaseNeed(case_id=10 + i, industry=draw(industry), label=f"案例{i}") for i in range(n)]
    experts = []
    for j in range(m):
        high = draw(st.integers(0, n + 1))
        low = draw(st.integers(0, min(1, high)))
        experts.append(ExpertCapacity(expert_id=100 + j, industries=frozenset(draw(st.sets(industry, min_size=1,
                                                                                             max_size=2))),
                                      min_load=low, max_load=high, label=f"专家{j}"))
    pairs = [(c.case_id, e.expert_id) for c in cases for e in experts]
    forbidden = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 5)))
    fixed = set(draw(st.lists(st.sampled_from(pairs), max_size=3)))
    if draw(st.integers(0, 4)):
        fixed -= forbidden  # mostly consistent; sometimes not, to exercise that reason
    return cases, experts, k, forbidden, fixed


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=12, max_experts=15, max_k=5))
def test_an_optimal_assignment_meets_every_constraint(instance):
    cases, experts, k, forbidden, fixed = instance
    result = solve_assignment(cases, experts, k=k, forbidden=forbidden, fixed=fixed)
    if result.status == "optimal":
        _check_valid(result, cases, experts, k, forbidden, fixed)
    else:
        assert result.status == "infeasible"
        assert result.reasons and all(isinstance(r, str) and r for r in result.reasons)
        assert result.pairs == []


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=4, max_experts=5, max_k=3), st.booleans())
def test_tiny_instances_agree_with_exhaustive_search(instance, balance):
    """Optimality, not just feasibility: the fewest mismatches (and, balanced, the least Σ load²) of all assignments."""
    cases, experts, k, forbidden, fixed = instance
    result = solve_assignment(cases, experts, k=k, forbidden=forbidden, fixed=fixed, balance=balance)
    best = _exhaustive(cases, experts, k, forbidden, fixed)
    if best is None:
        assert result.status == "infeasible"
        assert result.reasons
        return
    assert result.status == "optimal", result.reasons
    _check_valid(result, cases, experts, k, forbidden, fixed)
    assert result.mismatches == best[0]
    if balance:
        assert sum(v * v for v in result.loads.values()) == best[1]


# -- hand-made ------------------------------------------------------------------------------------------

def _pool(count, industries=("C",), min_load=0, max_load=10):
    return [ExpertCapacity(expert_id=j + 1, industries=frozenset(industries), min_load=min_load, max_load=max_load,
                           label=f"专家{j + 1}") for j in range(count)]


def test_a_case_with_too_few_unconflicted_experts_is_named_with_the_numbers():
    cases = [CaseNeed(1, "C39", "智能产线改造"), CaseNeed(2, "C", "绿色工艺")]
    experts = _pool(5)
    result = solve_assignment(cases, experts, k=5, forbidden={(1, 4), (1, 5)})
    assert result.status == "infeasible"
    assert len(result.reasons) == 1
    assert "智能产线改造" in result.reasons[0] and "需要5位，只有3位" in result.reasons[0]


def test_too_little_capacity_in_total_is_stated_in_person_times():
    cases = [CaseNeed(i, "C") for i in range(1, 7)]
    result = solve_assignment(cases, _pool(5, max_load=5), k=5)
    assert result.status == "infeasible"
    assert any("共需30人次" in r and "只有25人次" in r for r in result.reasons)


def test_minimum_loads_above_the_need_are_stated():
    result = solve_assignment([CaseNeed(1, "C")], _pool(3, min_load=1), k=2)
    assert result.status == "infeasible"
    assert any("合计3人次" in r and "2人次" in r for r in result.reasons)


def test_an_expert_allowed_on_fewer_cases_than_the_minimum_is_named():
    cases = [CaseNeed(i, "C") for i in range(1, 5)]
    experts = [*_pool(3), ExpertCapacity(9, frozenset({"C"}), min_load=3, max_load=4, label="王专家")]
    result = solve_assignment(cases, experts, k=1, forbidden={(1, 9), (2, 9)})
    assert result.status == "infeasible"
    assert any("王专家" in r and "最少需指派3件" in r and "只有2件" in r for r in result.reasons)


def test_fixed_pairs_that_break_a_rule_are_each_explained():
    cases = [CaseNeed(1, "C", "甲案例"), CaseNeed(2, "C", "乙案例")]
    experts = _pool(3, max_load=1)
    result = solve_assignment(cases, experts, k=1, forbidden={(1, 3)}, fixed={(1, 3), (2, 1), (2, 2), (1, 1)})
    assert result.status == "infeasible"
    text = "\n".join(result.reasons)
    assert "专家“专家3”已指派到案例“甲案例”" in text  # fixed but conflicted
    assert "案例“甲案例”已指派2位专家" in text and "案例“乙案例”已指派2位专家" in text  # over k
    assert "专家“专家1”已指派2件案例，超过其最多1个" in text  # over max_load


def test_cases_that_only_a_full_expert_may_review_are_named_together():
    """Two cases only 甲 may review, and 甲 takes one case: every count passes, the group does not."""
    cases = [CaseNeed(1, "C", "甲案例"), CaseNeed(2, "C", "乙案例"), CaseNeed(3, "C", "丙案例")]
    experts = [ExpertCapacity(1, frozenset({"C"}), 0, 1, "甲"), ExpertCapacity(2, frozenset({"C"}), 0, 5, "乙")]
    result = solve_assignment(cases, experts, k=1, forbidden={(1, 2), (2, 2)})
    assert result.status == "infeasible"
    assert result.reasons == [("案例“甲案例”、“乙案例”还需2人次专家评审，但可以评审这些案例的专家最多只能再承担1人次"
                               "（专家“甲”将达到指派上限），请为这些案例增加专家、核对回避或提高这些专家的指派上限")]


def test_experts_whose_minimums_their_cases_cannot_absorb_are_named_together():
    """甲 and 乙 must each take 2 cases but may only review the same 2 cases, each needing 1 expert."""
    cases = [CaseNeed(i, "C") for i in range(1, 5)]
    experts = [ExpertCapacity(1, frozenset({"C"}), 2, 4, "甲"), ExpertCapacity(2, frozenset({"C"}), 2, 4, "乙"),
               ExpertCapacity(3, frozenset({"C"}), 0, 4, "丙")]
    result = solve_assignment(cases, experts, k=1, forbidden={(3, 1), (4, 1), (3, 2), (4, 2)})
    assert result.status == "infeasible"
    assert len(result.reasons) == 1
    assert "专家“甲”、“乙”最少还需指派4人次" in result.reasons[0] and "最多只能再容纳2人次" in result.reasons[0]


def test_industry_mismatches_are_minimised_before_loads_are_balanced():
    """Four manufacturing cases, one manufacturing expert: all four go to that expert though it leaves loads 4/0."""
    cases = [CaseNeed(i, "C3" + str(i)) for i in range(1, 5)]
    experts = [ExpertCapacity(1, frozenset({"C13"}), 0, 4), ExpertCapacity(2, frozenset({"I"}), 0, 4)]
    result = solve_assignment(cases, experts, k=1)
    assert (result.mismatches, result.loads) == (0, {1: 4, 2: 0})


def test_loads_are_balanced_among_equally_good_experts():
    cases = [CaseNeed(i, "C") for i in range(1, 13)]
    result = solve_assignment(cases, _pool(4, max_load=12), k=2)
    assert result.status == "optimal" and result.balanced
    assert set(result.loads.values()) == {6}


def test_a_case_without_a_known_industry_counts_as_a_mismatch_for_everyone():
    result = solve_assignment([CaseNeed(1, "")], _pool(2), k=2)
    assert (result.status, result.mismatches) == ("optimal", 2)


def test_resolving_after_a_decline_replaces_only_the_declined_pair():
    rng = random.Random(7)
    cases = [CaseNeed(i, rng.choice("CIM")) for i in range(1, 21)]
    experts = [ExpertCapacity(j, frozenset(rng.sample("CIM", 2)), 0, 12) for j in range(1, 13)]
    first = solve_assignment(cases, experts, k=5)
    assert first.status == "optimal"
    declined = first.pairs[7]
    kept = set(first.pairs) - {declined}
    second = solve_assignment(cases, experts, k=5, forbidden={declined}, fixed=kept)
    assert second.status == "optimal"
    added = set(second.pairs) - kept
    assert set(second.pairs) >= kept and len(added) == 1
    (case_id, expert_id), = added
    assert case_id == declined[0] and expert_id != declined[1]


def test_the_same_input_in_any_order_gives_the_same_pairs():
    rng = random.Random(11)
    cases = [CaseNeed(i, rng.choice("CIMK")) for i in range(1, 41)]
    experts = [ExpertCapacity(j, frozenset(rng.sample("CIMK", rng.randint(1, 2))), rng.randint(0, 3), 20)
               for j in range(1, 26)]
    forbidden = {(rng.randint(1, 40), rng.randint(1, 25)) for _ in range(60)}
    fixed = {(1, 3), (2, 3)} - forbidden
    first = solve_assignment(cases, experts, k=5, forbidden=forbidden, fixed=fixed)
    assert first.status == "optimal"
    for _ in range(3):
        rng.shuffle(cases)
        rng.shuffle(experts)
        shuffled = list(forbidden)
        rng.shuffle(shuffled)
        again = solve_assignment(cases, experts, k=5, forbidden=shuffled, fixed=list(fixed)[::-1])
        assert again.pairs == first.pairs


def test_a_section_matches_its_divisions_both_ways():
    cases = [CaseNeed(1, "C39"), CaseNeed(2, "C")]
    experts = [ExpertCapacity(1, frozenset({"C13"}), 0, 2), ExpertCapacity(2, frozenset({"c"}), 0, 2)]
    assert solve_assignment(cases, experts, k=2).mismatches == 0


@pytest.mark.parametrize("bad", [
    {"k": 0},
    {"cases": [CaseNeed(1, "C"), CaseNeed(1, "I")]},
    {"experts": [ExpertCapacity(1, frozenset(), 3, 2)]},
    {"fixed": {(1, 99)}},
])
def test_programming_errors_raise(bad):
    args = {"cases": [CaseNeed(1, "C")], "experts": _pool(2), "k": 1} | bad
    with pytest.raises(ValueError):
        solve_assignment(args.pop("cases"), args.pop("experts"), **args)


def test_a_forbidden_pair_naming_someone_outside_the_round_forbids_nothing():
    """A declined expert who has since left the pool still has a declined pair on record."""
    result = solve_assignment([CaseNeed(1, "C")], _pool(2), k=2, forbidden={(1, 99), (98, 1)})
    assert result.pairs == [(1, 1), (1, 2)]
