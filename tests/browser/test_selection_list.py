"""Issue 7 in a real browser: the city admin puts cases on its list with one click each; the page swaps in the
new list and its violations (htmx) without a reload, and the R-108 violation appears and goes with the
second case of one enterprise. Also the round's vote page as its admin sees it on a phone."""

import datetime as dt

import pytest

from tests.browser.conftest import city_round_with_cases, login
from tests.factories import PASSWORD, admin_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from apps.cases.models import Case
    from apps.core.scoping import scopes_disabled
    from apps.review.services import review_configure
    from apps.voting.services import poll_save

    t = city_round_with_cases([("xihu", "数字孪生柔性产线改造"), ("xihu", "供应链协同平台建设"),
                               ("shangcheng", "绿色低碳工艺革新")])
    with scopes_disabled():
        Case.plain.filter(pk=t.cases[1].pk).update(enterprise_id=t.cases[0].enterprise_id)  # one enterprise
        t.admin = admin_of(t.hangzhou, "hz-list-admin")
        review_configure(round=t.round, by=t.admin, data={"methods": ["review", "voting"],
                                                          "weights": {"review": 70, "voting": 30}})
        now = timezone.now()
        t.poll = poll_save(round=t.round, by=t.admin, title="杭州市企业创新案例网络投票", intro="",
                           opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=2), published=True)
    return t


def _row(page, title):
    """The table row of the case (by its title's link: other rows may name it in their reasons)."""
    return page.locator("tr", has=page.get_by_role("link", name=title, exact=True))


def test_the_list_changes_in_place_and_shows_the_r108_violation(page, live_server, world):
    login(page, live_server, "hz-list-admin", PASSWORD)
    page.goto(f"{live_server.url}/selection/rounds/{world.round.pk}/list/")
    assert page.get_by_text("名单现有0件").is_visible()
    url = page.url
    for title in ("数字孪生柔性产线改造", "供应链协同平台建设"):
        row = _row(page, title)
        row.get_by_role("button", name="加入名单").click()
        row.get_by_role("button", name="移出名单").wait_for()
    assert page.url == url  # swapped in place, no navigation
    assert page.get_by_text("名单现有2件").is_visible()
    assert page.locator(".violations li", has_text="（R-108）").is_visible()
    for title in ("数字孪生柔性产线改造", "供应链协同平台建设"):  # both rows highlighted, with the rule
        row = page.locator("tr.breaks", has=page.get_by_role("link", name=title, exact=True))
        row.wait_for()  # htmx settles the swapped rows' classes a moment after the swap
        assert "（R-108）" in row.inner_text()
    _row(page, "供应链协同平台建设").get_by_role("button", name="移出名单").click()
    page.get_by_text("名单现有1件").wait_for()
    assert page.get_by_text("（R-108）").count() == 0


def test_the_vote_page_of_the_round_fits_a_phone(phone, live_server, world):
    login(phone, live_server, "hz-list-admin", PASSWORD)
    phone.goto(f"{live_server.url}/voting/rounds/{world.round.pk}/")
    assert phone.get_by_text("杭州市企业创新案例网络投票").first.is_visible()
    assert phone.locator(f"input[value$='/v/{world.poll.slug}/']").count() == 1  # the share link
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
