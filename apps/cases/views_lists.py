"""The case list (every level), its Excel export, and the county's Excel import of cases."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from apps.cases import case_export, case_import
from apps.cases.levels import levels
from apps.cases.listing import (
    CaseFilterForm,
    apply_filters,
    cases_for,
    decision_label,
    filter_form,
    keyset_page,
    parse_cursor,
    shows_decision,
    total_of,
    with_list_columns,
)
from apps.core.errors import NotFound
from apps.core.excel_import import excel_import
from apps.orgs.excel import XLSX_CONTENT_TYPE


def _filtered(request):
    """The acting org, the list's filter form and the cases it lets through: the page and its export alike."""
    viewer = request.acting_org
    if viewer is None:
        raise NotFound()
    form = filter_form(request.GET or None, viewer)
    return viewer, form, apply_filters(cases_for(viewer), form)


def _filter_query(request, drop: str | None = None) -> str:
    """The GET filters as a query string (no cursor), optionally without one filter."""
    pairs = [(k, request.GET[k]) for k in CaseFilterForm.FILTERS if request.GET.get(k) and k != drop]
    return urlencode(pairs)


def _relax_links(request, form: CaseFilterForm, active: dict) -> list[tuple[str, str]]:
    """For the empty state: each active filter in words, with the link that drops it."""
    links = []
    for name, value in active.items():
        field = form.fields.get(name)
        if field is None:
            continue
        shown = getattr(value, "name", value)
        choices = dict(getattr(field, "choices", []) or [])
        if name != "county" and value in choices:
            shown = choices[value]
        links.append((f"{field.label}：{shown}", "?" + _filter_query(request, drop=name)))
    return links


@login_required
@require_GET
def case_list(request):
    """The cases under the acting org, filtered, a keyset page of 50 at a time."""
    viewer, form, filtered = _filtered(request)
    after, before = parse_cursor(request.GET.get("after")), parse_cursor(request.GET.get("before"))
    page = keyset_page(with_list_columns(filtered.qs), after=after, before=before)
    decisions = dict(levels().decision_choices())
    for case in page.rows:
        case.decision_display = decisions.get(getattr(case, "decision", None), "")
        case.url = reverse("cases:case_detail", args=[case.pk])
    total = total_of(filtered.qs) if page.rows else None
    query = _filter_query(request)
    return render(request, "cases/list.html", {
        "form": form,
        "page": page,
        "total": total,
        "query": query,
        "query_prefix": query + "&" if query else "",
        "active": _relax_links(request, form, filtered.active) if not page.rows else [],
        "has_filters": bool(filtered.active),
        "show_decision": shows_decision(viewer),
        "decision_label": decision_label(viewer),
        "show_county": not viewer.is_association and viewer.kind != "county",
        "can_import": case_import.can_import_cases(request.user, viewer),
        "viewer": viewer,
    })


@login_required
@require_GET
def case_list_export(request):
    """Every row of the filtered list as .xlsx (not just the page shown)."""
    viewer, form, filtered = _filtered(request)
    out, _count = case_export.cases_export(qs=filtered.qs, by=request.user, viewer=viewer, filters=filtered.active,
                                           with_decision=shows_decision(viewer))
    return FileResponse(out, as_attachment=True, filename=case_export.export_filename(viewer),
                        content_type=XLSX_CONTENT_TYPE)


class CaseImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("填好的导入文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


@login_required
@require_http_methods(["GET", "POST"])
def case_import_page(request, code):
    """A county imports cases it collected offline from the Excel template: all rows or none."""
    county = case_import.access_case_import(request.user, code)
    return excel_import(
        request, form_class=CaseImportForm, template="cases/import.html",
        run=lambda upload, form: case_import.cases_import(county=county, by=request.user, file=upload,
                                                          filename=upload.name),
        context={"county": county, "max_rows": case_import.MAX_ROWS,
                 "max_mb": case_import.MAX_BYTES // (1024 * 1024),
                 "template_url": reverse("cases:import_template", args=[county.code])})


@login_required
@require_GET
def case_import_template(request, code):
    county = case_import.access_case_import(request.user, code)
    filename = _("案例导入模板-%(name)s.xlsx") % {"name": county.name}
    return HttpResponse(case_import.import_template(county), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": content_disposition_header(True, filename)})
