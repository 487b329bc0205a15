"""Reads the review pages share: progress per expert, assignments per case, the ranking with names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.cases.models import Case
from apps.review.models import Assignment, Expert, PoolMember
from apps.rounds.models import Round


@dataclass
class ExpertProgress:
    expert: Expert
    assigned: int = 0
    submitted: int = 0
    declined: int = 0
    reminded_at: object = None

    @property
    def open(self) -> int:
        return self.assigned - self.submitted


def expert_progress(round: Round, method: str = Assignment.Method.REVIEW) -> list[ExpertProgress]:
    """Every expert with assignments in the round and how far they are (one query)."""
    rows = (Assignment.objects.filter(round=round, method=method).values("expert_id")
            .annotate(assigned=Count("pk", filter=~Q(state=Assignment.State.DECLINED)),
                      submitted=Count("pk", filter=Q(state=Assignment.State.SUBMITTED)),
                      declined=Count("pk", filter=Q(state=Assignment.State.DECLINED))))
    counts = {r["expert_id"]: r for r in rows}
    experts = Expert.plain.filter(pk__in=counts).order_by("name", "id")
    return [ExpertProgress(e, counts[e.pk]["assigned"], counts[e.pk]["submitted"], counts[e.pk]["declined"])
            for e in experts]


@dataclass
class CaseAssignments:
    case: Case
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def active(self) -> list[Assignment]:
        return [a for a in self.assignments if a.state != Assignment.State.DECLINED]


def assignments_by_case(round: Round, cases: list[Case], method: str = Assignment.Method.REVIEW
                        ) -> list[CaseAssignments]:
    """The given cases (a page of them) with their assignments (one query)."""
    found = defaultdict(list)
    for a in (Assignment.objects.filter(round=round, method=method, case__in=cases)
              .select_related("expert").order_by("expert__name", "id")):
        found[a.case_id].append(a)
    return [CaseAssignments(c, found.get(c.pk, [])) for c in cases]


def pool_of(org) -> "list[PoolMember]":
    return (PoolMember.objects.filter(org=org).select_related("expert__user")
            .order_by("-is_active", "expert__name", "id"))


def expert_holdings(user) -> list[str]:
    """What an account holds as an expert, for apps.orgs.holdings: no org admin granted it, so none may reset
    the password of an account that holds it."""
    pools = list(PoolMember.plain.filter(expert__user=user, is_active=True).values_list("org__name", flat=True))
    if pools:
        return [_("评审专家身份（%(pools)s专家库）") % {"pools": "、".join(pools)}]
    if Expert.plain.filter(user=user).exists():
        return [_("评审专家身份")]
    return []
