"""The approvals pages: what waits for the acting org's decision (and what it submitted), and one request with
its versions, what the approver reads before deciding, and the decision."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals import selectors, services
from apps.approvals.forms import DecisionForm
from apps.approvals.kinds import kind_of
from apps.approvals.permissions import access_approval, can_decide_approval, can_withdraw_approval
from apps.core.errors import NotFound
from apps.core.forms import form_action, service_action
from apps.orgs.permissions import is_member_of

PAGE = 30


@login_required
def inbox(request):
    org = request.acting_org
    if org is None or not is_member_of(request.user, org):
        raise NotFound()
    tab = "sent" if request.GET.get("tab") == "sent" else "waiting"
    rows = selectors.submitted_by_org(org) if tab == "sent" else selectors.waiting_for(org)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "approvals/inbox.html", {
        "org": org, "tab": tab, "page": page, "today": timezone.localdate(),
        "waiting": selectors.waiting_for(org).count(),
        "query_prefix": "tab=sent&" if tab == "sent" else "",
    })


def _detail(request, approval, form=None):
    spec = kind_of(approval.kind)
    obj = spec.model.plain.get(pk=approval.object_id)
    pending = approval.state == approval.State.PENDING
    return render(request, "approvals/detail.html", {
        "approval": approval, "spec": spec, "summary": spec.summary(obj), "object_url": spec.url(obj),
        "versions": selectors.versions_of(approval), "today": timezone.localdate(),
        "can_decide": pending and can_decide_approval(request.user, approval),
        "can_withdraw": pending and can_withdraw_approval(request.user, approval),
        "form": form or DecisionForm(final=spec.final_return),
    })


@login_required
def detail(request, pk):
    approval = access_approval(request.user, pk)
    if request.method != "POST":
        return _detail(request, approval)
    if not can_decide_approval(request.user, approval):
        raise NotFound()
    final = kind_of(approval.kind).final_return
    form = DecisionForm(request.POST, final=final)

    def decide():
        data = form.cleaned_data
        if data["decision"] == "approve":
            return services.approval_approve(request=approval, by=request.user, comment=data["comment"])
        return services.approval_return(request=approval, by=request.user, comment=data["comment"])

    done = form_action(request, form, decide, then=reverse("approvals:detail", args=[approval.pk]),
                       success=lambda r: _("已通过%(title)s") % {"title": r} if r.state == r.State.APPROVED
                       else (_("已决定不予采纳%(title)s，报送单位将看到理由") if final
                             else _("已退回%(title)s，报送单位将收到审核意见")) % {"title": r})
    if done is not None:
        return done
    return _detail(request, approval, form)


@login_required
@require_POST
def withdraw(request, pk):
    approval = access_approval(request.user, pk)
    if not can_withdraw_approval(request.user, approval):
        raise NotFound()
    return service_action(request, lambda: services.approval_withdraw(request=approval, by=request.user),
                          success=_("已撤回，修改后可重新报送"), then=reverse("approvals:detail", args=[approval.pk]))
