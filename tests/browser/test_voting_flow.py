"""The public vote in a real browser on a 375-px phone (R-108): a member of the public opens the vote, presses
vote on a case, verifies a phone with the SMS code and finds that vote cast; sees at once that it counted while
public counts are hidden; reloads the verify page while reading the SMS and still finds the code box; reads a
wrong code's error alone; is told what the captcha is for, who runs the poll and when it closes. Every public
vote page passes axe-core and shows no rule ids, command lines or hashes."""

import datetime as dt
import re

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS, city_round_with_cases, go
from tests.factories import admin_of

pytestmark = pytest.mark.browser

PHONE = "13812345678"


@pytest.fixture
def world(transactional_db, settings):
    from django.utils import timezone

    from apps.core import sms
    from apps.core.scoping import scopes_disabled
    from apps.review.services import review_configure
    from apps.voting.services import poll_save

    settings.SMS_BACKEND = "memory"
    settings.REDIS_URL = ""
    sms.outbox.clear()
    t = city_round_with_cases([("xihu", "数字孪生柔性产线改造"), ("shangcheng", "绿色低碳工艺革新")],
                              abstract="通过数字化改造提升生产效率，形成可复制的经验。" * 3)
    with scopes_disabled():
        admin = admin_of(t.hangzhou, "hz-vote-admin")
        review_configure(round=t.round, by=admin, data={"methods": ["review", "voting"],
                                                        "weights": {"review": 70, "voting": 30}})
        now = timezone.now()
        t.poll = poll_save(round=t.round, by=admin, title="杭州市企业创新案例网络投票", intro="每人每天可投5票。",
                           opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=2), published=True)
    t.outbox = sms.outbox
    return t


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _votes(world):
    from apps.core.scoping import scopes_disabled
    from apps.voting.models import Vote

    with scopes_disabled():
        return list(Vote.plain.filter(poll=world.poll).values_list("entry__case__title", flat=True))


def _last_code(world):
    return re.search(r"\d{6}", world.outbox[-1].text).group(0)


def _ask_for_a_code_from_the_case(page, live_server, world, title="数字孪生柔性产线改造"):
    """Open the vote, open a case, press vote (not yet verified) and ask for a code on the verify page."""
    page.goto(f"{live_server.url}/v/{world.poll.slug}/")
    go(page, page.get_by_role("link", name=re.compile(title)))
    go(page, page.get_by_role("button", name="为该案例投票"))
    page.get_by_label("手机号").fill(PHONE)
    go(page, page.get_by_role("button", name="获取验证码"))


def test_verifying_casts_the_vote_the_voter_came_for_and_a_stale_second_vote_waits_until_tomorrow(
        phone, live_server, world):
    phone.goto(f"{live_server.url}/v/{world.poll.slug}/")
    assert phone.get_by_text("投票进行中").is_visible()
    _no_sideways_scroll(phone)
    go(phone, phone.get_by_role("link", name=re.compile("数字孪生柔性产线改造")))
    _no_sideways_scroll(phone)
    stale = phone.context.new_page()  # the same case left open in another tab, before verifying
    stale.goto(phone.url)
    go(phone, phone.get_by_role("button", name="为该案例投票"))
    assert phone.get_by_text("投票前请先验证手机号").is_visible()
    phone.get_by_label("手机号").fill(PHONE)
    go(phone, phone.get_by_role("button", name="获取验证码"))
    assert phone.get_by_text("验证码已发送至138****5678").is_visible()
    # The resend button counts down (the server enforces the 60 s too).
    assert phone.get_by_role("button", name=re.compile("重新获取验证码")).is_disabled()
    phone.get_by_label(re.compile("6位验证码")).fill(_last_code(world))
    _no_sideways_scroll(phone)
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    # Back on the case, the vote already cast: no second press.
    assert phone.get_by_role("heading", name="数字孪生柔性产线改造").is_visible()
    assert phone.get_by_text("投票成功，感谢您的参与").is_visible()
    assert _votes(world) == ["数字孪生柔性产线改造"]
    assert phone.get_by_role("button", name="今日已为该案例投票").is_disabled()
    # The tab opened before still offers the button: the server refuses, in words.
    go(stale, stale.get_by_role("button", name="为该案例投票"))
    assert stale.get_by_text("您今天已为该案例投过票，每个案例每天只能投1票，明天可以再投").is_visible()
    _no_sideways_scroll(phone)
    phone.wait_for_function("document.querySelector('.vshare img').complete")
    assert phone.evaluate("document.querySelector('.vshare img').naturalWidth") > 0  # the QR code shows
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "voting-case-phone.png"), full_page=True)
    assert _votes(world) == ["数字孪生柔性产线改造"]


def test_with_counts_hidden_the_voter_sees_today_voted_and_the_votes_left_on_the_case_and_the_list(
        phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.voting.models import Poll

    with scopes_disabled():
        Poll.plain.filter(pk=world.poll.pk).update(counts=Poll.Counts.HIDDEN)
    _ask_for_a_code_from_the_case(phone, live_server, world)
    phone.get_by_label(re.compile("6位验证码")).fill(_last_code(world))
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    assert phone.get_by_text("投票期间不显示票数").is_visible()
    assert phone.get_by_text("今日已投 · 还剩4票").is_visible()
    assert phone.get_by_role("button", name="今日已为该案例投票").is_disabled()
    go(phone, phone.get_by_role("link", name="全部案例"))
    assert phone.get_by_text("您今天已投1票，还可投4票").is_visible()
    voted = phone.get_by_role("listitem").filter(has_text="数字孪生柔性产线改造")
    other = phone.get_by_role("listitem").filter(has_text="绿色低碳工艺革新")
    assert voted.get_by_text("今日已投").is_visible()
    assert other.get_by_text("今日已投").count() == 0
    assert_accessible(phone)


def test_reloading_the_verify_page_after_the_code_was_sent_keeps_the_code_box_and_the_number_can_be_changed(
        phone, live_server, world):
    _ask_for_a_code_from_the_case(phone, live_server, world)
    phone.reload()  # WeChat reloads the page when the voter comes back from the SMS app
    code_box = phone.get_by_label("发送至138****5678的6位验证码")
    assert code_box.is_visible()
    assert phone.get_by_role("button", name=re.compile("重新获取验证码")).is_disabled()  # the minute still runs
    code_box.fill(_last_code(world))
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    assert phone.get_by_text("投票成功，感谢您的参与").is_visible()
    assert _votes(world) == ["数字孪生柔性产线改造"]


def test_the_voter_can_change_the_number_after_a_code_was_sent(phone, live_server, world):
    _ask_for_a_code_from_the_case(phone, live_server, world)
    go(phone, phone.get_by_role("button", name="更换手机号"))
    assert phone.get_by_label("发送至138****5678的6位验证码").count() == 0
    phone.get_by_label("手机号").fill("13987654321")
    go(phone, phone.get_by_role("button", name="获取验证码"))
    assert phone.get_by_label("发送至139****4321的6位验证码").is_visible()
    phone.reload()
    assert phone.get_by_label("发送至139****4321的6位验证码").is_visible()


def test_a_wrong_code_shows_only_its_error(phone, live_server, world):
    _ask_for_a_code_from_the_case(phone, live_server, world)
    wrong = f"{(int(_last_code(world)) + 1) % 1000000:06d}"
    phone.get_by_label(re.compile("6位验证码")).fill(wrong)
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    assert phone.get_by_text("验证码不正确，还可以再试2次").is_visible()
    assert phone.get_by_text("已发送").count() == 0
    assert phone.locator(".vmsg.success").count() == 0
    assert phone.get_by_label(re.compile("6位验证码")).get_attribute("aria-invalid") == "true"
    assert _votes(world) == []


def test_the_captcha_says_what_it_is_for_and_the_deadline_and_the_issuer_are_at_the_top(phone, live_server, world):
    from django.utils import timezone

    from apps.voting import services

    for n in range(services.CAPTCHA_AFTER):  # three numbers asked for from this address within the hour
        services.code_request(poll=world.poll, phone=f"1390000{n:04d}", address="127.0.0.1")
    phone.goto(f"{live_server.url}/v/{world.poll.slug}/verify/")
    assert phone.get_by_text("为防止刷票，请输入图片中的字符后获取验证码").is_visible()
    assert phone.get_by_label("图片验证码").is_visible()
    closes = timezone.localtime(world.poll.closes_at)
    deadline = phone.get_by_text(f"投票截止：{closes.month}月{closes.day}日 {closes:%H:%M}")
    assert deadline.is_visible()
    assert phone.get_by_text("主办：杭州市科学技术协会").is_visible()
    # Near the top: above the page's heading, within the first screen.
    assert deadline.bounding_box()["y"] < phone.get_by_role("heading", name="手机号验证").bounding_box()["y"] < 300
    phone.get_by_label("手机号").fill(PHONE)
    go(phone, phone.get_by_role("button", name="获取验证码"))
    assert phone.get_by_text("请输入图片中的字符").first.is_visible()
    assert_accessible(phone)


RULE_ID = re.compile(r"\bR-\d{3}\b")
HASH = re.compile(r"\b[0-9a-f]{16,}\b", re.IGNORECASE)
COMMAND = re.compile(r"manage\.py|python |\$ |sudo |--[a-z]")


def _public_and_plain(page):
    text = page.inner_text("body")
    assert "主办：杭州市科学技术协会" in text
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert not HASH.search(text), HASH.search(text)
    assert not COMMAND.search(text), COMMAND.search(text)


def test_every_public_vote_page_has_a_heading_passes_axe_at_375px_and_shows_no_rule_ids_commands_or_hashes(
        phone, live_server, world):
    from apps.voting import services

    def check(name):
        assert phone.locator("h1").count() == 1, name
        assert_accessible(phone)
        _public_and_plain(phone)
        _no_sideways_scroll(phone)

    phone.goto(f"{live_server.url}/v/{world.poll.slug}/")
    check("home")
    go(phone, phone.get_by_role("link", name=re.compile("数字孪生柔性产线改造")))
    check("case")
    go(phone, phone.get_by_role("button", name="为该案例投票"))
    check("verify-phone")
    go(phone, phone.get_by_role("button", name="获取验证码"))  # nothing typed: the error at the field
    assert phone.get_by_text("请输入手机号").is_visible()
    check("verify-phone-error")
    phone.get_by_label("手机号").fill(PHONE)
    go(phone, phone.get_by_role("button", name="获取验证码"))
    check("verify-code")
    phone.get_by_label(re.compile("6位验证码")).fill("12")
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    check("verify-code-error")
    phone.get_by_label(re.compile("6位验证码")).fill(_last_code(world))
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    check("case-voted")
    go(phone, phone.get_by_role("link", name="全部案例"))
    check("home-voted")
    for n in range(services.CAPTCHA_AFTER - 1):  # with the one above, the captcha's threshold
        services.code_request(poll=world.poll, phone=f"1390000{n:04d}", address="127.0.0.1")
    phone.goto(f"{live_server.url}/v/{world.poll.slug}/verify/")
    assert phone.get_by_label("图片验证码").is_visible()
    check("verify-captcha")
