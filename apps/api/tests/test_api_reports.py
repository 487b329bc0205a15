"""The reports API (apps/api/report_api.py; R-403) on the 2026 campaign with 浙江省's budget in force
(apps/finance/tests/conftest.py): monthly reports drafted, written and sent through the same services as the pages and
accepted by the centre through the approvals; final reports whose performance score is the page's
(apps/reports/final.py performance_of); the centre's acceptance evaluation, once; and the dashboards' data, which is
the dashboards' own. One province never reads another's reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.approvals.models import ApprovalRequest
from apps.audit.models import AuditEntry
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.finance.tests.conftest import ledger_world  # noqa: F401 (fixture)
from apps.finance.tests.world import pdf
from apps.reports import dashboard, final
from apps.reports.final_services import final_draft, final_save
from apps.reports.models import AcceptanceEvaluation, FinalReport, MonthlyReport
from apps.reports.monthly_services import monthly_draft

pytestmark = pytest.mark.django_db

MONTHLY = "/api/v1/monthly-reports/"
FINAL = "/api/v1/final-reports/"
ACCEPTANCE = "/api/v1/acceptance-evaluations/"


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def month(w, number: int) -> dt.date:
    return dt.date(w.zhejiang_programme.campaign.year, number, 1)


def writes(action_prefix: str) -> int:
    with scopes_disabled():
        return AuditEntry.plain.filter(action__startswith=action_prefix).count()


# -- monthly reports -------------------------------------------------------------------------------------------------

def test_r403_a_province_lists_its_own_monthly_reports_and_the_centre_every_project_s(ledger_world):
    w = ledger_world
    with scopes_disabled():
        zhejiang = monthly_draft(programme=w.zhejiang_programme, month=month(w, 7))
        sichuan = monthly_draft(programme=w.sichuan_programme, month=month(w, 7))
        august = monthly_draft(programme=w.zhejiang_programme, month=month(w, 8))
    july = {"month": month(w, 7).strftime("%Y-%m")}
    own = client_for(w.zhejiang_admin).get(MONTHLY).json()["results"]
    assert [row["id"] for row in own] == [august.pk, zhejiang.pk]
    assert own[1]["month"] == july["month"] and own[1]["org_code"] == w.zhejiang.code and "data" not in own[1]
    centre = client_for(w.center_admin).get(MONTHLY, july).json()["results"]
    assert {row["id"] for row in centre} == {zhejiang.pk, sichuan.pk}
    assert client_for(w.center_admin).get(MONTHLY, {"state": "submitted"}).json()["results"] == []
    assert client_for(w.hangzhou_admin).get(MONTHLY).json()["results"] == []
    assert client_for(w.sichuan_admin).get(f"{MONTHLY}{zhejiang.pk}/").status_code == 404
    assert client_for(w.hangzhou_admin).get(f"{MONTHLY}{zhejiang.pk}/").status_code == 404
    detail = client_for(w.center_admin).get(f"{MONTHLY}{zhejiang.pk}/").json()
    with scopes_disabled():
        assert detail["data"] == MonthlyReport.plain.get(pk=zhejiang.pk).data
    assert detail["url"] == reverse("reports:monthly_detail", args=[zhejiang.pk])


def test_r403_a_monthly_report_drafted_written_and_sent_through_the_api_is_accepted_by_the_centre(ledger_world):
    w = ledger_world
    api = client_for(w.clerk)
    august = month(w, 8).strftime("%Y-%m")
    made = api.post(f"{MONTHLY}draft/", {"month": august}, format="json")
    assert made.status_code == 201, made.json()
    report = made.json()
    assert (report["month"], report["state"], report["approval"]) == (august, "draft", None)
    assert report["data"]["spending"]["in_force"] == 1
    again = api.post(f"{MONTHLY}draft/", {"month": august}, format="json")
    assert again.status_code == 200 and again.json()["id"] == report["id"]
    url = f"{MONTHLY}{report['id']}/"
    saved = api.post(f"{url}save/", {"progress": "完成市级遴选。", "plans": "举办省级宣讲。"}, format="json")
    assert saved.status_code == 200
    kept = api.post(f"{url}save/", {"problems": "经费执行偏慢。"}, format="json").json()
    assert (kept["progress"], kept["problems"], kept["plans"]) == ("完成市级遴选。", "经费执行偏慢。", "举办省级宣讲。")
    sent = api.post(f"{url}submit/")
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    approval = sent.json()["approval"]
    assert approval["state"] == "pending"
    decided = client_for(w.center_admin).post(f"/api/v1/approvals/{approval['approval']}/approve/",
                                              {"comment": "已阅"}, format="json")
    assert decided.status_code == 200, decided.json()
    accepted = api.get(url).json()
    assert accepted["state"] == "accepted" and accepted["approval"]["state"] == "approved"


def test_r403_a_refused_monthly_save_or_submit_answers_400_at_its_field_and_writes_nothing(ledger_world):
    w = ledger_world
    with scopes_disabled():
        report = monthly_draft(programme=w.zhejiang_programme, month=month(w, 9))
    api = client_for(w.clerk)
    url = f"{MONTHLY}{report.pk}/"
    too_long = api.post(f"{url}save/", {"progress": "进" * 5001, "plans": "举办省级宣讲。"}, format="json")
    assert too_long.status_code == 400 and set(too_long.json()) == {"progress"}
    empty = api.post(f"{url}submit/")
    assert empty.status_code == 400 and empty.json()["progress"] == ["请填写本月工作进展"]
    with scopes_disabled():
        fresh = MonthlyReport.plain.get(pk=report.pk)
        assert (fresh.progress, fresh.plans, fresh.state) == ("", "", "draft")
        assert not ApprovalRequest.plain.filter(kind=MonthlyReport.APPROVAL_KIND).exists()
    assert writes("monthly_report.s") == 0  # no save, no submit
    assert client_for(w.center_admin).post(f"{url}save/", {"progress": "代写"}, format="json").status_code == 404
    api.post(f"{url}save/", {"progress": "九月举办两场宣讲。"}, format="json")
    api.post(f"{url}submit/")
    late = api.post(f"{url}save/", {"progress": "改"}, format="json")
    assert late.status_code == 400 and late.json()["detail"] == ["报告已报送中心，不能再修改"]
    with scopes_disabled():
        assert MonthlyReport.plain.get(pk=report.pk).progress == "九月举办两场宣讲。"


def test_r403_a_month_not_over_or_outside_the_period_is_not_drafted(ledger_world):
    w = ledger_world
    api = client_for(w.zhejiang_admin)
    assert api.post(f"{MONTHLY}draft/", {"month": "2019-07"}, format="json").status_code == 400
    assert api.post(f"{MONTHLY}draft/", {"month": "2026-7"}, format="json").status_code == 400
    assert client_for(w.hangzhou_admin).post(f"{MONTHLY}draft/", {"month": "2026-07"},
                                             format="json").status_code == 404
    with scopes_disabled():
        assert not MonthlyReport.plain.exists()


# -- final reports ---------------------------------------------------------------------------------------------------

ENTERED = {"social": {"score": "13", "evidence": "媒体报道和专栏阅读量"}, "sustained": {"score": "12", "evidence": "形成案例库"},
           "satisfaction": {"score": "9.5", "evidence": "问卷满意率95%"}}
SECTIONS = {"goals": "完成征集、遴选和宣讲。", "analysis": "各项指标基本完成。", "improvement": "加快经费执行。"}


def test_r403_a_performance_report_s_total_and_grade_are_final_performance_of(ledger_world):
    w = ledger_world
    api = client_for(w.clerk)
    made = api.post(f"{FINAL}draft/", {"kind": "performance"}, format="json")
    assert made.status_code == 201
    url = f"{FINAL}{made.json()['id']}/"
    saved = api.post(f"{url}save/", {"sections": SECTIONS, "entered": ENTERED}, format="json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    with scopes_disabled():
        tree = final.performance_of(FinalReport.plain.get(pk=made.json()["id"]))
    assert (body["performance"]["total"], body["performance"]["grade"]) == (f"{tree.total:.1f}", tree.grade)
    assert [(row["item"], row["weight"], row["score"]) for row in body["performance"]["rows"]] == [
        (row.item, f"{row.weight:.2f}", f"{row.score:.2f}") for row in tree.rows]
    assert {row["key"]: row["score"] for row in body["entered"]} == {"social": "13.0", "sustained": "12.0",
                                                                      "satisfaction": "9.5"}
    assert [(s["key"], s["text"]) for s in body["sections"]] == list(SECTIONS.items())
    assert body["docx_url"] == reverse("reports:final_docx", args=[made.json()["id"]])
    # What a save leaves out keeps what was saved.
    partial = api.post(f"{url}save/", {"entered": {"satisfaction": {"score": "8"}}}, format="json").json()
    satisfaction = next(row for row in partial["entered"] if row["key"] == "satisfaction")
    assert (satisfaction["score"], satisfaction["evidence"]) == ("8.0", "问卷满意率95%")
    assert partial["sections"][0]["text"] == SECTIONS["goals"]
    with scopes_disabled():
        lower = final.performance_of(FinalReport.plain.get(pk=made.json()["id"]))
    assert partial["performance"]["total"] == f"{lower.total:.1f}" and lower.total == tree.total - Decimal("1.5")
    sent = api.post(f"{url}submit/")
    assert sent.status_code == 200 and sent.json()["state"] == "submitted" and sent.json()["approval"]


def test_r403_a_refused_final_save_or_submit_answers_400_at_its_field_and_writes_nothing(ledger_world):
    w = ledger_world
    with scopes_disabled():
        report = final_draft(programme=w.zhejiang_programme, kind="performance", by=w.clerk)
    api = client_for(w.clerk)
    url = f"{FINAL}{report.pk}/"
    refused = api.post(f"{url}save/", {"sections": {"goals": "完成全年目标"},
                                       "entered": {"social": {"score": "16", "evidence": "报道"},
                                                   "sustained": {"score": "8"}}}, format="json")
    assert refused.status_code == 400
    assert {"social_score", "sustained_evidence"} <= set(refused.json())
    assert "得分应在0至15" in refused.json()["social_score"][0]
    missing = api.post(f"{url}submit/")
    assert missing.status_code == 400
    assert {"goals", "analysis", "improvement", "social_score"} <= set(missing.json())
    with scopes_disabled():
        fresh = FinalReport.plain.get(pk=report.pk)
        assert (fresh.sections, fresh.entered, fresh.state) == ({}, {}, "draft")
    assert writes("final_report.s") == 0
    assert client_for(w.center_admin).post(f"{url}submit/").status_code == 404


def test_r403_final_reports_are_read_by_their_project_and_the_centre_with_their_evidence_links(ledger_world):
    w = ledger_world
    with scopes_disabled():
        report = final_draft(programme=w.zhejiang_programme, kind="performance", by=w.clerk)
        final_save(report=report, by=w.clerk, sections={}, entered={}, files=[pdf("问卷.pdf")])
        other = final_draft(programme=w.sichuan_programme, kind="summary", by=w.sichuan_admin)
    own = client_for(w.zhejiang_admin).get(FINAL).json()["results"]
    assert [row["id"] for row in own] == [report.pk]
    centre = client_for(w.center_admin).get(FINAL, {"kind": "summary"}).json()["results"]
    assert [row["id"] for row in centre] == [other.pk]
    evidence = client_for(w.center_admin).get(f"{FINAL}{report.pk}/").json()["evidence_files"]
    assert [(e["name"], e["content_type"]) for e in evidence] == [("问卷.pdf", "application/pdf")]
    assert evidence[0]["url"] == reverse("reports:final_evidence", args=[evidence[0]["id"]])
    summary = client_for(w.center_admin).get(f"{FINAL}{other.pk}/").json()
    assert summary["performance"] is None and summary["entered"] == []
    assert [s["key"] for s in summary["sections"]] == ["approach", "results", "lessons", "next"]
    for outsider in (w.sichuan_admin, w.hangzhou_admin):
        assert client_for(outsider).get(f"{FINAL}{report.pk}/").status_code == 404


# -- acceptance evaluations ------------------------------------------------------------------------------------------

def test_r403_the_acceptance_is_recorded_once_by_the_centre_and_read_by_its_project(ledger_world):
    w = ledger_world
    body = {"programme": w.zhejiang_programme.pk, "result": "conditional", "comments": "任务基本完成，经费执行偏慢。",
            "conditions": "12月底前完成经费结算。", "reviewers": ["张三", "李四", "王五"]}
    for outsider in (w.zhejiang_admin, w.clerk, w.sichuan_admin, w.hangzhou_admin):
        assert client_for(outsider).post(ACCEPTANCE, body, format="json").status_code == 404
    centre = client_for(w.center_admin)
    incomplete = centre.post(ACCEPTANCE, {**body, "comments": "", "conditions": "", "reviewers": []}, format="json")
    assert incomplete.status_code == 400
    assert {"comments", "conditions", "reviewers"} <= set(incomplete.json())
    recorded = centre.post(ACCEPTANCE, body, format="json")
    assert recorded.status_code == 201, recorded.json()
    evaluation = recorded.json()
    assert (evaluation["result"], evaluation["reviewers"], evaluation["score"]) == (
        "conditional", ["张三", "李四", "王五"], None)
    again = centre.post(ACCEPTANCE, {**body, "result": "passed"}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == ["该项目已有验收评价，验收评价记录后不能修改"]
    with scopes_disabled():
        assert AcceptanceEvaluation.plain.get().result == "conditional"
    own = client_for(w.zhejiang_admin)
    assert [row["id"] for row in own.get(ACCEPTANCE).json()["results"]] == [evaluation["id"]]
    assert own.get(f"{ACCEPTANCE}{evaluation['id']}/").json()["conditions"] == "12月底前完成经费结算。"
    assert client_for(w.sichuan_admin).get(ACCEPTANCE).json()["results"] == []
    assert client_for(w.sichuan_admin).get(f"{ACCEPTANCE}{evaluation['id']}/").status_code == 404


# -- dashboards ------------------------------------------------------------------------------------------------------

def test_the_dashboard_cells_of_zhejiang_are_its_project_view_s_indicators(ledger_world):
    w = ledger_world
    with scopes_disabled():
        view = dashboard.project_view(w.zhejiang_programme)
    statuses = {i.rule: i.status for i in view.indicators}
    national = client_for(w.center_admin).get("/api/v1/dashboard/")
    assert national.status_code == 200
    data = national.json()
    rules = [rule["rule"] for rule in data["rules"]]
    row = next(r for r in data["rows"] if r["programme"] == w.zhejiang_programme.pk)
    assert {rule: cell["status"] for rule, cell in zip(rules, row["cells"]) if cell is not None} == statuses
    assert (row["met"], row["of"]) == (view.counts["met"], len(view.indicators))
    assert row["spent"] == f"{view.execution.spent:.2f}" and row["budget"] == f"{w.zhejiang_programme.budget:.2f}"
    assert [stage["key"] for stage in data["funnel"]] == ["submitted", "screened", "city_lists", "province_list",
                                                          "presenters", "stories"]
    project = client_for(w.zhejiang_admin).get(f"/api/v1/dashboard/{w.zhejiang_programme.pk}/").json()
    assert {i["rule"]: i["status"] for i in project["indicators"]} == statuses
    assert project["counts"] == view.counts
    assert [line["code"] for line in project["lines"]] == [line.code for line in view.execution.lines]
    assert project["totals"]["spent"] == f"{view.execution.spent:.2f}"


def test_a_province_reads_its_own_project_s_dashboard_not_the_national_one_nor_another_s(ledger_world):
    w = ledger_world
    assert client_for(w.zhejiang_admin).get("/api/v1/dashboard/").status_code == 404
    assert client_for(w.sichuan_admin).get(f"/api/v1/dashboard/{w.zhejiang_programme.pk}/").status_code == 404
    assert client_for(w.hangzhou_admin).get(f"/api/v1/dashboard/{w.zhejiang_programme.pk}/").status_code == 404
    assert client_for(w.center_admin).get(f"/api/v1/dashboard/{w.zhejiang_programme.pk}/").status_code == 200
