"""The brand project in a real browser (R-502): on a 375-px phone, a brand-team member of the centre logs a channel
use with its screenshot; the same link again, written differently, is refused at its field with the typing kept;
the R-502 count on the brand programme's page moves."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    import datetime as dt

    from apps.brand.models import MediaContact
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.orgs.models import Membership
    from tests.factories import admin_of, build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        t.brand_staff = admin_of(t.center, "brand-zhou", role=Membership.Role.STAFF)
        MediaContact.plain.create(programme=t.brand_programme, outlet="科技日报", level="national", person="李记者",
                                  phone="13800001234", last_contact_on=dt.date(t.campaign.year, 7, 1))
    return t


def field(page, label: str):
    """A form field by its label, which ends in " *" where the field is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fill_use(page, url: str, title: str, used_on: str) -> None:
    from apps.cases.tests.attachment_world import png_bytes

    field(page, "媒体").select_option(label="科技日报")
    field(page, "渠道").select_option(label="微信公众号")
    field(page, "发布日期").fill(used_on)
    field(page, "发布内容").fill(title)
    field(page, "链接").fill(url)
    field(page, "佐证").set_input_files({"name": "截图.png", "mimeType": "image/png",
                                         "buffer": png_bytes(size=(320, 200))})


def test_the_brand_team_logs_a_channel_use_on_a_phone_and_the_r502_count_moves(phone, live_server, world):
    import datetime as dt

    from django.utils import timezone

    used_on = min(timezone.localdate(), dt.date(world.campaign.year, 12, 31))
    programme_page = f"{live_server.url}/campaigns/programmes/{world.brand_programme.pk}/"
    r502 = phone.locator('tr[data-rule="R-502"]')

    login(phone, live_server, "brand-zhou", PASSWORD)
    phone.goto(programme_page)
    expect(r502).to_contain_text("媒体1家，渠道使用0次")

    nav(phone, "品牌项目")
    go(phone, phone.locator("nav.actions").get_by_role("link", name="渠道使用记录"))
    expect(phone.get_by_text("尚未登记渠道使用。")).to_be_visible()
    go(phone, phone.get_by_role("link", name="登记渠道使用"))
    fill_use(phone, "https://mp.example.cn/s/brand-launch", "企业典型创新案例征集活动启动", used_on.isoformat())
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.get_by_text("已登记渠道使用")).to_be_visible()
    expect(phone.locator("#reach")).to_contain_text("渠道使用1次")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)

    # The same use again, its link written differently: refused at the link, what was typed kept.
    go(phone, phone.get_by_role("link", name="登记渠道使用"))
    fill_use(phone, "http://MP.example.cn/s/brand-launch/?utm_source=weibo", "同一篇再登记一次", used_on.isoformat())
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.locator("#field-url .error")).to_contain_text("该链接已登记（")
    expect(phone.locator("#field-url .error")).to_contain_text("同一次使用只计一次")
    expect(field(phone, "发布内容")).to_have_value("同一篇再登记一次")
    expect(field(phone, "链接")).to_have_value("http://MP.example.cn/s/brand-launch/?utm_source=weibo")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)

    phone.goto(programme_page)
    expect(r502).to_contain_text("媒体1家，渠道使用1次")
