"""Review documents (issue 5 item 8): the expert's signed score sheet (PDF) and the round's score table (Excel).

The PDF is read back with poppler's pdftotext/pdfinfo/pdffonts (Debian's poppler-utils), so a test sees what a
reader's viewer sees: the Chinese text comes out only if the CJK font was embedded with its character map.
"""

from __future__ import annotations

import io
import re
import subprocess
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from apps.campaigns.models import Programme
from apps.review.documents import (
    COMMENT_IN_TABLE,
    expert_sheet_lines,
    expert_sheet_pdf,
    round_scores_xlsx,
    scores_xlsx_filename,
)
from apps.review.models import Assignment, ScoreSheet
from apps.review.services import assignment_decline, ranking_of, review_configure, sheet_save
from apps.review.tests.world import make_expert
from apps.rounds.models import Round, RoundEntry
from tests.factories import make_case, make_enterprise
from tests.pdf import pdf_fonts, pdf_pages, pdf_text, poppler

SIGNATURE = "专家签名：＿＿＿＿　日期：＿＿＿＿"
DECLARATION = "本人已阅知回避规定，与所评案例无利益冲突"
def squeeze(text: str) -> str:
    """pdftotext (-raw: drawing order) wraps long cell texts and spaces out the blanks: compare without spaces."""
    return re.sub(r"\s+", "", text)


def _submit(assignment: Assignment, scores: dict, comment: str = "") -> ScoreSheet:
    return sheet_save(assignment=assignment, by=assignment.expert.user, scores=scores, comment=comment, submit=True)


@pytest.fixture
def campaign(tree, system):
    from apps.campaigns.services import campaign_create

    found = campaign_create(year=2026, name="2026年企业典型创新案例征集及宣讲活动", by=tree.center_admin,
                            provinces=[tree.zhejiang])
    tree.campaign = found
    return found


@pytest.fixture
def hangzhou_review(tree, campaign):
    """杭州市's city selection round, open, with four cases and three experts (default rubric: weight = maximum,
    so a sheet's total is the plain sum of its scores).

      数字孪生驱动的柔性产线改造  周 88; 吴 assigned, not submitted; 郑 a draft       → 88.0, rank 1
      智能仓储机器人集群调度      周 90, 吴 80                                      → 85.0, rank 2
      =1+1                        周 70, 吴 60; 郑 declined (回避)                  → 65.0, rank 3
      老旧厂房绿色化改造          no sheet                                          → not ranked
    """
    programme = Programme.plain.get(campaign=campaign, org=tree.zhejiang)
    round = Round.plain.create(programme=programme, org=tree.hangzhou, kind=Round.Kind.CITY_SELECTION,
                               state=Round.State.OPEN)
    w = SimpleNamespace(round=round)
    specs = [("twin", tree.xihu, tree.xihu_park, "数字孪生驱动的柔性产线改造", "杭州西湖智能装备有限公司", "DCM000001"),
             ("formula", tree.xihu, tree.xihu_ent, "=1+1", "杭州公式注入测试有限公司", "DCM000002"),
             ("storage", tree.shangcheng, tree.shangcheng_park, "智能仓储机器人集群调度", "杭州上城物流科技有限公司",
              "DCM000003"),
             ("unscored", tree.shangcheng, tree.shangcheng_park, "老旧厂房绿色化改造", "杭州上城绿色建材有限公司",
              "DCM000004")]
    for key, county, recommender, title, name, serial in specs:
        enterprise = make_enterprise(campaign, county, name=name, serial=serial)
        case = make_case(enterprise, recommender, status="submitted", version=1, title=title)
        RoundEntry.plain.create(round=round, case=case, case_version=1)
        setattr(w, key, case)
    w.zhou = make_expert("doc-zhou", "周明远", "13900000011", employer="浙江大学", title="教授")
    w.wu = make_expert("doc-wu", "吴晓岚", "13900000012", employer="@SUM(A1)")
    w.zheng = make_expert("doc-zheng", "郑国华", "13900000013", employer="浙江工业大学")

    def assign(case, expert):
        return Assignment.plain.create(round=round, case=case, expert=expert)

    _submit(assign(w.storage, w.zhou), {"innovation": 27, "results": 27, "demonstration": 22, "typicality": 14},
            comment="调度算法有突破，建议推广。")
    _submit(assign(w.formula, w.zhou), {"innovation": 21, "results": 21, "demonstration": 17, "typicality": 11},
            comment="=HYPERLINK(\"http://example.invalid\")")
    _submit(assign(w.twin, w.zhou), {"innovation": 27, "results": 26, "demonstration": 22, "typicality": 13})
    _submit(assign(w.storage, w.wu), {"innovation": 24, "results": 24, "demonstration": 20, "typicality": 12})
    _submit(assign(w.formula, w.wu), {"innovation": 18, "results": 18, "demonstration": 15, "typicality": 9})
    w.wu_pending = assign(w.twin, w.wu)
    w.zheng_draft = assign(w.twin, w.zheng)
    sheet_save(assignment=w.zheng_draft, by=w.zheng.user, scores={"innovation": 29})
    w.zheng_declined = assign(w.formula, w.zheng)
    assignment_decline(assignment=w.zheng_declined, by=w.zheng.user, reason="曾为该企业提供咨询")
    return w


# --- the expert's score sheet (PDF) ----------------------------------------------------------------------------

def test_submitted_sheets_print_scores_and_unsubmitted_ones_print_blank(hangzhou_review):
    w = hangzhou_review
    zhou = expert_sheet_lines(w.round, w.zhou)
    assert [(line.case.title, line.scores, line.total, line.submitted) for line in zhou] == [
        ("数字孪生驱动的柔性产线改造", ("27", "26", "22", "13"), "88", True),
        ("=1+1", ("21", "21", "17", "11"), "70", True),
        ("智能仓储机器人集群调度", ("27", "27", "22", "14"), "90", True),
    ]
    wu = {line.case.title: line for line in expert_sheet_lines(w.round, w.wu)}
    assert wu["数字孪生驱动的柔性产线改造"].scores == ("", "", "", "")
    assert wu["数字孪生驱动的柔性产线改造"].total == "" and not wu["数字孪生驱动的柔性产线改造"].submitted


def test_a_draft_prints_blank_and_a_declined_case_is_left_off(hangzhou_review):
    """The declaration covers the cases scored: a case the expert declined (回避) is not on their sheet."""
    w = hangzhou_review
    lines = expert_sheet_lines(w.round, w.zheng)
    assert [line.case.title for line in lines] == ["数字孪生驱动的柔性产线改造"]
    assert lines[0].scores == ("", "", "", "") and lines[0].total == "" and not lines[0].submitted


def test_expert_sheet_pdf_is_one_a4_page_with_chinese_text_from_an_embedded_cjk_font(hangzhou_review):
    w = hangzhou_review
    pdf = expert_sheet_pdf(w.round, w.zhou)
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == 1
    text = squeeze(pdf_text(pdf))
    for expected in ("杭州市市级遴选专家评分表", "周明远", "浙江大学", "智能仓储机器人集群调度", "杭州上城物流科技有限公司",
                     "典型性与材料质量", "调度算法有突破，建议推广。", DECLARATION, squeeze(SIGNATURE), "第1页，共1页"):
        assert expected in text, expected
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts), fonts
    assert any("Noto-Sans-CJK-SC" in name for name, _embedded in fonts), fonts


def test_expert_sheet_pdf_page_is_a4_landscape(hangzhou_review):
    w = hangzhou_review
    poppler()
    info = subprocess.run(["pdfinfo", "-"], input=expert_sheet_pdf(w.round, w.wu), capture_output=True,
                          check=True).stdout.decode()
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (842, 595)  # 297 × 210 mm


def test_a_long_sheet_runs_over_pages_with_the_header_repeated_and_the_signature_once_at_the_end(hangzhou_review,
                                                                                                   tree, campaign):
    w = hangzhou_review
    for n in range(30):
        enterprise = make_enterprise(campaign, tree.xihu, name=f"杭州西湖第{n}号科技有限公司", serial=f"LNG{n:06d}")
        case = make_case(enterprise, tree.xihu_park, status="submitted", version=1, title=f"长名单案例第{n}号")
        RoundEntry.plain.create(round=w.round, case=case, case_version=1)
        Assignment.plain.create(round=w.round, case=case, expert=w.wu)
    pdf = expert_sheet_pdf(w.round, w.wu)
    pages = pdf_pages(pdf)
    assert pages >= 3  # 32 rows, 30 of them blank at 13 mm for handwriting
    text = pdf_text(pdf).split("\f")
    for number, page in enumerate(text[:pages], start=1):
        page = squeeze(page)
        assert f"第{number}页，共{pages}页" in page
        assert "案例名称" in page and "企业名称" in page  # the table header on every page
    assert squeeze(SIGNATURE) in squeeze(text[pages - 1])
    assert sum(squeeze(page).count(squeeze(SIGNATURE)) for page in text) == 1
    assert "长名单案例第29号" in squeeze(pdf_text(pdf))


def test_a_long_comment_is_cut_in_the_table_and_printed_whole_after_it(hangzhou_review):
    """A 2,000-character comment in a table cell would stretch one row over pages: the table shows its start."""
    w = hangzhou_review
    comment = "".join(f"第{n}点意见：做法扎实，数据翔实。" for n in range(1, 41))  # about 600 characters
    _submit(w.wu_pending, {"innovation": 20, "results": 20, "demonstration": 20, "typicality": 10}, comment=comment)
    line = next(line for line in expert_sheet_lines(w.round, w.wu) if line.case == w.twin)
    assert line.comment == comment[:COMMENT_IN_TABLE] + "……（全文见评语附录）" and line.full_comment == comment
    pdf = expert_sheet_pdf(w.round, w.wu)
    text = squeeze(pdf_text(pdf))
    assert "三、评语附录" in text and text.count(comment) == 1  # whole once, in the appendix


def test_html_in_a_title_is_printed_as_text_and_fetches_nothing(hangzhou_review):
    w = hangzhou_review
    w.storage.title = '<img src="file:///etc/passwd">'
    w.storage.save(update_fields=["title"])
    text = squeeze(pdf_text(expert_sheet_pdf(w.round, w.zhou)))
    assert '<imgsrc="file:///etc/passwd">' in text


def test_an_expert_with_no_cases_gets_a_sheet_saying_so(hangzhou_review, tree):
    w = hangzhou_review
    idle = make_expert("doc-idle", "钱学良", "13900000019")
    text = squeeze(pdf_text(expert_sheet_pdf(w.round, idle)))
    assert "本轮未给该专家分配案例。" in text and squeeze(SIGNATURE) in text


def test_a_weighted_rubric_prints_weights_and_the_weighted_total(hangzhou_review, tree):
    """A rubric whose weights differ from its maxima: each score is out of its maximum, the total out of 100."""
    w = hangzhou_review
    ScoreSheet.plain.filter(assignment__round=w.round, state=ScoreSheet.State.SUBMITTED).update(
        state=ScoreSheet.State.DRAFT)  # the rubric may change only before any sheet is submitted
    review_configure(round=w.round, by=tree.hangzhou_admin, data={"rubric": [
        {"key": "innovation", "name": "创新性", "weight": 60, "maximum": 10},
        {"key": "results", "name": "实施成效", "weight": 40, "maximum": 10}]})
    assignment = Assignment.plain.get(round=w.round, case=w.twin, expert=w.wu)
    _submit(assignment, {"innovation": 7.5, "results": 9})
    (line,) = [line for line in expert_sheet_lines(w.round, w.wu) if line.submitted]
    assert line.scores == ("7.5", "9") and line.total == "81"  # 7.5/10×60 + 9/10×40 = 45 + 36
    text = squeeze(pdf_text(expert_sheet_pdf(w.round, w.wu)))
    assert "权重" in text and "总分＝各评分项得分÷满分×权重之和，满分100分。" in text


# --- the round's score table (Excel) ---------------------------------------------------------------------------

def _book(round):
    return load_workbook(io.BytesIO(round_scores_xlsx(round)))


def _rows(ws):
    return [list(row) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_score_table_has_ranking_sheets_and_settings(hangzhou_review):
    assert _book(hangzhou_review.round).sheetnames == ["评分排名", "评分明细", "评审设置"]


def test_ranking_sheet_lists_cases_in_ranking_order_then_the_unscored_ones(hangzhou_review):
    w = hangzhou_review
    ws = _book(w.round)["评分排名"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in header}
    rows = _rows(ws)
    expected = [(r.rank, r.case_id, r.score, r.n) for r in ranking_of(w.round).rows]
    assert [(r[col["名次"]], r[col["案例编号"]], r[col["得分"]], r[col["已提交评分数"]]) for r in rows[:3]] == expected
    assert [(r[col["名次"]], r[col["案例标题"]], r[col["得分"]], r[col["已提交评分数"]]) for r in rows] == [
        (1, "数字孪生驱动的柔性产线改造", 88.0, 1),
        (2, "智能仓储机器人集群调度", 85.0, 2),
        (3, "'=1+1", 65.0, 2),
        (None, "老旧厂房绿色化改造", None, 0),
    ]
    first = rows[0]
    # 吴's pending assignment and 郑's draft count as assigned; 郑's declined one does not.
    assert first[col["分配专家数"]] == 3
    assert rows[1][col["各专家总分"]] == "吴晓岚 80；周明远 90"
    assert rows[1][col["分差"]] == 10.0 and rows[1][col["分歧提示"]] is None
    assert rows[1][col["企业名称"]] == "杭州上城物流科技有限公司" and rows[1][col["所在区县"]] == "上城区"


def test_a_wide_disagreement_is_flagged(hangzhou_review, tree):
    w = hangzhou_review
    review_configure(round=w.round, by=tree.hangzhou_admin, data={"disagreement": 5})
    ws = _book(w.round)["评分排名"]
    header = [c.value for c in ws[1]]
    flags = {r[header.index("案例标题")]: r[header.index("分歧提示")] for r in _rows(ws)}
    assert flags["智能仓储机器人集群调度"] == "分歧" and flags["数字孪生驱动的柔性产线改造"] is None


def test_every_user_text_is_written_as_text_never_as_a_formula(hangzhou_review):
    """A title "=1+1", a comment "=HYPERLINK(…)" and an employer "@SUM(A1)" stay text in the reader's Excel."""
    book = _book(hangzhou_review.round)
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {"'=1+1", "'@SUM(A1)", "'=HYPERLINK(\"http://example.invalid\")"} <= texts


def test_sheets_tab_holds_every_submitted_sheet_with_its_criteria(hangzhou_review):
    w = hangzhou_review
    ws = _book(w.round)["评分明细"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["名次", "案例编号", "案例标题", "专家", "工作单位", "创新性（30）", "实施成效（30）",
                           "示范推广价值（25）", "典型性与材料质量（15）", "总分"]
    rows = _rows(ws)
    submitted = ScoreSheet.plain.filter(assignment__round=w.round, state=ScoreSheet.State.SUBMITTED)
    assert len(rows) == submitted.count() == 5
    assert [(r[0], r[3]) for r in rows] == [(1, "周明远"), (2, "吴晓岚"), (2, "周明远"), (3, "吴晓岚"), (3, "周明远")]
    storage_zhou = rows[2]
    assert storage_zhou[5:10] == [27, 27, 22, 14, 90.0]
    assert storage_zhou[header.index("总体意见")] == "调度算法有突破，建议推广。"
    assert storage_zhou[header.index("计入得分")] == "是"


def test_trimmed_sheets_are_marked_and_the_settings_say_how_scores_were_combined(hangzhou_review, tree, campaign):
    """With 5 sheets the highest and the lowest are dropped (trimmed mean); the settings tab says so."""
    w = hangzhou_review
    extra = [make_expert(f"doc-x{n}", f"评审专家{n}", f"1390000002{n}") for n in range(3)]
    for expert, scores in zip(extra, ({"innovation": 30, "results": 30, "demonstration": 25, "typicality": 10},
                                      {"innovation": 0, "results": 0, "demonstration": 0, "typicality": 0},
                                      {"innovation": 25, "results": 25, "demonstration": 15, "typicality": 10})):
        _submit(Assignment.plain.create(round=w.round, case=w.storage, expert=expert), scores)
    # 智能仓储: 周 90, 吴 80, 评审专家0 95, 评审专家1 0, 评审专家2 75 → drop 95 and 0 → (90 + 80 + 75) / 3
    book = _book(w.round)
    ws = book["评分明细"]
    header = [c.value for c in ws[1]]
    used = {r[header.index("专家")]: r[header.index("计入得分")] for r in _rows(ws)
            if r[header.index("案例标题")] == "智能仓储机器人集群调度"}
    assert used == {"周明远": "是", "吴晓岚": "是", "评审专家0": "否", "评审专家1": "否", "评审专家2": "是"}
    ranking = book["评分排名"]
    header = [c.value for c in ranking[1]]
    row = next(r for r in _rows(ranking) if r[header.index("案例标题")] == "智能仓储机器人集群调度")
    assert row[header.index("得分")] == pytest.approx(81.6667)
    assert "评审专家1 0（去掉）" in row[header.index("各专家总分")]
    settings = {r[0]: r[1] for r in _rows(book["评审设置"]) if r[0]}
    assert settings["去掉最高分和最低分"].startswith("是：5个及以上评分时")
    assert settings["分歧提示分差"].startswith("专家总分最高与最低之差超过20分")
    assert settings["每个案例的评审专家数"] == 5
    assert {"创新性", "实施成效", "示范推广价值", "典型性与材料质量"} <= set(settings)


def test_score_table_filename_names_the_round(hangzhou_review):
    assert scores_xlsx_filename(hangzhou_review.round).startswith("杭州市市级遴选评分表-")
