"""A project's three final reports (R-403), drafted from the data over its whole period, and their Word documents.

- **The data** (`gather`): every rule indicator, the selection funnel, events, publicity, the ledger by line, and the
  performance tree with the scores the data gives (apps/reports/performance.py). The entered parts (效益, 满意度)
  are the project's own and are scored when the report is read, from `FinalReport.entered`.
- **The sections** each kind asks the project to write (`SECTIONS`), around the figures.
- **Word** (`write_docx`): the title, the project, the sections with the figures' tables where they belong, in a
  CJK font (apps/core/word.py)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.campaigns.indicators import indicators_for
from apps.campaigns.models import Programme
from apps.core.word import add_run, style_document
from apps.events.models import Event
from apps.finance import figures
from apps.finance.lines import label_of
from apps.publicity.models import MediaReport, Story, TopicVideo
from apps.reports import performance
from apps.reports.funnel import funnel
from apps.reports.models import FinalReport

Kind = FinalReport.Kind
SECTIONS = {
    Kind.EXECUTION: (("overview", L("项目基本情况")), ("tasks", L("任务完成情况")), ("funds", L("经费使用情况")),
                     ("issues", L("存在的问题"))),
    Kind.SUMMARY: (("approach", L("主要做法")), ("results", L("工作成效")), ("lessons", L("经验和体会")),
                   ("next", L("下一步打算"))),
    Kind.PERFORMANCE: (("goals", L("绩效目标")), ("analysis", L("绩效指标完成情况分析")),
                       ("improvement", L("存在的问题和改进措施"))),
}
# Where the figures go in each kind: after which section the table of indicators, the funnel and the ledger follow.
TABLES = {Kind.EXECUTION: {"tasks": ("indicators", "funnel", "activity"), "funds": ("ledger",)},
          Kind.SUMMARY: {"results": ("funnel", "activity")},
          Kind.PERFORMANCE: {"analysis": ("performance",)}}


def gather(programme: Programme) -> dict:
    indicators = indicators_for(programme)
    run = figures.execution(programme)
    events = Event.plain.filter(programme=programme)
    tree = performance.score(programme, indicators, run, {})
    return {
        "measured_at": timezone.localtime().isoformat(),
        "indicators": [{"rule": i.rule, "title": str(i.title), "target_text": str(i.target_text),
                        "value_text": str(i.value_text), "status": i.status, "status_label": i.status_label}
                       for i in indicators],
        "funnel": [{"key": s.key, "label": s.label, "rule": s.rule, "value": s.value} for s in funnel(indicators)],
        "activity": {
            "events_held": events.filter(state=Event.State.HELD).count(),
            "media_reports": MediaReport.plain.filter(programme=programme).count(),
            "videos": TopicVideo.plain.filter(programme=programme, passes=True).count(),
            "stories": Story.plain.filter(programme=programme, state=Story.State.REVIEWED).count(),
        },
        "ledger": {"budget": format(programme.budget, "f"), "spent": format(run.spent, "f"),
                   "rate": format(run.rate, "f") if run.rate is not None else None,
                   "in_force": run.budget.number if run.budget else None,
                   "lines": [{"code": line.code, "label": label_of(line.code), "planned": format(line.planned, "f"),
                              "spent": format(line.spent, "f"),
                              "rate": format(line.rate, "f") if line.rate is not None else None}
                             for line in run.lines]},
        # The data's part of the score (the entered parts are added when the report is read).
        "performance": [{"part": r.part, "item": r.item, "rule": r.rule, "weight": format(r.weight, "f"),
                         "score": format(r.score, "f"), "basis": r.basis} for r in tree.rows if r.rule],
    }


def performance_of(report: FinalReport) -> performance.Performance:
    """The performance rows of a report: the data's, as frozen, and the entered ones as they stand."""
    rows = [performance.Row(r["part"], r["item"], r["rule"], Decimal(r["weight"]), Decimal(r["score"]), r["basis"])
            for r in report.data.get("performance", [])]
    for key, label, weight in performance.ENTERED:
        value = report.entered.get(key, {})
        points = Decimal(str(value.get("score") or 0))
        part = _("满意度指标") if key == "satisfaction" else _("效益指标")
        rows.append(performance.Row(part, str(label), "", weight, performance.hundredth(min(points, weight)),
                                    value.get("evidence", "")))
    return performance.Performance(rows)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        add_run(cell.paragraphs[0], text, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            add_run(cell.paragraphs[0], str(text))
    doc.add_paragraph()


def _figures(doc, report: FinalReport, which: str) -> None:
    data = report.data
    if which == "indicators":
        _table(doc, [_("规则指标"), _("目标"), _("完成情况"), _("状态")],
               [[i["title"], i["target_text"], i["value_text"], i["status_label"]] for i in data["indicators"]])
    elif which == "funnel":
        stages = data["funnel"]
        _table(doc, [s["label"] for s in stages], [[s["value"] for s in stages]])
    elif which == "activity":
        a = data["activity"]
        _table(doc, [_("宣讲活动（场）"), _("媒体报道（篇）"), _("专题视频（条）"), _("案例故事（篇）")],
               [[a["events_held"], a["media_reports"], a["videos"], a["stories"]]])
    elif which == "ledger":
        ledger = data["ledger"]
        rows = [[f"{line['code']} {line['label']}", f"{Decimal(line['planned']):,.2f}",
                 f"{Decimal(line['spent']):,.2f}", f"{line['rate'] or '—'}%"] for line in ledger["lines"]]
        rows.append([_("合计"), f"{Decimal(ledger['budget']):,.2f}", f"{Decimal(ledger['spent']):,.2f}",
                     f"{ledger['rate'] or '—'}%"])
        _table(doc, [_("科目"), _("预算数（元）"), _("已支出（元）"), _("执行率")], rows)
    elif which == "performance":
        tree = performance_of(report)
        rows = [[r.part, r.item, performance.points(r.weight), performance.points(r.score), r.basis]
                for r in tree.rows]
        rows.append([_("合计"), "", "100", performance.points(tree.total), _("等级：%(grade)s") % {"grade": tree.grade}])
        _table(doc, [_("一级指标"), _("指标"), _("分值"), _("得分"), _("依据")], rows)


def write_docx(report: FinalReport) -> bytes:
    programme = report.programme
    doc = Document()
    style_document(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(title, _("%(year)d年企业典型创新案例征集及宣讲活动") % {"year": programme.campaign.year}, bold=True)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = add_run(heading, str(report), bold=True)
    run.font.size = Pt(18)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(meta, _("实施单位：%(unit)s　实施期：%(start)s至%(end)s") % {
        "unit": programme.implementing_unit or programme.org.name, "start": programme.period_start.isoformat(),
        "end": programme.period_end.isoformat()})
    tables = TABLES[report.kind]
    for n, (key, label) in enumerate(SECTIONS[report.kind], start=1):
        doc.add_heading(f"{_number(n)}、{label}", level=1)
        for paragraph in (report.sections.get(key) or "").splitlines():
            if paragraph.strip():
                add_run(doc.add_paragraph(), paragraph.strip())
        for which in tables.get(key, ()):
            _figures(doc, report, which)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _number(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]
