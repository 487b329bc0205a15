"""Matrix-world builder of the ledger: 浙江省's budget in force (approved by the centre), world.expense (a printing
bill with a PDF voucher, world.voucher) and world.risky_expense (委托业务费 above the threshold, on the centre's
watch list), all entered by 浙江省's admin through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

LINES = {"30202": "20000", "30203": "30000", "30211": "20000", "30215": "40000", "30226": "20000",
         "30227": "60000", "30299": "10000"}  # 200,000 yuan


def pdf(name: str = "发票.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.cases.tests.attachment_world import PDF_BYTES

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def approve_budget(world, budget) -> None:
    from apps.approvals.selectors import latest_of
    from apps.approvals.services import approval_approve
    from apps.finance.approvals import KIND, thread

    approval_approve(request=latest_of(KIND, thread(budget.programme_id)), by=world.center_admin)
    budget.refresh_from_db()


def build(world) -> None:
    from apps.finance.models import Voucher
    from apps.finance.services import budget_submit, expense_add

    programme = world.zhejiang_programme
    assert programme.budget == Decimal("200000.00")
    world.budget = budget_submit(programme=programme, by=world.zhejiang_admin, amounts=LINES)
    approve_budget(world, world.budget)
    day = programme.period_start + dt.timedelta(days=20)
    world.expense = expense_add(programme=programme, by=world.zhejiang_admin, spent_on=day, payee="杭州印务有限公司",
                                line="30202", amount="3260.50", purpose="征集通知和海报印制", vouchers=[pdf()])
    world.voucher = Voucher.plain.get(expense=world.expense)
    world.risky_expense = expense_add(
        programme=programme, by=world.zhejiang_admin, spent_on=day, payee="杭州某文化传媒有限公司", line="30227",
        amount="25000", purpose="宣讲活动视频拍摄", justification="委托拍摄宣讲活动视频，策划和组织由本单位负责。",
        vouchers=[pdf("合同.pdf")])
