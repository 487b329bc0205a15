"""The shell in a real browser: log in, see the to-do page, move around the tree, on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree

    with scopes_disabled():
        return build_tree()


def test_a_city_admin_logs_in_on_a_phone_and_opens_a_county(phone, live_server, people):
    login(phone, live_server, "admin-330100", PASSWORD)
    expect(phone.get_by_role("heading", name="待办事项")).to_be_visible()
    assert "杭州市" in phone.content()
    nav(phone, "组织与人员")
    go(phone, phone.get_by_role("link", name="西湖区"))
    expect(phone.get_by_role("heading", name="西湖区")).to_be_visible()
    # Nothing on the page is wider than the phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_a_wrong_password_shows_the_lockout_warning(page, live_server, people):
    login(page, live_server, "admin-330100", "wrong-password")
    assert "用户名或密码不正确" in page.content()
    assert page.url.endswith("/login/")
