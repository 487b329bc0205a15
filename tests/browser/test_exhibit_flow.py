"""Exhibits (R-307) in a real browser: a park association proposes an exhibit of a little-giant enterprise with a
photo on a phone (an invalid submit keeps what was typed), the province's admin recommends it to the centre, the
centre approves it in its approvals inbox, and the status list shows it accepted for the museum show."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PHONE, go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree, make_enterprise

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        t.giant = make_enterprise(t.campaign, t.xihu, name="杭州西湖智能装备有限公司", little_giant_batch=2023)
    return t


def field(page, label: str):
    """A form field by its label, which ends in " *" where the field is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def photo() -> dict:
    from apps.cases.tests.attachment_world import png_bytes

    return {"name": "机械臂.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 240))}


def test_an_exhibit_is_proposed_on_a_phone_shortlisted_and_accepted_by_the_centre(browser, page, phone, live_server,
                                                                                  world):
    # The park association proposes on a phone; the weight is mistyped.
    login(phone, live_server, "admin-330106-p001", PASSWORD)
    nav(phone, "展品")
    expect(phone.get_by_role("link", name="全部（0）")).to_be_visible()
    go(phone, phone.get_by_role("link", name="申报展品"))
    field(phone, "企业").select_option(label="杭州西湖智能装备有限公司（2023）")
    field(phone, "展品名称").fill("智能协作机械臂")
    field(phone, "创新点").fill("七轴力控协作机械臂，关节模组全部自主研制。")
    field(phone, "代表性说明").fill("国产协作机器人核心部件突破的代表。")
    field(phone, "互动方式").fill("观众牵引机械臂示教，机械臂随即复现动作。")
    field(phone, "长（厘米）").fill("120")
    field(phone, "宽（厘米）").fill("80")
    field(phone, "高（厘米）").fill("160")
    field(phone, "重量（千克）").fill("八十五")
    field(phone, "电力需求").fill("220V，约800W")
    field(phone, "展品照片").set_input_files(photo())
    go(phone, phone.get_by_role("button", name="提交申报"))
    expect(phone.locator("#field-weight_kg .error")).to_contain_text("请填写重量")
    expect(field(phone, "展品名称")).to_have_value("智能协作机械臂")
    expect(field(phone, "互动方式")).to_have_value("观众牵引机械臂示教，机械臂随即复现动作。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    field(phone, "重量（千克）").fill("85.5")
    field(phone, "展品照片").set_input_files(photo())
    go(phone, phone.get_by_role("button", name="提交申报"))
    expect(phone.get_by_text("已申报展品，待省级科协推荐")).to_be_visible()
    expect(phone.locator("h1 .badge")).to_have_text("已申报")
    expect(phone.locator(".exhibit-photos img")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)

    # The province's admin recommends it to the centre.
    login(page, live_server, "admin-330000", PASSWORD)
    nav(page, "展品")
    go(page, page.get_by_role("link", name="智能协作机械臂"))
    go(page, page.get_by_role("button", name="推荐并报送中心"))
    expect(page.locator("h1 .badge")).to_have_text("省级已推荐，待中心确定")

    # The centre reads what it decides on in its approvals inbox and approves.
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN", timezone_id="Asia/Shanghai")
    centre = context.new_page()
    try:
        login(centre, live_server, "center-admin", PASSWORD)
        nav(centre, "审核")
        go(centre, centre.get_by_role("link", name=re.compile("智能协作机械臂")).first)
        expect(centre.get_by_text("企业：杭州西湖智能装备有限公司（西湖区）")).to_be_visible()
        expect(centre.get_by_text("专精特新“小巨人”批次：2023年")).to_be_visible()
        centre.get_by_label("通过").check()
        go(centre, centre.get_by_role("button", name="提交审核结果"))
        expect(centre.get_by_role("heading", name=re.compile("已通过"))).to_be_visible()
    finally:
        context.close()

    # The status list shows it accepted, for the province and for the association.
    page.goto(f"{live_server.url}/exhibits/")
    expect(page.locator("td .badge")).to_have_text("中心确定参展")
    expect(page.get_by_role("link", name="中心确定参展（1）")).to_be_visible()
    expect(page.get_by_text("已向中心推荐1件，目标≥ 1件")).to_be_visible()
    phone.goto(f"{live_server.url}/exhibits/")
    expect(phone.locator("td .badge")).to_have_text("中心确定参展")
