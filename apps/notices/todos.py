"""To-dos of the notice cascade (R-102): notices the acting org has to acknowledge or forward.

Registered when imported (the notices AppConfig.ready imports this module)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.todos import Todo, register
from apps.notices.models import NoticeDelivery
from apps.notices.permissions import holds_role_at
from apps.notices.selectors import deliveries_to_act_on

URGENT_WITHIN = dt.timedelta(days=3)


def notice_todos(user, org) -> list[Todo]:
    if org is None or not holds_role_at(user, org):
        return []
    today = timezone.localdate()
    items = []
    for delivery in deliveries_to_act_on(org):
        notice = delivery.notice
        if delivery.state_for(org.kind) == NoticeDelivery.State.TO_ACKNOWLEDGE and not NoticeDelivery.forwards(org.kind):
            text = _("确认收到通知《%(title)s》") % {"title": notice.title}
        else:
            text = _("转发通知《%(title)s》至下级单位") % {"title": notice.title}
        items.append(Todo(
            text=text,
            url=reverse("notices:notice_detail", kwargs={"pk": notice.pk}),
            rule="R-102",
            due=notice.deadline,
            urgent=notice.deadline is not None and notice.deadline - today <= URGENT_WITHIN,
        ))
    return items


register(notice_todos)
