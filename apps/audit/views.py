from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.orgs.permissions import is_admin_of


@login_required
def log(request):
    """The audit log of the acting org's subtree, newest first, for its admins."""
    org = request.acting_org
    if org is None or not is_admin_of(request.user, org):
        raise NotFound()
    entries = AuditEntry.objects.order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action,
                                              "query_prefix": f"action={action}&" if action else ""})
