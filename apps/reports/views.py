"""The units below the acting office (also the home page's first section), reminding a late one, and the
projects' monthly progress reports (R-403)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.approvals.selectors import latest_of
from apps.campaigns.models import Campaign
from apps.campaigns.selectors import own_programme
from apps.core.errors import NotFound, ensure
from apps.core.forms import service_action, show_service_error
from apps.orgs.models import Org
from apps.orgs.permissions import works_at
from apps.reports import monthly as monthly_dates
from apps.reports import monthly_services, services
from apps.reports.approvals import KIND, thread
from apps.reports.forms import MonthlyForm
from apps.reports.models import MonthlyReport
from apps.reports.overview import home_section
from apps.reports.permissions import access_report, access_unit, can_write_report


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
    today = timezone.localdate()
    last = monthly_dates.previous_month(today)
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
                                   or found[p.pk].state in (MonthlyReport.State.DRAFT, MonthlyReport.State.RETURNED)),
                       today=today)
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
        "approval": latest_of(KIND, thread(report)), "late": report.editable and timezone.localdate() > report.due_on},
        status=status)


@login_required
def monthly_detail(request, pk):
    """The report: its figures, the province's account, and (while it is a draft or returned) the form; 「报送中心」
    saves what is typed and sends it."""
    report = access_report(request.user, pk)
    if request.method != "POST":
        return _detail(request, report)
    ensure(report.editable and can_write_report(request.user, report), NotFound)
    form = MonthlyForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, form, status=400)
    try:
        saved = monthly_services.monthly_save(report=report, by=request.user, **form.cleaned_data)
        if "submit" in request.POST:
            monthly_services.monthly_submit(report=saved, by=request.user)
            messages.success(request, _("已报送中心"))
        else:
            messages.success(request, _("已保存"))
    except ValidationError as exc:
        show_service_error(form, exc)
        return _detail(request, access_report(request.user, pk), form, status=400)
    return redirect("reports:monthly_detail", report.pk)


@login_required
@require_POST
def monthly_refresh(request, pk):
    report = access_report(request.user, pk)
    ensure(can_write_report(request.user, report), NotFound)
    return service_action(request, lambda: monthly_services.monthly_draft(
        programme=report.programme, month=report.month, by=request.user),
        success=_("已按平台最新数据更新报告中的数据"), then=reverse("reports:monthly_detail", args=[report.pk]))
