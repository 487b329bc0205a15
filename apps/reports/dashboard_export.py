"""The centre's dashboard as Excel and as PDF: the same numbers as the page (apps/reports/dashboard.py), as tables:
the heat map (status and value of every rule of every project), the national funnel, the weekly trend and spending
by project. The PDF is laid out by WeasyPrint in landscape A4; the caller checks `pdf_unavailable()` first."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from apps.core.pdf import own_files_fetcher
from apps.reports.dashboard import NationalView

FILLS = {"met": "C8E6C9", "at_risk": "FFE082", "failed": "EF9A9A", "not_due": "ECEFF1"}
BOLD = Font(bold=True)


def _sheet(book, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)


def write_xlsx(view: NationalView) -> bytes:
    book = Workbook()
    heat = book.active
    heat.title = _("规则热力图")
    heat.append([_("项目")] + [f"{rule} {title}" for rule, title in view.rules] + [_("已达成")])
    for cell in heat[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in view.rows:
        heat.append([row.name] + [f"{c.status_label}：{c.value_text}" if c else "—" for c in row.cells]
                    + [f"{row.met}/{row.of}"])
        for cell, status in zip(heat[heat.max_row][1:], [c.status if c else None for c in row.cells]):
            if status in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[status])
    heat.column_dimensions["A"].width = 24
    _sheet(book, _("全国遴选漏斗"), [_("环节"), _("案例数")], [[label, value] for label, value in view.funnel])
    _sheet(book, _("周趋势"), [_("周（周一）"), _("已达成规则"), _("已测规则"), _("当周支出（元）")],
           [[week, met, of, spent] for week, met, of, spent in view.weeks])
    _sheet(book, _("经费执行"), [_("项目"), _("项目经费（元）"), _("已支出（元）"), _("执行率（%）")],
           [[r.name, r.programme.budget, r.execution.spent, r.execution.rate] for r in view.rows])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_pdf(view: NationalView) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/dashboard_pdf.html", {
        "view": view, "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    return HTML(string=html, base_url=None, url_fetcher=own_files_fetcher({})).write_pdf()
