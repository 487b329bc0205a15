"""Where each candidate stands against a round's list, in sentences for the list page. Pure Python over the rules
and the one validator (apps.selection.validator), no database, like the validator and the solver.

- `to_blame(violations)`: the listed cases a violation is about, each with the violation's sentence. Only the
  rules a case breaks by being on the list count: too many of one group (PerGroup, a Quota's "≤" or "=" over its
  number) and eligibility. A list too short or too long, or short of a share, is the whole list's business and
  is shown above the table, not on every row.
- `left_off(...)`: why a case that ranks above the lowest-ranked listed case is not on the list. First the
  reason a person gave (an exclusion, an upheld objection); then what adding it would break that the list does
  not break now (its enterprise or city already has its cases, its group's quota is full, the share would
  drop); when only the list's size stops it (the list is full), what swapping it for a lower-ranked listed case
  would break; and when nothing stops it, that it may be added or swapped in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from apps.rounds.rules import Candidate, Eligibility, Rule, Violation
from apps.selection import wording
from apps.selection.validator import validate

BLAMED = ("per_group", "eligibility")


def to_blame(violations: Iterable[Violation]) -> dict[int, list[str]]:
    """Case id → the sentences of the rules it breaks by being on the list."""
    out: dict[int, list[str]] = {}
    for v in violations:
        over = v.kind == "quota" and v.have is not None and v.needed is not None and v.have > v.needed
        if v.kind in BLAMED or over:
            for case in v.cases:
                out.setdefault(case, []).append(v.message)
    return out


def _key(v: Violation) -> tuple:
    return (v.rule, v.kind, v.group)


def _gap(v: Violation) -> float:
    return abs((v.needed or 0) - (v.have or 0))


def _worse(before: list[Violation], after: list[Violation]) -> list[Violation]:
    """The violations of `after` that `before` does not have, or has with a smaller gap (a list over its maximum
    getting longer is worse; a list under its minimum getting longer is not)."""
    old = {_key(v): _gap(v) for v in before}
    return [v for v in after if _key(v) not in old or _gap(v) > old[_key(v)]]


def _rule_of(rules: Sequence[Rule], v: Violation) -> Rule | None:
    return next((r for r in rules if r.rule == v.rule and r.kind == v.kind), None)


def _group_sentence(rules: Sequence[Rule], v: Violation, case: Candidate, by_id: Mapping[int, Candidate]) -> str:
    """Adding `case` overfills its group: name the rule and the listed cases already in the group."""
    rule = _rule_of(rules, v)
    others = [by_id[c] for c in v.cases if c != case.id and c in by_id]
    text = rule.text if rule is not None else ""
    if v.kind == "per_group":
        return _("%(text)s，名单中已有%(cases)s（%(rule)s）") % {
            "text": text, "cases": wording.labels(others), "rule": v.rule}
    if v.kind == "quota":
        name = wording.group_name(rule.attribute, v.group, rule.names) if rule is not None else ""
        return _("%(name)s名额%(n)d件已满，名单中已有%(cases)s（%(rule)s）") % {
            "name": name, "n": v.needed or 0, "cases": wording.labels(others), "rule": v.rule}
    return v.message


def left_off(rules: Sequence[Rule], ranked: Sequence[Candidate], chosen: Iterable[int],
             held: Mapping[int, str], asked: Iterable[int] | None = None) -> dict[int, str]:
    """Case id → why it is off the list, for every candidate not on the list that ranks above the lowest-ranked
    listed case (`ranked`: every candidate, best first). `held` holds the reasons people gave; `asked` limits
    the work to the ids a page shows."""
    chosen = set(chosen)
    position = {c.id: n for n, c in enumerate(ranked)}
    by_id = {c.id: c for c in ranked}
    listed = [c for c in ranked if c.id in chosen]
    if not listed:
        return {}
    lowest = max(position[c.id] for c in listed)
    wanted = None if asked is None else set(asked)
    before = validate(rules, listed, chosen)
    eligibility = next((r for r in rules if isinstance(r, Eligibility)), None)
    out: dict[int, str] = {}
    for case in ranked[:lowest]:
        if case.id in chosen or (wanted is not None and case.id not in wanted):
            continue
        if case.id in held:
            out[case.id] = held[case.id]
            continue
        if not case.eligible and eligibility is not None:
            out[case.id] = _("%(text)s（%(rule)s）") % {"text": eligibility.text, "rule": eligibility.rule}
            continue
        out[case.id] = _why(rules, listed, chosen, before, case, position, by_id)
    return out


def _with(listed: list[Candidate], case: Candidate, position: Mapping[int, int], without: int | None = None):
    rows = sorted([c for c in listed if c.id != without] + [case], key=lambda c: position[c.id])
    return rows, {c.id for c in rows}


def _why(rules, listed, chosen, before, case, position, by_id) -> str:
    rows, ids = _with(listed, case, position)
    added = _worse(before, validate(rules, rows, ids))
    crowded = [v for v in added if v.kind in ("per_group", "quota", "eligibility")]
    if crowded:  # its group has its cases already: a reason whether or not the list is full
        return _group_sentence(rules, crowded[0], case, by_id)
    full = next((v for v in added if v.kind == "count"), None)
    if full is None:
        if added:
            return _("加入后将不符合规则：%(message)s") % {"message": added[0].message}
        return _("未列入：加入后名单仍符合全部规则，可以加入")
    # Only the list's size stops it: try it in place of a lower-ranked listed case, one of each kind the rules
    # tell apart (a swap within one kind changes no rule's count).
    lower = [c for c in reversed(listed) if position[c.id] > position[case.id]]
    seen, tried = set(), []
    for out in lower:
        signature = tuple(getattr(out, a) for a in ("channel", "city", "province"))
        if signature in seen:
            continue
        seen.add(signature)
        rows, ids = _with(listed, case, position, without=out.id)
        swapped = _worse(before, validate(rules, rows, ids))
        if not swapped:
            return _("未列入：名单已满（%(full)s），可替换名单中得分较低的“%(case)s”") % {
                "full": _rule_text(rules, full), "case": wording.label(out)}
        tried.append(swapped[0])
    if tried:
        return _("名单已满（%(full)s），替换名单中得分较低的案例会违反规则：%(why)s") % {
            "full": _rule_text(rules, full), "why": tried[0].message}
    return _("名单已满（%(full)s）") % {"full": _rule_text(rules, full)}


def _rule_text(rules, v: Violation) -> str:
    rule = _rule_of(rules, v)
    text = rule.text if rule is not None else v.message
    return _("%(text)s，%(rule)s") % {"text": text, "rule": v.rule}
