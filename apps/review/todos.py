"""Home-page to-dos of expert review: an expert's unfinished score sheets; a round's admins: rounds whose
cases still lack experts or scores. Registered when imported (the review AppConfig.ready imports this)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.todos import Todo, register
from apps.review.models import Assignment
from apps.review.permissions import expert_of
from apps.rounds.kinds import SCORED_KINDS
from apps.rounds.models import Round
from apps.rounds.permissions import works_at


def review_todos(user, org) -> list[Todo]:
    items = []
    expert = expert_of(user)
    if expert is not None:
        open_by_round = (Assignment.plain.filter(expert=expert, state=Assignment.State.ACTIVE,
                                                 method=Assignment.Method.REVIEW, round__state=Round.State.OPEN)
                         .values("round__org__name", "round__kind", "round__deadline").annotate(n=Count("pk")))
        # No rule id beside an expert's own to-do: an expert reads the selection by its name (杭州市市级遴选),
        # even one who also works at an org and sees rule ids beside that org's to-dos.
        for row in open_by_round:
            items.append(Todo(text=_("%(org)s%(kind)s：%(n)d件案例待评分") % {
                "org": row["round__org__name"], "kind": Round.Kind(row["round__kind"]).label, "n": row["n"]},
                url=reverse("review:my"), due=row["round__deadline"]))
    if org is not None and works_at(user, org):
        rounds = (Round.plain.filter(org=org, kind__in=SCORED_KINDS, state=Round.State.OPEN)
                  .annotate(n_entries=Count("entries", distinct=True),
                            n_assigned=Count("assignments", filter=~Q(assignments__state=Assignment.State.DECLINED),
                                           distinct=True)))
        for r in rounds:
            if r.n_entries and not r.n_assigned:
                items.append(Todo(text=_("%(kind)s：%(n)d件案例尚未分配评审专家") % {
                    "kind": r.get_kind_display(), "n": r.n_entries}, url=reverse("review:round", args=[r.pk]),
                    rule=r.rule, due=r.deadline))
    return items


register(review_todos)
