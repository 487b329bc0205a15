"""One validator for every round's list (issue 7 §2): `validate(rules, candidates, chosen)` checks a list of case
ids against the round's rules (apps.rounds.rules) and returns every violation, in rule order, each with its
R-id, a Chinese sentence with the numbers, needed vs have, and the cases involved. Pure Python, no database: the
selection page runs it live while an admin edits the list, the API's validate action returns it, the solver's
proposals are checked by it and a list is only locked once it is empty (or overridden with a reason).

What a violation carries, per rule kind (`cases` are always the cases counted in `have`, in candidate order):
- Count        needed = n, have = the list's size, cases = the whole list.
- Share        needed = Share.needed(size), have = cases with the value, cases = those. An empty list has no
               share to miss: whether it may be empty is a Count's business.
- PerGroup     one violation per group over the maximum: needed = the maximum, cases = the group's cases.
               Cases without a group (e.g. no city recorded) are not "the same" group as each other.
- Quota        one violation per group whose count misses the table: needed = its quota. A group with chosen
               cases but no row in the table has quota 0 for "==" and "<=", and no minimum for ">=".
- Eligibility  one violation for all chosen cases that did not pass the rounds below; needed = 0.
Chosen ids that are not candidates of the round make one violation of kind "unknown" (rule ""), after the
rules; they are left out of every rule's count, since nothing is known about them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from apps.rounds.rules import Candidate, Count, Eligibility, PerGroup, Quota, Rule, Share, Violation
from apps.selection import wording

UNKNOWN = "unknown"


def validate(rules: Sequence[Rule], candidates: Sequence[Candidate], chosen: Iterable[int]) -> list[Violation]:
    """Every rule the list `chosen` (case ids) breaks, in rule order; unknown ids last. [] means the list is valid."""
    by_id = {candidate.id: candidate for candidate in candidates}
    chosen_ids = set(chosen)
    unknown = sorted(chosen_ids - by_id.keys())
    # Candidate order (the round's ranking) makes "the first case of a group" and every tuple deterministic.
    listed = [candidate for candidate in candidates if candidate.id in chosen_ids]

    violations: list[Violation] = []
    for rule in rules:
        violations.extend(_CHECKS[type(rule)](rule, listed))
    if unknown:
        violations.append(Violation(
            rule="", kind=UNKNOWN, have=len(unknown), cases=tuple(unknown),
            message=_("案例%(ids)s不在本轮候选名单中") % {"ids": "、".join(str(i) for i in unknown)},
        ))
    return violations


def summary(violations: Iterable[Violation]) -> str:
    """The violations' sentences in one paragraph, for a flash message or a lock refusal; "" when there are none."""
    return "；".join(violation.message for violation in violations)


def _count(rule: Count, listed: list[Candidate]) -> list[Violation]:
    have = len(listed)
    params = {"text": rule.text, "n": rule.n, "have": have, "rule": rule.rule}
    if rule.op == "<=" and have > rule.n:
        message = _("%(text)s：名单共%(have)d件，超过上限%(n)d件（%(rule)s）") % params
    elif rule.op == "==" and have != rule.n:
        message = _("%(text)s：名单应为%(n)d件，现有%(have)d件（%(rule)s）") % params
    elif rule.op == ">=" and have < rule.n:
        message = _("%(text)s：名单至少应有%(n)d件，现有%(have)d件（%(rule)s）") % params
    else:
        return []
    return [Violation(rule=rule.rule, kind=rule.kind, message=message, needed=rule.n, have=have,
                      cases=_ids(listed))]


def _share(rule: Share, listed: list[Candidate]) -> list[Violation]:
    size = len(listed)
    needed = rule.needed(size)
    with_value = [c for c in listed if c.group(rule.attribute) == rule.value]
    if len(with_value) >= needed:
        return []
    message = _("%(label)s的案例占比应不低于%(percent)s%%：%(size)d件中至少%(needed)d件，现有%(have)d件（%(rule)s）")
    message = message % {
        "label": wording.value_label(rule.attribute, rule.value), "percent": wording.percent(rule.minimum),
        "size": size,
        "needed": needed, "have": len(with_value), "rule": rule.rule,
    }
    return [Violation(rule=rule.rule, kind=rule.kind, message=message, needed=needed, have=len(with_value),
                      cases=_ids(with_value))]


def _per_group(rule: PerGroup, listed: list[Candidate]) -> list[Violation]:
    violations = []
    for group, members in _groups(rule.attribute, listed).items():
        if group is None or len(members) <= rule.maximum:
            continue
        params = {"max": rule.maximum, "have": len(members), "rule": rule.rule}
        if rule.attribute == "enterprise":
            message = _("同一企业最多%(max)d件，“%(label)s”等%(have)d件来自同一企业（%(rule)s）") % {
                **params, "label": wording.label(members[0])}
        else:
            message = _("同一%(unit)s最多%(max)d件，%(group)s有%(have)d件：%(cases)s（%(rule)s）") % {
                **params, "unit": wording.unit(rule.attribute), "cases": wording.labels(members),
                "group": wording.group_name(rule.attribute, group, rule.names)}
        violations.append(Violation(rule=rule.rule, kind=rule.kind, message=message, needed=rule.maximum,
                                    have=len(members), cases=_ids(members), group=group))
    return violations


def _quota(rule: Quota, listed: list[Candidate]) -> list[Violation]:
    groups = _groups(rule.attribute, listed)
    violations = []
    # The table's groups in its own order, then chosen groups it does not name.
    for group in [*rule.table, *(g for g in groups if g not in rule.table)]:
        members = groups.get(group, [])
        have = len(members)
        in_table = group in rule.table
        if not in_table and rule.op == ">=":
            continue
        n = rule.table[group] if in_table else 0
        params = {"name": wording.group_name(rule.attribute, group, rule.names), "n": n, "have": have,
                  "rule": rule.rule}
        if not in_table:
            message = _("%(name)s不在名额表中，名额按0件计，名单中有%(have)d件（%(rule)s）") % params
        elif rule.op == "==" and have != n:
            message = _("%(name)s名额%(n)d件，名单中有%(have)d件（%(rule)s）") % params
        elif rule.op == "<=" and have > n:
            message = _("%(name)s最多%(n)d件，名单中有%(have)d件（%(rule)s）") % params
        elif rule.op == ">=" and have < n:
            message = _("%(name)s至少应有%(n)d件，名单中有%(have)d件（%(rule)s）") % params
        else:
            continue
        violations.append(Violation(rule=rule.rule, kind=rule.kind, message=message, needed=n, have=have,
                                    cases=_ids(members), group=group))
    return violations


def _eligibility(rule: Eligibility, listed: list[Candidate]) -> list[Violation]:
    ineligible = [c for c in listed if not c.eligible]
    if not ineligible:
        return []
    message = _("以下案例未通过下级遴选，不能列入名单：%(cases)s（%(rule)s）") % {
        "cases": wording.labels(ineligible), "rule": rule.rule}
    return [Violation(rule=rule.rule, kind=rule.kind, message=message, needed=0, have=len(ineligible),
                      cases=_ids(ineligible))]


_CHECKS = {Count: _count, Share: _share, PerGroup: _per_group, Quota: _quota, Eligibility: _eligibility}


def _groups(attribute: str, listed: list[Candidate]) -> dict[object, list[Candidate]]:
    groups: dict[object, list[Candidate]] = {}
    for candidate in listed:
        groups.setdefault(candidate.group(attribute), []).append(candidate)
    return groups


def _ids(candidates: list[Candidate]) -> tuple[int, ...]:
    return tuple(c.id for c in candidates)
