"""Pages of a case: start, edit with autosave, invite the enterprise's contact, submit, withdraw, versions
and diffs. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.cases import permissions as perms
from apps.cases import selectors, services
from apps.cases.forms import CaseCreateForm, CaseDraftForm, InviteCreateForm
from apps.cases.models import CaseAttachment
from apps.core.errors import NotFound, ensure
from apps.core.forms import form_action, show_service_error

ATTACHMENTS_PANEL = "cases/attachments_panel.html"


def _has_attachments_panel() -> bool:
    """The attachments area ships its panel separately; a page without it must still work."""
    try:
        get_template(ATTACHMENTS_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


def _enterprise_create_url(campaign) -> str:
    """The enterprise area's registration page (it takes the campaign)."""
    if campaign is None:
        return ""
    try:
        return reverse("enterprises:enterprise_create", kwargs={"campaign_id": campaign.pk})
    except NoReverseMatch:
        return ""


def _deadline_context(case) -> dict:
    deadline, label = selectors.submission_deadline(case)
    return {"deadline": deadline, "deadline_label": label,
            "deadline_passed": deadline is not None and timezone.localdate() > deadline}


@login_required
def case_create(request):
    """An association starts a case for one of its county's registered enterprises (R-106)."""
    org = request.acting_org
    ensure(perms.can_create_case(request.user, org), NotFound)
    campaign = selectors.current_campaign()
    form = CaseCreateForm(request.POST or None, org=org, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(recommender=org, enterprise=form.cleaned_data["enterprise"], by=request.user)
        except ValidationError as exc:
            # 属地: the problem is the enterprise chosen, at the input the person used to choose it.
            form.add_error("enterprise" if request.POST.get("enterprise") else "credit_code", exc.messages)
        else:
            messages.success(request, _("已创建案例草稿，请填写案例内容"))
            return redirect("cases:case_edit", case.pk)
    return render(request, "cases/case_create.html", {
        "form": form, "org": org, "campaign": campaign, "enterprise_create_url": _enterprise_create_url(campaign)})


def _edit_context(case, form, **extra) -> dict:
    return {"case": case, "form": form, **_deadline_context(case), **extra}


def _show_problems(form, problems: selectors.Problems) -> list:
    """Put a submission's problems on the form, each at its field (a field that already shows an error keeps
    that one). Returns what the files still lack, for the files panel and, linked to it, the summary."""
    for name, texts in problems.items():
        if name == selectors.ATTACHMENTS:
            continue
        if name in form.fields and name in form.errors:
            continue
        form.add_error(name if name in form.fields else None, texts)
    return problems.get(selectors.ATTACHMENTS, [])


def _linked(texts: list[str], anchor: str) -> list:
    return [format_html('<a href="#{}">{}</a>', anchor, text) for text in texts]


@login_required
def case_edit(request, pk):
    """The association's form. Saves a draft as typed (the Save button works without JavaScript); "submit"
    saves, then submits, and shows every problem at once at its field and in the summary on top."""
    case = perms.access_case(request.user, pk)
    if not perms.can_edit_case(request.user, case):
        messages.info(request, _("该案例当前为“%(status)s”，不能修改") % {"status": case.get_status_display()})
        return redirect("cases:case_detail", case.pk)
    file_problems: list[str] = []
    submitting = request.method == "POST" and request.POST.get("action") == "submit"
    unsaved = request.method == "POST"  # until the draft is saved: the page then guards what it shows
    if request.method == "POST":
        form = CaseDraftForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_save_draft(case=case, data=form.draft_data(), by=request.user,
                                                expected_version=form.cleaned_data["loaded_version"])
            except ValidationError as exc:
                # Nothing was saved: the page keeps what was posted, and a submit still learns everything else
                # that stands in its way.
                show_service_error(form, exc)
                if submitting:
                    file_problems = _show_problems(form, selectors.submission_problems_by_field(
                        case, values=form.draft_data()))
            else:
                unsaved = False
                if not submitting:
                    messages.success(request, _("已保存草稿"))
                    return redirect("cases:case_edit", case.pk)
                try:
                    case = services.case_submit(case=case, by=request.user)
                except ValidationError as exc:
                    form = CaseDraftForm.bound_to(case, services.version_token(case))
                    file_problems = _show_problems(form, exc.message_dict if hasattr(exc, "error_dict")
                                                   else {selectors.NON_FIELD: exc.messages})
                else:
                    messages.success(request, _("已提交第%(n)d版，等待%(county)s审核") % {
                        "n": case.version, "county": case.county.name})
                    return redirect("cases:case_detail", case.pk)
    elif request.GET.get("check"):
        form = CaseDraftForm.bound_to(case, services.version_token(case))
        file_problems = _show_problems(form, selectors.submission_problems_by_field(case))
    else:
        form = CaseDraftForm.for_case(case, services.version_token(case))
    attachments = list(CaseAttachment.objects.filter(case=case))
    return render(request, "cases/case_edit.html", _edit_context(
        case, form, checked=bool(request.GET.get("check")), attachments=attachments, unsaved=unsaved,
        panel_errors=file_problems, summary_errors=_linked(file_problems, "attachments-panel"),
        attachments_panel=_has_attachments_panel(), can_submit=perms.can_submit_case(request.user, case),
        autosave_url=reverse("cases:case_autosave", args=[case.pk]),
        comment=selectors.latest_comment(case) if case.status == case.Status.RETURNED else ""))


def _autosave_response(form, save) -> JsonResponse:
    """Run one draft save for autosave and answer in JSON: 200 saved, 400 refused (nothing saved), 409 stale.
    A refusal names its fields, so the page can say which text is not saved."""
    if form.errors:
        fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"ok": False, "errors": [e for errs in fields.values() for e in errs],
                             "fields": fields}, status=400)
    try:
        case = save()
    except services.DraftConflict as exc:
        return JsonResponse({"ok": False, "conflict": True, "errors": exc.messages}, status=409)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": exc.messages,
                             "fields": exc.message_dict if hasattr(exc, "error_dict") else {}}, status=400)
    saved_at = timezone.localtime(case.updated_at).strftime("%H:%M")
    return JsonResponse({"ok": True, "version": services.version_token(case), "saved_at": saved_at,
                         "message": _("已保存 %(time)s") % {"time": saved_at}})


@login_required
@require_POST
def case_autosave(request, pk):
    case = perms.access_case(request.user, pk)
    ensure(perms.is_case_owner(request.user, case), NotFound)
    form = CaseDraftForm(request.POST)
    form.is_valid()
    return _autosave_response(form, lambda: services.case_save_draft(
        case=case, data=form.draft_data(), by=request.user,
        expected_version=form.cleaned_data.get("loaded_version", "")))


@login_required
def case_detail(request, pk):
    """The case, its status, each round's decision with the reason or comment the submitter must see (R-107),
    its versions and attachments."""
    case = perms.access_case(request.user, pk)
    entries = list(selectors.case_entries(case))
    # Withdrawing is offered only while the county has not decided (the service refuses otherwise).
    undecided = all(e.decision == "pending" for e in entries if e.round.kind == "county_screening")
    return render(request, "cases/case_detail.html", {
        "case": case,
        "entries": entries,
        "versions": list(selectors.versions_of(case)),
        "attachments": list(CaseAttachment.objects.filter(case=case)),
        "attachments_panel": _has_attachments_panel(),
        "can_edit": perms.can_edit_case(request.user, case),
        "can_withdraw": perms.can_withdraw_case(request.user, case) and undecided,
        "can_invite": perms.can_manage_invites(request.user, case),
        "can_see_contact": perms.can_see_case_contact(request.user, case),
        "sections": [(label, getattr(case, name)) for name, label in case.SECTIONS],
        **_deadline_context(case),
    })


@login_required
@require_POST
def case_withdraw(request, pk):
    case = perms.access_case(request.user, pk)
    ensure(perms.can_withdraw_case(request.user, case), NotFound)
    try:
        services.case_withdraw(case=case, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回，修改后可重新提交"))
    return redirect("cases:case_detail", case.pk)


@login_required
def case_versions(request, pk):
    case = perms.access_case(request.user, pk)
    versions = list(selectors.versions_of(case))
    return render(request, "cases/case_versions.html", {
        "case": case, "versions": versions, "can_edit": perms.can_edit_case(request.user, case)})


@login_required
def case_diff(request, pk):
    """Per field, what changed between two versions, or between the last version and the current draft."""
    case = perms.access_case(request.user, pk)
    versions = {v.number: v for v in selectors.versions_of(case)}
    numbers = sorted(versions)

    def snapshot(key: str):
        if key == "draft":
            return _("当前草稿"), selectors.case_snapshot(case)
        if key.isdigit() and int(key) in versions:
            return _("第%(n)d版") % {"n": int(key)}, versions[int(key)].data
        raise NotFound()

    default_a = str(numbers[-2]) if len(numbers) >= 2 else (str(numbers[-1]) if numbers else "")
    default_b = str(numbers[-1]) if len(numbers) >= 2 else "draft"
    a_key, b_key = request.GET.get("a", default_a), request.GET.get("b", default_b)
    diff = None
    a_label = b_label = ""
    if numbers:
        (a_label, a_data), (b_label, b_data) = snapshot(a_key), snapshot(b_key)
        diff = selectors.case_diff(a_data, b_data)
    return render(request, "cases/case_diff.html", {
        "case": case, "diff": diff, "a": a_key, "b": b_key, "a_label": a_label, "b_label": b_label,
        "numbers": numbers, "show_unchanged": request.GET.get("all") == "1"})


@login_required
def case_invites(request, pk):
    """The enterprise contact's invitation links: make one (shown once), see and revoke the others."""
    case = perms.access_case(request.user, pk)
    ensure(perms.can_manage_invites(request.user, case), NotFound)
    can_invite = perms.can_invite_contact(request.user, case)
    form = InviteCreateForm(request.POST or None, initial={"contact_name": case.contact_name})
    new_link = ""
    if request.method == "POST" and form.is_valid():
        try:
            _invite, token = services.case_invite_create(case=case, by=request.user,
                                                         contact_name=form.cleaned_data["contact_name"],
                                                         days=form.cleaned_data["days"])
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            new_link = request.build_absolute_uri(reverse("cases:case_invite_fill", args=[token]))
            form = InviteCreateForm(initial={"contact_name": case.contact_name})
    return render(request, "cases/case_invites.html", {
        "case": case, "form": form, "can_invite": can_invite, "new_link": new_link,
        "invites": list(selectors.invites_of(case))})


@login_required
@require_POST
def case_invite_revoke(request, pk, invite_id):
    case = perms.access_case(request.user, pk)
    invite = perms.access_invite(request.user, case, invite_id)
    try:
        services.case_invite_revoke(invite=invite, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤销邀请链接"))
    return redirect("cases:case_invites", case.pk)


def _gone(request):
    return render(request, "cases/case_invite_gone.html", status=410)


@never_cache
def case_invite_fill(request, token):
    """The enterprise contact's page, without a login. The request runs in the public scope, which sees no
    case: the case is read with the plain manager inside selectors.active_invite, after the token check, and
    this page shows that one case's form and nothing else. The contact saves; only the association submits."""
    invite = selectors.active_invite(token)
    if invite is None:
        return _gone(request)
    case = invite.case
    if case.status not in perms.EDITABLE:
        return render(request, "cases/case_invite_gone.html", {"submitted": True}, status=410)
    if request.method == "POST":
        form = CaseDraftForm(request.POST)
        done = form_action(request, form, lambda: services.case_save_draft(
            case=case, data=form.draft_data(), invite=invite, expected_version=form.cleaned_data["loaded_version"]),
            success=_("已保存，推荐单位审核后提交"), then=reverse("cases:case_invite_fill", args=[token]))
        if done is not None:
            return done
    else:
        form = CaseDraftForm.for_case(case, services.version_token(case))
    response = render(request, "cases/case_invite_fill.html", {
        "case": case, "form": form, "invite": invite, "unsaved": request.method == "POST",
        "autosave_url": reverse("cases:case_invite_autosave", args=[token])})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_POST
def case_invite_autosave(request, token):
    invite = selectors.active_invite(token)
    if invite is None:
        return JsonResponse({"ok": False, "errors": [_("链接已失效，请联系推荐单位重新发送")]}, status=410)
    form = CaseDraftForm(request.POST)
    form.is_valid()
    return _autosave_response(form, lambda: services.case_save_draft(
        case=invite.case, data=form.draft_data(), invite=invite,
        expected_version=form.cleaned_data.get("loaded_version", "")))
