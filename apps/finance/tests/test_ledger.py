"""The ledger (issue 19, item 1; R-401, R-402): a budget by line summing to the programme's budget, approved by the
centre; entries in Decimal yuan against the budget in force, never over a line unless an approved adjustment
covers it; the rulebook's per-person-day rules; reversals instead of deletion; the subcontracting watch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.audit.models import AuditEntry
from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.models import Rulebook
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.finance import figures, services
from apps.finance.approvals import KIND, thread
from apps.finance.models import Budget, Expense, Voucher
from apps.finance.tests.conftest import day, spend
from apps.finance.tests.world import LINES, approve_budget, pdf

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def counts() -> tuple[int, int, int]:
    with scopes_disabled():
        return Expense.plain.count(), Voucher.plain.count(), Budget.plain.count()


def test_r401_the_budget_sums_to_the_programme_s_money_and_waits_for_the_centre(campaign_world):
    w = campaign_world
    programme = w.zhejiang_programme
    with scopes_disabled():
        short = errors_of(lambda: services.budget_submit(programme=programme, by=w.zhejiang_admin,
                                                         amounts={**LINES, "30202": "19999.99"}))
        assert "相差0.01元" in short["__all__"][0] and Budget.plain.count() == 0
        bad = errors_of(lambda: services.budget_submit(programme=programme, by=w.zhejiang_admin,
                                                       amounts={**LINES, "30211": "2万", "30215": "1.005"}))
        assert set(bad) == {"line_30211", "line_30215"}
        for outsider in (w.sichuan_admin, w.hangzhou_admin, w.center_admin):
            with pytest.raises(NotFound):
                services.budget_submit(programme=programme, by=outsider, amounts=LINES)
        budget = services.budget_submit(programme=programme, by=w.zhejiang_admin, amounts=LINES)
        assert budget.status == Budget.Status.PENDING and figures.in_force(programme.pk) is None
        assert sum(line.amount for line in budget.lines.all()) == Decimal("200000.00")
        with pytest.raises(ValidationError, match="项目预算经中心批复后才能记账"):
            services.expense_add(programme=programme, by=w.zhejiang_admin, spent_on=day(w), payee="甲", line="30202",
                                 amount="10", purpose="印制", vouchers=[pdf()])
        with pytest.raises(NotFound):  # the province does not approve its own budget
            approval_approve(request=latest_of(KIND, thread(programme.pk)), by=w.zhejiang_admin)
        approve_budget(w, budget)
        assert budget.status == Budget.Status.IN_FORCE
        assert indicator_for(programme, "R-401").status == Status.MET


def test_r401_an_entry_is_decimal_fen_and_every_problem_shows_at_its_field(ledger_world):
    w = ledger_world
    with scopes_disabled():
        refused = errors_of(lambda: services.expense_add(
            programme=w.zhejiang_programme, by=w.clerk, spent_on="2026-13-01", payee="", line="39999",
            amount="12.345", purpose="", person_days="-1", vouchers=[]))
        assert set(refused) == {"spent_on", "payee", "line", "amount", "purpose", "person_days", "vouchers"}
        late = errors_of(lambda: spend(w, spent_on=w.zhejiang_programme.period_end.replace(day=1).replace(
            month=12)))
        assert "实施期内" in late["spent_on"][0]
        fake = SimpleUploadedFile("发票.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
        assert "vouchers" in errors_of(lambda: spend(w, vouchers=[fake]))
        assert counts()[:2] == (0, 0)
        first = spend(w, amount="0.10")
        second = spend(w, amount="0.20")
        assert str(figures.spent_by_line(w.zhejiang_programme.pk)["30202"]) == "0.30"  # to the fen, on any database
        assert (first.number, second.number) == (1, 2)
        assert Voucher.plain.filter(expense=first).get().sha256
        assert AuditEntry.plain.filter(action="expense.add").count() == 2


def test_r401_a_line_cannot_be_overspent_until_an_approved_adjustment_covers_it(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, amount="19000")
        over = errors_of(lambda: spend(w, amount="1000.01"))
        assert "余额1,000.00元" in over["amount"][0] and Expense.plain.count() == 1
        spend(w, amount="1000.00")  # to the fen
        # An adjustment moves 5,000 from 其他 to 印刷费; until the centre approves it, the old limit holds.
        adjustment = services.budget_submit(programme=w.zhejiang_programme, by=w.clerk,
                                            amounts={**LINES, "30202": "25000", "30299": "5000"}, reason="加印海报")
        assert adjustment.number == 2 and adjustment.is_adjustment
        with pytest.raises(ValidationError, match="超出30202 印刷费预算"):
            spend(w, amount="10")
        reasonless = errors_of(lambda: services.budget_submit(programme=w.zhejiang_programme, by=w.clerk,
                                                              amounts=LINES))
        assert "reason" in reasonless
        with pytest.raises(ValidationError, match="已有一版预算在等待中心审核"):  # one version waits at a time
            services.budget_submit(programme=w.zhejiang_programme, by=w.clerk, amounts=LINES, reason="再调整")
        approve_budget(w, adjustment)
        old = Budget.plain.get(pk=w.budget.pk)
        assert (old.status, adjustment.status) == (Budget.Status.RETIRED, Budget.Status.IN_FORCE)
        spend(w, amount="5000")
        execution = figures.execution(w.zhejiang_programme)
        printing = next(line for line in execution.lines if line.code == "30202")
        assert (printing.planned, printing.spent, printing.balance, printing.rate) == (
            Decimal("25000.00"), Decimal("25000.00"), Decimal("0.00"), Decimal("100.0"))
        assert execution.rate == Decimal("12.5")  # 25,000 of 200,000
        # An adjustment may not cut a line below what it spent.
        below = errors_of(lambda: services.budget_submit(programme=w.zhejiang_programme, by=w.clerk,
                                                         amounts={**LINES, "30299": "15000", "30202": "15000"},
                                                         reason="压减印刷费"))
        assert "已支出25,000.00元" in below["line_30202"][0]


def test_rules_as_data_expert_fees_and_meetings_per_person_day(ledger_world):
    w = ledger_world
    with scopes_disabled():
        assert "person_days" in errors_of(lambda: spend(w, line="30203", amount="6000", payee="张教授",
                                                         purpose="评审咨询费"))
        low = errors_of(lambda: spend(w, line="30203", amount="800", person_days="1", payee="张教授", purpose="评审"))
        assert "900至2400元" in low["amount"][0]
        high = errors_of(lambda: spend(w, line="30203", amount="5000", person_days="2", payee="张教授", purpose="评审"))
        assert "每人每天2,500.00元" in high["amount"][0]
        spend(w, line="30203", amount="4800", person_days="2", payee="张教授", purpose="省级评审咨询费")
        meeting = errors_of(lambda: spend(w, line="30215", amount="30000", person_days="50", payee="杭州某酒店",
                                          purpose="省级宣讲会"))
        assert "超过550元的综合定额" in meeting["amount"][0]
        spend(w, line="30215", amount="27500", person_days="50", payee="杭州某酒店", purpose="省级宣讲会")
        # The province's rulebook sets the numbers (within the centre's bounds): a stricter cap refuses.
        book = Rulebook.plain.get(programme=w.zhejiang_programme)
        book.values = {**book.values, "meeting_cost_day_max": 400}
        book.save()
        assert "超过400元" in errors_of(lambda: spend(w, line="30215", amount="4500", person_days="10",
                                                      payee="杭州某酒店", purpose="座谈会"))["amount"][0]


def test_entries_are_reversed_never_deleted(ledger_world):
    w = ledger_world
    with scopes_disabled():
        wrong = spend(w, amount="1200")
        assert "reason" in errors_of(lambda: services.expense_reverse(expense=wrong, by=w.clerk, reason=" "))
        with pytest.raises(NotFound):
            services.expense_reverse(expense=wrong, by=w.center_admin, reason="记错")
        counter = services.expense_reverse(expense=wrong, by=w.clerk, reason="重复记账")
        assert (counter.amount, counter.line, counter.reverses_id) == (Decimal("-1200.00"), "30202", wrong.pk)
        assert figures.spent_by_line(w.zhejiang_programme.pk)["30202"] == Decimal("0.00")
        with pytest.raises(ValidationError, match="已冲销"):
            services.expense_reverse(expense=wrong, by=w.clerk, reason="再冲一次")
        with pytest.raises(ValidationError, match="不能再冲销"):
            services.expense_reverse(expense=counter, by=w.clerk, reason="冲销冲销")
        assert Expense.plain.count() == 2 and Expense.plain.filter(pk=wrong.pk).exists()
        assert AuditEntry.plain.filter(action="expense.reverse").count() == 1


def test_r402_a_large_commission_to_one_party_needs_a_justification_and_goes_on_the_watch_list(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, line="30227", amount="15000", payee="杭州某传媒有限公司", purpose="视频拍摄（一）")
        needs = errors_of(lambda: spend(w, line="30227", amount="6000", payee="杭州某传媒有限公司",
                                        purpose="视频拍摄（二）"))
        assert "累计将达21,000.00元" in needs["justification"][0] and Expense.plain.count() == 1
        other = spend(w, line="30227", amount="6000", payee="宁波某传媒有限公司", purpose="海报设计")
        assert not other.at_risk  # another party, under the threshold
        risky = spend(w, line="30227", amount="6000", payee="杭州某传媒有限公司", purpose="视频拍摄（二）",
                      justification="拍摄技术服务，策划、脚本和组织由本单位承担。")
        assert risky.at_risk and risky.risk_open
        r402 = indicator_for(w.zhejiang_programme, "R-402")
        assert r402.value == 1 and r402.status != Status.MET and "1笔委托业务费待中心核实" in r402.notes
        with pytest.raises(NotFound):
            services.risk_clear(expense=risky, by=w.zhejiang_admin, note="自查无问题")
        assert "note" in errors_of(lambda: services.risk_clear(expense=risky, by=w.center_admin, note=""))
        services.risk_clear(expense=risky, by=w.center_admin, note="已核对合同，属专项技术服务")
        assert indicator_for(w.zhejiang_programme, "R-402").value == 0


def test_r401_a_budget_cannot_be_approved_below_what_was_spent_meanwhile(ledger_world):
    w = ledger_world
    with scopes_disabled():
        cut = services.budget_submit(programme=w.zhejiang_programme, by=w.clerk,
                                     amounts={**LINES, "30202": "10000", "30299": "20000"}, reason="压减印刷费")
        spend(w, amount="12000")  # entered against the budget in force while the cut waited
        with pytest.raises(ValidationError, match="30202 印刷费"):
            approval_approve(request=latest_of(KIND, thread(w.zhejiang_programme.pk)), by=w.center_admin)
        cut.refresh_from_db()
        assert cut.status == Budget.Status.PENDING and figures.in_force(w.zhejiang_programme.pk).pk == w.budget.pk
