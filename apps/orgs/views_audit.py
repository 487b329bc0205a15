from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.audit.models import AuditEntry
from apps.audit.wording import area_choices, sentence
from apps.core.errors import NotFound
from apps.orgs.permissions import is_admin_of


@login_required
def log(request):
    """The audit log of the acting org's subtree, newest first, for its admins: one sentence a row, the raw row
    one click away. Filtered by area (案例, 名单与公示 …), or by an action code's beginning for the expert eye."""
    org = request.acting_org
    if org is None or not is_admin_of(request.user, org):
        raise NotFound()
    entries = AuditEntry.objects.order_by("-id")
    areas = area_choices()
    area = request.GET.get("area", "")
    prefixes = dict((value, value.split(",")) for _label, value in areas).get(area)
    if prefixes:
        entries = entries.filter(reduce(or_, (Q(action__startswith=f"{p}.") for p in prefixes)))
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in={e.actor_id for e in rows if e.actor_id})}
    for e in rows:
        e.who = names.get(e.actor_id) or e.actor_label or _("系统")
        e.sentence = sentence(e.action, e.target_label)
    query = {k: v for k, v in (("area", area if prefixes else ""), ("action", action)) if v}
    return render(request, "audit/log.html", {
        "page": page, "rows": rows, "areas": areas, "area": area if prefixes else "", "action": action,
        "query_prefix": urlencode(query) + "&" if query else ""})
