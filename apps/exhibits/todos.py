"""The province admin's to-do: exhibits proposed below it that wait for its recommendation (or a no)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.permissions import is_admin_at
from apps.core.todos import Todo
from apps.exhibits.models import Exhibit
from apps.orgs.models import Org


def exhibit_todos(user, org):
    if org is None or org.kind != Org.Kind.PROVINCE or not is_admin_at(user, org):
        return []
    waiting = Exhibit.plain.filter(programme__org=org, state=Exhibit.State.PROPOSED).count()
    if not waiting:
        return []
    return [Todo(text=_("%(n)d件展品待推荐或设为未推荐") % {"n": waiting},
                 url=reverse("exhibits:exhibit_list") + "?state=proposed", rule="R-307")]
