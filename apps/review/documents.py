"""Review documents (issue 5 item 8): an expert's score sheet as a PDF to sign, a round's scores as Excel.

The PDF (专家评分表) is what an expert signs and the organiser files: the rubric, one row per assigned case with
the submitted scores, the conflict-of-interest declaration and a signature line. A case not yet submitted prints
as blank cells, so the same document serves as a paper form filled in by hand at a meeting. It is rendered from
an HTML template by WeasyPrint, which embeds a subset of the CJK font it used (Debian's fonts-noto-cjk), so the
file reads the same on a machine without Chinese fonts. The renderer fetches nothing: every user text reaches
the template auto-escaped and any URL is refused.

The workbook is the round's score table as the ranking page computes it (`services.ranking_of`), with every
submitted sheet and the settings that produced the ranking, so a reader can recompute it by hand. Every text
goes through `safe_cell`: a title typed as "=1+1" stays text in the reader's Excel.

Both functions read with the unscoped managers, like the services: the caller (a view) has already checked
that the person may see the round, or is the expert.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.cases.models import Case
from apps.orgs.excel import safe_cell
from apps.review import aggregation
from apps.review.config import ReviewConfig, RubricItem, review_config
from apps.review.models import Assignment, Disagreement, Expert, ScoreSheet
from apps.review.services import ranking_of, review_cases
from apps.rounds.models import Round

PDF_CONTENT_TYPE = "application/pdf"


def _num(value: float | None, places: int = 2) -> str:
    """A score as a person writes it: 27.3, 25, 84.25 (no trailing zeros), "" for none."""
    if value is None:
        return ""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _title(round: Round) -> str:
    return _("%(org)s%(kind)s专家评分表") % {"org": round.org.name, "kind": round.get_kind_display()}


# -- the expert's score sheet (PDF) ------------------------------------------------------------------------------

# A comment longer than this is cut in the table and printed whole after it: in a table cell a 2,000-character
# comment would stretch one row over four pages.
COMMENT_IN_TABLE = 150


@dataclass(frozen=True)
class SheetLine:
    """One assigned case on the expert's sheet; the scores are blank ("") until the sheet is submitted."""

    number: int
    case: Case
    scores: tuple[str, ...]
    total: str
    comment: str  # as printed in the table: cut at COMMENT_IN_TABLE characters
    submitted: bool
    full_comment: str = ""  # the whole comment when the table shows it cut, printed after the table


def _sheet_total(rubric: tuple[RubricItem, ...], sheet: ScoreSheet) -> float | None:
    """The weighted total recomputed from the scores, as rankings do; the stored one if the scores fail the rubric."""
    try:
        return aggregation.weighted_total(rubric, sheet.scores)
    except aggregation.ScoreError:
        return sheet.total


def _sheet_comment(rubric: tuple[RubricItem, ...], sheet: ScoreSheet) -> str:
    """The overall comment, then each criterion's comment prefixed with its name."""
    parts = [sheet.comment.strip()] if sheet.comment.strip() else []
    parts += [f"{item.name}：{sheet.comments[item.key]}" for item in rubric if sheet.comments.get(item.key)]
    return "\n".join(parts)


def expert_sheet_lines(round: Round, expert: Expert, method: str = Assignment.Method.REVIEW) -> list[SheetLine]:
    """The expert's cases in the round (declined ones left out: the declaration covers the cases scored), in the
    order the expert's task list shows them (by case number). Drafts print blank: only a submitted sheet counts."""
    rubric = review_config(round).rubric
    assignments = (Assignment.plain.filter(round=round, expert=expert, method=method)
                   .exclude(state=Assignment.State.DECLINED)
                   .select_related("case__enterprise", "sheet").order_by("case_id", "id"))
    lines = []
    for number, assignment in enumerate(assignments, start=1):
        sheet = getattr(assignment, "sheet", None)
        if sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED:
            scores = tuple(_num(sheet.scores.get(item.key), 1) for item in rubric)
            comment = _sheet_comment(rubric, sheet)
            cut = len(comment) > COMMENT_IN_TABLE
            shown = comment[:COMMENT_IN_TABLE] + _("……（全文见评语附录）") if cut else comment
            line = SheetLine(number, assignment.case, scores, _num(_sheet_total(rubric, sheet)), shown, True,
                             full_comment=comment if cut else "")
        else:
            line = SheetLine(number, assignment.case, ("",) * len(rubric), "", "", False)
        lines.append(line)
    return lines


def _css_string(text: str) -> str:
    """Text as a CSS string literal (for @page margin boxes), safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def _page_counter_content() -> SafeString:
    """「第1页，共3页」 as a CSS `content` value with the page counters, from one translatable text."""
    chunks = re.split(r"%\((pages?)\)s", _("第%(page)s页，共%(pages)s页"))
    # re.split with a group: text at even indexes, the counter names at odd ones.
    parts = [f"counter({chunk})" if i % 2 else _css_string(chunk) for i, chunk in enumerate(chunks) if chunk]
    return mark_safe(" ".join(parts))


def _with_fills(text: str) -> SafeString:
    """The text, escaped, with each run of ＿ in a span the stylesheet draws as a line long enough to sign on."""
    return mark_safe(re.sub("(＿+)", r'<span class="fill">\1</span>', str(escape(text))))


def expert_sheet_html(round: Round, expert: Expert, method: str = Assignment.Method.REVIEW) -> str:
    """The sheet as HTML (what the PDF is rendered from; also a print preview)."""
    config = review_config(round)
    lines = expert_sheet_lines(round, expert, method)
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return render_to_string("review/sheet_pdf.html", {
        "title": _title(round), "round": round, "expert": expert, "config": config,
        "rubric": [(item, _num(item.maximum), _num(item.weight)) for item in config.rubric],
        "weighted": any(item.weight != item.maximum for item in config.rubric),
        "rubric_total": _num(config.rubric_total), "lines": lines,
        "long_comments": [line for line in lines if line.full_comment],
        "submitted": sum(line.submitted for line in lines),
        # Criterion columns share what the fixed columns leave of the landscape page, within readable bounds.
        "criterion_width": max(11, min(24, 130 // max(1, len(config.rubric)))),
        "columns": len(config.rubric) + 5,
        "page_counter": _page_counter_content(), "footer_left": mark_safe(_css_string(_title(round))),
        "generated_label": mark_safe(_css_string(_("生成于%(time)s") % {"time": generated})),
        "signature_line": _with_fills(_("专家签名：＿＿＿＿　日期：＿＿＿＿")),
    })


def expert_sheet_pdf(round: Round, expert: Expert, method: str = Assignment.Method.REVIEW) -> bytes:
    """One A4 (landscape) PDF of the expert's score sheet for the round, with the CJK font embedded."""
    # Imported here: loading Pango costs a few tenths of a second that other pages need not pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = expert_sheet_html(round, expert, method)
    # The sheet needs no resource: no allowed protocol means no crafted text can make the server fetch a URL.
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def sheet_pdf_filename(round: Round, expert: Expert) -> str:
    return _("%(title)s-%(name)s.pdf") % {"title": _title(round), "name": expert.name}


# -- the round's score table (Excel) -----------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
FLAG_FILL = PatternFill("solid", fgColor="FDECEA")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
SCORE_FORMAT = "0.00"


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, int]], *, first: bool = False):
    """A worksheet with a bold, frozen header row and the given column widths."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([safe_cell(label) for label, _width in headers])
    for i, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, TOP_WRAP
    ws.freeze_panes = "A2"
    return ws


def _append(ws, values: list, *, score_columns: tuple[int, ...] = (), wrap_columns: tuple[int, ...] = ()) -> None:
    """One row, every value through safe_cell; numbers stay numbers (Excel sorts and sums them)."""
    ws.append([safe_cell(v) for v in values])
    row = ws.max_row
    for column in score_columns:
        ws.cell(row=row, column=column).number_format = SCORE_FORMAT
    for column in wrap_columns:
        ws.cell(row=row, column=column).alignment = TOP_WRAP


def _yes(flag: bool) -> str:
    return _("是") if flag else _("否")


def _write_ranking(wb: Workbook, ranking: aggregation.Ranking, cases: dict[int, Case],
                   names: dict[int, str], assigned: dict[int, int], resolutions: dict[int, Disagreement],
                   unscored: list[Case]) -> None:
    normalised = ranking.options.normalise
    ws = _sheet(wb, _("评分排名"), [
        (_("名次"), 6), (_("案例编号"), 9), (_("案例标题"), 36), (_("企业名称"), 30), (_("所在区县"), 12),
        (_("得分"), 9), (_("原始平均分"), 10), (_("已提交评分数"), 10), (_("分配专家数"), 10),
        (_("各专家总分"), 48), (_("分差"), 8), (_("分歧提示"), 9), (_("分歧处理"), 30)], first=True)
    for row in ranking.rows:
        case = cases[row.case_id]
        parts = []
        for score in sorted(row.experts, key=lambda s: (names.get(s.expert_id, ""), s.expert_id)):
            text = f"{names.get(score.expert_id, score.expert_id)} {_num(score.raw)}"
            if normalised and score.normalised is not None:
                text += f"→{_num(score.normalised)}"
            if not score.used:
                text += _("（去掉）")
            parts.append(text)
        resolution = resolutions.get(row.case_id)
        handled = f"{resolution.get_resolution_display()}：{resolution.note}" if resolution else ""
        _append(ws, [row.rank, case.pk, case.title, case.enterprise.name, case.county.name, row.score, row.mean_raw,
                     row.n, assigned.get(row.case_id, 0), "；".join(parts), row.spread,
                     _("分歧") if row.flagged else "", handled],
                score_columns=(6, 7, 11), wrap_columns=(3, 10, 13))
        if row.flagged:
            ws.cell(row=ws.max_row, column=12).fill = FLAG_FILL
    for case in unscored:
        _append(ws, ["", case.pk, case.title, case.enterprise.name, case.county.name, None, None, 0,
                     assigned.get(case.pk, 0), _("尚无已提交的评分"), None, "", ""], wrap_columns=(3,))


def _write_sheets(wb: Workbook, round: Round, method: str, config: ReviewConfig, ranking: aggregation.Ranking,
                  cases: dict[int, Case]) -> None:
    """Every submitted sheet, in ranking order then by expert name, with whether trimming kept its total."""
    rubric = config.rubric
    headers = [(_("名次"), 6), (_("案例编号"), 9), (_("案例标题"), 32), (_("专家"), 10), (_("工作单位"), 22)]
    headers += [(f"{item.name}（{_num(item.maximum)}）", max(10, len(item.name) * 2 + 4)) for item in rubric]
    headers += [(_("总分"), 9)] + ([(_("标准化总分"), 10)] if config.normalise else [])
    headers += [(_("计入得分"), 9), (_("总体意见"), 40), (_("分项意见"), 40), (_("提交时间"), 17)]
    ws = _sheet(wb, _("评分明细"), headers)
    per_case = {row.case_id: (row.rank, {s.expert_id: s for s in row.experts}) for row in ranking.rows}
    sheets = (ScoreSheet.plain.filter(assignment__round=round, assignment__method=method,
                                      state=ScoreSheet.State.SUBMITTED).select_related("assignment__expert"))
    rows = []
    for sheet in sheets:
        case_id, expert = sheet.assignment.case_id, sheet.assignment.expert
        rank, scores = per_case[case_id]
        rows.append((rank, expert.name, expert.pk, sheet, scores[expert.pk]))
    rows.sort(key=lambda r: r[:3])
    first = 6  # the first criterion's column (F)
    score_columns = tuple(range(first, first + len(rubric) + 1 + config.normalise))
    tz = timezone.get_current_timezone()
    for rank, _name, _pk, sheet, score in rows:
        case, expert = cases[sheet.assignment.case_id], sheet.assignment.expert
        values = [rank, case.pk, case.title, expert.name, expert.employer]
        values += [sheet.scores.get(item.key) for item in rubric] + [score.raw]
        values += [score.normalised] if config.normalise else []
        values += [_yes(score.used), sheet.comment,
                   "\n".join(f"{item.name}：{sheet.comments[item.key]}" for item in rubric
                             if sheet.comments.get(item.key)),
                   timezone.localtime(sheet.submitted_at, tz).strftime("%Y-%m-%d %H:%M") if sheet.submitted_at else ""]
        last = len(values)
        _append(ws, values, score_columns=score_columns, wrap_columns=(3, last - 2, last - 1))


def _write_settings(wb: Workbook, round: Round, config: ReviewConfig, ranking: aggregation.Ranking) -> None:
    """The settings that produced the ranking, in words, then the rubric: enough to recompute it by hand."""
    options = ranking.options
    ws = _sheet(wb, _("评审设置"), [(_("项目"), 24), (_("设置"), 60), ("", 10), ("", 10), ("", 60)])
    trim = (_("是：%(n)d个及以上评分时去掉一个最高分和一个最低分后取平均，否则取平均")
            % {"n": options.trim_min_scores}) if options.trim else _("否：取各专家总分的平均")
    normalise = (_("是：各专家的总分先按该专家的平均分和标准差标准化到全轮平均分和标准差（z分数）")
                 if options.normalise else _("否：使用各专家的原始总分"))
    for label, value in (
        (_("评审轮次"), str(round)),
        (_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("每个案例的评审专家数"), config.experts_per_case),
        (_("去掉最高分和最低分"), trim),
        (_("专家评分标准化"), normalise),
        (_("分歧提示分差"), _("专家总分最高与最低之差超过%(d)s分时提示（去掉最高最低分之前计算）")
         % {"d": _num(options.disagreement)}),
        (_("排名规则"), _("按得分从高到低；得分相同时按原始平均分从高到低，再按案例编号从小到大")),
        (_("全轮平均分"), ranking.round_mean),
        (_("全轮标准差"), ranking.round_sd),
        (_("总分计算"), _("各评分项得分÷满分×权重之和，满分%(total)s分") % {"total": _num(config.rubric_total)}),
    ):
        _append(ws, [label, value], wrap_columns=(2,))
    ws.append([])
    header_row = ws.max_row + 1
    _append(ws, [_("评分项"), _("代码"), _("权重"), _("满分"), _("评分要点")])
    for cell in ws[header_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for item in config.rubric:
        levels = "；".join(f"{_num(level.low, 1)}–{_num(level.high, 1)}：{level.text}" for level in item.levels)
        notes = "\n".join(text for text in (item.guidance, levels) if text)
        _append(ws, [item.name, item.key, item.weight, item.maximum, notes], wrap_columns=(5,))


def round_scores_xlsx(round: Round, method: str = Assignment.Method.REVIEW) -> bytes:
    """The round's score table as .xlsx: 评分排名 (one row per case in ranking order, then cases not yet scored),
    评分明细 (every submitted sheet) and 评审设置 (how the ranking was computed). Raises aggregation.ScoreError
    like the ranking page when a stored sheet fails the rubric."""
    config = review_config(round)
    ranking = ranking_of(round, method)
    listed = list(review_cases(round))
    ranked = {row.case_id for row in ranking.rows}
    missing = ranked - {case.pk for case in listed}
    # A case taken out of the list after it was scored still has its sheets: it stays in the table.
    cases = {case.pk: case for case in listed}
    cases.update(Case.plain.select_related("enterprise", "county").in_bulk(missing))
    expert_ids = {s.expert_id for row in ranking.rows for s in row.experts}
    names = dict(Expert.plain.filter(pk__in=expert_ids).values_list("pk", "name"))
    assigned: dict[int, int] = defaultdict(int)
    for case_id in (Assignment.plain.filter(round=round, method=method).exclude(state=Assignment.State.DECLINED)
                    .values_list("case_id", flat=True)):
        assigned[case_id] += 1
    resolutions: dict[int, Disagreement] = {}
    for found in Disagreement.plain.filter(round=round).order_by("resolved_at", "id"):
        resolutions[found.case_id] = found  # the latest answer wins
    unscored = [case for case in listed if case.pk not in ranked]

    wb = Workbook()
    _write_ranking(wb, ranking, cases, names, assigned, resolutions, unscored)
    _write_sheets(wb, round, method, config, ranking, cases)
    _write_settings(wb, round, config, ranking)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def scores_xlsx_filename(round: Round) -> str:
    return _("%(round)s评分表-%(date)s.xlsx") % {
        "round": f"{round.org.name}{round.get_kind_display()}", "date": timezone.localdate().strftime("%Y%m%d")}
