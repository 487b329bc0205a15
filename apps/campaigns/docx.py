"""The province's 工作细则 (R-101) as a Word document: title, the seven numbered sections,
the quota table inside section 2, and the rulebook's key numbers with their R-ids."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.campaigns import rules
from apps.campaigns.models import Programme, WorkRules
from apps.campaigns.selectors import quota_table, rulebook_values
from apps.core.word import add_run, style_document

NUMERALS = "一二三四五六七八九十"


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        add_run(cell.paragraphs[0], text, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = ""
            add_run(cell.paragraphs[0], str(text))
    return table


def _paragraphs(doc, text: str) -> None:
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n") if b.strip()]
    if not blocks:
        p = doc.add_paragraph()
        add_run(p, _("（待填写）"))
        return
    for block in blocks:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        add_run(p, block)


def quota_rows(programme: Programme) -> tuple[list[str], list[list[str]], str]:
    """Header, rows (with a total row) and a note for the quota table of section 2."""
    table = quota_table(programme)
    pct = rules.spec("surplus_ratio").display(table.surplus)
    header = [_("市"), _("园区和企业科协数"), _("名额"), _("最少推荐数（差额%(pct)s）") % {"pct": pct}]
    rows = [[r["city"].name, str(r["associations"]), str(r["quota"]), str(r["min_list_length"])] for r in table.rows()]
    rows.append([_("合计"), str(table.total_associations), str(table.total_quota), str(table.total_min_list_length)])
    if table.is_manual:
        note = _("名额按省级科协确定的名额表分配（R-104），理由：%(reason)s") % {"reason": table.plan.reason}
    elif table.error:
        note = table.error
    else:
        note = _("名额按各市园区科协和企业科协数量的比例，以最大余额法（Hamilton）分配，合计%(target)s个（R-103、R-104）；"
                 "余额相同时依次按余额大、科协数多、行政区划代码小的顺序确定。") % {"target": table.target}
        if table.guarantee_one:
            note += _("有科协的市至少分配1个名额。")
    return header, rows, note


def work_rules_docx(programme: Programme, work_rules: WorkRules) -> bytes:
    doc = Document()
    style_document(doc)
    year = programme.campaign.year
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = add_run(title, _("%(org)s%(year)s年企业典型创新案例征集及宣讲活动工作细则") % {"org": programme.org.name, "year": year},
               bold=True)
    run.font.size = Pt(18)

    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = "%s—%s" % (date_format(programme.period_start, "Y年n月j日"), date_format(programme.period_end, "Y年n月j日"))
    add_run(meta, _("实施单位：%(unit)s　项目负责人：%(lead)s　实施期：%(period)s") % {
        "unit": programme.implementing_unit or "—", "lead": programme.project_lead or "—", "period": period})

    for i, (name, heading, text) in enumerate(work_rules.sections()):
        h = doc.add_paragraph()
        add_run(h, f"{NUMERALS[i]}、{heading}", bold=True).font.size = Pt(14)
        _paragraphs(doc, text)
        if name == "quota_allocation":
            header, rows, note = quota_rows(programme)
            p = doc.add_paragraph()
            add_run(p, note)
            _table(doc, header, rows)

    h = doc.add_paragraph()
    add_run(h, _("附：主要规则参数"), bold=True).font.size = Pt(14)
    values = rulebook_values(programme)
    _table(doc, [_("规则编号"), _("参数"), _("取值")],
           [[rules.spec(k).rule, str(rules.spec(k).label), rules.spec(k).display(values[k])] for k in rules.KEY_NUMBERS])

    foot = doc.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(foot, _("生成于%(date)s") % {"date": date_format(timezone.localdate(), "Y年n月j日")})

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
