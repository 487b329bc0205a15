"""The ledger as an Excel 专账 statement (R-401): the entries in date order with a running balance against the
budget in force, then the execution by line and by month. Every figure comes from apps/finance/figures.py; every
text a person typed goes through `safe_cell`, so nothing typed runs as a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from apps.campaigns.models import Programme
from apps.finance import figures
from apps.finance.lines import label_of, line_text
from apps.finance.models import Expense
from apps.orgs.excel import safe_cell

MONEY = "#,##0.00"
BOLD = Font(bold=True)


def _title(sheet, text: str, subtitle: str, width: int) -> None:
    sheet.append([text])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _header(sheet, names: list[str], widths: list[int]) -> None:
    sheet.append(names)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for n, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + n)].width = width


def write_statement(programme: Programme) -> bytes:
    execution = figures.execution(programme)
    book = Workbook()
    unit = programme.implementing_unit or programme.org.name
    subtitle = _("实施单位：%(unit)s　项目经费：%(budget)s元　导出时间：%(at)s") % {
        "unit": unit, "budget": f"{programme.budget:,.2f}", "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}

    sheet = book.active
    sheet.title = _("专账明细")
    _title(sheet, _("%(org)s项目专账明细账") % {"org": programme.org.name}, subtitle, 8)
    _header(sheet, [_("日期"), _("凭证号"), _("摘要"), _("收款方"), _("经济分类科目"), _("支出"), _("冲销"),
                    _("预算余额")], [12, 8, 36, 24, 18, 14, 14, 16])
    balance = execution.planned
    sheet.append(["", "", _("批复预算（第%(n)d版）") % {"n": execution.budget.number} if execution.budget else
                  _("预算未批复"), "", "", None, None, balance])
    sheet.cell(sheet.max_row, 8).number_format = MONEY
    entries = list(Expense.plain.filter(programme=programme).order_by("spent_on", "number"))
    for e in entries:
        balance -= e.amount
        sheet.append([e.spent_on, e.number, safe_cell(e.purpose), safe_cell(e.payee), line_text(e.line),
                      e.amount if e.amount > 0 else None, -e.amount if e.amount < 0 else None, balance])
        row = sheet.max_row
        sheet.cell(row, 1).number_format = "yyyy-mm-dd"
        for column in (6, 7, 8):
            sheet.cell(row, column).number_format = MONEY
    sheet.append(["", "", _("合计"), "", "", sum((e.amount for e in entries if e.amount > 0), Decimal("0")),
                  -sum((e.amount for e in entries if e.amount < 0), Decimal("0")), balance])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for column in (6, 7, 8):
        sheet.cell(sheet.max_row, column).number_format = MONEY
    sheet.freeze_panes = "A4"

    lines = book.create_sheet(_("科目执行"))
    _title(lines, _("%(org)s预算执行情况（按科目）") % {"org": programme.org.name}, subtitle, 6)
    _header(lines, [_("科目编码"), _("科目名称"), _("预算数"), _("已支出"), _("余额"), _("执行率")],
            [10, 20, 16, 16, 16, 10])
    for line in execution.lines:
        lines.append([line.code, label_of(line.code), line.planned, line.spent, line.balance,
                      float(line.rate) / 100 if line.rate is not None else None])
        for column in (3, 4, 5):
            lines.cell(lines.max_row, column).number_format = MONEY
        lines.cell(lines.max_row, 6).number_format = "0.0%"
    lines.append(["", _("合计"), execution.planned, execution.spent, execution.balance,
                  float(execution.rate) / 100 if execution.rate is not None else None])
    for column in (3, 4, 5):
        lines.cell(lines.max_row, column).number_format = MONEY
    lines.cell(lines.max_row, 6).number_format = "0.0%"
    for cell in lines[lines.max_row]:
        cell.font = BOLD

    months = book.create_sheet(_("月度支出"))
    codes = [line.code for line in execution.lines]
    _title(months, _("%(org)s月度支出（按科目）") % {"org": programme.org.name}, subtitle, len(codes) + 2)
    _header(months, [_("月份")] + [line_text(c) for c in codes] + [_("合计")], [10] + [16] * (len(codes) + 1))
    for month, by_line, total in execution.months:
        months.append([month] + [by_line.get(c) for c in codes] + [total])
        for column in range(2, len(codes) + 3):
            months.cell(months.max_row, column).number_format = MONEY

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
