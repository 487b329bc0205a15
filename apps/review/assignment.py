"""Who reviews which case: an exact expert-assignment optimiser for expert review rounds.

Each case needs exactly k experts; each expert takes between min_load and max_load cases; conflicts of
interest and declined cases are forbidden pairs; pairs already assigned can be kept fixed when re-solving
(they count toward k and toward loads).

Objective, lexicographic and exact:
1. fewest industry mismatches: a pair costs 1 when the case's GB/T 4754 section (the letter of "C" or "C39")
   is not among the sections of the expert's industries, else 0;
2. then (with `balance`, the default) the most even loads: the least Σ load² over experts.

Model: a min-cost flow, case → expert → sink. Case i supplies k − (its fixed pairs); an arc of capacity 1 joins
it to every allowed expert not yet fixed on it. An expert's minimum is a demand at its node; each further unit
of load up to its maximum is an arc to the sink of capacity 1 and cost t (the t-th case of that expert), so a
load L costs Σ t ≤ L = (L² + L) / 2: convex, filled in order, and since Σ L = k·N is fixed this minimises
Σ L². A mismatch arc costs W = 1 + (the largest total the load arcs can reach), so one mismatch fewer always
outweighs any change of balance: the lexicographic order is exact, in integer arithmetic, with no tolerance.
Flow problems with integral capacities have integral optimal flows, so every pair arc carries 0 or 1; the
result is checked anyway (k per case, loads within bounds, no forbidden pair, every fixed pair kept) and a
violation raises instead of returning a wrong assignment.

Infeasible input is explained in words with its numbers: first the cheap counts (a case with fewer than k
allowed experts, total capacity, total minimums, fixed pairs that break a rule, an expert allowed on fewer cases
than their minimum); if they all pass and the flow is still infeasible, the minimum cut of two max-flows names a
group of cases their experts cannot cover, or a group of experts their cases cannot fill (Hall's condition for
each side). A last general sentence covers anything else (not met in 3,000 random small instances).

Why OR-Tools' min-cost flow and not HiGHS (ARCHITECTURE.md's solver): the same problem as an LP (one column per
pair; the bipartite incidence matrix is totally unimodular, so a simplex vertex is integral) is correct but slow
at the benchmark size, 5,000 cases × 300 experts (1.47 M columns): HiGHS 1.16's dual simplex stalls on the
degenerate vertices (unfinished after 900 s), its IPM with crossover takes 27 s and 1.2 GB for mismatches alone,
against 0.8 s (1.4 s with balancing) and 0.3 GB for the whole call here (bench/assignment.py). Selection (an
integer program with side constraints) stays with HiGHS.

Determinism: cases, experts and pairs are sorted by id before the network is built and the algorithm is
deterministic, so the same input in any order gives the same pairs (for a given OR-Tools version).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

# Per-case and per-expert sentences beyond this many are summarised in one line: a round of 5,000 cases with
# too few experts should not produce 5,000 sentences.
MAX_NAMED = 10


@dataclass(frozen=True)
class CaseNeed:
    case_id: int
    industry: str  # GB/T 4754: section letter ("C") or division ("C39"); matched on the section letter
    label: str = ""  # the case title, for messages


@dataclass(frozen=True)
class ExpertCapacity:
    expert_id: int
    industries: frozenset[str]
    min_load: int
    max_load: int
    label: str = ""  # the expert's name, for messages


@dataclass
class AssignmentResult:
    status: str  # "optimal" | "infeasible"
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (case_id, expert_id), sorted
    mismatches: int = 0  # pairs whose case industry section is not among the expert's sections
    loads: dict[int, int] = field(default_factory=dict)  # expert_id -> number of cases, every expert
    reasons: list[str] = field(default_factory=list)  # why it is infeasible, in words, with numbers
    seconds: float = 0.0
    solver: str = ""
    balanced: bool = False  # True when the secondary objective (least Σ load²) was optimised too

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def section(industry: str) -> str:
    """GB/T 4754 section letter of "C" or "C39"; empty for an unknown industry, which matches nothing."""
    industry = industry.strip().upper()
    return industry[0] if industry[:1].isalpha() else ""


def solve_assignment(
    cases: Iterable[CaseNeed],
    experts: Iterable[ExpertCapacity],
    *,
    k: int,
    forbidden: Collection[tuple[int, int]] = frozenset(),
    fixed: Collection[tuple[int, int]] = frozenset(),
    balance: bool = True,
) -> AssignmentResult:
    """Assign exactly k experts to every case with the fewest industry mismatches, then (with `balance`) the most
    even loads; both exact. Pairs are (case_id, expert_id). An infeasible input is explained, not raised."""
    started = time.perf_counter()
    instance = _Instance(sorted(cases, key=lambda c: c.case_id), sorted(experts, key=lambda e: e.expert_id),
                         k, set(forbidden), set(fixed))
    solver = f"OR-Tools {_ortools_version()} min-cost flow (exact, integer costs)"

    def done(**kwargs) -> AssignmentResult:
        kwargs.setdefault("loads", {eid: 0 for eid in instance.expert_ids})
        return AssignmentResult(seconds=time.perf_counter() - started, solver=solver, **kwargs)

    reasons = infeasibility_reasons(instance)
    if reasons:
        return done(status="infeasible", reasons=reasons)
    chosen = instance.solve(balance=balance)
    if chosen is None:
        return done(status="infeasible", reasons=cut_reasons(instance) or [
            _("在利益冲突、回避、已固定的指派和专家指派数上下限的共同约束下，无法为每个案例安排%(k)d位专家："
              "逐项检查均已满足，冲突来自多项约束的组合。请放宽部分专家的最少或最多指派数，或减少回避与已固定的指派")
            % {"k": instance.k}])
    pairs, mismatches, loads = instance.verified(chosen)
    return done(status="optimal", pairs=pairs, mismatches=mismatches, loads=loads, balanced=balance)


# -- the instance, as arrays ----------------------------------------------------------------------------

class _Instance:
    """Cases and experts sorted by id; one candidate per allowed (case, expert) pair in (case, expert) order."""

    def __init__(self, cases: list[CaseNeed], experts: list[ExpertCapacity], k: int,
                 forbidden: set[tuple[int, int]], fixed: set[tuple[int, int]]):
        _check_input(cases, experts, k, fixed)
        # A forbidden pair of an expert who has left the pool (or a case no longer in the round) forbids nothing.
        known_cases, known_experts = {c.case_id for c in cases}, {e.expert_id for e in experts}
        forbidden = {(c, e) for c, e in forbidden if c in known_cases and e in known_experts}
        self.cases, self.experts, self.k = cases, experts, k
        self.forbidden, self.fixed = forbidden, fixed
        self.case_ids = [c.case_id for c in cases]
        self.expert_ids = [e.expert_id for e in experts]
        n, m = len(cases), len(experts)
        self.n, self.m = n, m
        case_index = {cid: i for i, cid in enumerate(self.case_ids)}
        expert_index = {eid: j for j, eid in enumerate(self.expert_ids)}

        self.min_load = np.array([e.min_load for e in experts], dtype=np.int64)
        self.max_load = np.array([e.max_load for e in experts], dtype=np.int64)
        allowed = np.ones((n, m), dtype=bool)
        allowed[:, self.max_load == 0] = False
        self.forbidden_idx = _index_pairs(forbidden, case_index, expert_index)
        allowed[self.forbidden_idx[:, 0], self.forbidden_idx[:, 1]] = False
        self.fixed_idx = _index_pairs(fixed, case_index, expert_index)
        is_fixed = np.zeros((n, m), dtype=bool)
        is_fixed[self.fixed_idx[:, 0], self.fixed_idx[:, 1]] = True
        self.allowed_per_case = allowed.sum(axis=1)
        self.allowed_per_expert = allowed.sum(axis=0)
        self.fixed_per_case = is_fixed.sum(axis=1)
        self.fixed_per_expert = is_fixed.sum(axis=0)
        self.fixed_and_forbidden = sorted(fixed & forbidden)

        letters = sorted({section(c.industry) for c in cases} | {section(i) for e in experts for i in e.industries})
        letter_index = {s: x for x, s in enumerate(letters)}
        expert_sections = np.zeros((m, len(letters) + 1), dtype=bool)  # last column: no section, never matched
        for j, e in enumerate(experts):
            for industry in e.industries:
                if section(industry):
                    expert_sections[j, letter_index[section(industry)]] = True
        case_section = np.array([letter_index[section(c.industry)] if section(c.industry) else len(letters)
                                 for c in cases], dtype=np.int64).reshape(n)
        # mismatch[i, j]: 1 when case i's section is not among expert j's
        self.mismatch = (~expert_sections[:, case_section].T).astype(np.int64)
        rows, cols = np.nonzero(allowed & ~is_fixed)  # row-major: sorted by case, then expert
        self.free_case = rows.astype(np.int32)
        self.free_expert = cols.astype(np.int32)

    def solve(self, *, balance: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """(case index, expert index) of every chosen pair, fixed ones included; None when infeasible."""
        from ortools.graph.python import min_cost_flow

        n, m = self.n, self.m
        sink = n + m
        # An expert's load lies in [low, high]: low counts fixed pairs above the minimum, high what is allowed.
        low = np.maximum(self.min_load, self.fixed_per_expert)
        high = np.minimum(self.max_load, self.allowed_per_expert)
        if np.any(low > high):
            return None
        units = high - low
        case_supply = self.k - self.fixed_per_case
        expert_demand = low - self.fixed_per_expert
        sink_demand = int(case_supply.sum() - expert_demand.sum())
        if sink_demand < 0:
            return None

        flow = min_cost_flow.SimpleMinCostFlow()
        pair_cost = self.mismatch[self.free_case, self.free_expert]
        if balance:
            # Unit t of an expert (low < t <= high) costs t; W exceeds the most all units together can cost.
            weight = int(((high * (high + 1) - low * (low + 1)) // 2).sum()) + 1
            pair_cost = pair_cost * weight
        pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
            self.free_case, (n + self.free_expert).astype(np.int32), np.ones(len(self.free_case), dtype=np.int64),
            pair_cost.astype(np.int64))
        if balance:
            unit_expert = np.repeat(np.arange(m, dtype=np.int32), units)
            # t runs low+1 .. high within each expert's block of units
            block_start = np.repeat(np.cumsum(units) - units, units)
            unit_cost = np.repeat(low, units) + 1 + (np.arange(len(unit_expert)) - block_start)
            flow.add_arcs_with_capacity_and_unit_cost(
                (n + unit_expert).astype(np.int32), np.full(len(unit_expert), sink, dtype=np.int32),
                np.ones(len(unit_expert), dtype=np.int64), unit_cost.astype(np.int64))
        else:
            flow.add_arcs_with_capacity_and_unit_cost(
                (n + np.arange(m)).astype(np.int32), np.full(m, sink, dtype=np.int32), units.astype(np.int64),
                np.zeros(m, dtype=np.int64))
        supplies = np.concatenate([case_supply, -expert_demand, [-sink_demand]]).astype(np.int64)
        flow.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int32), supplies)

        status = flow.solve()
        if status == flow.INFEASIBLE:
            return None
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with {status}")
        used = np.asarray(flow.flows(np.asarray(pair_arcs, dtype=np.int32)))
        if np.any((used != 0) & (used != 1)):
            raise RuntimeError("a pair arc carries a flow other than 0 or 1")
        chosen = used == 1
        return (np.concatenate([self.free_case[chosen], self.fixed_idx[:, 0]]),
                np.concatenate([self.free_expert[chosen], self.fixed_idx[:, 1]]))

    def verified(self, chosen: tuple[np.ndarray, np.ndarray]) -> tuple[list[tuple[int, int]], int, dict[int, int]]:
        """Pairs, mismatches and loads, after checking every constraint: a wrong assignment must never leave here."""
        case_idx, expert_idx = chosen
        pairs = sorted((self.case_ids[i], self.expert_ids[j]) for i, j in zip(case_idx.tolist(), expert_idx.tolist()))
        per_case = np.bincount(case_idx, minlength=self.n)
        per_expert = np.bincount(expert_idx, minlength=self.m)
        problems = []
        if len(set(pairs)) != len(pairs):
            problems.append("duplicate pair")
        if np.any(per_case != self.k):
            problems.append("a case without exactly k experts")
        if np.any(per_expert < self.min_load) or np.any(per_expert > self.max_load):
            problems.append("a load out of bounds")
        if self.forbidden & set(pairs):
            problems.append("a forbidden pair")
        if not self.fixed <= set(pairs):
            problems.append("a fixed pair dropped")
        if problems:
            raise RuntimeError("assignment failed its own check: " + ", ".join(problems))
        mismatches = int(self.mismatch[case_idx, expert_idx].sum())
        return pairs, mismatches, dict(zip(self.expert_ids, per_expert.tolist()))


def _index_pairs(pairs: set[tuple[int, int]], case_index: dict[int, int], expert_index: dict[int, int]) -> np.ndarray:
    return np.array([(case_index[c], expert_index[e]) for c, e in sorted(pairs)], dtype=np.int64).reshape(-1, 2)


def _ortools_version() -> str:
    from importlib.metadata import version

    return version("ortools")


def _check_input(cases: list[CaseNeed], experts: list[ExpertCapacity], k: int, fixed: set[tuple[int, int]]) -> None:
    """Programming errors, not a clerk's: raise, do not explain."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    case_ids = {c.case_id for c in cases}
    expert_ids = {e.expert_id for e in experts}
    if len(case_ids) != len(cases):
        raise ValueError("duplicate case_id")
    if len(expert_ids) != len(experts):
        raise ValueError("duplicate expert_id")
    for e in experts:
        if not 0 <= e.min_load <= e.max_load:
            raise ValueError(f"expert {e.expert_id}: need 0 <= min_load <= max_load, got {e.min_load}, {e.max_load}")
    for case_id, expert_id in fixed:
        if case_id not in case_ids or expert_id not in expert_ids:
            raise ValueError(f"fixed pair ({case_id}, {expert_id}) names an unknown case or expert")


# -- necessary conditions, in words --------------------------------------------------------------------

def _case_name(case: CaseNeed) -> str:
    return case.label or _("编号%(id)s") % {"id": case.case_id}


def _expert_name(expert: ExpertCapacity) -> str:
    return expert.label or _("编号%(id)s") % {"id": expert.expert_id}


def _capped(sentences: list[str], more: str) -> list[str]:
    """The first MAX_NAMED sentences, then one that counts the rest (`more` takes %(n)d)."""
    if len(sentences) <= MAX_NAMED:
        return sentences
    return [*sentences[:MAX_NAMED], more % {"n": len(sentences) - MAX_NAMED}]


def infeasibility_reasons(instance: _Instance) -> list[str]:
    """Every cheap necessary condition that fails, one sentence each with its numbers, so that all of them can be
    fixed at once. Empty does not prove feasibility: the solver has the last word."""
    k, cases, experts = instance.k, instance.cases, instance.experts
    case_by_id = {c.case_id: c for c in cases}
    expert_by_id = {e.expert_id: e for e in experts}
    need = k * len(cases)
    reasons = _capped(
        [_("专家“%(expert)s”已指派到案例“%(case)s”，但该配对存在利益冲突或专家已回避，请先撤销该指派")
         % {"expert": _expert_name(expert_by_id[eid]), "case": _case_name(case_by_id[cid])}
         for cid, eid in instance.fixed_and_forbidden],
        _("另有%(n)d个已固定的指派存在利益冲突或回避"))
    reasons += _capped(
        [_("案例“%(case)s”已指派%(n)d位专家，超过每个案例%(k)d位的要求，请撤销多余的指派")
         % {"case": _case_name(case), "n": fixed, "k": k}
         for case, fixed in zip(cases, instance.fixed_per_case.tolist()) if fixed > k],
        _("另有%(n)d件案例已指派的专家超过要求"))
    reasons += _capped(
        [_("专家“%(expert)s”已指派%(n)d件案例，超过其最多%(max)d个的上限，请撤销部分指派或提高上限")
         % {"expert": _expert_name(expert), "n": fixed, "max": expert.max_load}
         for expert, fixed in zip(experts, instance.fixed_per_expert.tolist()) if fixed > expert.max_load],
        _("另有%(n)d位专家已指派的案例超过其上限"))
    reasons += _capped(
        [_("案例“%(case)s”需要%(k)d位，只有%(n)d位专家可以评审（其余专家存在利益冲突、已回避或指派上限为0），"
           "请增加专家或核对回避")
         % {"case": _case_name(case), "k": k, "n": allowed}
         for case, allowed in zip(cases, instance.allowed_per_case.tolist()) if allowed < k],
        _("另有%(n)d件案例可以评审的专家同样不足"))

    capacity = int(instance.max_load.sum())
    if capacity < need:
        reasons.append(_("专家可承担的评审总量不足：%(cases)d件案例各需%(k)d位专家，共需%(need)d人次，"
                         "专家指派上限合计只有%(capacity)d人次，请增加专家或提高指派上限")
                       % {"cases": len(cases), "k": k, "need": need, "capacity": capacity})
    # A fixed load above an expert's minimum raises what that expert must take, so it counts here.
    minimum = int(np.maximum(instance.min_load, instance.fixed_per_expert).sum())
    if minimum > need:
        reasons.append(_("专家最少指派数（已固定的指派更多时按已固定数计）合计%(minimum)d人次，"
                         "超过%(cases)d件案例各需%(k)d位专家的%(need)d人次，请降低部分专家的最少指派数")
                       % {"minimum": minimum, "cases": len(cases), "k": k, "need": need})
    reasons += _capped(
        [_("专家“%(expert)s”最少需指派%(min)d件案例，但只有%(n)d件案例可以指派给该专家（其余存在利益冲突或已回避），"
           "请降低其最少指派数")
         % {"expert": _expert_name(expert), "min": expert.min_load, "n": allowed}
         for expert, allowed in zip(experts, instance.allowed_per_expert.tolist()) if allowed < expert.min_load],
        _("另有%(n)d位专家可以指派的案例少于其最少指派数"))
    return reasons


def _names(names: list[str]) -> str:
    quoted = "、".join(f"“{name}”" for name in names[:MAX_NAMED])
    return quoted if len(names) <= MAX_NAMED else _("%(names)s等%(n)d个") % {"names": quoted, "n": len(names)}


def cut_reasons(instance: _Instance) -> list[str]:
    """A group of cases whose experts cannot cover them, or a group of experts whose minimums their cases cannot
    absorb: the minimum cut of a max-flow that ignores the other side's bounds (Hall's condition). Each sentence
    is a necessary condition that fails, found only once the solver has said infeasible."""
    from ortools.graph.python import max_flow

    n, m = instance.n, instance.m
    source, sink = n + m, n + m + 1
    case_room = instance.k - instance.fixed_per_case
    expert_room = instance.max_load - instance.fixed_per_expert
    expert_due = np.maximum(instance.min_load - instance.fixed_per_expert, 0)
    cases_, experts_ = np.arange(n, dtype=np.int32), n + np.arange(m, dtype=np.int32)
    free_case, free_expert = instance.free_case, n + instance.free_expert
    reasons = []

    def min_cut(tails, heads, capacities) -> tuple[int, np.ndarray]:
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(np.concatenate(tails).astype(np.int32), np.concatenate(heads).astype(np.int32),
                                    np.concatenate(capacities).astype(np.int64))
        if flow.solve(source, sink) != flow.OPTIMAL:
            raise RuntimeError("max-flow failed")
        side = np.zeros(n + m + 2, dtype=bool)
        side[flow.get_source_side_min_cut()] = True
        return flow.optimal_flow(), side

    # Cases need k each; experts offer their maximum.
    flow, side = min_cut([np.full(n, source), free_case, experts_], [cases_, free_expert, np.full(m, sink)],
                         [case_room, np.ones(len(free_case)), expert_room])
    if flow < case_room.sum():
        short = side[:n]
        full = side[n:n + m]
        need = int(case_room[short].sum())
        available = int(expert_room[full].sum() + (short[instance.free_case] & ~full[instance.free_expert]).sum())
        case_names = [_case_name(c) for c, s in zip(instance.cases, short.tolist()) if s]
        expert_names = [_expert_name(e) for e, s in zip(instance.experts, full.tolist()) if s]
        if expert_names:
            reasons.append(_("案例%(cases)s还需%(need)d人次专家评审，但可以评审这些案例的专家最多只能再承担%(available)d人次"
                             "（专家%(experts)s将达到指派上限），请为这些案例增加专家、核对回避或提高这些专家的指派上限")
                           % {"cases": _names(case_names), "need": need, "available": available,
                              "experts": _names(expert_names)})
        else:
            reasons.append(_("案例%(cases)s还需%(need)d人次专家评审，但可以评审这些案例的专家最多只能再承担%(available)d人次，"
                             "请为这些案例增加专家或核对回避")
                           % {"cases": _names(case_names), "need": need, "available": available})

    # Experts need their minimum; cases offer their remaining places.
    flow, side = min_cut([np.full(m, source), free_expert, cases_], [experts_, free_case, np.full(n, sink)],
                         [expert_due, np.ones(len(free_case)), case_room])
    if flow < expert_due.sum():
        short = side[n:n + m]
        full = side[:n]
        need = int(expert_due[short].sum())
        available = int(case_room[full].sum() + (short[instance.free_expert] & ~full[instance.free_case]).sum())
        expert_names = [_expert_name(e) for e, s in zip(instance.experts, short.tolist()) if s]
        reasons.append(_("专家%(experts)s最少还需指派%(need)d人次，但可以指派给这些专家的案例最多只能再容纳%(available)d人次，"
                         "请降低这些专家的最少指派数或核对回避")
                       % {"experts": _names(expert_names), "need": need, "available": available})
    return reasons
