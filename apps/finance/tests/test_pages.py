"""The ledger's pages: a province keeps its books on them (a refused entry comes back with what was typed and the
reason at its field), the Excel statement holds the entries with a running balance and the execution by line, the
centre sees every project's spending and its watch list, and no province reads another's ledger."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.scoping import scopes_disabled
from apps.finance.models import Expense
from apps.finance.tests.conftest import day, spend
from apps.finance.tests.world import pdf

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_refused_entry_keeps_what_was_typed_and_says_why_at_the_field(ledger_world):
    w = ledger_world
    url = reverse("finance:expense_new", args=[w.zhejiang_programme.pk])
    page = client_of(w.clerk).post(url, {"spent_on": day(w).isoformat(), "line": "30202", "amount": "25000.00",
                                         "payee": "杭州印务有限公司", "purpose": "宣传册印制", "vouchers": [pdf()]})
    html = page.content.decode()
    assert page.status_code == 200 and "超出30202 印刷费预算" in html
    assert 'value="25000.00"' in html and 'value="杭州印务有限公司"' in html and 'value="宣传册印制"' in html
    with scopes_disabled():
        assert not Expense.plain.exists()
    done = client_of(w.clerk).post(url, {"spent_on": day(w).isoformat(), "line": "30202", "amount": "2,500.00",
                                         "payee": "杭州印务有限公司", "purpose": "宣传册印制", "vouchers": [pdf()]})
    with scopes_disabled():
        entry = Expense.plain.get()
    assert done.status_code == 302 and done["Location"] == reverse("finance:expense_detail", args=[entry.pk])
    assert entry.amount == Decimal("2500.00")
    detail = client_of(w.zhejiang_admin).get(done["Location"]).content.decode()
    assert "发票.pdf" in detail and "冲销这笔支出" in detail


def test_the_statement_holds_every_entry_with_its_running_balance(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, amount="1000.50", purpose="=HYPERLINK(\"http://x\")")
        wrong = spend(w, amount="200", spent_on=day(w, 12))
        from apps.finance.services import expense_reverse

        expense_reverse(expense=wrong, by=w.clerk, reason="记错")
    response = client_of(w.center_admin).get(reverse("finance:statement", args=[w.zhejiang_programme.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                    else response.content))
    ledger = book.worksheets[0]
    rows = [r for r in ledger.iter_rows(min_row=4, values_only=True)]
    assert rows[0][7] == 200000  # the budget in force opens the balance
    purposes = [r[2] for r in rows]
    assert "'=HYPERLINK(\"http://x\")" in purposes  # typed text never runs as a formula
    assert [r[5] for r in rows[1:4]] == [1000.5, 200, None] and rows[3][6] == 200  # entry, entry, reversal
    assert rows[-1][2] == "合计" and float(rows[-1][7]) == pytest.approx(200000 - 1000.50)
    lines = book.worksheets[1]
    printing = next(r for r in lines.iter_rows(min_row=4, values_only=True) if r[0] == "30202")
    assert float(printing[3]) == pytest.approx(1000.50)


def test_the_centre_sees_every_project_and_its_watch_list(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, amount="5000")
        spend(w, line="30227", amount="25000", payee="杭州某传媒有限公司", purpose="视频拍摄",
              justification="技术服务，策划组织由本单位负责。")
    html = client_of(w.center_admin).get(reverse("finance:home")).content.decode()
    assert "浙江省" in html and "四川省" in html and "视频拍摄" in html
    assert "30,000.00" in html  # 浙江省's spending: 5,000 + 25,000
    assert client_of(w.zhejiang_admin).get(reverse("finance:home"))["Location"] == reverse(
        "finance:ledger", args=[w.zhejiang_programme.pk])
    assert client_of(w.sichuan_admin).get(reverse("finance:ledger", args=[w.zhejiang_programme.pk])).status_code == 404


def test_the_budget_page_submits_an_adjustment_with_its_reason(ledger_world):
    w = ledger_world
    url = reverse("finance:budget", args=[w.zhejiang_programme.pk])
    page = client_of(w.clerk).get(url).content.decode()
    assert 'value="20000.00"' in page  # the form starts from the budget in force
    from apps.finance.tests.world import LINES

    data = {f"line_{c}": v for c, v in LINES.items()}
    refused = client_of(w.clerk).post(url, {**data, "line_30202": "25000", "line_30299": "5000"}).content.decode()
    assert "请写明预算调整的理由" in refused and 'value="25000"' in refused
    sent = client_of(w.clerk).post(url, {**data, "line_30202": "25000", "line_30299": "5000", "reason": "加印"})
    assert sent.status_code == 302
    assert "预算调整（第2版）" in client_of(w.clerk).get(url).content.decode()
