"""The solver (issue 7 §3): the best-scoring valid list under a round's rules, or why none exists, in words.

`propose(rules, candidates, include=…, exclude=…, target=…)` solves an integer program with HiGHS: one binary
x_i per candidate, every rule of apps.rounds.rules a linear row (the same semantics as
apps.selection.validator, which checks every proposal in the tests):

- Count        Σ x  ≤ / = / ≥ n.
- Share        Σ_{value} x ≥ p · Σ x, written with integers: p = a/b exactly (0.3 = 3/10), so
               b · Σ_{value} x − a · Σ x ≥ 0; the same as the validator's ceil(p · size) for decimal shares.
- PerGroup     Σ_{group} x ≤ m for every group; cases without a group (None) are in no group.
- Quota        Σ_{group} x ≤ / = / ≥ table[group]; a group absent from a "==" or "<=" table has quota 0.
- Eligibility  x = 0 for a candidate that did not pass the rounds below (only when the round has the rule).
- Pins         include: x = 1; exclude: x = 0.

The objective, lexicographic, solved in stages on one HiGHS model (each stage's optimum fixed by a row before the
next; no MIP start is passed: HiGHS 1.16 with a start and presolve returned a non-optimal tie-break as optimal
on a 28-candidate instance the pruning property test found):
1. only with `target` (R-103: the province round aims at 100 within its maximum) and no Count rule other than
   "≤": the largest list size k ≤ target the rules allow; the list then holds exactly k cases;
2. the total composite score, as integers (scores × 10⁴: composite totals are rounded to 4 decimals, so this is
   exact and HiGHS can prove optimality to the last unit, gap 0);
3. tie-break: among lists of that total, the smallest sum of the candidates' ranks, rank = position by score
   (descending) then case id: an equal-scoring case with a smaller id wins, and a tie between combinations goes
   to the list whose cases stand higher in the ranking. Exact ties that remain (equal rank sums) are settled by
   HiGHS, which is deterministic on the same model; the model is built in ranking order, so the same input gives
   the same list on every machine.

Pruning (exact, so 50k candidates solve in well under a second) is proved at `_prune`; when the solver finds no
valid list, `_explain` says why: first necessary conditions with the numbers (only 25 park cases, 30 needed for
30% of 100 …), then, if none of them fires, a deletion filter (the solver's infeasibility analysis): the
smallest set of rules that still has no valid list, named by R-id.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import highspy
import numpy as np
from django.utils.translation import gettext as _

from apps.rounds.rules import Candidate, Count, Eligibility, PerGroup, Quota, Rule, Share
from apps.selection import wording

SCALE = 10_000  # composite totals carry 4 decimals
INF = math.inf


@dataclass(frozen=True)
class Proposal:
    """A proposed list, or why there is none.

    `explanations` holds Chinese sentences naming rules (R-ids) and numbers: why no valid list exists when
    `infeasible`, or, when a target was given and cannot be reached, how many cases can be and which rules limit
    them. `rules` are the R-ids those sentences name."""

    chosen: tuple[int, ...]  # case ids, by score (descending) then id
    total: float
    optimal: bool
    status: str
    count: int
    infeasible: bool = False
    explanations: list[str] = field(default_factory=list)
    rules: tuple[str, ...] = ()
    target: int | None = None
    reachable: int | None = None  # with a target: the largest list size the rules allow (≤ target)
    considered: int = 0  # candidates left in the model after pruning


def propose(rules: Sequence[Rule], candidates: Sequence[Candidate], *, include: Iterable[int] = (),
            exclude: Iterable[int] = (), target: int | None = None, time_limit: float = 30,
            prune: bool = True) -> Proposal:
    """The best valid list of `candidates` under `rules` and the pins; `prune=False` solves the full model (tests
    and the bench compare the two). `target` counts only when every Count rule is "≤" (otherwise the list's size
    is already fixed or bounded below by the rulebook, and the proposal's `target` is None)."""
    deadline = time.monotonic() + time_limit
    problem = _Problem.build(rules, candidates, include, exclude)
    aim = target if target is not None and all(r.op == "<=" for r in rules if isinstance(r, Count)) else None
    pins_broken = problem.pin_conflicts()
    if pins_broken:
        return _infeasible(problem, pins_broken, status=_("指定的案例无法同时满足"))

    model = _Model(problem, problem.rules, prune=prune, cap=aim)
    reachable = None
    if aim is not None:
        outcome = model.solve(np.ones(model.size), deadline)
        if outcome.status == "infeasible":
            return _infeasible(problem, _explain(problem, deadline))
        if outcome.status != "optimal":
            return _unfinished(problem, model, outcome)
        reachable = round(outcome.value)
        model.fix(np.ones(model.size), reachable)

    scores = np.array([c.points for c in model.candidates], dtype=float)
    outcome = model.solve(scores, deadline)
    if outcome.status == "infeasible":
        return _infeasible(problem, _explain(problem, deadline))
    if outcome.status != "optimal":
        return _unfinished(problem, model, outcome, reachable=reachable, target=aim)
    model.fix(scores, round(outcome.value))
    ranks = np.array([c.rank for c in model.candidates], dtype=float)
    tie = model.solve(-ranks, deadline)
    if tie.status == "optimal" or tie.solution is not None:
        outcome = tie
    settled = tie.status == "optimal"  # the total is proved best either way; only the tie-break may be unfinished

    chosen = model.chosen(outcome.solution)
    explanations, named = [], ()
    if aim is not None and reachable < aim:
        explanations, named = _shortfall(problem, aim, reachable, deadline)
    return Proposal(
        chosen=tuple(c.id for c in chosen), total=_total(chosen), optimal=True,
        status=_("已求得最优名单") if settled else _("已求得最高分名单，并列名单的排序在时限内未完成"),
        count=len(chosen), explanations=explanations, rules=named, target=aim, reachable=reachable,
        considered=model.size,
    )


# ---------------------------------------------------------------------------------------------------------------
# The problem: candidates in ranking order, the pins, the rules' integer data.


@dataclass(frozen=True)
class _Entry:
    candidate: Candidate
    id: int
    rank: int  # position by score (descending) then id, over every candidate of the round
    points: int  # score × SCALE


@dataclass
class _Problem:
    rules: list[Rule]
    entries: list[_Entry]  # every candidate, ranking order
    pool: list[_Entry]  # available: not excluded, eligible when the round has an Eligibility rule
    include: frozenset[int]
    exclude: frozenset[int]
    unknown: tuple[int, ...]  # included ids that are no candidates

    @classmethod
    def build(cls, rules, candidates, include, exclude) -> _Problem:
        ordered = sorted(candidates, key=lambda c: (-c.score, c.id))
        entries = [_Entry(c, c.id, rank + 1, round(c.score * SCALE)) for rank, c in enumerate(ordered)]
        include, exclude = frozenset(include), frozenset(exclude)
        known = {e.id for e in entries}
        eligibility = any(isinstance(r, Eligibility) for r in rules)
        pool = [e for e in entries if e.id not in exclude and (e.candidate.eligible or not eligibility)]
        return cls(list(rules), entries, pool, include, exclude, tuple(sorted(include - known)))

    def pool_without(self, rules: Sequence[Rule]) -> list[_Entry]:
        """The pool under a subset of the rules (the Eligibility rule may be among those left out)."""
        if any(isinstance(r, Eligibility) for r in rules):
            return self.pool
        return [e for e in self.entries if e.id not in self.exclude]

    def pin_conflicts(self) -> list[tuple[str, tuple[str, ...]]]:
        """Pins that break a rule on their own (or each other): (sentence, R-ids)."""
        found = []
        both = sorted(self.include & self.exclude)
        if both:
            found.append((_("案例%(ids)s既被指定入选又被指定排除") % {"ids": _ids(both)}, ()))
        if self.unknown:
            found.append((_("指定入选的案例%(ids)s不在本轮候选名单中") % {"ids": _ids(self.unknown)}, ()))
        pinned = [e.candidate for e in self.entries if e.id in self.include and e.id not in self.exclude]
        for rule in self.rules:
            if isinstance(rule, Eligibility):
                bad = [c for c in pinned if not c.eligible]
                if bad:
                    found.append((_("指定入选的%(cases)s未通过下级遴选（%(rule)s）") % {
                        "cases": wording.labels(bad), "rule": rule.rule}, (rule.rule,)))
            elif isinstance(rule, Count) and rule.op != ">=" and len(pinned) > rule.n:
                found.append((_("指定入选%(k)d件，超过%(text)s规定的%(n)d件（%(rule)s）") % {
                    "k": len(pinned), "text": rule.text, "n": rule.n, "rule": rule.rule}, (rule.rule,)))
            elif isinstance(rule, PerGroup):
                for group, members in _groups(pinned, rule.attribute).items():
                    if group is not None and len(members) > rule.maximum:
                        found.append((_("指定入选的%(cases)s属于同一%(unit)s，超过每%(unit)s%(m)d件的上限（%(rule)s）")
                                      % {"cases": wording.labels(members), "unit": wording.unit(rule.attribute),
                                         "m": rule.maximum, "rule": rule.rule}, (rule.rule,)))
            elif isinstance(rule, Quota) and rule.op != ">=":
                for group, members in _groups(pinned, rule.attribute).items():
                    if len(members) > rule.table.get(group, 0):
                        found.append((_("指定入选的%(cases)s属于%(name)s，超过其名额%(q)d件（%(rule)s）") % {
                            "cases": wording.labels(members),
                            "name": wording.group_name(rule.attribute, group, rule.names),
                            "q": rule.table.get(group, 0), "rule": rule.rule}, (rule.rule,)))
        return found


# ---------------------------------------------------------------------------------------------------------------
# Pruning.
#
# Claim: for every rule set and pins, some lexicographically best valid list (stages 1–3 above) uses only the
# candidates `_prune` keeps; in fact every best list does, so pruned and full models give the same optimum.
#
# Classes. Every attribute a rule reads is "tight" (its value is part of a candidate's class: Quota attributes,
# Share attributes as value / not value, PerGroup attributes) except at most one PerGroup attribute, the "loose"
# one (the one with most groups, usually the enterprise, cap m). Two candidates of one class look the same to
# every rule but the loose PerGroup. For a class D let K(D) bound how many candidates of D, or of S(D) = D plus
# every candidate sharing a (non-None) loose group with D, any valid list can hold: the smallest of the list's
# maximum size (Count ≤/=, the quota table's total, the target in stage 1), the tight caps (PerGroup maximum,
# "≤"/"=" quota) when S(D) lies in one group, and the sum of the classes' caps that S(D) touches.
#
# Kept: the pinned candidates, and per class D its unpinned candidates in ranking order, skipping one whose loose
# group already has m kept, until K(D) are kept (no loose attribute: simply the top K(D)).
#
# Exchange argument. Let L be a valid list with an unpinned candidate c of class D that was not kept. There is a
# kept t of D, not in L, such that L − c + t is valid: it has the same size and the same counts in every tight
# group (same class), and t ranks above c (higher score, or the same score and a smaller id), so L − c + t is
# strictly better in the order (size, score, −rank sum). Hence no best list holds a candidate that was not kept.
# - c was skipped because m unpinned candidates of its loose group g were kept before it: L holds c and at most
#   m − 1 others of g, so one of those m is not in L; swapping keeps g's count.
# - c came after K(D) were kept: call a kept t unusable if t ∈ L or t's loose group already has m members in
#   L − c. Each unusable t is either in L − c, or one of at most m kept of a loose group whose m members in L − c
#   all lie in S(D); so there are at most |(L − c) ∩ S(D)| ≤ K(D) − 1 unusable ones, and one of the K(D) is
#   usable: swapping it in keeps every loose group within m.
# Without a loose attribute the second case is the plain count: L holds at most K(D) − 1 of D besides c.


def _prune(pool: list[_Entry], rules: Sequence[Rule], include: frozenset[int], cap: int | None) -> list[_Entry]:
    size = _max_size(rules, cap)
    per_group = [r for r in rules if isinstance(r, PerGroup)]
    tight_fixed = {r.attribute for r in rules if isinstance(r, (Quota, Share))}
    caps: dict[str, int] = {}
    for rule in per_group:
        caps[rule.attribute] = min(caps.get(rule.attribute, rule.maximum), rule.maximum)
    loose = None
    choices = [a for a in caps if a not in tight_fixed]
    if choices:
        loose = max(choices, key=lambda a: (len({getattr(e.candidate, a) for e in pool}), a))
    tight = sorted(a for a in caps if a != loose)
    quotas = [r for r in rules if isinstance(r, Quota) and r.op != ">="]  # the ones that cap a group
    quota_attributes = sorted({r.attribute for r in rules if isinstance(r, Quota)})
    shares = [r for r in rules if isinstance(r, Share)]

    read = tight + quota_attributes

    def key(c: Candidate):
        return (*(getattr(c, a) for a in read), *(getattr(c, s.attribute) == s.value for s in shares))

    def tight_caps(c: Candidate) -> list[tuple[tuple, float]]:
        """(the tight group, its cap) for every capped tight group the candidate is in."""
        found = [((a, c.group(a)), caps[a]) for a in tight if c.group(a) is not None]
        found += [((id(q), c.group(q.attribute)), q.table.get(c.group(q.attribute), 0)) for q in quotas]
        return found

    classes: dict[tuple, list[_Entry]] = defaultdict(list)
    for entry in pool:
        classes[key(entry.candidate)].append(entry)
    bound = {k: min([size] + [cap for _group, cap in tight_caps(members[0].candidate)])
             for k, members in classes.items()}

    if loose is not None:
        widened = {}
        touched: dict[object, set] = defaultdict(set)  # loose group → the classes of its members
        loose_groups = {k: {getattr(e.candidate, loose) for e in members} - {None} for k, members in classes.items()}
        for k, groups in loose_groups.items():
            for group in groups:
                touched[group].add(k)
        for k in classes:
            reach = {k}.union(*(touched[group] for group in loose_groups[k]))
            shared = [dict(tight_caps(classes[r][0].candidate)) for r in reach]
            common = set.intersection(*(set(s) for s in shared))  # tight groups all of S(D) lies in
            widened[k] = min([size, sum(bound[r] for r in reach)] + [shared[0][g] for g in common])
        bound = widened

    kept = [e for e in pool if e.id in include]
    for k, members in classes.items():
        limit, taken, per_loose = bound[k], 0, defaultdict(int)
        for entry in members:
            if taken >= limit:
                break
            if entry.id in include:
                continue
            if loose is not None:
                group = getattr(entry.candidate, loose)
                if group is not None:
                    if per_loose[group] >= caps[loose]:
                        continue
                    per_loose[group] += 1
            kept.append(entry)
            taken += 1
    kept.sort(key=lambda e: e.rank)
    return kept


def _max_size(rules: Sequence[Rule], cap: int | None) -> float:
    sizes = [cap if cap is not None else INF]
    sizes += [r.n for r in rules if isinstance(r, Count) and r.op != ">="]
    sizes += [sum(r.table.values()) for r in rules if isinstance(r, Quota) and r.op != ">="]
    return min(sizes)


# ---------------------------------------------------------------------------------------------------------------
# The HiGHS model.


@dataclass(frozen=True)
class _Outcome:
    status: str  # "optimal", "infeasible", "time_limit", "error"
    value: float = 0.0
    solution: np.ndarray | None = None


class _Model:
    def __init__(self, problem: _Problem, rules: Sequence[Rule], *, prune: bool, cap: int | None):
        pool = problem.pool_without(rules)
        self.candidates = _prune(pool, rules, problem.include, cap) if prune else pool
        self.size = len(self.candidates)
        column = {e.id: j for j, e in enumerate(self.candidates)}
        lower = np.array([1.0 if e.id in problem.include else 0.0 for e in self.candidates])
        upper = np.ones(self.size)
        rows: list[tuple[float, float, list[int], list[float]]] = []
        everyone = list(range(self.size))
        if cap is not None:
            rows.append((0, cap, everyone, [1.0] * self.size))
        for rule in rules:
            if isinstance(rule, Count):
                low, high = {"<=": (0, rule.n), "==": (rule.n, rule.n), ">=": (rule.n, INF)}[rule.op]
                rows.append((low, high, everyone, [1.0] * self.size))
            elif isinstance(rule, Share):
                share = Fraction(str(rule.minimum)).limit_denominator(10**6)
                a, b = share.numerator, share.denominator
                rows.append((0, INF, everyone, [float(b * (e.candidate.group(rule.attribute) == rule.value) - a)
                                                for e in self.candidates]))
            elif isinstance(rule, PerGroup):
                for group, members in _groups(self.candidates, rule.attribute).items():
                    if group is not None and len(members) > rule.maximum:
                        rows.append((0, rule.maximum, [column[e.id] for e in members], [1.0] * len(members)))
            elif isinstance(rule, Quota):
                groups = _groups(self.candidates, rule.attribute)
                for group, n in rule.table.items():
                    members = groups.get(group, [])
                    low, high = {"<=": (0, n), "==": (n, n), ">=": (n, INF)}[rule.op]
                    rows.append((low, high, [column[e.id] for e in members], [1.0] * len(members)))
                if rule.op != ">=":
                    for group, members in groups.items():
                        if group not in rule.table:
                            upper[[column[e.id] for e in members]] = 0.0
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.size, len(rows)
        lp.col_cost_ = np.zeros(self.size)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.array([r[0] for r in rows], dtype=float)
        lp.row_upper_ = np.array([r[1] for r in rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.cumsum([0] + [len(r[2]) for r in rows]).astype(np.int32)
        lp.a_matrix_.index_ = np.array([j for r in rows for j in r[2]], dtype=np.int32)
        lp.a_matrix_.value_ = np.array([v for r in rows for v in r[3]], dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.size
        lp.sense_ = highspy.ObjSense.kMaximize
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self.highs.setOptionValue("mip_abs_gap", 0.5)  # every objective here is integral
        self.highs.setOptionValue("threads", 1)
        self.highs.passModel(lp)
        self.bounds = [(r[0], r[1]) for r in rows]

    def solve(self, objective: np.ndarray, deadline: float) -> _Outcome:
        """Maximise `objective` (integers) under the rules and every earlier stage's row."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return _Outcome("time_limit")
        highs = self.highs
        if not self.size:  # HiGHS does not solve a model without columns: the empty list is the only one
            empty = all(low <= 0 <= high for low, high in self.bounds)
            return _Outcome("optimal", 0.0, np.zeros(0)) if empty else _Outcome("infeasible")
        highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), objective.astype(float))
        highs.setOptionValue("time_limit", remaining)
        highs.run()
        status = highs.getModelStatus()
        has_solution = highs.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        values = np.round(np.array(highs.getSolution().col_value)) if has_solution else None
        if status == highspy.HighsModelStatus.kOptimal:
            if values is None:
                values = np.zeros(self.size)
            return _Outcome("optimal", float(objective @ values), values)
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return _Outcome("infeasible")
        if status == highspy.HighsModelStatus.kTimeLimit:
            return _Outcome("time_limit", float(objective @ values) if values is not None else 0.0, values)
        return _Outcome("error", 0.0, values)

    def fix(self, objective: np.ndarray, value: float) -> None:
        """Keep the stage's optimum: objective · x ≥ value (the next stage can only tie it)."""
        nonzero = np.flatnonzero(objective)
        self.bounds.append((value, INF))
        self.highs.addRow(float(value), INF, len(nonzero), nonzero.astype(np.int32), objective[nonzero].astype(float))

    def chosen(self, solution: np.ndarray) -> list[Candidate]:
        picked = [e.candidate for e, x in zip(self.candidates, solution) if x > 0.5]
        return sorted(picked, key=lambda c: (-c.score, c.id))


def _feasible(problem: _Problem, rules: Sequence[Rule], deadline: float, cap: int | None = None) -> bool | None:
    """Whether some list satisfies `rules` and the pins (None: undecided in time)."""
    model = _Model(problem, rules, prune=True, cap=cap)
    status = model.solve(np.zeros(model.size), deadline).status
    return {"optimal": True, "infeasible": False}.get(status)


def _max_count(problem: _Problem, rules: Sequence[Rule], cap: int, deadline: float) -> int | None:
    model = _Model(problem, rules, prune=True, cap=cap)
    outcome = model.solve(np.ones(model.size), deadline)
    return round(outcome.value) if outcome.status == "optimal" else None


# ---------------------------------------------------------------------------------------------------------------
# Results.


def _infeasible(problem: _Problem, found: list[tuple[str, tuple[str, ...]]], status: str | None = None) -> Proposal:
    named = tuple(dict.fromkeys(rule for _sentence, rules in found for rule in rules))
    return Proposal(chosen=(), total=0.0, optimal=False, status=status or _("没有满足全部规则的名单"), count=0,
                    infeasible=True, explanations=[sentence for sentence, _rules in found], rules=named)


def _unfinished(problem, model, outcome, *, reachable=None, target=None) -> Proposal:
    if outcome.solution is None:
        return Proposal(chosen=(), total=0.0, optimal=False, count=0, considered=model.size, target=target,
                        status=_("在时限内未找到名单，请稍后重试或放宽时限"))
    chosen = model.chosen(outcome.solution)
    return Proposal(chosen=tuple(c.id for c in chosen), total=_total(chosen), optimal=False, count=len(chosen),
                    status=_("在时限内找到的名单，尚未证明为最优"), considered=model.size, target=target,
                    reachable=reachable)


def _total(chosen: list[Candidate]) -> float:
    return round(sum(c.score for c in chosen), 4)


# ---------------------------------------------------------------------------------------------------------------
# Why no valid list: necessary conditions with numbers, then a deletion filter.


@dataclass(frozen=True)
class _Bound:
    value: float
    sentence: str
    rules: tuple[str, ...]


def _explain(problem: _Problem, deadline: float) -> list[tuple[str, tuple[str, ...]]]:
    rules, pool = problem.rules, problem.pool
    found = []
    lows, highs = _size_bounds(problem, pool)
    low = max(lows, key=lambda b: b.value)
    for high in highs:
        if high.value < low.value:
            found.append((_("%(low)s，但%(high)s") % {"low": low.sentence, "high": high.sentence},
                          low.rules + high.rules))
    for rule in rules:
        if isinstance(rule, Quota) and rule.op != "<=":
            groups = _groups(pool, rule.attribute)
            others = [r for r in rules if r is not rule]
            for group, n in rule.table.items():
                members = groups.get(group, [])
                room = _capacity(members, others, problem)
                if room.value < n:
                    found.append((_("%(name)s%(room)s，名额要求%(n)d件（%(rule)s）") % {
                        "name": wording.group_name(rule.attribute, group, rule.names), "room": room.sentence,
                        "n": n, "rule": rule.rule},
                        (rule.rule,) + room.rules))
        elif isinstance(rule, Share):
            sentence = _share_gap(problem, rule, lows, highs)
            if sentence:
                found.append(sentence)
    if found:
        return found
    return [_deletion_filter(problem, deadline)]


def _size_bounds(problem: _Problem, pool: list[_Entry]) -> tuple[list[_Bound], list[_Bound]]:
    """Lower and upper bounds on any valid list's size, each with its reason."""
    lows = [_Bound(0, "", ())]
    highs = [_capacity(pool, problem.rules, problem, whole=True)]
    pinned = len(problem.include)
    if pinned:
        lows.append(_Bound(pinned, _("已指定入选%(k)d件") % {"k": pinned}, ()))
    for rule in problem.rules:
        if isinstance(rule, Count):
            if rule.op != "<=":
                lows.append(_Bound(rule.n, _("%(text)s，名单至少%(n)d件（%(rule)s）") % {
                    "text": rule.text, "n": rule.n, "rule": rule.rule}, (rule.rule,)))
            if rule.op != ">=":
                highs.append(_Bound(rule.n, _("%(text)s，最多%(n)d件（%(rule)s）") % {
                    "text": rule.text, "n": rule.n, "rule": rule.rule}, (rule.rule,)))
        elif isinstance(rule, Quota):
            total = sum(rule.table.values())
            params = {"total": total, "rule": rule.rule}
            if rule.op != "<=":
                lows.append(_Bound(total, _("名额表合计至少%(total)d件（%(rule)s）") % params, (rule.rule,)))
    return lows, highs


def _capacity(entries: list[_Entry], rules: Sequence[Rule], problem: _Problem, whole: bool = False) -> _Bound:
    """How many of `entries` one list can hold at most under the group caps, with the reason."""
    eligibility = [r.rule for r in problem.rules if isinstance(r, Eligibility)]
    dropped = eligibility and any(not e.candidate.eligible for e in problem.entries if e.id not in problem.exclude)
    base = tuple(eligibility) if dropped else ()
    best = _Bound(len(entries), _("符合条件的候选案例只有%(k)d件") % {"k": len(entries)} if whole
                  else _("只有%(k)d件候选案例") % {"k": len(entries)}, base)
    for rule in rules:
        if isinstance(rule, PerGroup):
            groups = _groups(entries, rule.attribute)
            value = sum(min(rule.maximum, len(m)) if g is not None else len(m) for g, m in groups.items())
            if value < best.value:
                named = sum(1 for g in groups if g is not None)
                text = _("候选案例来自%(g)d个%(unit)s，每%(unit)s最多%(m)d件，最多可选%(k)d件（%(rule)s）")
                best = _Bound(value, text % {
                    "g": named, "unit": wording.unit(rule.attribute), "m": rule.maximum, "k": value, "rule": rule.rule},
                    base + (rule.rule,))
        elif isinstance(rule, Quota) and rule.op != ">=":
            groups = _groups(entries, rule.attribute)
            value = sum(min(rule.table.get(g, 0), len(m)) for g, m in groups.items())
            if value < best.value:
                best = _Bound(value, _("按名额表最多可选%(k)d件（%(rule)s）") % {"k": value, "rule": rule.rule},
                              base + (rule.rule,))
    return best


def _share_gap(problem: _Problem, rule: Share, lows: list[_Bound], highs: list[_Bound]):
    """Whether the share can hold with the list sizes the other rules allow; if not, why."""
    has = [e for e in problem.pool if e.candidate.group(rule.attribute) == rule.value]
    lacks = [e for e in problem.pool if e.candidate.group(rule.attribute) != rule.value]
    have, lack = _capacity(has, problem.rules, problem), _capacity(lacks, problem.rules, problem)
    low, high = max(lows, key=lambda b: b.value), min(highs, key=lambda b: b.value)
    pinned_has = sum(1 for e in has if e.id in problem.include)
    pinned_lacks = sum(1 for e in lacks if e.id in problem.include)
    for v in range(pinned_has, int(have.value) + 1):
        u = max(pinned_lacks, int(low.value) - v)
        if u <= lack.value and u + v <= high.value and rule.needed(u + v) <= v:
            return None
    label, percent = wording.value_label(rule.attribute, rule.value), wording.percent(rule.minimum)
    size = max(int(low.value), pinned_lacks)
    params = {"label": label, "percent": percent, "rule": rule.rule, "have": int(have.value), "size": size,
              "needed": rule.needed(size), "pinned": pinned_lacks}
    if rule.needed(size) > have.value and size == low.value:
        sentence = _("只有%(have)d件%(label)s的候选案例，%(size)d件的%(percent)s%%需要%(needed)d件（%(rule)s）")
        sentence = sentence % params
        if have.rules:
            sentence += _("；%(reason)s") % {"reason": have.sentence}
        return sentence, (rule.rule,) + low.rules + have.rules
    if pinned_lacks:
        sentence = _("已指定入选%(pinned)d件非%(label)s的案例，%(label)s的案例占比不低于%(percent)s%%（%(rule)s）"
                     "在%(high)s的情况下无法满足") % {**params, "high": high.sentence or _("现有候选案例")}
        return sentence, (rule.rule,) + low.rules + high.rules + have.rules + lack.rules
    sentence = _("%(label)s的案例占比不低于%(percent)s%%（%(rule)s）与名单件数要求无法同时满足：%(low)s，%(high)s，"
                 "%(label)s的候选案例%(reason)s") % {**params, "low": low.sentence or _("名单不能为空"),
                                                 "high": high.sentence, "reason": have.sentence}
    return sentence, (rule.rule,) + low.rules + high.rules + have.rules + lack.rules


def _deletion_filter(problem: _Problem, deadline: float) -> tuple[str, tuple[str, ...]]:
    """The smallest set of the rules (with the pins) that still has no valid list: drop each rule in turn and keep
    it out when the rest stays infeasible."""
    core = list(problem.rules)
    for rule in list(core):
        rest = [r for r in core if r is not rule]
        if _feasible(problem, rest, deadline) is False:
            core = rest
    names = "；".join(_("%(text)s（%(rule)s）") % {"text": r.text, "rule": r.rule} for r in core)
    sentence = _("以下规则无法同时满足：%(rules)s") % {"rules": names}
    if problem.include or problem.exclude:
        sentence += _("（已计入指定入选和排除的案例）")
    return sentence, tuple(dict.fromkeys(r.rule for r in core))


# ---------------------------------------------------------------------------------------------------------------
# Why the target cannot be reached.


def _shortfall(problem: _Problem, target: int, reachable: int, deadline: float):
    lead = _("名单目标为%(target)d件，在现有规则下最多只能选出%(k)d件") % {"target": target, "k": reachable}
    reasons: list[tuple[str, tuple[str, ...]]] = []
    for rule in problem.rules:
        rest = [r for r in problem.rules if r is not rule]
        more = _max_count(problem, rest, target, deadline)
        if more is None or more <= reachable:
            continue
        reasons.append((_limit_sentence(problem, rule, more), (rule.rule,)))
    if not reasons:
        if len(problem.pool) <= reachable:
            reasons.append((_("符合条件的候选案例只有%(k)d件") % {"k": len(problem.pool)}, ()))
        else:
            listed = [r for r in problem.rules if not isinstance(r, Count)]
            reasons.append((_("由以下规则共同限制：%(rules)s") % {"rules": "；".join(
                _("%(text)s（%(rule)s）") % {"text": r.text, "rule": r.rule} for r in listed)},
                tuple(r.rule for r in listed)))
    named = tuple(dict.fromkeys(rule for _sentence, rules in reasons for rule in rules))
    return [lead] + [sentence for sentence, _rules in reasons], named


def _limit_sentence(problem: _Problem, rule: Rule, more: int) -> str:
    params = {"rule": rule.rule, "text": rule.text, "more": more}
    if isinstance(rule, Share):
        has = [e for e in problem.pool if e.candidate.group(rule.attribute) == rule.value]
        have = int(_capacity(has, problem.rules, problem).value)
        most = _largest_size(rule, have)
        return _("只有%(have)d件%(label)s的候选案例，按不低于%(percent)s%%计算最多可选%(most)d件（%(rule)s）") % {
            **params, "have": have, "label": wording.value_label(rule.attribute, rule.value),
            "percent": wording.percent(rule.minimum), "most": most}
    if isinstance(rule, (PerGroup, Quota)):
        bound = _capacity(problem.pool, [rule], problem)
        if bound.rules and rule.rule in bound.rules:
            return bound.sentence
    if isinstance(rule, Eligibility):
        return _("通过下级遴选的候选案例只有%(k)d件（%(rule)s）") % {**params, "k": len(problem.pool)}
    return _("%(text)s（%(rule)s）：不计这一条最多可选%(more)d件") % params


def _largest_size(rule: Share, have: int) -> int:
    """The largest list size whose share `have` cases with the value can fill."""
    size = int(have / rule.minimum) + 1 if rule.minimum > 0 else have
    while size > 0 and rule.needed(size) > have:
        size -= 1
    return size


# ---------------------------------------------------------------------------------------------------------------
# Words.


def _groups(items, attribute: str) -> dict[object, list]:
    groups: dict[object, list] = {}
    for item in items:
        candidate = item.candidate if isinstance(item, _Entry) else item
        groups.setdefault(candidate.group(attribute), []).append(item)
    return groups


def _ids(ids) -> str:
    return "、".join(str(i) for i in ids)
