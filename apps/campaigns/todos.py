"""Home-page to-dos from the programmes: rulebook deadlines coming up, and what a province still owes
its programme (a project lead, the sections of its work rules)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.campaigns import rules
from apps.campaigns.models import Programme, Rulebook, WorkRules
from apps.campaigns.permissions import is_admin_at
from apps.core.scoping import ancestor_paths
from apps.core.todos import Todo, register

HORIZON_DAYS = 30
URGENT_DAYS = 7


def programme_todos(user, org, today: dt.date) -> list[Todo]:
    if org is None:
        return []
    programmes = list(
        Programme.plain.filter(kind=Programme.Kind.PROVINCE, org__path__in=ancestor_paths(org.path),
                               period_end__gte=today)
        .select_related("campaign", "org").order_by("-campaign__year"))
    if not programmes:
        return []
    books = {b.programme_id: b for b in Rulebook.plain.filter(programme__in=programmes)}
    items: list[Todo] = []
    for programme in programmes:
        book = books.get(programme.pk)
        values = rules.load_values(book.values if book else {}, programme.campaign.year)
        rulebook_url = reverse("campaigns:rulebook", args=[programme.pk])
        for spec in rules.SPECS:
            if spec.type != rules.DATE or org.kind not in spec.audience:
                continue
            due = values[spec.key]
            if today <= due <= today + dt.timedelta(days=HORIZON_DAYS):
                items.append(Todo(text=_("%(label)s临近") % {"label": spec.label}, url=rulebook_url, rule=spec.rule,
                                  due=due, urgent=(due - today).days <= URGENT_DAYS))
        if org.pk == programme.org_id and is_admin_at(user, programme.org):
            if not programme.project_lead:
                items.append(Todo(text=_("请填写%(year)s年项目负责人和专项工作团队") % {"year": programme.campaign.year},
                                  url=reverse("campaigns:programme_edit", args=[programme.pk]), rule="R-402"))
            work_rules = WorkRules.plain.filter(programme=programme).first()
            empty = work_rules.empty_sections() if work_rules else []
            if empty:
                items.append(Todo(text=_("请完善工作细则：%(sections)s") % {"sections": "、".join(empty)},
                                  url=reverse("campaigns:work_rules_edit", args=[programme.pk]), rule="R-101"))
    return items


@register
def campaign_todos(user, org):
    return programme_todos(user, org, timezone.localdate())
