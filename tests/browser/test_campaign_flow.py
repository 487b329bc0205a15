"""The R-101…R-104 and R-102 flow as people do it in Chromium: the province edits its rulebook and
sees the quotas change, issues a notice; a city (on a phone) and a county forward it; an
association acknowledges; the province's cascade page shows it complete."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import go, login
from tests.factories import PASSWORD, admin_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from apps.campaigns.services import campaign_create
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        t.shangcheng_park_admin = admin_of(t.shangcheng_park)
        t.haishu_ent_admin = admin_of(t.haishu_ent)
        t.campaign = campaign_create(year=2026, name="2026年企业典型创新案例征集及宣讲活动", by=t.center_admin,
                                     provinces=[t.zhejiang])
        t.programme = t.campaign.programmes.get(org=t.zhejiang)
    return t


def quota_of(page, city: str) -> int:
    row = page.locator("tbody tr", has_text=city).first
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    return int(cells[-2])


def finish_the_rest_of_the_cascade(world, notice):
    """Ningbo's branch and the associations the test does not click through, via the same services."""
    from apps.core.scoping import scopes_disabled
    from apps.notices.models import NoticeDelivery
    from apps.notices.services import notice_delivery_acknowledge, notice_delivery_forward

    with scopes_disabled():
        d = lambda org: NoticeDelivery.plain.get(notice=notice, org=org)  # noqa: E731
        notice_delivery_forward(delivery=d(world.ningbo), by=world.ningbo_admin)
        notice_delivery_forward(delivery=d(world.haishu), by=world.haishu_admin)
        notice_delivery_forward(delivery=d(world.shangcheng), by=world.shangcheng_admin)
        for org, person in ((world.xihu_ent, world.xihu_ent_admin), (world.shangcheng_park, world.shangcheng_park_admin),
                            (world.haishu_park, world.haishu_park_admin), (world.haishu_ent, world.haishu_ent_admin)):
            notice_delivery_acknowledge(delivery=d(org), by=person)


def test_rulebook_quotas_and_the_notice_cascade(browser, page, phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.notices.models import Notice

    # The province opens its quota page: 杭州 3 associations, 宁波 2, target 100 → 60 / 40.
    login(page, live_server, "admin-330000", PASSWORD)
    go(page, page.get_by_role("link", name="活动").first)
    go(page, page.get_by_role("link", name=re.compile("2026年")).first)
    go(page, page.get_by_role("link", name="浙江省").first)
    go(page, page.get_by_role("link", name="名额分配", exact=True))
    assert quota_of(page, "杭州市") == 60 and quota_of(page, "宁波市") == 40

    # the province raises its target to 120 within the centre's bound; quotas follow.
    go(page, page.get_by_role("link", name="规则参数"))
    go(page, page.get_by_role("link", name=re.compile("修改")).first)
    page.get_by_label(re.compile("每省征集宣传案例数")).fill("120")
    go(page, page.get_by_role("button", name="保存"))
    expect(page.locator(".msg").first).to_be_visible()
    go(page, page.get_by_role("link", name="名额分配", exact=True))
    assert quota_of(page, "杭州市") == 72 and quota_of(page, "宁波市") == 48

    # A target below the centre's minimum is refused in words, and nothing changes.
    go(page, page.get_by_role("link", name="规则参数"))
    go(page, page.get_by_role("link", name=re.compile("修改")).first)
    page.get_by_label(re.compile("每省征集宣传案例数")).fill("90")
    go(page, page.get_by_role("button", name="保存"))
    assert "不得低于中心规定的100" in page.content()
    go(page, page.get_by_role("link", name="名额分配", exact=True))
    assert quota_of(page, "杭州市") == 72

    # the province issues a notice to its cities.
    go(page, page.get_by_role("link", name="通知", exact=True).first)
    go(page, page.get_by_role("link", name="下发通知").first)
    page.get_by_label("标题").fill("关于开展2026年企业典型创新案例征集活动的通知")
    page.get_by_label("正文").fill("请各市科协按照工作细则组织征集，并于截止日期前完成转发。")
    go(page, page.get_by_role("button", name="下发"))
    assert "关于开展2026年企业典型创新案例征集活动的通知" in page.content()

    # The city, on a phone, finds it among its to-dos and forwards it to its counties.
    login(phone, live_server, "admin-330100", PASSWORD)
    go(phone, phone.get_by_role("link", name=re.compile("关于开展2026年")).first)
    go(phone, phone.get_by_role("link", name="转发至下级单位"))
    assert "西湖区" in phone.content() and "上城区" in phone.content()
    phone.get_by_label("补充说明").fill("请各区县于本周内转发至园区和企业科协。")
    go(phone, phone.get_by_role("button", name="确认转发"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The county forwards it to its associations; an association acknowledges.
    for username, action in (("admin-330106", "forward"), ("admin-330106-p001", "acknowledge")):
        phone.context.clear_cookies()
        login(phone, live_server, username, PASSWORD)
        go(phone, phone.get_by_role("link", name=re.compile("关于开展2026年")).first)
        assert "请各区县于本周内转发" in phone.content()  # the city's addendum reaches below
        if action == "forward":
            go(phone, phone.get_by_role("link", name="转发至下级单位"))
            go(phone, phone.get_by_role("button", name="确认转发"))
        else:
            go(phone, phone.get_by_role("button", name="确认收到"))
            assert phone.get_by_role("button", name="确认收到").count() == 0

    with scopes_disabled():
        notice = Notice.plain.get()
    finish_the_rest_of_the_cascade(world, notice)

    page.goto(f"{live_server.url}/campaigns/notices/{notice.pk}/cascade/")
    expect(page.get_by_text("已全部完成")).to_be_visible()
