from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import NotFound
from apps.core.todos import todos_for
from apps.orgs.acting import SESSION_KEY, memberships_of
from apps.orgs.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    org = request.acting_org
    todos = todos_for(request.user, org) if org is not None else []
    return render(request, "orgs/home.html", {"todos": todos})


@login_required
@require_POST
def switch_org(request):
    """Act for another org the person belongs to."""
    try:
        org_id = int(request.POST.get("org", ""))
    except ValueError:
        raise NotFound()
    if not any(m.org_id == org_id for m in memberships_of(request.user)):
        raise NotFound()
    request.session[SESSION_KEY] = org_id
    messages.success(request, _("已切换当前单位"))
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


@login_required
def org_detail(request, code):
    """An org's page: where it sits in the tree, the orgs directly below it, its people."""
    from apps.orgs.permissions import access_org, can_manage_members
    from apps.orgs.selectors import ancestors_of, members_of

    org = access_org(request.user, code)
    children = org.children.filter(is_active=True).order_by("kind", "code")
    return render(request, "orgs/org_detail.html", {
        "org": org,
        "ancestors": ancestors_of(org),
        "children": children,
        "members": members_of(org),
        "can_manage": can_manage_members(request.user, org),
    })
