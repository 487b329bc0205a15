"""A province's home page leads with its cities: a late city is flagged, and 催办 reaches that city's inbox."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def province(transactional_db):
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round
    from apps.rounds.services import round_for
    from tests.factories import build_tree

    with scopes_disabled():
        tree = build_tree()
        build_campaign(tree)
        late = round_for(programme=tree.zhejiang_programme, org=tree.hangzhou, kind=Round.Kind.CITY_SELECTION)
        Round.plain.filter(pk=late.pk).update(state=Round.State.OPEN,
                                              deadline=timezone.localdate() - dt.timedelta(days=3))
        on_time = round_for(programme=tree.zhejiang_programme, org=tree.ningbo, kind=Round.Kind.CITY_SELECTION)
        Round.plain.filter(pk=on_time.pk).update(state=Round.State.SENT)
    return tree


def test_a_late_city_is_flagged_and_reminded_and_the_reminder_reaches_its_inbox(page, phone, live_server, province):
    login(page, live_server, "admin-330000", PASSWORD)
    table = page.locator("table.units-table")
    hangzhou = table.locator("tr", has=page.get_by_role("rowheader", name="杭州市"))
    expect(hangzhou).to_contain_text("已逾期")
    expect(hangzhou).to_contain_text("名单拟定中")
    expect(table.locator("tr", has=page.get_by_role("rowheader", name="宁波市"))).to_contain_text("已上报")
    go(page, hangzhou.get_by_role("button", name="催办"))
    expect(page.get_by_text("已向杭州市发送催办消息")).to_be_visible()
    expect(hangzhou).to_contain_text("上次")

    login(phone, live_server, "admin-330100", PASSWORD)
    nav(phone, "消息")
    expect(phone.get_by_text("催办：请抓紧办理市级遴选")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
