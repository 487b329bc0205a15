"""The data pack of an overview report (R-505): what the provinces did, gathered across all of them.

`gather` reads each province programme's rule indicators (`indicator_for`, never a second calculation): cases
collected (R-106), cases on the provincial list (R-109), events held (R-202), media reports (R-303), topic videos
(R-304) and stories (R-305); and counts the cases of the provincial lists by industry (the enterprise's GB/T 4754
section) and by channel. The result is plain JSON, frozen on the report, so its Excel (`write_xlsx`) and its PDF
(`write_pdf`, WeasyPrint, the CJK font embedded, bars drawn in CSS) always show the same numbers.
"""

from __future__ import annotations

import io
from collections import Counter

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from apps.campaigns.indicators import indicator_for
from apps.campaigns.models import Campaign, Programme
from apps.cases.models import Case
from apps.core.pdf import own_files_fetcher
from apps.enterprises.industry import section_label
from apps.orgs.excel import safe_cell
from apps.publicity.selectors import province_list_cases

RULES = ("R-106", "R-109", "R-202", "R-303", "R-304", "R-305")


def rule_labels() -> dict[str, str]:
    return {"R-106": _("征集案例"), "R-109": _("省级名单案例"), "R-202": _("宣讲活动"), "R-303": _("媒体报道"),
            "R-304": _("专题视频"), "R-305": _("案例故事")}


def gather(campaign: Campaign) -> dict:
    """The data pack of the campaign now, as JSON."""
    provinces, industries, channels = [], Counter(), Counter()
    for programme in (Programme.plain.filter(campaign=campaign, kind=Programme.Kind.PROVINCE)
                      .select_related("org", "campaign").order_by("org__code")):
        values = {rule: indicator_for(programme, rule).value for rule in RULES}
        provinces.append({"code": programme.org.code, "name": programme.org.name, "programme": programme.pk,
                          "values": {rule: int(v or 0) for rule, v in values.items()}})
        for case in province_list_cases(programme):
            industries[case.enterprise.industry_section or ""] += 1
            channels[case.channel] += 1
    totals = {rule: sum(p["values"][rule] for p in provinces) for rule in RULES}
    channel_labels = dict(Case.Channel.choices)
    return {
        "at": timezone.now().isoformat(),
        "campaign": {"id": campaign.pk, "name": campaign.name, "year": campaign.year},
        "rules": list(RULES),
        "provinces": provinces,
        "totals": totals,
        "industries": [{"code": code, "label": section_label(code) if code else _("未填写行业"), "count": n}
                       for code, n in sorted(industries.items(), key=lambda kv: (-kv[1], kv[0]))],
        "channels": [{"code": code, "label": str(channel_labels.get(code, code)), "count": channels.get(code, 0)}
                     for code in Case.Channel.values],
    }


def tables(data: dict) -> list[dict]:
    """The pack's tables, as both documents lay them out: a title, headers, rows, and the column the chart draws."""
    labels = rule_labels()
    heads = [f"{labels[r]}（{r}）" for r in data["rules"]]
    provinces = {"key": "provinces", "title": _("各省数据"), "headers": [_("省份"), *heads],
                 "rows": [[p["name"], *(p["values"][r] for r in data["rules"])] for p in data["provinces"]],
                 "total": [_("合计"), *(data["totals"][r] for r in data["rules"])]}
    industries = {"key": "industries", "title": _("省级名单案例按行业"), "headers": [_("行业门类"), _("案例数")],
                  "rows": [[i["label"], i["count"]] for i in data["industries"]]}
    channels = {"key": "channels", "title": _("省级名单案例按推荐渠道"), "headers": [_("推荐渠道"), _("案例数")],
                "rows": [[c["label"], c["count"]] for c in data["channels"]]}
    return [provinces, industries, channels]


def bars(rows: list[list], column: int) -> list[dict]:
    """Rows as bars (label, value, width in % of the largest) for the PDF and the page: CSS, no JavaScript."""
    top = max((r[column] for r in rows), default=0) or 1
    return [{"label": r[0], "value": r[column], "width": round(100 * r[column] / top, 1)} for r in rows]


def write_xlsx(data: dict, title: str) -> bytes:
    """A sheet per table, each with a bar chart; every text through safe_cell (no formula from a typed name)."""
    book = Workbook()
    book.remove(book.active)
    for table in tables(data):
        sheet = book.create_sheet(safe_cell(table["title"])[:31])
        sheet.append([safe_cell(title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(_("数据截至%(at)s") % {"at": data["at"][:16].replace("T", " ")})])
        sheet.append([safe_cell(h) for h in table["headers"]])
        for row in table["rows"]:
            sheet.append([safe_cell(v) for v in row])
        if table.get("total"):
            sheet.append([safe_cell(v) for v in table["total"]])
        sheet.column_dimensions["A"].width = 28
        if table["rows"]:
            chart = BarChart()
            chart.title = table["title"]
            chart.type = "bar" if table["key"] != "provinces" else "col"
            first, last = 4, 3 + len(table["rows"])
            chart.add_data(Reference(sheet, min_col=2, max_col=len(table["headers"]), min_row=3, max_row=last),
                           titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
            chart.width, chart.height = 18, 9
            sheet.add_chart(chart, f"A{last + 3}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_pdf(data: dict, title: str, subtitle: str) -> bytes:
    """The pack as an A4 PDF: tables and CSS bar charts, the CJK font embedded by WeasyPrint. The caller checks
    `pdf_unavailable()` first."""
    from weasyprint import HTML

    laid = tables(data)
    charts = [{"title": laid[0]["title"] + " · " + laid[0]["headers"][1], "bars": bars(laid[0]["rows"], 1)},
              {"title": laid[1]["title"], "bars": bars(laid[1]["rows"], 1)},
              {"title": laid[2]["title"], "bars": bars(laid[2]["rows"], 1)}]
    html = render_to_string("brand/datapack_pdf.html", {
        "title": title, "subtitle": subtitle, "at": data["at"][:16].replace("T", " "), "tables": laid,
        "charts": charts})
    return HTML(string=html, base_url=None, url_fetcher=own_files_fetcher({})).write_pdf()
