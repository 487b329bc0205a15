"""Pages of the notice cascade (R-102) and the org inbox. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.campaigns.models import Programme
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, service_action
from apps.notices import permissions as perms
from apps.notices import selectors as sel
from apps.notices import services
from apps.notices.forms import NoticeForwardForm, NoticeIssueForm, NoticeRemindForm
from apps.notices.models import NoticeDelivery
from apps.orgs.models import Message, Org

PAGE_SIZE = 20
CSS = "css/notices.css"


@login_required
def notice_list(request):
    """Notices the acting org issued, or received with what it still has to do."""
    org = request.acting_org
    issues = org is not None and org.kind == Org.Kind.PROVINCE
    can_issue = issues and any(perms.can_issue_notice(request.user, p) for p in
                               Programme.objects.filter(org=org, kind=Programme.Kind.PROVINCE).select_related("org"))
    tab = request.GET.get("tab") or ("issued" if issues else "received")
    state = request.GET.get("state", "")
    if state not in NoticeDelivery.State.values:
        state = ""
    if org is None:
        rows = []
    elif tab == "issued":
        rows = sel.notices_issued_by(org)
    else:
        tab = "received"
        rows = sel.deliveries_received_by(org, state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if tab == "received" and org is not None:
        for d in page.object_list:
            d.state_now = d.state_for(org.kind)
    prefix = f"tab={tab}&" + (f"state={state}&" if state else "")
    return render(request, "notices/notice_list.html", {
        "tab": tab, "state": state, "page": page, "query_prefix": prefix, "issues": issues, "can_issue": can_issue,
        "states": NoticeDelivery.State.choices, "forwards": org is not None and NoticeDelivery.forwards(org.kind),
    })


@login_required
def notice_issue(request):
    """A province admin issues a notice to its cities (R-102)."""
    org = request.acting_org
    programmes = Programme.objects.filter(org=org, kind=Programme.Kind.PROVINCE).select_related("campaign", "org") \
        if org is not None else Programme.objects.none()
    ensure(any(perms.can_issue_notice(request.user, p) for p in programmes), NotFound)
    form = NoticeIssueForm(request.POST or None, request.FILES or None, programmes=programmes)

    def issue():
        data = form.cleaned_data
        return services.notice_issue(
            programme=data["programme"], by=request.user, title=data["title"], body=data["body"],
            joint_issuers=data["joint_issuers"], deadline=data["deadline"], attachments=data["attachments"],
        )

    done = form_action(
        request, form, issue,
        success=lambda notice: _("通知已下发至%(n)d个市级单位") % {"n": notice.deliveries.count()},
        then=lambda notice: reverse("notices:notice_detail", kwargs={"pk": notice.pk}))
    if done is not None:
        return done
    return render(request, "notices/notice_issue.html", {"form": form, "css": CSS})


@login_required
def notice_detail(request, pk):
    org = request.acting_org
    notice = perms.access_notice(request.user, pk, org)
    chain = list(sel.chain_deliveries(notice, org))
    own = next((d for d in chain if d.org_id == org.pk), None)
    forwarded = [d for d in chain if d.forwarded_at is not None]
    files = list(sel.notice_attachments_for(notice, {notice.issuer_id, *(d.org_id for d in forwarded)}))
    addenda = [(d, [f for f in files if f.added_by_org_id == d.org_id]) for d in forwarded]
    addenda = [(d, fs) for d, fs in addenda if d.addendum or fs]
    return render(request, "notices/notice_detail.html", {
        "notice": notice,
        "own": own,
        "own_state": own.state_for(org.kind) if own else None,
        "issuer_files": [f for f in files if f.added_by_org_id == notice.issuer_id],
        "addenda": addenda,
        "can_acknowledge": own is not None and own.received_at is None and perms.can_acknowledge_delivery(request.user, own),
        "can_forward": own is not None and own.forwarded_at is None and perms.can_forward_delivery(request.user, own),
        "can_cascade": perms.can_view_cascade(request.user, notice, org),
        "css": CSS,
    })


@login_required
def notice_cascade(request, pk):
    """Level by level: reached, acknowledged, forwarded, and who has not acted (R-102)."""
    org = request.acting_org
    notice = perms.access_notice(request.user, pk, org)
    ensure(perms.can_view_cascade(request.user, notice, org), NotFound)
    cascade = sel.notice_cascade(notice=notice, root=sel.cascade_root(notice, org))
    return render(request, "notices/notice_cascade.html", {
        "notice": notice, "cascade": cascade, "can_remind": perms.can_remind(request.user, notice, org), "css": CSS,
    })


@login_required
@require_POST
def notice_remind(request, pk):
    org = request.acting_org
    notice = perms.access_notice(request.user, pk, org)
    ensure(perms.can_remind(request.user, notice, org), NotFound)
    form = NoticeRemindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要提醒的层级"))
        return redirect("notices:notice_cascade", pk=notice.pk)

    def reminded(result) -> str:
        targets, sent = result
        return _("已向%(n)d个单位发送站内提醒，发出邮件%(m)d封") % {"n": len(targets), "m": sent}

    return service_action(
        request, lambda: services.notice_remind(notice=notice, by=request.user, org=org,
                                                level=form.cleaned_data["level"],
                                                site_url=request.build_absolute_uri("/").rstrip("/")),
        success=reminded, then=reverse("notices:notice_cascade", kwargs={"pk": notice.pk}))


@login_required
def delivery_forward(request, pk):
    """A city forwards to its counties, a county to its associations, with an optional addendum."""
    delivery = perms.access_delivery(request.user, pk)
    ensure(perms.can_forward_delivery(request.user, delivery), NotFound)
    form = NoticeForwardForm(request.POST or None, request.FILES or None)
    done = form_action(
        request, form, lambda: services.notice_delivery_forward(
            delivery=delivery, by=request.user, addendum=form.cleaned_data["addendum"],
            attachment=form.cleaned_data["attachment"],
        ),
        success=lambda created: _("已转发至%(n)d个下级单位") % {"n": len(created)},
        then=reverse("notices:notice_detail", kwargs={"pk": delivery.notice_id}))
    if done is not None:
        return done
    children = delivery.org.children.filter(is_active=True, kind__in=NoticeDelivery.FORWARDS_TO[delivery.org.kind]) \
        .order_by("code")
    return render(request, "notices/notice_forward.html", {
        "delivery": delivery, "notice": delivery.notice, "form": form, "children": children, "css": CSS,
    })


@login_required
@require_POST
def delivery_acknowledge(request, pk):
    delivery = perms.access_delivery(request.user, pk)
    return service_action(request, lambda: services.notice_delivery_acknowledge(delivery=delivery, by=request.user),
                          success=_("已确认收到通知"),
                          then=reverse("notices:notice_detail", kwargs={"pk": delivery.notice_id}))


@login_required
def attachment_download(request, pk):
    """A file of the notice, only for orgs on its chain; others get the same 404 as for no file."""
    attachment = perms.access_attachment(request.user, pk)
    return stored_file_response(attachment.file, as_attachment=True, filename=attachment.name,
                                content_type=attachment.content_type)


@login_required
def inbox(request):
    """The acting org's messages (reminders and notices), newest first."""
    org = request.acting_org
    rows = Message.objects.select_related("sender").order_by("-created_at", "-id") if org is not None else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = Message.objects.filter(read_at__isnull=True).count() if org is not None else 0
    return render(request, "notices/notice_inbox.html", {"page": page, "unread": unread, "query_prefix": "", "css": CSS})


@login_required
@require_POST
def message_read(request, pk):
    message = perms.access_message(request.user, pk, request.acting_org)
    services.message_mark_read(message=message, by=request.user)
    target = request.POST.get("next") or reverse("notices:inbox")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notices:inbox")
    return HttpResponseRedirect(target)
