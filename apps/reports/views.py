"""The units below the acting office (also the home page's first section), reminding a late one, and the
projects' monthly progress reports (R-403)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.approvals.selectors import latest_of
from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import own_programme
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, service_action, show_service_error
from apps.core.pdf import pdf_unavailable
from apps.orgs.models import Org
from apps.orgs.permissions import works_at
from apps.reports import approvals as final_approvals
from apps.reports import dashboard as dashboard_data
from apps.reports import dashboard_export as dashboard_export_files
from apps.reports import final, final_services, monthly_services, services
from apps.reports import monthly as monthly_dates
from apps.reports.approvals import KIND, thread
from apps.reports.forms import AcceptanceForm, FinalForm, MonthlyForm
from apps.reports.models import AcceptanceEvaluation, FinalEvidence, FinalReport, MonthlyReport
from apps.reports.overview import home_section
from apps.reports.permissions import (
    access_final,
    access_programme,
    access_report,
    access_unit,
    can_read_report,
    can_write_report,
    sees_national,
)


@login_required
@require_GET
def units(request):
    section = home_section(request.user, request.acting_org)
    if section is None:
        raise NotFound()
    return render(request, "reports/units.html", section.context)


@login_required
@require_POST
def unit_remind(request, code):
    unit = access_unit(request.user, code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "reports:units"
    return service_action(
        request, lambda: services.unit_remind(unit=unit, by=request.user,
                                              site_url=f"{request.scheme}://{request.get_host()}"),
        success=_("已向%(unit)s发送催办消息") % {"unit": unit.name}, then=target)


# -- monthly progress reports (R-403) ----------------------------------------------------------------------------

def _month_param(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else default
    except ValueError:
        return default


@login_required
def monthly(request):
    """A project's reports month by month (a province, or the centre's brand team for the brand project); the
    centre also sees, for a chosen month, which projects have sent theirs and which have not."""
    org = request.acting_org
    ensure(org is not None and org.kind in (Org.Kind.PROVINCE, Org.Kind.CENTER), NotFound)
    programme = own_programme(org)
    last = monthly_dates.previous_month(timezone.localdate())
    context = {"programme": programme, "last_month": last, "reports": [], "can_draft": False}
    if programme is not None:
        context["reports"] = list(MonthlyReport.objects.filter(programme=programme).order_by("-month"))
        context["can_draft"] = (works_at(request.user, programme.org)
                                and programme.period_start.replace(day=1) <= last <= programme.period_end
                                and not any(r.month == last for r in context["reports"]))
    if org.kind == Org.Kind.CENTER:
        month = _month_param(request.GET.get("month", ""), last)
        campaign = Campaign.plain.order_by("-year").first()
        programmes = monthly_services.reportable(campaign, month) if campaign else []
        found = {r.programme_id: r for r in MonthlyReport.objects.filter(programme__in=programmes, month=month)}
        months = sorted({r.month for r in MonthlyReport.objects.filter(programme__campaign=campaign)}
                        | {last}, reverse=True) if campaign else []
        context.update(month=month, months=months, grid=[(p, found.get(p.pk)) for p in programmes],
                       missing=sum(1 for p in programmes if found.get(p.pk) is None
                                   or found[p.pk].editable))
    return render(request, "reports/monthly.html", context)


@login_required
@require_POST
def monthly_draft(request):
    programme = own_programme(request.acting_org)
    ensure(programme is not None and works_at(request.user, programme.org), NotFound)
    month = _month_param(request.POST.get("month", ""), monthly_dates.previous_month(timezone.localdate()))
    return service_action(request, lambda: monthly_services.monthly_draft(programme=programme, month=month,
                                                                          by=request.user),
                          success=_("已根据平台数据生成报告草稿"), then=lambda r: reverse("reports:monthly_detail",
                                                                                args=[r.pk]),
                          then_error=reverse("reports:monthly"))


def _detail(request, report, form=None, status=200):
    can_write = report.editable and can_write_report(request.user, report)
    if can_write and form is None:
        form = MonthlyForm(initial={"progress": report.progress, "problems": report.problems, "plans": report.plans})
    return render(request, "reports/monthly_detail.html", {
        "report": report, "data": report.data, "form": form if can_write else None,
        "approval": latest_of(KIND, thread(report)), "late": report.late},
        status=status)


def _save_and_send(request, form, *, save, send, page, then):
    """A report's form posted: what was typed is saved, and the report sent to the centre when 「报送中心」 was
    pressed; a refusal shows at its field on the page (400) with what was typed."""
    if not form.is_valid():
        return page()
    try:
        saved = save()
        if "submit" in request.POST:
            send(saved)
            messages.success(request, _("已报送中心"))
        else:
            messages.success(request, _("已保存"))
    except ValidationError as exc:
        show_service_error(form, exc)
        return page()
    return redirect(then)


@login_required
def monthly_detail(request, pk):
    """The report: its figures, the province's account, and (while it is a draft or returned) the form; 「报送中心」
    saves what is typed and sends it."""
    report = access_report(request.user, pk)
    if request.method != "POST":
        return _detail(request, report)
    ensure(report.editable and can_write_report(request.user, report), NotFound)
    form = MonthlyForm(request.POST)
    return _save_and_send(
        request, form, save=lambda: monthly_services.monthly_save(report=report, by=request.user, **form.cleaned_data),
        send=lambda saved: monthly_services.monthly_submit(report=saved, by=request.user),
        page=lambda: _detail(request, access_report(request.user, pk), form, status=400),
        then=reverse("reports:monthly_detail", args=[report.pk]))


@login_required
@require_POST
def monthly_refresh(request, pk):
    report = access_report(request.user, pk)
    ensure(can_write_report(request.user, report), NotFound)
    return service_action(request, lambda: monthly_services.monthly_draft(
        programme=report.programme, month=report.month, by=request.user),
        success=_("已按平台最新数据更新报告中的数据"), then=reverse("reports:monthly_detail", args=[report.pk]))


# -- final reports and the acceptance evaluation (R-403) ---------------------------------------------------------

@login_required
def final_list(request):
    """A project's three final reports and its acceptance; the centre sees every project's."""
    org = request.acting_org
    ensure(org is not None and org.kind in (Org.Kind.PROVINCE, Org.Kind.CENTER), NotFound)
    programme = own_programme(org)
    kinds = FinalReport.Kind.choices
    own = {}
    if programme is not None:
        own = {r.kind: r for r in FinalReport.objects.filter(programme=programme)}
    context = {"programme": programme, "own": [(k, label, own.get(k)) for k, label in kinds],
               "can_write": programme is not None and works_at(request.user, programme.org),
               "acceptance": AcceptanceEvaluation.objects.filter(programme=programme).first() if programme else None}
    if org.kind == Org.Kind.CENTER:
        campaign = Campaign.plain.order_by("-year").first()
        programmes = list(Programme.objects.filter(campaign=campaign).select_related("org")
                          .order_by("-kind", "org__code")) if campaign else []
        reports = {(r.programme_id, r.kind): r for r in FinalReport.objects.filter(programme__in=programmes)}
        accepted = {a.programme_id: a for a in AcceptanceEvaluation.objects.filter(programme__in=programmes)}
        context["grid"] = [(p, [(label, reports.get((p.pk, k))) for k, label in kinds], accepted.get(p.pk))
                           for p in programmes]
        context["kinds"] = kinds
    return render(request, "reports/final_list.html", context)


@login_required
@require_POST
def final_draft(request):
    programme = own_programme(request.acting_org)
    ensure(programme is not None and works_at(request.user, programme.org), NotFound)
    kind = request.POST.get("kind", "")
    ensure(kind in FinalReport.Kind.values, NotFound)
    return service_action(request, lambda: final_services.final_draft(programme=programme, kind=kind,
                                                                      by=request.user),
                          success=_("已根据平台数据生成报告草稿"),
                          then=lambda r: reverse("reports:final_detail", args=[r.pk]),
                          then_error=reverse("reports:final"))


def _final_page(request, report, form=None, status=200):
    can_write = report.editable and can_write_report(request.user, report)
    if can_write and form is None:
        form = FinalForm(kind=report.kind, initial=FinalForm.initial_of(report))
    tables = final.TABLES[report.kind]
    sections = [(key, label, report.sections.get(key, ""), tables.get(key, ()))
                for key, label in final.SECTIONS[report.kind]]
    return render(request, "reports/final_detail.html", {
        "report": report, "data": report.data, "sections": sections, "form": form if can_write else None,
        "performance": final.performance_of(report) if report.kind == FinalReport.Kind.PERFORMANCE else None,
        "evidence": FinalEvidence.objects.filter(report=report),
        "approval": latest_of(final_approvals.FINAL_KIND, final_approvals.final_thread(report))}, status=status)


@login_required
def final_detail(request, pk):
    report = access_final(request.user, pk)
    if request.method != "POST":
        return _final_page(request, report)
    ensure(report.editable and can_write_report(request.user, report), NotFound)
    form = FinalForm(request.POST, request.FILES, kind=report.kind)
    return _save_and_send(
        request, form, save=lambda: final_services.final_save(
            report=report, by=request.user, sections=form.sections(), entered=form.entered(),
            files=form.cleaned_data.get("files") or []),
        send=lambda saved: final_services.final_submit(report=saved, by=request.user),
        page=lambda: _final_page(request, access_final(request.user, pk), form, status=400),
        then=reverse("reports:final_detail", args=[report.pk]))


@login_required
@require_POST
def final_refresh(request, pk):
    report = access_final(request.user, pk)
    ensure(can_write_report(request.user, report), NotFound)
    return service_action(request, lambda: final_services.final_draft(
        programme=report.programme, kind=report.kind, by=request.user),
        success=_("已按平台最新数据更新报告中的数据"), then=reverse("reports:final_detail", args=[report.pk]))


@login_required
def final_docx(request, pk):
    report = access_final(request.user, pk)
    response = HttpResponse(final.write_docx(report), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    name = f"{report.kind}-{report.programme.org.code}-{report.programme.campaign.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def final_evidence(request, pk):
    found = FinalEvidence.objects.select_related("report__programme__org").filter(pk=pk).first()
    ensure(found is not None and can_read_report(request.user, found.report), NotFound)
    return stored_file_response(found.file, content_type=found.content_type, filename=found.name)


@login_required
def acceptance(request, programme_id):
    """The acceptance evaluation of a project: the centre's admin records it once; the project reads it."""
    programme = access_programme(request.user, programme_id)
    found = AcceptanceEvaluation.objects.filter(programme=programme).first()
    can_record = found is None and final_services.can_evaluate(request.user, programme)
    form = AcceptanceForm(request.POST or None) if can_record else None
    if request.method == "POST":
        ensure(can_record, NotFound)
        done = form_action(request, form, lambda: final_services.acceptance_record(
            programme=programme, by=request.user, **form.cleaned_data), success=_("已记录验收评价"),
            then=reverse("reports:acceptance", args=[programme.pk]))
        if done is not None:
            return done
    reports = list(FinalReport.objects.filter(programme=programme).order_by("kind"))
    performance_report = next((r for r in reports if r.kind == FinalReport.Kind.PERFORMANCE), None)
    return render(request, "reports/acceptance.html", {
        "programme": programme, "evaluation": found, "form": form, "reports": reports,
        "performance": final.performance_of(performance_report) if performance_report else None},
        status=400 if form is not None and form.errors else 200)


# -- dashboards ---------------------------------------------------------------------------------------------------

def _charts_national(view) -> dict:
    return {
        "heat": {"rules": [rule for rule, _title in view.rules],
                 "rows": [{"name": r.name,
                           "cells": [c and {"status": c.status, "status_label": c.status_label,
                                            "value_text": c.value_text, "url": c.url} for c in r.cells]}
                          for r in view.rows]},
        "funnel": {"stages": view.funnel},
        "trend": {"weeks": [w.strftime("%m-%d") for w, *_rest in view.weeks],
                  "met": [m if o else None for _w, m, o, _s in view.weeks],  # a week not recorded: no point
                  "spent": [float(s) for *_rest, s in view.weeks],
                  "labels": {"met": _("已达成规则"), "spent": _("当周支出（元）")}},
        "spending": {"names": [r.name for r in view.rows],
                     "planned": [float(r.programme.budget) for r in view.rows],
                     "spent": [float(r.execution.spent) for r in view.rows],
                     "urls": [reverse("finance:ledger", args=[r.programme.pk]) for r in view.rows],
                     "labels": {"planned": _("项目经费"), "spent": _("已支出")}},
    }


def _centre_of_request(request):
    ensure(sees_national(request.user, request.acting_org), NotFound)
    campaign = Campaign.plain.order_by("-year").first()
    ensure(campaign is not None, NotFound)
    return campaign


@login_required
def dashboard(request):
    """The centre's national view; a province goes to its own project's dashboard."""
    org = request.acting_org
    if org is not None and org.kind == Org.Kind.PROVINCE:
        programme = own_programme(org)
        ensure(programme is not None, NotFound)
        return redirect("reports:project_dashboard", programme.pk)
    campaign = _centre_of_request(request)
    view = dashboard_data.national_view(campaign)
    return render(request, "reports/dashboard.html", {"view": view, "charts": _charts_national(view),
                                                      "pdf_missing": pdf_unavailable()})


@login_required
@require_POST
def dashboard_refresh(request):
    campaign = _centre_of_request(request)
    dashboard_data.national_view(campaign, refresh=True)
    messages.success(request, _("已按各项目最新数据重新计算"))
    return redirect("reports:dashboard")


@login_required
def dashboard_export(request, fmt):
    ensure(fmt in ("xlsx", "pdf"), NotFound)
    campaign = _centre_of_request(request)
    view = dashboard_data.national_view(campaign)
    name = f"dashboard-{campaign.year}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        response = HttpResponse(dashboard_export_files.write_xlsx(view), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        missing = pdf_unavailable()
        if missing is not None:
            return HttpResponse(missing, status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(dashboard_export_files.write_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def project_dashboard(request, programme_id):
    """One project's rules and spending, measured now."""
    programme = access_programme(request.user, programme_id)
    view = dashboard_data.project_view(programme)
    lines = view.execution.lines
    charts = {"spending": {"names": [f"{line.code} {line.label}" for line in lines],
                           "planned": [float(line.planned) for line in lines],
                           "spent": [float(line.spent) for line in lines], "urls": [],
                           "labels": {"planned": _("预算数"), "spent": _("已支出")}}}
    return render(request, "reports/project_dashboard.html", {"view": view, "charts": charts})
