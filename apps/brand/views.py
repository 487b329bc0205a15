"""Pages of the brand project (R-501, R-502, R-504, R-505), for the brand team (the centre's people) only. Thin:
parse, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.selectors import latest_of
from apps.brand import datapack, permissions, services
from apps.brand.approvals import KIND, thread
from apps.brand.forms import (
    BrandPlanForm,
    ChannelUseForm,
    DeliverableForm,
    MediaContactForm,
    OverviewReportForm,
    RemoveForm,
)
from apps.brand.models import BrandPlan, Channel, ChannelUse, Deliverable, MediaContact, OverviewReport
from apps.campaigns.indicators import indicator_for
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, message_form_errors, service_action
from apps.core.pdf import pdf_unavailable

PAGE_SIZE = 30
RULES = ("R-501", "R-502", "R-504", "R-505")


@login_required
def home(request):
    """The brand project of the newest campaign, for the centre's people."""
    org = request.acting_org
    ensure(permissions.acts_for_brand(request.user, org), NotFound)
    programme = permissions.brand_programme_of(org)
    ensure(programme is not None, NotFound)
    return redirect("brand:overview", programme.pk)


@login_required
def overview(request, programme_id):
    """The brand project's indicators (R-501, R-502) and its records."""
    programme = permissions.access_brand_programme(request.user, programme_id)
    return render(request, "brand/overview.html", {
        "programme": programme, "indicators": [indicator_for(programme, rule) for rule in RULES]})


@login_required
def plan(request, programme_id):
    """The brand plan (R-501): the version in force, the latest version and its approval, and the form that sends a
    new version to the centre's approval."""
    programme = permissions.access_brand_programme(request.user, programme_id)
    in_force = BrandPlan.objects.filter(programme=programme, status=BrandPlan.Status.IN_FORCE).first()
    latest = BrandPlan.objects.filter(programme=programme).order_by("-number").first()
    can_send = not (latest is not None and latest.status == BrandPlan.Status.PENDING)
    form = BrandPlanForm(request.POST or None, initial=BrandPlanForm.initial_of(latest))
    if can_send:
        done = form_action(request, form, lambda: services.brand_plan_submit(
            programme=programme, by=request.user, phases=form.phases()),
            success=lambda p: _("已将品牌项目方案第%(n)d版报送中心审核") % {"n": p.number},
            then=reverse("brand:plan", args=[programme.pk]))
        if done is not None:
            return done
    return render(request, "brand/plan.html", {
        "programme": programme, "in_force": in_force, "latest": latest,
        "approval": latest_of(KIND, thread(programme.pk)),
        "form": form, "can_send": can_send, "channels": dict(Channel.choices), "phases": BrandPlan.PHASES})


@login_required
def contact_list(request, programme_id):
    """The registry of media contacts (R-502), with their details: the brand team's alone."""
    programme = permissions.access_brand_programme(request.user, programme_id)
    rows = MediaContact.objects.filter(programme=programme)
    level = request.GET.get("level", "")
    if level in MediaContact.Level.values:
        rows = rows.filter(level=level)
    else:
        level = ""
    page = Paginator(rows.order_by("outlet", "person", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "brand/contact_list.html", {
        "programme": programme, "page": page, "level": level, "levels": MediaContact.Level.choices,
        "reach": indicator_for(programme, "R-502"), "query_prefix": f"level={level}&" if level else ""})


def _contact_values(form) -> dict:
    data = form.cleaned_data
    return {key: data.get(key) for key in ("outlet", "level", "person", "phone", "email", "last_contact_on")}


@login_required
def contact_new(request, programme_id):
    programme = permissions.access_brand_programme(request.user, programme_id)
    form = MediaContactForm(request.POST or None)
    done = form_action(request, form, lambda: services.media_contact_add(
        programme=programme, by=request.user, **_contact_values(form)),
        success=_("已登记媒体联系人"), then=reverse("brand:contact_list", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "brand/contact_form.html", {"programme": programme, "form": form, "contact": None})


@login_required
def contact_edit(request, pk):
    contact = permissions.access_contact(request.user, pk)
    programme = contact.programme
    form = MediaContactForm(request.POST or None, initial=MediaContactForm.initial_of(contact))
    done = form_action(request, form, lambda: services.media_contact_update(
        contact=contact, by=request.user, **_contact_values(form)),
        success=_("已保存媒体联系人"), then=reverse("brand:contact_list", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "brand/contact_form.html", {"programme": programme, "form": form, "contact": contact})


@login_required
def use_list(request, programme_id):
    """The log of channel uses (R-502), newest first, with the count against the rulebook's minimum."""
    programme = permissions.access_brand_programme(request.user, programme_id)
    rows = ChannelUse.objects.filter(programme=programme)
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    else:
        channel = ""
    page = Paginator(rows.order_by("-used_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "brand/use_list.html", {
        "programme": programme, "page": page, "channel": channel, "channels": Channel.choices,
        "reach": indicator_for(programme, "R-502"), "query_prefix": f"channel={channel}&" if channel else ""})


@login_required
def use_new(request, programme_id):
    programme = permissions.access_brand_programme(request.user, programme_id)
    outlets = services.registry_outlets(programme)
    form = ChannelUseForm(request.POST or None, request.FILES or None, outlets=outlets)
    done = form_action(request, form, lambda: services.channel_use_add(
        programme=programme, by=request.user, outlet=form.cleaned_data["outlet"],
        channel=form.cleaned_data["channel"], used_on=form.cleaned_data["used_on"],
        title=form.cleaned_data["title"], url=form.cleaned_data["url"], evidence=form.cleaned_data["evidence"]),
        success=_("已登记渠道使用"), then=reverse("brand:use_list", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "brand/use_form.html", {"programme": programme, "form": form, "no_outlets": not outlets})


@login_required
def use_evidence(request, pk):
    use = permissions.access_use(request.user, pk)
    return stored_file_response(use.evidence, filename=use.evidence_name, content_type=use.evidence_type)


@login_required
@require_POST
def use_remove(request, pk):
    use = permissions.access_use(request.user, pk)
    then = reverse("brand:use_list", args=[use.programme_id])
    form = RemoveForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect(then)
    return service_action(request, lambda: services.channel_use_remove(use=use, by=request.user,
                                                                       reason=form.cleaned_data["reason"]),
                          success=_("已删除该渠道使用记录"), then=then)


# -- deliverables (R-504) ----------------------------------------------------------------------------------------

@login_required
def deliverable_list(request, programme_id):
    """The deliverables by kind, each place with its newest version, its check and its approval (R-504)."""
    programme = permissions.access_brand_programme(request.user, programme_id)
    rows = list(Deliverable.objects.filter(programme=programme).prefetch_related("sources", "sources__org")
                .order_by("kind", "slot", "-version"))
    newest: dict[tuple, Deliverable] = {}
    older: dict[tuple, list] = {}
    for d in rows:
        if (d.kind, d.slot) in newest:
            older.setdefault((d.kind, d.slot), []).append(d)
        else:
            newest[(d.kind, d.slot)] = d
    counted = services.deliverables_counted(programme)
    kinds = [{"key": key, "label": label, "need": Deliverable.REQUIRED[key], "have": counted[key],
              "items": [(d, older.get((d.kind, d.slot), [])) for (k, _slot), d in newest.items() if k == key]}
             for key, label in Deliverable.Kind.choices]
    return render(request, "brand/deliverable_list.html", {
        "programme": programme, "kinds": kinds, "reach": indicator_for(programme, "R-504"),
        "replaceable": services.REPLACEABLE})


def _deliverable_form(request, programme, replaces=None):
    sources = list(services.passing_sources(programme))
    form = DeliverableForm(request.POST or None, request.FILES or None, sources=sources,
                           replacing=replaces is not None)
    done = form_action(request, form, lambda: services.deliverable_add(
        programme=programme, by=request.user, kind=form.cleaned_data.get("kind", ""),
        title=form.cleaned_data["title"], upload=form.cleaned_data["file"], sources=form.cleaned_data["sources"],
        replaces=replaces),
        success=lambda d: (_("已上传，已报送中心审核") if d.passes
                           else _("已上传，但视频不符合规格，未报送审核，不计入成果")),
        then=reverse("brand:deliverable_list", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "brand/deliverable_form.html", {"programme": programme, "form": form,
                                                            "replaces": replaces})


@login_required
def deliverable_new(request, programme_id):
    return _deliverable_form(request, permissions.access_brand_programme(request.user, programme_id))


@login_required
def deliverable_replace(request, pk):
    """A new version of a returned, withdrawn or failing deliverable."""
    previous = permissions.access_deliverable(request.user, pk)
    return _deliverable_form(request, previous.programme, replaces=previous)


@login_required
def deliverable_file(request, pk):
    item = permissions.access_deliverable(request.user, pk)
    return stored_file_response(item.file, filename=item.name, content_type=item.content_type)


# -- overview reports (R-505) ------------------------------------------------------------------------------------

@login_required
def report_list(request, programme_id):
    programme = permissions.access_brand_programme(request.user, programme_id)
    rows = OverviewReport.objects.filter(programme=programme).order_by("-published_on", "-id")
    return render(request, "brand/report_list.html", {
        "programme": programme, "rows": rows, "reach": indicator_for(programme, "R-505")})


@login_required
def report_new(request, programme_id):
    programme = permissions.access_brand_programme(request.user, programme_id)
    outlets = services.registry_outlets(programme)
    form = OverviewReportForm(request.POST or None, outlets=outlets)
    done = form_action(request, form, lambda: services.overview_report_add(
        programme=programme, by=request.user, **form.cleaned_data),
        success=_("已登记综述报道，并留存了各省数据包"), then=lambda r: reverse("brand:report_detail", args=[r.pk]))
    if done is not None:
        return done
    return render(request, "brand/report_form.html", {"programme": programme, "form": form, "no_outlets": not outlets})


@login_required
def report_detail(request, pk):
    """The report and its frozen data pack: tables and bars, with the Excel and PDF downloads."""
    report = permissions.access_report(request.user, pk)
    laid = datapack.tables(report.data)
    return render(request, "brand/report_detail.html", {
        "programme": report.programme, "report": report, "tables": laid,
        "charts": [(t, datapack.bars(t["rows"], 1)) for t in laid], "pdf_missing": pdf_unavailable()})


def _file_title(report: OverviewReport) -> str:
    return _("综述报道数据包：%(title)s") % {"title": report.title}


@login_required
def report_xlsx(request, pk):
    report = permissions.access_report(request.user, pk)
    response = HttpResponse(datapack.write_xlsx(report.data, _file_title(report)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="overview-report-{report.pk}.xlsx"'
    return response


@login_required
def report_pdf(request, pk):
    report = permissions.access_report(request.user, pk)
    missing = pdf_unavailable()
    if missing is not None:
        return HttpResponse(missing, status=503, content_type="text/plain; charset=utf-8")
    pdf = datapack.write_pdf(report.data, _file_title(report), f"{report.outlet} · {report.published_on.isoformat()}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="overview-report-{report.pk}.pdf"'
    return response


@login_required
@require_POST
def report_refresh(request, pk):
    report = permissions.access_report(request.user, pk)
    return service_action(request, lambda: services.overview_report_refresh(report=report, by=request.user),
                          success=_("已按当前各省指标重新生成数据包"),
                          then=reverse("brand:report_detail", args=[report.pk]))
