"""Conflicts of interest between experts and cases (回避), declared and detected.

Detected, for an expert and a case in a round:
- employer: the expert works for the case's enterprise: the same 统一社会信用代码 when the expert's employer
  code is known, else the same name after normalisation (NFKC, brackets folded, spaces removed);
- chain: the expert is admin or staff of an org on the case's recommendation chain below the round's org
  (the recommending association, its county, for a province round its city too). The round's own org is
  the organiser, not a recommender, so its staff are not conflicted by it;
- same county: the expert's region is the case's county (when the round's settings say so);
- declared: the expert declared a conflict with the case, with a reason.

A conflicted expert is never assigned to the case and cannot open it (apps.review.permissions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.cases.models import Case
from apps.core.scoping import ancestor_paths
from apps.enterprises.little_giants import name_key
from apps.orgs.models import Membership
from apps.review.models import ConflictDeclaration, Expert
from apps.rounds.models import Round


@dataclass(frozen=True)
class Conflict:
    kind: str  # "employer" | "chain" | "same_county" | "declared"
    reason: str

    KINDS = ("employer", "chain", "same_county", "declared")

    @property
    def label(self) -> str:
        return {"employer": _("任职于案例企业"), "chain": _("任职于推荐单位"), "same_county": _("同一区县"),
                "declared": _("本人申请回避")}[self.kind]


def conflicts_between(round: Round, experts: Iterable[Expert], cases: Iterable[Case], *,
                      same_county: bool) -> dict[tuple[int, int], list[Conflict]]:
    """Every (case id, expert id) pair with its conflicts; pairs without any are absent.

    Cases need `enterprise`, `recommender` and `county` loaded (select_related). Two queries: the experts'
    memberships and their declarations."""
    experts = list(experts)
    cases = list(cases)
    if not experts or not cases:
        return {}
    by_user = {e.user_id: e for e in experts}
    # Indexes from what a case has to the experts it conflicts with: O(cases × chain length), not cases × experts.
    at_org: dict[str, list[tuple[Expert, str]]] = defaultdict(list)  # org path → (expert, org name)
    for user_id, path, name in (Membership.plain.filter(user_id__in=by_user, is_active=True, org__is_active=True)
                                .values_list("user_id", "org__path", "org__name")):
        at_org[path].append((by_user[user_id], name))
    by_code: dict[str, list[Expert]] = defaultdict(list)
    by_name: dict[str, list[Expert]] = defaultdict(list)
    by_region: dict[str, list[Expert]] = defaultdict(list)
    for expert in experts:
        if expert.employer_credit_code:
            by_code[expert.employer_credit_code].append(expert)
        elif expert.employer:
            by_name[name_key(expert.employer)].append(expert)
        if expert.region_code:
            by_region[expert.region_code].append(expert)
    declared = defaultdict(list)
    for case_id, expert_id, reason in (ConflictDeclaration.plain.filter(expert__in=experts, case__in=cases)
                                       .values_list("case_id", "expert_id", "reason")):
        declared[case_id].append((expert_id, reason))
    round_path = round.org.path
    found: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
    for case in cases:
        enterprise = case.enterprise
        for expert in by_code.get(enterprise.credit_code, ()):
            found[(case.pk, expert.pk)].append(Conflict(
                "employer", _("专家工作单位的统一社会信用代码与案例企业相同（%(code)s）") % {"code": enterprise.credit_code}))
        for expert in by_name.get(name_key(enterprise.name), ()):
            found[(case.pk, expert.pk)].append(Conflict(
                "employer", _("专家工作单位“%(employer)s”即案例企业") % {"employer": expert.employer}))
        # The chain below the round's org: the recommender and those of its ancestors under the round's org.
        seen: set[int] = set()
        for path in reversed(ancestor_paths(case.recommender.path)):
            if not path.startswith(round_path) or path == round_path:
                break
            for expert, org_name in at_org.get(path, ()):
                if expert.pk not in seen:
                    seen.add(expert.pk)
                    found[(case.pk, expert.pk)].append(Conflict(
                        "chain", _("专家在推荐链上的单位“%(org)s”任职") % {"org": org_name}))
        if same_county and case.county.region_code:
            for expert in by_region.get(case.county.region_code, ()):
                found[(case.pk, expert.pk)].append(Conflict(
                    "same_county", _("专家所在地区与案例同属%(county)s") % {"county": case.county.name}))
        for expert_id, reason in declared.get(case.pk, ()):
            found[(case.pk, expert_id)].append(Conflict("declared", _("专家申请回避：%(reason)s") % {"reason": reason}))
    return dict(found)
