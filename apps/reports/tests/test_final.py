"""Final reports and the acceptance evaluation (issue 19, item 3; R-403): the performance score on the indicator
tree, computed by hand for a crafted state, with its grade; the three reports drafted from the data, completed with
the entered scores and their evidence, sent, and opened as Word documents; the centre's acceptance recorded once,
locked and audited."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.audit.models import AuditEntry
from apps.campaigns.indicators import Indicator, Status
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.finance.figures import Execution, LineFigures
from apps.finance.tests.conftest import ledger_world, spend  # noqa: F401 (fixture)
from apps.finance.tests.world import pdf
from apps.reports import performance
from apps.reports.approvals import FINAL_KIND, final_thread
from apps.reports.final_services import acceptance_record, final_draft, final_save, final_submit
from apps.reports.models import AcceptanceEvaluation, FinalReport

pytestmark = pytest.mark.django_db
Kind = FinalReport.Kind


def indicator(rule, status, value=None, target=None):
    return Indicator(rule=rule, title=rule, target=target, value=value, target_text="", value_text=str(value),
                     status=status, deadline=None)


def test_r403_the_performance_score_by_hand(campaign_world):
    indicators = [
        indicator("R-103", Status.MET, 100, 100),  # quantity, 6.67 of 6.67
        indicator("R-106", Status.AT_RISK, 50, 100),  # quantity, half of 6.67 = 3.34
        indicator("R-202", Status.FAILED, 0, 1),  # quantity, 0 of 6.66
        indicator("R-101", Status.MET, 7, 7),  # quality, 10
        indicator("R-109", Status.MET, 64, 100),  # quality, 10
        indicator("R-102", Status.MET, 1, 1),  # timeliness, 5
        indicator("R-107", Status.AT_RISK, 3, 4),  # timeliness: only when met, 0 of 5
    ]
    spent = LineFigures("30202", Decimal("200000.00"), Decimal("160000.00"))  # 80 % of the programme's 200,000
    execution = Execution(Decimal("200000.00"), None, [spent], [])
    assert execution.rate == Decimal("80.0")
    tree = performance.score(campaign_world.zhejiang_programme, indicators, execution, {
        "social": {"score": "12", "evidence": "媒体报道23篇"}, "sustained": {"score": "10.5", "evidence": "长效机制"},
        "satisfaction": {"score": "9", "evidence": "问卷满意率93%"}})
    scores = {(r.part, r.rule or r.item): r.score for r in tree.rows}
    assert scores[("预算执行率", "R-401")] == Decimal("8.00")
    assert [scores[("数量指标", r)] for r in ("R-103", "R-106", "R-202")] == [Decimal("6.67"), Decimal("3.34"), 0]
    assert [r.weight for r in tree.rows if r.part == "数量指标"] == [Decimal("6.67"), Decimal("6.67"), Decimal("6.66")]
    assert tree.part_total("质量指标") == Decimal("20.00") and tree.part_total("时效指标") == Decimal("5.00")
    assert sum(r.weight for r in tree.rows) == 100  # the tree's weights: 10 + 50 + 30 + 10
    # 8 + (6.67 + 3.34 + 0) + 20 + 5 + 12 + 10.5 + 9 = 74.51 → 74.5
    assert (tree.total, tree.grade) == (Decimal("74.5"), "中")


@pytest.mark.parametrize(("total", "grade"), [("100", "优"), ("90", "优"), ("89.9", "良"), ("80", "良"),
                                              ("79.9", "中"), ("60", "中"), ("59.9", "差"), ("0", "差")])
def test_r403_grades(total, grade):
    assert performance.grade_of(Decimal(total)) == grade


def test_r403_the_final_reports_are_drafted_completed_sent_and_open_in_word(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, amount="20000")  # 10 % of 200,000: the budget part scores 1.0
        reports = {kind: final_draft(programme=w.zhejiang_programme, kind=kind, by=w.clerk) for kind in Kind.values}
        perf = reports[Kind.PERFORMANCE]
        assert perf.data["ledger"]["spent"] == "20000.00" and perf.data["performance"][0]["score"] == "1.00"
        with pytest.raises(NotFound):
            final_draft(programme=w.zhejiang_programme, kind="execution", by=w.sichuan_admin)
        with pytest.raises(ValidationError) as refused:
            final_save(report=perf, by=w.clerk, sections={"goals": "完成征集"},
                       entered={"social": {"score": "16", "evidence": ""}, "sustained": {"score": "8", "evidence": ""}})
        assert set(refused.value.message_dict) == {"social_score", "sustained_evidence"}
        with pytest.raises(ValidationError) as incomplete:
            final_submit(report=perf, by=w.clerk)
        assert {"goals", "analysis", "improvement", "social_score"} <= set(incomplete.value.message_dict)
        final_save(report=perf, by=w.clerk, sections={"goals": "完成征集、遴选和宣讲。", "analysis": "各项指标基本完成。",
                                                      "improvement": "加快经费执行。"},
                   entered={"social": {"score": "13", "evidence": "媒体报道和专栏阅读量"},
                            "sustained": {"score": "12", "evidence": "形成案例库"},
                            "satisfaction": {"score": "9.5", "evidence": "问卷满意率95%"}}, files=[pdf("问卷.pdf")])
        sent = final_submit(report=perf, by=w.clerk)
        assert sent.state == FinalReport.State.SUBMITTED
        approval_approve(request=latest_of(FINAL_KIND, final_thread(sent)), by=w.center_admin)
    client = Client()
    client.force_login(w.center_admin)
    response = client.get(reverse("reports:final_docx", args=[perf.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "浙江省项目绩效报告" in text and "各项指标基本完成。" in text and "一、绩效目标" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "社会效益" in cells and "等级：" in "".join(cells) and "13" in cells
    execution = client.get(reverse("reports:final_docx", args=[reports[Kind.EXECUTION].pk]))
    tables = Document(io.BytesIO(execution.content)).tables
    assert any("30202 印刷费" in c.text for t in tables for row in t.rows for c in row.cells)


def test_r403_the_acceptance_is_recorded_once_locked_and_audited(ledger_world):
    w = ledger_world
    programme = w.zhejiang_programme
    with scopes_disabled():
        report = final_draft(programme=programme, kind=Kind.PERFORMANCE, by=w.clerk)
        final_save(report=report, by=w.clerk, sections={}, entered={
            "social": {"score": "10", "evidence": "报道"}, "sustained": {"score": "10", "evidence": "案例库"},
            "satisfaction": {"score": "8", "evidence": "问卷"}})
        for outsider in (w.zhejiang_admin, w.clerk, w.sichuan_admin):
            with pytest.raises(NotFound):
                acceptance_record(programme=programme, by=outsider, result="passed", comments="好", reviewers="张三")
        with pytest.raises(ValidationError) as refused:
            acceptance_record(programme=programme, by=w.center_admin, result="conditional", comments="",
                              reviewers="")
        assert set(refused.value.message_dict) == {"comments", "conditions", "reviewers"}
        evaluation = acceptance_record(programme=programme, by=w.center_admin, result="conditional",
                                       comments="任务基本完成，经费执行偏慢。", conditions="12月底前完成经费结算。",
                                       reviewers="张三、李四，王五")
        assert evaluation.reviewers == ["张三", "李四", "王五"] and evaluation.grade
        assert evaluation.score is not None and evaluation.score >= Decimal("28")
        with pytest.raises(ValidationError, match="不能修改"):
            acceptance_record(programme=programme, by=w.center_admin, result="passed", comments="改",
                              reviewers="张三")
        assert AcceptanceEvaluation.plain.get().result == "conditional"
        assert AuditEntry.plain.filter(action="acceptance.record").count() == 1
    page = Client()
    page.force_login(w.zhejiang_admin)
    html = page.get(reverse("reports:acceptance", args=[programme.pk])).content.decode()
    assert "有条件通过验收" in html and "12月底前完成经费结算。" in html and "记录并锁定" not in html


def test_a_refused_final_report_keeps_what_was_typed(ledger_world):
    w = ledger_world
    with scopes_disabled():
        report = final_draft(programme=w.zhejiang_programme, kind=Kind.PERFORMANCE, by=w.clerk)
    client = Client()
    client.force_login(w.clerk)
    page = client.post(reverse("reports:final_detail", args=[report.pk]),
                       {"goals": "完成全年目标", "social_score": "99", "social_evidence": "报道"})
    html = page.content.decode()
    assert page.status_code == 400 and "完成全年目标" in html and 'value="99"' in html and "得分应在0至15" in html
    with scopes_disabled():
        assert FinalReport.plain.get(pk=report.pk).sections == {}
