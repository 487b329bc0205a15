"""County screening (R-107) and the round list in a real browser: a check's badge says what it found, passing
an incomplete case asks first and names what is missing, the bulk panel shows the text box its action needs,
the deadline box shows its date, and a province finds a district's round by its name."""

import datetime as dt
import re

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    """西湖区's open screening round, deadline 2026-09-10, with two cases of its park association that have no
    files (each misses 4 required attachments); 上城区 and 杭州市 have rounds too."""
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round
    from apps.rounds.services import round_for
    from apps.rounds.tests.conftest import submit
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        t.entries = [submit(t, title="数字孪生柔性产线改造"), submit(t, title="绿色低碳工艺革新")]
        t.round = t.entries[0].round
        Round.plain.filter(pk=t.round.pk).update(deadline=dt.date(2026, 9, 10))
        submit(t, county=t.shangcheng, recommender=t.shangcheng_park, title="上城数字经济案例")
        round_for(programme=t.zhejiang_programme, org=t.hangzhou, kind=Round.Kind.CITY_SELECTION)
    return t


def decision_of(entry) -> str:
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import RoundEntry

    with scopes_disabled():
        return RoundEntry.plain.get(pk=entry.pk).decision


def open_round(page, live_server, world) -> None:
    login(page, live_server, "admin-330106", PASSWORD)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/")


def test_r107_a_missing_attachments_badge_says_how_many_are_missing(page, phone, live_server, world):
    for p in (page, phone):
        open_round(p, live_server, world)
        row = p.locator("tr", has_text="数字孪生柔性产线改造")
        badge = row.locator(".badge.bad").first
        assert badge.inner_text() == "缺4项必备附件" and badge.is_visible()
        assert row.get_by_text("必备附件齐全 · R-107").is_visible()  # the rule's name follows, small
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)


def test_r107_passing_an_incomplete_case_names_what_is_missing_and_passes_only_when_confirmed(
        page, live_server, world):
    entry = world.entries[0]
    open_round(page, live_server, world)
    go(page, page.get_by_role("link", name="数字孪生柔性产线改造"))
    go(page, page.get_by_role("button", name="通过", exact=True))
    panel = page.locator("#confirm-pass")
    assert panel.get_by_role("heading", name="确认通过该案例").is_visible()
    assert panel.get_by_text("缺4项必备附件").is_visible()
    assert panel.get_by_text("请上传盖章推荐表").is_visible()
    assert page.evaluate("document.activeElement.id") == "confirm-pass"  # the eye lands on the question
    assert decision_of(entry) == "pending"
    assert_accessible(page)
    go(page, panel.get_by_role("button", name="仍然通过"))
    assert decision_of(entry) == "passed"
    assert page.get_by_text("《数字孪生柔性产线改造》：通过").is_visible()


def test_r107_bulk_pass_of_incomplete_cases_confirms_first(page, live_server, world):
    open_round(page, live_server, world)
    for entry in world.entries:
        page.get_by_label(f"选择《{entry.case.title}》").check()
    go(page, page.get_by_role("button", name="执行"))
    assert page.get_by_role("heading", name="确认通过所选案例").is_visible()
    assert page.locator(".confirm-list > li").count() == 2
    assert [decision_of(e) for e in world.entries] == ["pending", "pending"]
    assert_accessible(page)
    go(page, page.get_by_role("button", name=re.compile("仍然通过")))
    assert page.get_by_text("已处理2件案例").is_visible()
    assert [decision_of(e) for e in world.entries] == ["passed", "passed"]


def test_the_bulk_reason_box_shows_for_not_passing_and_not_for_passing(page, live_server, world):
    open_round(page, live_server, world)
    action = page.get_by_label("批量操作")
    reason = page.get_by_label(re.compile("未通过原因"))
    comment = page.get_by_label(re.compile("^修改意见"))
    assert action.input_value() == "passed"
    assert not reason.is_visible() and not comment.is_visible()
    action.select_option(label="所选案例设为未通过")
    assert reason.is_visible() and not comment.is_visible()
    action.select_option(label="所选案例退回修改")
    assert comment.is_visible() and not reason.is_visible()
    action.select_option(label="通过所选案例")
    assert not reason.is_visible() and not comment.is_visible()
    # Not passing without a reason: the server refuses it at the box, which shows (the action stays chosen).
    action.select_option(label="所选案例设为未通过")
    page.get_by_label("选择《绿色低碳工艺革新》").check()
    go(page, page.get_by_role("button", name="执行"))
    summary = page.locator("#error-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#field-reason.has-error").is_visible()
    assert page.get_by_label("选择《绿色低碳工艺革新》").is_checked()
    assert decision_of(world.entries[1]) == "pending"
    assert_accessible(page)


def test_without_javascript_every_box_shows_with_the_action_that_needs_it(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        open_round(page, live_server, world)
        assert page.get_by_label("未通过原因（选择“未通过”时必填，推荐单位可见）").is_visible()
        assert page.get_by_label("修改意见（选择“退回修改”时必填，推荐单位可见）").is_visible()
    finally:
        context.close()


def test_the_deadline_date_box_shows_the_rounds_deadline(page, phone, live_server, world):
    for p in (page, phone):
        open_round(p, live_server, world)
        p.locator(".inline-edit summary").click()
        box = p.get_by_label("截止日期")
        assert box.is_visible() and box.input_value() == "2026-09-10"
    box = page.get_by_label("截止日期")
    box.fill("2026-09-20")
    go(page, page.get_by_role("button", name="保存"))
    assert page.get_by_text("截止日期已更新").is_visible()
    page.locator(".inline-edit summary").click()
    assert page.get_by_label("截止日期").input_value() == "2026-09-20"


def test_the_province_finds_a_districts_round_by_its_name_in_the_grouped_list(page, phone, live_server, world):
    for p in (page, phone):
        login(p, live_server, "admin-330000", PASSWORD)
        p.goto(f"{live_server.url}/rounds/")
        levels = p.locator(".round-group h2")
        assert [t.split()[0] for t in levels.all_inner_texts()] == ["市级遴选", "区县筛查"]
        p.get_by_label("按地区名称查找").fill("西湖")
        go(p, p.get_by_role("button", name="查找"))
        assert p.locator("table.rounds tbody tr").count() == 1
        assert p.get_by_role("link", name="西湖区 · 区县筛查").is_visible()
        assert p.get_by_role("link", name=re.compile("上城区")).count() == 0
        assert p.get_by_label("按地区名称查找").input_value() == "西湖"
        go(p, p.get_by_role("link", name="清除条件"))
        p.get_by_label("级别").select_option("city_selection")
        go(p, p.get_by_role("button", name="查找"))
        assert [t.split()[0] for t in levels.all_inner_texts()] == ["市级遴选"]
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    assert_accessible(phone)
