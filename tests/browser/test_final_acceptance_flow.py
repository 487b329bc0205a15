"""Final reports and the acceptance evaluation in a real browser, on a desktop and on a 375-px phone (issue 19,
R-403). 浙江省's clerk drafts the performance report from the data, types a score beyond its weight (refused at its
field, everything typed kept), corrects it and sends the report; the centre's admin records the acceptance, is
refused while a conditional pass names no conditions (what was typed kept), then records it, and the evaluation
reads as locked, with the performance score of that moment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, go, login, nav, open_page
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    """The 2026 campaign; 浙江省 with its budget in force and a clerk who writes its reports."""
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.finance import services
    from apps.finance.tests.world import LINES, approve_budget
    from apps.orgs.models import Membership
    from tests.factories import admin_of, build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        t.clerk = admin_of(t.zhejiang, "clerk-330000", role=Membership.Role.STAFF)
        approve_budget(t, services.budget_submit(programme=t.zhejiang_programme, by=t.clerk, amounts=LINES))
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
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_performance_report_is_sent_and_the_acceptance_recorded_and_locked(province, centre, live_server,
                                                                              world):
    from apps.core.scoping import scopes_disabled
    from apps.reports.models import AcceptanceEvaluation, FinalReport

    login(province, live_server, "clerk-330000", PASSWORD)
    nav(province, "总结与验收")
    row = province.locator("tr", has_text="项目绩效报告")
    go(province, row.get_by_role("button", name="生成草稿"))
    expect(province.locator("h1")).to_contain_text("浙江省项目绩效报告")
    texts = {"绩效目标": "完成案例征集、遴选和宣讲。", "绩效指标完成情况分析": "产出指标基本完成。",
             "存在的问题和改进措施": "加快经费执行。", "社会效益得分依据": "省级媒体报道23篇",
             "可持续影响得分依据": "建成案例库", "服务对象满意度得分依据": "问卷满意率94%"}
    for label, text in texts.items():
        field(province, label).fill(text)
    field(province, "社会效益得分（满分15）").fill("16")
    field(province, "可持续影响得分（满分15）").fill("12")
    field(province, "服务对象满意度得分（满分10）").fill("9")
    go(province, province.get_by_role("button", name="报送中心"))
    expect(province.locator("#field-social_score .error")).to_contain_text("得分应在0至15之间")
    expect(field(province, "社会效益得分（满分15）")).to_have_value("16")
    for label, text in texts.items():
        expect(field(province, label)).to_have_value(text)
    with scopes_disabled():
        assert FinalReport.plain.get().state == "draft" and FinalReport.plain.get().sections == {}
    assert_accessible(province)
    field(province, "社会效益得分（满分15）").fill("13")
    go(province, province.get_by_role("button", name="报送中心"))
    expect(province.locator("h1 .badge")).to_have_text("待中心审阅")
    fits(province)

    login(centre, live_server, "center-admin", PASSWORD)
    nav(centre, "总结与验收")
    go(centre, centre.locator("tr", has_text="浙江省").get_by_role("link", name="记录验收评价"))
    expect(centre.locator("table")).to_contain_text("等级：")
    field(centre, "验收结论").select_option(label="有条件通过验收")
    field(centre, "验收意见").fill("任务基本完成，经费执行偏慢。")
    field(centre, "验收专家组成员").fill("王建国、李红")
    go(centre, centre.get_by_role("button", name="记录并锁定"))
    expect(centre.locator("#field-conditions .error")).to_contain_text("请写明整改要求和期限")
    expect(field(centre, "验收意见")).to_have_value("任务基本完成，经费执行偏慢。")
    expect(field(centre, "验收专家组成员")).to_have_value("王建国、李红")
    with scopes_disabled():
        assert not AcceptanceEvaluation.plain.exists()
    field(centre, "整改要求").fill("12月底前完成经费结算。")
    go(centre, centre.get_by_role("button", name="记录并锁定"))
    expect(centre.locator("dl.kv")).to_contain_text("有条件通过验收")
    expect(centre.locator("dl.kv")).to_contain_text("已锁定，不能修改")
    expect(centre.get_by_role("button", name="记录并锁定")).to_have_count(0)
    with scopes_disabled():
        evaluation = AcceptanceEvaluation.plain.get()
    assert evaluation.reviewers == ["王建国", "李红"] and evaluation.score is not None
    expect(centre.locator("dl.kv")).to_contain_text(f"{evaluation.score}分（{evaluation.grade}）")
    assert_accessible(centre)
    fits(centre)
