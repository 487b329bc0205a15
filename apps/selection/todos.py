"""Home-page to-dos of selection (R-105, R-106): a list to put together and lock, objections to answer during its
公示, and a list whose 公示 is over to send up. Registered when imported (SelectionConfig.ready)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.todos import Todo, register
from apps.review.config import review_config
from apps.review.models import Assignment
from apps.rounds.kinds import LIST_KINDS
from apps.rounds.models import Round
from apps.rounds.permissions import works_at
from apps.selection.models import LockedList, Objection
from apps.selection.services import publicity_state


def selection_todos(user, org) -> list[Todo]:
    if org is None or not works_at(user, org):
        return []
    rounds = list(Round.plain.filter(org=org, kind__in=LIST_KINDS, state__in=(
        Round.State.OPEN, Round.State.CLOSED, Round.State.LOCKED)).annotate(candidates=Count("entries")))
    if not rounds:
        return []
    live = {x.round_id: x for x in LockedList.plain.filter(round__in=rounds, withdrawn_at__isnull=True)
            .annotate(pending=Count("objections", filter=Q(objections__outcome=Objection.Outcome.PENDING)),
                      upheld=Count("objections", filter=Q(objections__outcome=Objection.Outcome.UPHELD)))}
    items = []
    for r in rounds:
        kind, rule = r.get_kind_display(), r.rule
        if r.state != Round.State.LOCKED:
            # Before any expert is assigned, the review's own to-do asks for that first; asking to lock the list
            # at the same time would contradict it.
            unassigned = review_config(r).uses_review and not (
                Assignment.plain.filter(round=r).exclude(state=Assignment.State.DECLINED).exists())
            if r.candidates and not unassigned:
                items.append(Todo(text=_("%(round)s：%(n)d件候选案例，请确定名单并锁定公示") % {
                    "round": kind, "n": r.candidates}, url=reverse("selection:list", args=[r.pk]), rule=rule,
                    due=r.deadline))
            continue
        locked = live.get(r.pk)
        if locked is None:
            continue
        url = reverse("selection:publicity", args=[r.pk])
        if locked.pending:
            items.append(Todo(text=_("%(round)s名单公示：%(n)d条异议待答复") % {"round": kind, "n": locked.pending},
                              url=url, rule="R-106", due=locked.ends_on, urgent=True))
        elif locked.upheld:
            items.append(Todo(text=_("%(round)s名单公示：异议成立，请解锁调整后重新锁定公示") % {"round": kind},
                              url=url, rule="R-106", urgent=True))
        elif publicity_state(locked) == "over":
            items.append(Todo(text=_("%(round)s名单公示期满，请%(action)s") % {"round": kind,
                                                                         "action": r.send_label},
                              url=url, rule=rule, due=r.deadline))
    return items


register(selection_todos)
