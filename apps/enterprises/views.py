"""Pages of the enterprise registry and the little-giant lists. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import NotFound, ensure
from apps.core.excel_import import excel_import
from apps.core.forms import form_action
from apps.enterprises import industry, selectors
from apps.enterprises.forms import (
    EnterpriseFilterForm,
    EnterpriseForm,
    LittleGiantImportForm,
    LittleGiantResolveForm,
)
from apps.enterprises.little_giants import (
    MAX_ROWS,
    little_giant_import,
    little_giant_rematch,
    little_giant_row_resolve,
    little_giant_template,
)
from apps.enterprises.models import Enterprise
from apps.enterprises.permissions import (
    access_campaign_registry,
    access_enterprise,
    access_enterprise_for_edit,
    access_little_giant_list,
    access_little_giant_row,
    can_edit_enterprise,
    can_import_little_giants,
    registering_counties,
)
from apps.enterprises.services import enterprise_create as create_enterprise
from apps.enterprises.services import enterprise_update, little_giant_batch_label
from apps.orgs.excel import XLSX_CONTENT_TYPE

PAGE_SIZE = 30
ROWS_PAGE_SIZE = 50


@login_required
def enterprise_list(request, campaign_id):
    """The registry of a campaign as the acting org sees it: search, filters, pages."""
    campaign = access_campaign_registry(request.user, campaign_id)
    counties = list(selectors.registry_counties(campaign))
    form = EnterpriseFilterForm(request.GET or None, campaign=campaign, counties=counties)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.enterprise_search(campaign, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enterprises/enterprise_list.html", {
        "campaign": campaign,
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "query_prefix": urlencode(filters) + "&" if filters else "",
        "can_register": bool(registering_counties(request.user, request.acting_org)),
        "can_import": can_import_little_giants(request.user, request.acting_org),
    })


@login_required
def enterprise_detail(request, pk):
    enterprise = access_enterprise(request.user, pk)
    return render(request, "enterprises/enterprise_detail.html", {
        "enterprise": enterprise,
        "campaign": enterprise.campaign,
        "section_label": industry.section_label(enterprise.industry_section),
        "division_label": industry.division_label(enterprise.industry_division),
        "batch_label": little_giant_batch_label(enterprise.little_giant_batch) if enterprise.little_giant_batch else "",
        "can_edit": can_edit_enterprise(request.user, enterprise),
    })


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request, campaign_id):
    """A county office or an association of the county registers an enterprise of that county."""
    campaign = access_campaign_registry(request.user, campaign_id)
    counties = registering_counties(request.user, request.acting_org)
    ensure(bool(counties), NotFound)
    form = EnterpriseForm(request.POST or None, campaign=campaign, counties=counties,
                          parks=list(selectors.parks_of(counties)))
    done = form_action(
        request, form, lambda: create_enterprise(campaign=campaign, by=request.user, **form.service_data()),
        success=lambda enterprise: _("已登记%(name)s") % {"name": enterprise.name},
        then=lambda enterprise: reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    if done is not None:
        return done
    return render(request, "enterprises/enterprise_form.html", {"campaign": campaign, "form": form, "enterprise": None})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    enterprise = access_enterprise_for_edit(request.user, pk)
    counties = registering_counties(request.user, request.acting_org)
    if all(c.pk != enterprise.county_id for c in counties):
        counties = [enterprise.county, *counties]
    initial = EnterpriseForm.initial_of(enterprise)
    form = EnterpriseForm(request.POST or None, initial=initial, campaign=enterprise.campaign, counties=counties,
                          parks=list(selectors.parks_of(counties)))
    done = form_action(
        request, form, lambda: enterprise_update(enterprise=enterprise, by=request.user, **form.service_data()),
        success=lambda _done: _("已保存%(name)s的信息") % {"name": enterprise.name},
        then=reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    if done is not None:
        return done
    return render(request, "enterprises/enterprise_form.html", {
        "campaign": enterprise.campaign, "form": form, "enterprise": enterprise})


# Little-giant lists ------------------------------------------------------------------------

def _importer(request):
    org = request.acting_org
    ensure(can_import_little_giants(request.user, org), NotFound)
    return org


@login_required
@require_http_methods(["GET", "POST"])
def littlegiant_index(request, campaign_id):
    """The acting province's (or the centre's) little-giant lists, and the upload of a new one."""
    campaign = access_campaign_registry(request.user, campaign_id)
    org = _importer(request)

    def imported(result):
        c = result.counts
        messages.success(request, _(
            "已导入%(total)d行：已匹配%(matched)d，多个候选%(ambiguous)d，未匹配%(unmatched)d") % {
            "total": sum(c.values()), "matched": c["matched"], "ambiguous": c["ambiguous"],
            "unmatched": c["unmatched"]})
        if result.warnings:
            messages.warning(request, _("%(n)d行的统一社会信用代码有误，已改按企业名称匹配，详见“代码有误”")
                             % {"n": len(result.warnings)})
        return redirect("enterprises:littlegiant_detail", result.lg_list.pk)

    return excel_import(
        request, form_class=LittleGiantImportForm, form_kwargs={"campaign": campaign},
        template="enterprises/littlegiant_index.html",
        run=lambda upload, form: little_giant_import(campaign=campaign, org=org, by=request.user, file=upload,
                                                     filename=upload.name, batch=form.batch_value()),
        done=imported,
        context={"campaign": campaign, "org": org, "max_rows": MAX_ROWS,
                 "template_url": reverse("enterprises:littlegiant_template"),
                 "lists": selectors.little_giant_lists(campaign, org)})


@login_required
def littlegiant_template(request):
    _importer(request)
    return HttpResponse(little_giant_template(), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": content_disposition_header(True, _("小巨人名单导入模板.xlsx"))})


@login_required
def littlegiant_detail(request, pk):
    """A list's rows; by default those still waiting for a person (unmatched and ambiguous)."""
    lg_list = access_little_giant_list(request.user, pk)
    counts = selectors.row_status_counts(lg_list)
    open_count = counts["unmatched"] + counts["ambiguous"]
    status = request.GET.get("status") or ("open" if open_count else "all")
    if status == "code_problem":
        rows = selectors.little_giant_rows(lg_list).exclude(code_problem="")
    else:
        rows = selectors.little_giant_rows(lg_list, status=status)
    page = Paginator(rows, ROWS_PAGE_SIZE).get_page(request.GET.get("page"))
    candidates = selectors.candidates_by_row(list(page.object_list))
    code_problems = selectors.little_giant_rows(lg_list).exclude(code_problem="").count()
    tabs = [("open", _("待处理"), open_count), ("matched", _("已匹配"), counts["matched"]),
            ("resolved", _("已人工处理"), counts["resolved"]), ("code_problem", _("代码有误"), code_problems),
            ("all", _("全部"), sum(counts.values()))]
    return render(request, "enterprises/littlegiant_detail.html", {
        "lg_list": lg_list, "campaign": lg_list.campaign, "page": page, "status": status, "tabs": tabs,
        "rows": [(row, candidates.get(row.pk, [])) for row in page.object_list],
        "batch_label": little_giant_batch_label(lg_list.batch) if lg_list.batch else "",
        "query_prefix": urlencode({"status": status}) + "&", "open_count": open_count,
    })


@login_required
@require_POST
def littlegiant_rematch(request, pk):
    lg_list = access_little_giant_list(request.user, pk)
    counts = little_giant_rematch(lg_list=lg_list, by=request.user)
    messages.success(request, _("已重新匹配：已匹配%(matched)d，仍待处理%(open)d") % {
        "matched": counts["matched"], "open": counts["unmatched"] + counts["ambiguous"]})
    return redirect("enterprises:littlegiant_detail", lg_list.pk)


@login_required
@require_POST
def littlegiant_resolve(request, pk):
    """Decide one open row: a candidate, an enterprise named by credit code, or not in our registry."""
    row = access_little_giant_row(request.user, pk)
    form = LittleGiantResolveForm(request.POST)
    back = reverse("enterprises:littlegiant_detail", args=[row.list_id]) + "?" + urlencode(
        {"status": request.POST.get("status") or "open"}) + f"#row-{row.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    choice, code = form.cleaned_data["choice"], form.cleaned_data["credit_code"].strip()
    enterprise = None
    if not code and choice != "none":
        enterprise = Enterprise.objects.filter(pk=int(choice), campaign=row.list.campaign_id).first()
        if enterprise is None:
            messages.error(request, _("请从候选企业中选择"))
            return redirect(back)
    try:
        little_giant_row_resolve(row=row, by=request.user, enterprise=enterprise, credit_code=code)
    except ValidationError as exc:
        messages.error(request, _("第%(n)d行：%(reason)s") % {"n": row.row_number, "reason": " ".join(exc.messages)})
    else:
        messages.success(request, _("第%(n)d行（%(name)s）已处理") % {"n": row.row_number, "name": row.name})
    return redirect(back)
