"""Money and reports in a real browser, on a desktop and on a 375-px phone. 浙江省's clerk enters an
expense of the printing line with a PDF voucher (an amount over the line's budget is refused at its field, what was
typed kept) and sends the month's progress report with its figures drawn again (R-401, R-403). The centre's dashboard
follows: 浙江省's spending moves by exactly the amount, the heat map's R-401 cell reads the new spending and its R-403
cell counts one more report sent once the centre recalculates, the funnel (which an expense and a report do not feed) stays as it was, and each figure equals
浙江省's own project dashboard; the month's grid shows the report waiting for the centre."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, go, login, nav, open_page
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

AMOUNT = Decimal("1280.50")  # within 30202 印刷费's 20,000 yuan


@pytest.fixture
def world(transactional_db):
    """The 2026 campaign; 浙江省 with its budget in force (30202 印刷费: 20,000 of 200,000 yuan), a clerk who keeps
    its books, one case submitted by a park association, and the draft of its report for the last month over
    (world.month) in its period; world.spent_on, a day of that month."""
    from django.utils import timezone

    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.finance import services
    from apps.finance.tests.world import LINES, approve_budget
    from apps.orgs.models import Membership
    from apps.reports.monthly import month_start, previous_month
    from apps.reports.monthly_services import monthly_draft
    from apps.rounds.tests.conftest import submit
    from tests.factories import admin_of, build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        programme = t.zhejiang_programme
        t.clerk = admin_of(t.zhejiang, "clerk-330000", role=Membership.Role.STAFF)
        approve_budget(t, services.budget_submit(programme=programme, by=t.clerk, amounts=LINES))
        submit(t, title="数字孪生驱动的柔性产线改造")
        t.month = min(previous_month(timezone.localdate()), month_start(programme.period_end))
        t.spent_on = max(t.month.replace(day=10), programme.period_start)
        assert programme.period_start <= t.spent_on <= programme.period_end, "the calendar is before the period"
        t.report = monthly_draft(programme=programme, month=t.month, by=t.clerk)
    return t


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def viewport(request):
    return request.param


@pytest.fixture
def province(browser, request, viewport):
    yield from open_page(browser, request, viewport, "province")


@pytest.fixture
def centre(browser, request, viewport):
    yield from open_page(browser, request, viewport, "centre")


def field(page, label: str):
    """A form field by its label, which ends in " *" where the field is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def yuan(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", ""))


def fits(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def spending_row(page, name: str):
    return page.locator("#spending tbody tr", has=page.get_by_role("link", name=name, exact=True))


def heat_cell(page, name: str, rule: str):
    """The heat map's cell of a project (its row's header links to the project's dashboard) and a rule."""
    rules = page.locator("#heat thead th").all_inner_texts()
    row = page.locator("#heat tbody tr", has=page.get_by_role("link", name=name, exact=True))
    return row.locator("td").nth(rules.index(rule) - 1)  # the row's first cell is its header


def heat_text(cell) -> str:
    """What the cell says (its status) and, in its title, the rule's value."""
    inner = cell.locator("a, span").first
    return f"{inner.inner_text()}｜{inner.get_attribute('title')}"


def reports_sent(cell) -> tuple[int, int]:
    """R-403's cell: (reports sent, reports owed so far)."""
    found = re.search(r"已报送(\d+)份，应报送(\d+)份", heat_text(cell))
    assert found, heat_text(cell)
    return int(found.group(1)), int(found.group(2))


def funnel(page) -> dict[str, int]:
    rows = page.locator("#funnel tbody tr")
    return {r.locator("td").nth(0).inner_text().strip(): int(r.locator("td").nth(1).inner_text())
            for r in rows.all()}


def cases_recommended(page) -> int:
    """R-106's value on a project's dashboard: "N件", then its notes."""
    return int(re.match(r"(\d+)件", page.locator('#rules tr[data-rule="R-106"] td').nth(2).inner_text()).group(1))


def month_row(page):
    return page.locator('section[aria-labelledby="grid-h"] tbody tr', has_text="浙江省")


def waiting(page) -> int:
    return int(re.search(r"(\d+)个项目尚未报送", page.locator('section[aria-labelledby="grid-h"] .card')
                         .inner_text()).group(1))


def test_an_expense_and_a_monthly_report_reach_the_centre_s_dashboard(province, centre, live_server, world,
                                                                    tmp_path):
    from apps.cases.tests.attachment_world import PDF_BYTES

    # Before: the centre's dashboard and the month's grid.
    login(centre, live_server, "center-admin", PASSWORD)
    nav(centre, "全国看板")
    before = spending_row(centre, "浙江省").locator("td")
    expect(before.nth(1)).to_have_text("200,000.00")
    spent_before = yuan(before.nth(2).inner_text())
    assert spent_before == Decimal("0.00")
    expect(before.nth(3)).to_have_text("0.0%")
    r401 = heat_cell(centre, "浙江省", "R-401")
    expect(r401).to_have_class("s-met")
    assert heat_text(r401) == "已达成｜项目预算和专账管理：预算已批复（第1版），已支出0.00元，执行率0.0%"
    funnel_before = funnel(centre)
    assert funnel_before["推荐案例"] == 1  # the one case of 浙江省; 四川省 has none
    sent_before, owed = reports_sent(heat_cell(centre, "浙江省", "R-403"))
    assert sent_before == 0 and owed >= 1  # the month's report is due and not yet sent
    centre.goto(f"{live_server.url}/reports/monthly/?month={world.month:%Y-%m}")
    expect(month_row(centre).locator(".badge")).to_have_text("草稿")
    waiting_before = waiting(centre)

    # The clerk's first try is over 30202 印刷费's budget: refused at the amount, everything typed kept.
    voucher = tmp_path / "印刷费发票.pdf"
    voucher.write_bytes(PDF_BYTES)
    login(province, live_server, "clerk-330000", PASSWORD)
    nav(province, "经费")
    go(province, province.get_by_role("link", name="记一笔支出"))
    field(province, "支出日期").fill(world.spent_on.isoformat())
    field(province, "支出科目").select_option(label="30202 印刷费")
    field(province, "金额（元）").fill("25000.00")
    field(province, "收款方").fill("杭州印务有限公司")
    field(province, "用途").fill("案例征集通知和宣传册印制")
    field(province, "支出凭证").set_input_files(voucher)
    go(province, province.get_by_role("button", name="记账"))
    expect(province.locator("#field-amount .error")).to_contain_text(
        "超出30202 印刷费预算：预算20,000.00元，已支出0.00元，余额20,000.00元")
    expect(province.locator("#error-summary")).to_contain_text("超出30202 印刷费预算")
    expect(field(province, "支出日期")).to_have_value(world.spent_on.isoformat())
    expect(field(province, "支出科目")).to_have_value("30202")
    expect(field(province, "金额（元）")).to_have_value("25000.00")
    expect(field(province, "收款方")).to_have_value("杭州印务有限公司")
    expect(field(province, "用途")).to_have_value("案例征集通知和宣传册印制")
    fits(province)
    assert_accessible(province)

    # Within the budget, with the voucher attached again (a browser never keeps a chosen file): the entry's page.
    field(province, "金额（元）").fill(f"{AMOUNT}")
    field(province, "支出凭证").set_input_files(voucher)
    go(province, province.get_by_role("button", name="记账"))
    expect(province.get_by_text("已记账，凭证号1")).to_be_visible()
    expect(province.get_by_role("heading", name="凭证号1")).to_be_visible()
    entry = province.locator("dl.kv")
    expect(entry).to_contain_text(f"{world.spent_on.year}年{world.spent_on.month}月{world.spent_on.day}日")
    expect(entry).to_contain_text("30202 印刷费")
    expect(entry).to_contain_text("1,280.50")
    expect(entry).to_contain_text("杭州印务有限公司")
    link = province.get_by_role("link", name="印刷费发票.pdf")
    served = province.request.get(live_server.url + link.get_attribute("href"))
    assert served.ok and served.headers["content-type"] == "application/pdf" and served.body() == PDF_BYTES
    fits(province)

    # The month's report: drawn again from the data, it shows the entry; the account typed, it goes to the centre.
    nav(province, "月度报告")
    go(province, province.get_by_role("link", name=f"{world.month.year}年{world.month.month}月"))
    expect(province.locator("h1 .badge")).to_have_text("草稿")
    expect(province.get_by_text("本月支出0.00元，累计支出0.00元")).to_be_visible()
    go(province, province.get_by_role("button", name="按最新数据更新报告数据"))
    expect(province.get_by_text("本月支出1,280.50元，累计支出1,280.50元，占项目经费200,000.00元的0.6%")).to_be_visible()
    field(province, "本月工作进展").fill("完成案例征集通知和宣传册印制，组织园区科协推荐案例。")
    field(province, "存在的问题和建议").fill("部分园区推荐进度偏慢。")
    field(province, "下月工作计划").fill("督促各市报送推荐名单。")
    go(province, province.get_by_role("button", name="报送中心"))
    expect(province.get_by_text("已报送中心", exact=True)).to_be_visible()
    expect(province.locator("h1 .badge")).to_have_text("待中心审阅")
    expect(province.get_by_role("button", name="报送中心")).to_have_count(0)
    expect(province.locator("dl.kv")).to_contain_text("完成案例征集通知和宣传册印制，组织园区科协推荐案例。")
    fits(province)
    assert_accessible(province)

    # The month's grid: 浙江省's report waits for the centre, one project fewer to send.
    centre.reload()
    expect(month_row(centre).locator(".badge")).to_have_text("待中心审阅")
    assert waiting(centre) == waiting_before - 1

    # The dashboard: spending reads the ledger at once and moved by exactly the amount.
    nav(centre, "全国看板")
    after = spending_row(centre, "浙江省").locator("td")
    assert yuan(after.nth(2).inner_text()) - spent_before == AMOUNT
    expect(after.nth(3)).to_have_text("0.6%")
    expect(centre.locator("p.card", has_text="全部项目经费")).to_contain_text("已支出1,280.50元")
    # The heat map reads the projects' rows of the week (recalculated after 10 minutes): the centre recalculates.
    go(centre, centre.get_by_role("button", name="按最新数据重新计算"))
    expect(centre.get_by_text("已按各项目最新数据重新计算")).to_be_visible()
    r401 = heat_cell(centre, "浙江省", "R-401")
    expect(r401).to_have_class("s-met")
    assert heat_text(r401) == "已达成｜项目预算和专账管理：预算已批复（第1版），已支出1,280.50元，执行率0.6%"
    assert funnel(centre) == funnel_before  # an expense and a report are no stage of the selection
    assert reports_sent(heat_cell(centre, "浙江省", "R-403")) == (sent_before + 1, owed)  # the report counts as sent
    # Heat map, funnel, trend and spending drawn: dashboard.js marks a chart only once the vendored ECharts ran.
    expect(centre.locator(".chart[data-drawn]")).to_have_count(4)
    fits(centre)
    assert_accessible(centre)

    # 浙江省's own dashboard says the same: R-401's status and value, its spending, and the funnel's first stage
    # (浙江省's R-106 plus 四川省's).
    r401_there = heat_text(r401)
    go(centre, centre.locator("#heat").get_by_role("link", name="浙江省", exact=True))
    expect(centre.get_by_role("heading", name="项目看板")).to_be_visible()
    own = centre.locator('#rules tr[data-rule="R-401"] td')
    assert r401_there == f"{own.nth(3).inner_text().strip()}｜项目预算和专账管理：{own.nth(2).inner_text().strip()}"
    expect(centre.get_by_text("项目经费200,000.00元，已支出1,280.50元，执行率0.6%。")).to_be_visible()
    zhejiang_cases = cases_recommended(centre)
    assert zhejiang_cases == 1
    centre.goto(f"{live_server.url}/reports/dashboard/{world.sichuan_programme.pk}/")
    sichuan_cases = cases_recommended(centre)
    assert funnel_before["推荐案例"] == zhejiang_cases + sichuan_cases
