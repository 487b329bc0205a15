"""Demo ledgers (R-401, R-402): every demo province's budget by line, approved by the centre (but one, still
waiting), and spending from July to October through the services, with a small PDF voucher each: printing, expert
fees by person-day, meetings, travel, labour and commissioned work. 浙江省 reverses a duplicated entry and has an
adjustment waiting; 四川省 pays one media company above the commissioning threshold (on the centre's watch list);
广东省's watched entry was checked by the centre. The brand project keeps its ledger the same way. The demo campaign
runs ahead of the calendar, so its entries are made "as of" the end of October. Runs after the other seeders;
idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign, Programme
from apps.finance import services
from apps.finance.approvals import KIND, thread
from apps.finance.models import Budget, Expense
from apps.orgs.demo import DEMO_PROVINCES, FULL_PROVINCES, demo_admin
from apps.orgs.models import Membership

VOUCHER = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
# Shares of a province's 200,000 yuan by line, and the brand project's 400,000.
PROVINCE_LINES = {"30202": "0.10", "30203": "0.15", "30211": "0.10", "30215": "0.20", "30216": "0.05",
                  "30226": "0.10", "30227": "0.25", "30299": "0.05"}
BRAND_LINES = {"30202": "0.15", "30203": "0.05", "30211": "0.05", "30215": "0.10", "30226": "0.05", "30227": "0.50",
               "30299": "0.10"}
WAITING = "370000"  # 山东省: its budget waits for the centre
WATCHED, CHECKED = "510000", "440000"  # 四川省: a commission on the watch list; 广东省: one the centre checked
# (line, payee, purpose, amount range in yuan, person-days for the per-day rules)
ENTRIES = (
    ("30202", "{city}印务有限公司", "征集通知、海报印制", (1500, 6000), None),
    ("30203", "评审专家（{n}人）", "案例评审专家咨询费", None, (2, 6)),
    ("30211", "{org}差旅报销", "赴各市调研和督导差旅费", (800, 5000), None),
    ("30215", "{city}会议中心", "宣讲活动会场和会务", None, (20, 60)),
    ("30226", "宣讲志愿者（{n}人）", "宣讲活动劳务费", (1000, 4000), None),
    ("30227", "{city}{k}号影像工作室", "宣讲活动照片和短视频拍摄", (3000, 8000), None),
    ("30299", "{city}快递服务有限公司", "案例材料寄送", (200, 900), None),
)


def _voucher(n: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"凭证{n}.pdf", VOUCHER, content_type="application/pdf")


def _amounts(programme: Programme, shares: dict[str, str]) -> dict[str, str]:
    lines = {code: (programme.budget * Decimal(share)).quantize(Decimal("0.01")) for code, share in shares.items()}
    first = next(iter(lines))
    lines[first] += programme.budget - sum(lines.values())
    return {code: format(amount, "f") for code, amount in lines.items()}


def _approve(programme: Programme, centre) -> None:
    approval_approve(request=latest_of(KIND, thread(programme.pk)), by=centre)


def _spend(programme: Programme, by, rng: random.Random, entries: int, today: dt.date) -> list[Expense]:
    made = []
    months = [dt.date(programme.period_start.year, m, 1) for m in (7, 8, 9, 10)]
    city = programme.org.name.removesuffix("省").removesuffix("市")
    for n in range(entries):
        line, payee, purpose, money, days = ENTRIES[n % len(ENTRIES)]
        month = months[min(n * len(months) // entries, len(months) - 1)]
        day = month + dt.timedelta(days=rng.randint(2, 26))
        person_days = None
        if days is not None:
            person_days = rng.randint(*days)
            per_day = rng.choice((1200, 1500, 1800)) if line == "30203" else rng.choice((380, 450, 520))
            amount = Decimal(person_days * per_day)
        else:
            amount = Decimal(rng.randint(*money)) + Decimal(rng.randint(0, 99)) / 100
        try:
            made.append(services.expense_add(
                programme=programme, by=by, spent_on=day, line=line, amount=format(amount, "f"),
                payee=payee.format(city=city, org=programme.org.name, n=person_days or rng.randint(3, 8), k=n),
                purpose=purpose, person_days=person_days, vouchers=[_voucher(n + 1)], today=today))
        except ValidationError:  # the line's money is spent: the demo skips the entry, as a clerk would
            continue
    return made


def seed_ledgers(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Budget.plain.filter(programme__campaign=campaign).exists():
        return []
    today = dt.date(campaign.year, 10, 31)
    for programme in (Programme.plain.filter(campaign=campaign).select_related("org", "campaign")
                      .order_by("-kind", "org__code")):
        brand = programme.kind == Programme.Kind.BRAND
        if not brand and programme.org.code not in DEMO_PROVINCES:
            continue
        admin = demo_admin(programme.org)
        centre = demo_admin(centre_of(programme.org))
        if admin is None or centre is None:
            continue
        rng = random.Random(programme.org.code)
        with transaction.atomic():
            submitter = admin
            if brand:  # the centre's brand team keeps the brand ledger; its admin approves
                staff = (Membership.plain.filter(org=programme.org, role=Membership.Role.STAFF, is_active=True)
                         .select_related("user").first())
                if staff is None:
                    continue
                submitter = staff.user
            services.budget_submit(programme=programme, by=submitter,
                                   amounts=_amounts(programme, BRAND_LINES if brand else PROVINCE_LINES))
            if programme.org.code == WAITING:
                continue
            _approve(programme, centre)
            full = brand or programme.org.code in FULL_PROVINCES
            made = _spend(programme, submitter, rng, 21 if full else 8, today)
            if programme.org.code == "330000" and made:
                services.expense_reverse(expense=made[0], by=submitter, reason="与第2号重复记账")
                services.budget_submit(programme=programme, by=submitter,
                                       amounts={**_amounts(programme, PROVINCE_LINES), "30202": "25000.00",
                                                "30299": "5000.00"},
                                       reason="宣讲活动增加场次，加印宣传册和海报，相应压减其他支出")
            if programme.org.code in (WATCHED, CHECKED):
                watched = services.expense_add(
                    programme=programme, by=submitter, spent_on=dt.date(campaign.year, 10, 20), line="30227",
                    amount="22000.00", payee=f"{programme.org.name.removesuffix('省')}文化传媒有限公司",
                    purpose="全省宣讲活动视频制作", vouchers=[_voucher(99)], today=today,
                    justification="委托制作宣讲活动视频（拍摄、剪辑），活动策划、组织和宣讲由本单位承担，不属于转包、分包。")
                if programme.org.code == CHECKED:
                    services.risk_clear(expense=watched, by=centre, note="已核对委托合同和成果清单，属专项技术服务")
    return []
