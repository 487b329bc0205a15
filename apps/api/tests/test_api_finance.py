"""The ledgers API (apps/api/finance_api.py; R-401, R-402) on 浙江省's ledger as the matrix world builds it
(apps/finance/tests/world.py: a budget of 200,000 yuan in force, a printing bill and a watched 委托业务费 entry): the
figures are the page's (apps/finance/figures.py), entries go through the same services and refusals as the page's
form, and one province never reads another's ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (a fixture)
from apps.core.scoping import scopes_disabled
from apps.finance import figures
from apps.finance.models import Budget, Expense, Voucher
from apps.finance.tests.world import LINES, build, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_world(campaign_world):  # noqa: F811
    with scopes_disabled():
        build(campaign_world)
    return campaign_world


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def ledger_url(w, tail: str = "") -> str:
    return f"/api/v1/ledgers/{w.zhejiang_programme.pk}/{tail}"


def in_period(w, days: int = 30) -> str:
    return (w.zhejiang_programme.period_start + dt.timedelta(days=days)).isoformat()


def counts() -> tuple[int, int, int]:
    with scopes_disabled():
        return Expense.plain.count(), Voucher.plain.count(), Budget.plain.count()


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def test_r401_the_ledger_s_figures_are_the_page_s(ledger_world):
    w = ledger_world
    with scopes_disabled():
        run = figures.execution(w.zhejiang_programme)
    body = client_for(w.zhejiang_admin).get(ledger_url(w)).json()
    assert body["programme"]["id"] == w.zhejiang_programme.pk
    assert body["budget"]["number"] == 1 and body["pending_budget"] is None
    assert {line["code"]: line["planned"] for line in body["budget"]["lines"]} == {
        code: money(Decimal(amount)) for code, amount in LINES.items()}
    assert body["lines"] == [{"code": line.code, "label": line.label, "planned": money(line.planned),
                              "spent": money(line.spent), "balance": money(line.balance), "rate": rate(line.rate)}
                             for line in run.lines]
    assert body["totals"] == {"programme_budget": "200000.00", "planned": money(run.planned),
                              "spent": money(run.spent), "balance": money(run.balance), "rate": rate(run.rate)}
    assert body["totals"]["spent"] == "28260.50"
    assert body["months"] == [{"month": month, "lines": {code: money(v) for code, v in lines.items()},
                               "total": money(total)} for month, lines, total in run.months]
    printing = next(line for line in body["lines"] if line["code"] == "30202")
    assert printing == {"code": "30202", "label": "印刷费", "planned": "20000.00", "spent": "3260.50",
                        "balance": "16739.50", "rate": "16.3"}


def test_r401_a_province_lists_its_own_ledger_and_the_centre_every_project(ledger_world):
    w = ledger_world
    own = client_for(w.zhejiang_admin).get("/api/v1/ledgers/").json()
    assert [row["programme"]["id"] for row in own] == [w.zhejiang_programme.pk]
    assert own[0]["budget_number"] == 1 and own[0]["totals"]["spent"] == "28260.50"
    centre = client_for(w.center_admin).get("/api/v1/ledgers/").json()
    assert {row["programme"]["id"] for row in centre} == {
        w.zhejiang_programme.pk, w.sichuan_programme.pk, w.brand_programme.pk}
    assert next(row for row in centre if row["programme"]["id"] == w.zhejiang_programme.pk) == own[0]
    sichuan = next(row for row in centre if row["programme"]["id"] == w.sichuan_programme.pk)
    assert sichuan["budget_number"] is None and sichuan["totals"]["spent"] == "0.00"
    assert client_for(w.hangzhou_admin).get("/api/v1/ledgers/").json() == []


def test_r401_an_expense_with_a_pdf_voucher_is_entered_and_its_voucher_links_to_the_page(ledger_world):
    w = ledger_world
    made = client_for(w.zhejiang_admin).post(ledger_url(w, "expenses/"), {
        "spent_on": in_period(w), "payee": "杭州印务有限公司", "line": "30202", "amount": "1280.50",
        "purpose": "宣讲手册印制", "vouchers": [pdf()]}, format="multipart")
    assert made.status_code == 201, made.json()
    expense = made.json()
    assert expense["amount"] == "1280.50" and expense["number"] == 3 and expense["at_risk"] is False
    voucher = expense["vouchers"][0]
    assert voucher["name"] == "发票.pdf" and voucher["content_type"] == "application/pdf"
    assert voucher["url"] == f"/finance/vouchers/{voucher['id']}/"
    listed = client_for(w.center_admin).get(ledger_url(w, "expenses/"), {"line": "30202"}).json()["results"]
    assert [row["id"] for row in listed] == [expense["id"], w.expense.pk]
    printing = next(line for line in client_for(w.zhejiang_admin).get(ledger_url(w)).json()["lines"]
                    if line["code"] == "30202")
    assert printing["spent"] == "4541.00" and printing["balance"] == "15459.00"


def test_r401_an_expense_over_its_line_is_refused_at_amount_and_writes_nothing(ledger_world):
    w = ledger_world
    before = counts()
    refused = client_for(w.zhejiang_admin).post(ledger_url(w, "expenses/"), {
        "spent_on": in_period(w), "payee": "杭州印务有限公司", "line": "30202", "amount": "16739.51",
        "purpose": "宣讲手册印制", "vouchers": [pdf()]}, format="multipart")
    assert refused.status_code == 400
    assert "超出30202 印刷费预算" in refused.json()["amount"][0] and "余额16,739.50元" in refused.json()["amount"][0]
    assert counts() == before


def test_r402_the_watch_list_filter_shows_the_watched_entry(ledger_world):
    w = ledger_world
    api = client_for(w.center_admin)
    watched = api.get(ledger_url(w, "expenses/"), {"at_risk": "true"}).json()["results"]
    assert [row["id"] for row in watched] == [w.risky_expense.pk] and watched[0]["risk_open"] is True
    rest = api.get(ledger_url(w, "expenses/"), {"at_risk": "false"}).json()["results"]
    assert [row["id"] for row in rest] == [w.expense.pk]
    assert api.get(ledger_url(w, "expenses/"), {"line": "39999"}).status_code == 400


def test_r401_a_wrong_entry_is_reversed_by_a_counter_entry_once(ledger_world):
    w = ledger_world
    api = client_for(w.zhejiang_admin)
    blank = api.post(f"/api/v1/expenses/{w.expense.pk}/reverse/", {"reason": " "}, format="json")
    assert blank.status_code == 400 and blank.json()["reason"] == ["请写明冲销理由"]
    done = api.post(f"/api/v1/expenses/{w.expense.pk}/reverse/", {"reason": "金额录入错误"}, format="json")
    assert done.status_code == 201
    counter = done.json()
    assert counter["amount"] == "-3260.50" and counter["reverses"] == w.expense.pk and counter["reason"] == "金额录入错误"
    assert api.get(f"/api/v1/expenses/{w.expense.pk}/").json()["reversed_by"] == counter["id"]
    again = api.post(f"/api/v1/expenses/{w.expense.pk}/reverse/", {"reason": "重复"}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == ["该笔支出已冲销"]
    assert client_for(w.center_admin).post(f"/api/v1/expenses/{w.expense.pk}/reverse/", {"reason": "x"},
                                           format="json").status_code == 404
    printing = next(line for line in api.get(ledger_url(w)).json()["lines"] if line["code"] == "30202")
    assert printing["spent"] == "0.00"


def test_r402_the_centre_clears_a_watched_entry(ledger_world):
    w = ledger_world
    url = f"/api/v1/expenses/{w.risky_expense.pk}/clear/"
    note = "已核对委托合同和成果，受托方承担专项拍摄服务，不属于转包、分包"
    assert client_for(w.zhejiang_admin).post(url, {"note": note}, format="json").status_code == 404
    cleared = client_for(w.center_admin).post(url, {"note": note}, format="json")
    assert cleared.status_code == 200
    assert cleared.json()["risk_open"] is False and cleared.json()["cleared_note"] == note
    again = client_for(w.center_admin).post(url, {"note": note}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == ["该笔支出不在关注清单中"]


def test_r401_an_adjustment_is_submitted_and_approved_through_the_approvals(ledger_world):
    w = ledger_world
    api = client_for(w.zhejiang_admin)
    moved = {**LINES, "30202": "21000", "30299": "9000"}
    missing_reason = api.post(ledger_url(w, "budget/"), {"amounts": moved}, format="json")
    assert missing_reason.status_code == 400 and missing_reason.json()["reason"] == ["请写明预算调整的理由"]
    short = api.post(ledger_url(w, "budget/"), {"amounts": {**moved, "30202": "1"}, "reason": "印制量增加"},
                     format="json")
    assert short.status_code == 400 and "应等于项目经费200,000.00元" in short.json()["detail"][0]
    assert counts()[2] == 1
    made = api.post(ledger_url(w, "budget/"), {"amounts": moved, "reason": "宣讲手册印制量增加"}, format="json")
    assert made.status_code == 201, made.json()
    version = made.json()
    assert version["number"] == 2 and version["status"] == "pending" and version["total"] == "200000.00"
    assert version["approval"]["state"] == "pending"
    assert api.get(ledger_url(w)).json()["pending_budget"] == version["id"]
    waiting = api.post(ledger_url(w, "budget/"), {"amounts": LINES, "reason": "再调整"}, format="json")
    assert waiting.status_code == 400 and "在等待中心审核" in waiting.json()["detail"][0] and counts()[2] == 2
    assert client_for(w.center_admin).post(ledger_url(w, "budget/"), {"amounts": moved, "reason": "x"},
                                           format="json").status_code == 404
    approved = client_for(w.center_admin).post(f"/api/v1/approvals/{version['approval']['approval']}/approve/",
                                               {"comment": "同意"}, format="json")
    assert approved.status_code == 200
    versions = api.get("/api/v1/budgets/", {"programme": w.zhejiang_programme.pk}).json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "in_force"), (1, "retired")]
    assert api.get(ledger_url(w)).json()["budget"]["number"] == 2


def test_r401_one_province_never_reads_another_s_ledger(ledger_world):
    w = ledger_world
    sichuan = client_for(w.sichuan_admin)
    for url in (ledger_url(w), ledger_url(w, "expenses/"), f"/api/v1/expenses/{w.expense.pk}/",
                f"/api/v1/budgets/{w.budget.pk}/"):
        assert sichuan.get(url).status_code == 404, url
    assert sichuan.get("/api/v1/budgets/", {"programme": w.zhejiang_programme.pk}).status_code == 404
    assert sichuan.get("/api/v1/budgets/").json()["results"] == []
    assert [row["programme"]["id"] for row in sichuan.get("/api/v1/ledgers/").json()] == [w.sichuan_programme.pk]
    before = counts()
    posted = sichuan.post(ledger_url(w, "expenses/"), {
        "spent_on": in_period(w), "payee": "甲", "line": "30202", "amount": "10", "purpose": "印制",
        "vouchers": [pdf()]}, format="multipart")
    assert posted.status_code == 404 and counts() == before
    assert client_for(w.hangzhou_admin).get(ledger_url(w)).status_code == 404  # a city below does not read it


def test_the_entries_list_costs_the_same_however_many_entries(ledger_world):
    w = ledger_world
    api = client_for(w.zhejiang_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(ledger_url(w, "expenses/")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(3):
        api.post(ledger_url(w, "expenses/"), {"spent_on": in_period(w), "payee": "杭州印务有限公司", "line": "30202",
                                              "amount": "10", "purpose": "资料印制", "vouchers": [pdf()]},
                 format="multipart")
    assert counts()[0] == 5
    assert queries() == few
