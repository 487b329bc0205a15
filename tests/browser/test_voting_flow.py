"""Issue 6 in a real browser on a phone (R-108): a member of the public opens the vote, verifies a phone with
the SMS code, votes for a case, and reads why a second vote for the same case today is refused."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import ARTIFACTS, city_round_with_cases, go
from tests.factories import admin_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings):
    from django.utils import timezone

    from apps.core import sms
    from apps.orgs.scoping import scopes_disabled
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


def test_a_voter_verifies_a_phone_votes_and_is_told_a_second_vote_for_the_case_waits_until_tomorrow(
        phone, live_server, world):
    from apps.orgs.scoping import scopes_disabled
    from apps.voting.models import Vote

    phone.goto(f"{live_server.url}/v/{world.poll.slug}/")
    assert phone.get_by_text("投票进行中").is_visible()
    _no_sideways_scroll(phone)
    go(phone, phone.get_by_role("link", name=re.compile("数字孪生柔性产线改造")))
    _no_sideways_scroll(phone)
    go(phone, phone.get_by_role("button", name="为该案例投票"))
    assert phone.get_by_text("投票前请先验证手机号").is_visible()
    phone.get_by_label("手机号").fill("13812345678")
    go(phone, phone.get_by_role("button", name="获取验证码"))
    assert phone.get_by_text("验证码已发送至138****5678").is_visible()
    # The resend button counts down (the server enforces the 60 s too).
    assert phone.get_by_role("button", name=re.compile("重新获取验证码")).is_disabled()
    code = re.search(r"\d{6}", world.outbox[-1].text).group(0)
    phone.get_by_label(re.compile("6位验证码")).fill(code)
    _no_sideways_scroll(phone)
    go(phone, phone.get_by_role("button", name="验证并继续投票"))
    assert phone.get_by_text("手机号验证成功，现在可以投票了").is_visible()
    assert phone.get_by_role("heading", name="数字孪生柔性产线改造").is_visible()
    go(phone, phone.get_by_role("button", name="为该案例投票"))
    assert phone.get_by_text("投票成功，感谢您的参与").is_visible()
    go(phone, phone.get_by_role("button", name="为该案例投票"))
    assert phone.get_by_text("您今天已为该案例投过票，每个案例每天只能投1票，明天可以再投").is_visible()
    _no_sideways_scroll(phone)
    phone.wait_for_function("document.querySelector('.vshare img').complete")
    assert phone.evaluate("document.querySelector('.vshare img').naturalWidth") > 0  # the QR code shows
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "voting-case-phone.png"), full_page=True)
    with scopes_disabled():
        assert Vote.plain.filter(poll=world.poll).count() == 1
