"""A manual quota table (R-104) on its way through the approvals mechanism, in Chromium: the province sends it on
a desktop and the computed split stands meanwhile; the centre, on a phone, returns it (first forgetting the
comment, which is asked for at the field and changes nothing); the province revises the returned table and sends
version 2; the centre approves it and the table is in force."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.browser.test_campaign_flow import quota_of, world  # noqa: F401 (fixture)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def open_quotas(page, live_server, world):  # noqa: F811
    page.goto(f"{live_server.url}/campaigns/programmes/{world.programme.pk}/quotas/")


def send_table(page, hangzhou: str, ningbo: str, reason: str | None = None) -> None:
    page.get_by_label("杭州市").fill(hangzhou)
    page.get_by_label("宁波市").fill(ningbo)
    if reason is not None:
        page.get_by_label("调整理由").fill(reason)
    go(page, page.get_by_role("button", name="报送中心审核"))


def open_waiting_request(phone) -> None:
    nav(phone, "审核")
    go(phone, phone.get_by_role("link", name=re.compile("浙江省手工名额表")).first)


def test_a_manual_quota_table_goes_in_force_once_the_centre_approves_it(browser, page, phone, live_server,
                                                                       world):  # noqa: F811
    # The province sends 55 / 45; until the centre decides, the computed 60 / 40 stands and the page says so.
    login(page, live_server, "admin-330000", PASSWORD)
    open_quotas(page, live_server, world)
    go(page, page.get_by_role("link", name="改用手工名额表"))
    send_table(page, "55", "45", "宁波市新增两个园区")
    expect(page.get_by_text("待中心审核").first).to_be_visible()
    expect(page.get_by_text("在此之前仍按比例计算的名额（下表）执行。")).to_be_visible()
    assert quota_of(page, "杭州市") == 60 and quota_of(page, "宁波市") == 40

    # The centre, on a phone, finds it in its inbox and returns it; without a comment it is asked for one.
    login(phone, live_server, "center-admin", PASSWORD)
    open_waiting_request(phone)
    assert_accessible(phone)
    phone.get_by_label("退回修改").check()
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.locator(".has-error").get_by_text("退回时请填写审核意见")).to_be_visible()
    expect(phone.get_by_role("heading", name=re.compile("待审核"))).to_be_visible()
    phone.get_by_label("退回修改").check()
    phone.get_by_label("审核意见").fill("请附宁波市新增园区的批复文件")
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.get_by_role("heading", name=re.compile("已退回"))).to_be_visible()

    # The province reads the comment; the form starts from the returned table; it sends version 2.
    open_quotas(page, live_server, world)
    expect(page.get_by_text("请附宁波市新增园区的批复文件")).to_be_visible()
    go(page, page.get_by_role("link", name="修改后重新报送"))
    expect(page.get_by_label("杭州市")).to_have_value("55")
    send_table(page, "54", "46")
    assert quota_of(page, "杭州市") == 60

    # The centre approves version 2; the province's page shows the table in force.
    open_waiting_request(phone)
    expect(phone.get_by_role("heading", name=re.compile("第2版"))).to_be_visible()
    phone.get_by_label("通过").check()
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.get_by_role("heading", name=re.compile("已通过"))).to_be_visible()
    open_quotas(page, live_server, world)
    expect(page.get_by_text("待中心审核")).to_have_count(0)
    assert quota_of(page, "杭州市") == 54 and quota_of(page, "宁波市") == 46
    nav(page, "审核")
    go(page, page.get_by_role("link", name="本单位报送"))
    expect(page.get_by_role("link", name=re.compile("第1版"))).to_be_visible()
    assert_accessible(page)
