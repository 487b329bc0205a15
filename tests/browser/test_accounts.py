"""Accounts nobody can take over, in a real browser: an invitation accepted by its person, a password an
admin set replaced first, the captcha before any lock, an expert's SMS code, an API token shown once."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import go, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree, make_user

    with scopes_disabled():
        tree = build_tree()
        tree.li = make_user("clerk-li", "李文", phone="13800000001")
        return tree


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_an_invited_person_accepts_the_role_on_a_phone(page, phone, live_server, people):
    login(page, live_server, "admin-330106", PASSWORD)
    page.goto(f"{live_server.url}/orgs/330106/members/add/")
    page.locator("#id_existing-who").fill("clerk-li")
    go(page, page.get_by_role("button", name="发出邀请"))
    expect(page.get_by_text("已邀请李文担任工作人员")).to_be_visible()
    expect(page.get_by_role("heading", name="待接受的邀请")).to_be_visible()

    login(phone, live_server, "clerk-li", PASSWORD)
    expect(phone.get_by_text("西湖区邀请您担任工作人员，请确认是否接受")).to_be_visible()
    go(phone, phone.get_by_text("西湖区邀请您担任工作人员，请确认是否接受"))
    expect(phone.get_by_role("heading", name="待确认的邀请")).to_be_visible()
    fits(phone)
    go(phone, phone.get_by_role("button", name="接受"))
    expect(phone.get_by_text("您已成为西湖区的工作人员")).to_be_visible()


def test_a_password_an_admin_reset_is_replaced_before_anything_else(page, live_server, people):
    from apps.core.scoping import scopes_disabled
    from apps.orgs.models import Membership
    from apps.orgs.services import member_password_reset

    with scopes_disabled():
        new = member_password_reset(membership=Membership.plain.get(user=people.xihu_admin, org=people.xihu),
                                    by=people.hangzhou_admin)
    login(page, live_server, "admin-330106", new)
    assert "/account/" in page.url
    expect(page.get_by_text("为保护账号安全，请先修改密码")).to_be_visible()
    page.goto(f"{live_server.url}/cases/")
    assert "/account/" in page.url
    page.locator("#id_old_password").fill(new)
    page.locator("#id_new_password1").fill("Westlake-2026-own")
    page.locator("#id_new_password2").fill("Westlake-2026-own")
    go(page, page.get_by_role("button", name="修改密码"))
    expect(page.get_by_text("密码已修改")).to_be_visible()
    expect(page.get_by_role("heading", name="案例", exact=True)).to_be_visible()  # where the person was going
    expect(page.get_by_text("西湖区的案例")).to_be_visible()


def test_after_two_failures_the_log_in_asks_for_the_captcha_on_a_phone(phone, live_server, people, settings):
    from apps.core import captcha

    settings.AXES_ENABLED = True
    for _ in range(2):
        login(phone, live_server, "admin-330106", "wrong-password")
    image = phone.locator("img[src*='/captcha/']")
    expect(image).to_be_visible()
    assert phone.evaluate("document.querySelector(\"img[src*='/captcha/']\").naturalWidth") == 160
    fits(phone)
    key = phone.locator("input[name=challenge]").get_attribute("value")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_label("图片验证码").fill("0000")
    go(phone, phone.get_by_role("button", name="登录"))
    expect(phone.get_by_text("图片验证码不正确，请重新输入").first).to_be_visible()
    assert captcha.answer_of(key) is not None
    key = phone.locator("input[name=challenge]").get_attribute("value")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_label("图片验证码").fill(captcha.answer_of(key))
    go(phone, phone.get_by_role("button", name="登录"))
    expect(phone.get_by_role("heading", name="待办事项")).to_be_visible()


def test_an_expert_accepts_an_invitation_with_the_code_sent_to_their_phone(phone, live_server, people, settings):
    from apps.campaigns.tests.world import build_campaign
    from apps.core import sms
    from apps.core.scoping import scopes_disabled
    from apps.review.services import expert_invite_create

    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    with scopes_disabled():
        build_campaign(people)
        _invite, token = expert_invite_create(org=people.hangzhou, by=people.hangzhou_admin, name="郑教授",
                                              phone="13912340001")
    phone.goto(f"{live_server.url}/review/join/{token}/")
    expect(phone.get_by_text("139****0001")).to_be_visible()
    phone.get_by_label("工作单位", exact=True).fill("浙江大学")
    go(phone, phone.get_by_role("button", name="获取短信验证码"))
    expect(phone.get_by_text("短信验证码已发送至139****0001")).to_be_visible()
    assert phone.get_by_label("工作单位", exact=True).input_value() == "浙江大学", "what was typed stays"
    code = re.search(r"验证码为(\d{6})", sms.outbox[-1].text).group(1)
    fits(phone)
    phone.get_by_label("短信验证码").fill(code)
    phone.get_by_label("登录密码").fill("Review-2026-strong")
    go(phone, phone.get_by_role("button", name="接受邀请"))
    expect(phone.get_by_text("欢迎加入杭州市专家库")).to_be_visible()


def test_a_new_api_token_is_shown_once(page, live_server, people):
    login(page, live_server, "admin-330100", PASSWORD)
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("您还没有有效的接口令牌。")).to_be_visible()
    go(page, page.get_by_role("button", name="生成新令牌"))
    token = page.locator(".secret").inner_text()
    assert len(token) == 64
    go(page, page.get_by_role("link", name="我已保存，返回我的账号"))
    assert token not in page.content() and token[:8] in page.content()
