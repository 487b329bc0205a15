"""Home-page to-dos of rounds: cases waiting for the acting org's decision, and a list ready to send up.

Registered when imported (the rounds AppConfig.ready imports this module)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.todos import Todo, register
from apps.rounds.models import Round
from apps.rounds.permissions import works_at
from apps.rounds.selectors import _counted

URGENT_WITHIN = dt.timedelta(days=3)


def round_todos(user, org) -> list[Todo]:
    if org is None or not works_at(user, org):
        return []
    today = timezone.localdate()
    rounds = _counted(Round.plain.filter(org=org, state__in=(Round.State.OPEN, Round.State.CLOSED,
                                                              Round.State.LOCKED)).select_related("org"))
    items = []
    for r in rounds:
        url = reverse("rounds:round_detail", args=[r.pk])
        urgent = r.deadline is not None and r.deadline - today <= URGENT_WITHIN
        rule = r.rule
        if r.pending and r.spec.decisions:
            items.append(Todo(text=_("%(round)s：%(n)d件案例待处理") % {"round": r.get_kind_display(), "n": r.pending},
                              url=url, rule=rule, due=r.deadline, urgent=urgent))
        elif r.total and not r.pending:
            items.append(Todo(text=_("%(round)s已处理完毕，请%(action)s") % {"round": r.get_kind_display(),
                                                                     "action": r.send_label},
                              url=url, rule=rule, due=r.deadline, urgent=urgent))
    return items


register(round_todos)
