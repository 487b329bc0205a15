"""Pages of the presentation team and events. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.models import ApprovalRequest
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, message_form_errors, service_action
from apps.events import permissions, selectors, services
from apps.events.approvals import KIND as PLAN_KIND
from apps.events.forms import EventForm, FileForm, PresenterForm, ReplaceForm, ReportForm, split_lines
from apps.events.models import EventFile

PAGE_SIZE = 30


def _team_programme(request):
    """The acting org (a province or a city) and its programme, or 404."""
    org = request.acting_org
    ensure(permissions.holds_events(org), NotFound)
    programme = selectors.programme_of(org)
    ensure(programme is not None, NotFound)
    return org, programme


@login_required
def event_list(request):
    """The events of the acting org and of the orgs below it, newest first."""
    org = request.acting_org
    page = Paginator(selectors.events_for(org) if org is not None else [], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/event_list.html", {
        "page": page, "can_create": permissions.can_manage_team(request.user, org) if org else False,
        "can_view_team": permissions.can_view_team(request.user, org) if org else False})


@login_required
def event_create(request):
    org, programme = _team_programme(request)
    ensure(permissions.can_manage_team(request.user, org), NotFound)
    team = list(selectors.team_of(org, programme))
    form = EventForm(request.POST or None, team=team)
    done = form_action(request, form, lambda: services.event_create(org=org, programme=programme, by=request.user,
                                                                    **form.service_data()),
                       success=_("已登记活动，请上传宣讲材料后报送中心审核"),
                       then=lambda event: reverse("events:event_detail", args=[event.pk]))
    if done is not None:
        return done
    return render(request, "events/event_form.html", {"form": form, "team": team})


@login_required
def event_detail(request, pk):
    event = permissions.access_event(request.user, pk)
    state = selectors.plan_state(event)
    files = list(EventFile.objects.filter(event=event).order_by("kind", "id"))
    versions = ApprovalRequest.objects.filter(kind=PLAN_KIND, thread=f"event:{event.pk}").order_by("-version")
    can_edit = permissions.can_edit_event(request.user, event)
    file_form = FileForm()
    if event.state == event.State.HELD:  # after the event only its photos are added
        file_form.fields["kind"].choices = [(EventFile.Kind.PHOTO, EventFile.Kind.PHOTO.label)]
    return render(request, "events/event_detail.html", {
        "event": event, "plan": state, "can_edit": can_edit, "versions": versions,
        "materials": [f for f in files if f.kind in EventFile.MATERIALS],
        "photos": [f for f in files if f.kind == EventFile.Kind.PHOTO],
        "presenters": event.presenters.select_related("case").order_by("pk"),
        "problems": services.plan_problems(event) if can_edit else [],
        "file_form": file_form, "editable": event.state == event.State.PLANNING and not state.pending})


@login_required
def event_edit(request, pk):
    event = permissions.access_event(request.user, pk)
    ensure(permissions.can_edit_event(request.user, event), NotFound)
    team = list(selectors.team_of(event.org, event.programme))
    form = EventForm(request.POST or None, team=team, initial=EventForm.initial_of(event))
    done = form_action(request, form, lambda: services.event_update(event=event, by=request.user,
                                                                    **form.service_data()),
                       success=_("已保存活动方案"), then=reverse("events:event_detail", args=[event.pk]))
    if done is not None:
        return done
    return render(request, "events/event_form.html", {"form": form, "event": event, "team": team})


@login_required
@require_POST
def event_submit(request, pk):
    event = permissions.access_event(request.user, pk)
    ensure(permissions.can_edit_event(request.user, event), NotFound)
    return service_action(request, lambda: services.event_plan_submit(event=event, by=request.user),
                          success=lambda plan: _("已将方案第%(n)d版报送中心审核") % {"n": plan.number},
                          then=reverse("events:event_detail", args=[event.pk]))


@login_required
@require_POST
def event_held(request, pk):
    event = permissions.access_event(request.user, pk)
    ensure(permissions.can_edit_event(request.user, event), NotFound)
    return service_action(request, lambda: services.event_mark_held(event=event, by=request.user),
                          success=_("已标记为已举办，请填写活动报告"),
                          then=reverse("events:event_detail", args=[event.pk]))


@login_required
def event_report(request, pk):
    event = permissions.access_event(request.user, pk)
    ensure(permissions.can_edit_event(request.user, event) and event.state == event.State.HELD, NotFound)
    form = ReportForm(request.POST or None, initial={
        "attendance_onsite": event.attendance_onsite, "attendance_online": event.attendance_online,
        "stream_views": event.stream_views, "stream_platforms": event.stream_platforms,
        "coverage": "\n".join(event.coverage)})
    done = form_action(request, form, lambda: services.event_report(
        event=event, by=request.user, **{**form.cleaned_data, "coverage": split_lines(form.cleaned_data["coverage"])}),
        success=_("已保存活动报告"), then=reverse("events:event_detail", args=[event.pk]))
    if done is not None:
        return done
    return render(request, "events/event_report.html", {"form": form, "event": event})


@login_required
@require_POST
def event_file_add(request, pk):
    event = permissions.access_event(request.user, pk)
    ensure(permissions.can_edit_event(request.user, event), NotFound)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect("events:event_detail", pk=event.pk)
    return service_action(request, lambda: services.event_file_add(event=event, by=request.user,
                                                                   kind=form.cleaned_data["kind"],
                                                                   upload=form.cleaned_data["file"]),
                          success=lambda f: _("已上传：%(name)s") % {"name": f.name},
                          then=reverse("events:event_detail", args=[event.pk]))


@login_required
@require_POST
def event_file_remove(request, pk):
    found = permissions.access_event_file(request.user, pk)
    ensure(permissions.can_edit_event(request.user, found.event), NotFound)
    return service_action(request, lambda: services.event_file_remove(file=found, by=request.user),
                          success=_("已删除：%(name)s") % {"name": found.name},
                          then=reverse("events:event_detail", args=[found.event_id]))


@login_required
def event_file(request, pk):
    found = permissions.access_event_file(request.user, pk)
    return stored_file_response(found.file, as_attachment=found.kind != EventFile.Kind.PHOTO, filename=found.name,
                                content_type=found.content_type)


# -- the team (R-201) -------------------------------------------------------------------------------

@login_required
def team(request):
    org, programme = _team_programme(request)
    ensure(permissions.can_view_team(request.user, org), NotFound)
    cases = selectors.team_cases(org, programme)
    presenters = list(selectors.team_of(org, programme, active=False).order_by("case_id", "id"))
    by_case: dict[int, list] = {}
    for p in presenters:
        by_case.setdefault(p.case_id, []).append(p)
    return render(request, "events/team.html", {
        "org": org, "rows": [(case, by_case.get(case.pk, [])) for case in cases],
        "can_manage": permissions.can_manage_team(request.user, org)})


@login_required
def presenter_add(request, case_id):
    org, programme = _team_programme(request)
    ensure(permissions.can_manage_team(request.user, org), NotFound)
    case = next((c for c in selectors.team_cases(org, programme) if c.pk == case_id), None)
    ensure(case is not None, NotFound)
    form = PresenterForm(request.POST or None, request.FILES or None)
    done = form_action(request, form, lambda: services.presenter_add(
        org=org, programme=programme, case_id=case.pk, by=request.user,
        **{k: v for k, v in form.cleaned_data.items()}),
        success=_("已添加宣讲人"), then=reverse("events:team"))
    if done is not None:
        return done
    return render(request, "events/presenter_form.html", {"form": form, "case": case})


@login_required
def presenter_replace(request, pk):
    presenter = permissions.access_presenter(request.user, pk)
    ensure(permissions.can_manage_team(request.user, presenter.org) and presenter.active, NotFound)
    form = ReplaceForm(request.POST or None, request.FILES or None)
    done = form_action(request, form, lambda: services.presenter_replace(
        presenter=presenter, by=request.user, **form.cleaned_data),
        success=_("已更换宣讲人"), then=reverse("events:team"))
    if done is not None:
        return done
    return render(request, "events/presenter_form.html", {"form": form, "case": presenter.case,
                                                          "replacing": presenter})


@login_required
def presenter_photo(request, pk):
    presenter = permissions.access_presenter(request.user, pk)
    ensure(bool(presenter.photo), NotFound)
    jpeg = presenter.photo.name.endswith(".jpg")
    return stored_file_response(presenter.photo, content_type="image/jpeg" if jpeg else "image/png")
