"""The public vote as a voter on a phone meets it (R-108): the case pressed before verifying is voted for right
after verification, through the same statement and limits as the vote button; a counted vote shows at once
(today's vote and the votes left, days in Asia/Shanghai) even while counts are hidden; the code step survives a
reload, read from the code records and a signed cookie, and the number can be changed; a wrong code reads
alone; the pages say who runs the poll, when it closes and what the captcha is for, and nothing internal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import scopes_disabled
from apps.rounds.models import RoundEntry
from apps.voting import selectors, services
from apps.voting.hashing import phone_hash
from apps.voting.models import PhoneCode, Poll, Vote
from apps.voting.tests.conftest import ADDRESS, last_code, verify
from apps.voting.voter import PENDING_COOKIE, VOTER_COOKIE

PHONE = "13812345678"


def _verify_url(poll, **query):
    url = reverse("vote:verify", args=[poll.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _send(client, poll, phone=PHONE, **extra):
    return client.post(reverse("vote:verify", args=[poll.slug]), {"action": "send", "phone": phone, **extra})


def _check(client, poll, code, phone=PHONE, **extra):
    return client.post(reverse("vote:verify", args=[poll.slug]),
                       {"action": "check", "phone": phone, "code": code, **extra})


def _votes(poll):
    with scopes_disabled():
        return list(Vote.plain.filter(poll=poll).values_list("entry_id", flat=True))


# -- 1. verification casts the vote the voter came for --------------------------------------------------------

def test_the_case_pressed_before_verifying_is_voted_for_right_after_verification(client, poll, entries):
    wanted = entries[1]
    pressed = client.post(reverse("vote:vote", args=[poll.slug, wanted.pk]))
    assert pressed["Location"] == _verify_url(poll, entry=wanted.pk)
    page = client.get(pressed["Location"]).content.decode()
    assert f'name="entry" value="{wanted.pk}"' in page and "验证成功后，将直接为您选择的案例投票" in page
    code_step = client.get(_send(client, poll, entry=wanted.pk)["Location"]).content.decode()
    assert f'name="entry" value="{wanted.pk}"' in code_step and "验证并继续投票" in code_step
    done = _check(client, poll, last_code(PHONE), entry=wanted.pk)
    case_url = reverse("vote:case", args=[poll.slug, wanted.pk])
    assert done.status_code == 303 and done["Location"] == case_url and done["X-Vote-Outcome"] == "ok"
    assert _votes(poll) == [wanted.pk]
    landed = client.get(case_url).content.decode()
    assert "投票成功，感谢您的参与" in landed and "今日已投 · 还剩4票" in landed
    assert client.cookies[VOTER_COOKIE].value


def test_a_vote_refused_after_verification_is_said_in_words_and_the_voter_stays_verified(client, poll, entries):
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(votes_per_day=2)
        poll.refresh_from_db()
    # The same phone, on another browser a few minutes ago, already spent today's two votes.
    voter = verify(poll, PHONE, now=timezone.now() - dt.timedelta(minutes=3))
    for entry in entries[:2]:
        services.vote_cast(poll=poll, entry_id=entry.pk, voter_id=voter.pk, address=ADDRESS)
    _send(client, poll, entry=entries[2].pk)
    done = _check(client, poll, last_code(PHONE), entry=entries[2].pk)
    assert done["X-Vote-Outcome"] == "limit"
    landed = client.get(done["Location"]).content.decode()
    assert "手机号验证成功" in landed and "您今天的2票已全部投出，明天可以再投" in landed
    assert "今天的票已全部投出" in landed and "disabled" in landed
    assert len(_votes(poll)) == 2 and client.cookies[VOTER_COOKIE].value


def test_verifying_for_a_case_that_left_the_round_verifies_and_goes_to_the_list(client, poll, entries):
    _send(client, poll, entry=entries[0].pk)
    with scopes_disabled():
        RoundEntry.plain.filter(pk=entries[0].pk).update(decision=services.CLOSED_DECISIONS[0])
    done = _check(client, poll, last_code(PHONE), entry=entries[0].pk)
    assert done.status_code == 302 and done["Location"] == reverse("vote:home", args=[poll.slug])
    assert _votes(poll) == [] and client.cookies[VOTER_COOKIE].value


def test_a_code_entered_after_the_poll_closed_is_refused_in_words(client, poll, entries):
    _send(client, poll, entry=entries[0].pk)
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    page = _check(client, poll, last_code(PHONE), entry=entries[0].pk)
    assert page.status_code == 200 and "投票已于" in page.content.decode() and "截止" in page.content.decode()
    assert _votes(poll) == [] and VOTER_COOKIE not in client.cookies


# -- 2. a counted vote shows at once --------------------------------------------------------------------------

def test_with_counts_hidden_a_voter_sees_the_vote_and_the_votes_left_and_the_button_is_disabled(client, poll,
                                                                                                entries):
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.HIDDEN)
    _send(client, poll, entry=entries[0].pk)
    _check(client, poll, last_code(PHONE), entry=entries[0].pk)
    voted = client.get(reverse("vote:case", args=[poll.slug, entries[0].pk])).content.decode()
    assert "投票期间不显示票数" in voted and "1 票" not in voted
    assert "今日已投 · 还剩4票" in voted
    assert re.search(r"<button type=\"submit\" disabled>今日已为该案例投票</button>", voted)
    other = client.get(reverse("vote:case", args=[poll.slug, entries[1].pk])).content.decode()
    assert "今日已投" not in other and "您今天还可投4票" in other and "disabled" not in other
    home = client.get(reverse("vote:home", args=[poll.slug])).content.decode()
    assert "您今天已投1票，还可投4票" in home and home.count("今日已投") == 1
    mark = home.index("今日已投")
    assert home.rfind(reverse("vote:case", args=[poll.slug, entries[0].pk]), 0, mark) > \
        home.rfind(reverse("vote:case", args=[poll.slug, entries[1].pk]), 0, mark)


def test_a_day_for_the_voted_marks_is_a_day_in_shanghai(poll, entries):
    voter = verify(poll, PHONE)
    late = dt.datetime(2026, 12, 7, 23, 50, tzinfo=services.SHANGHAI)  # 15:50 UTC
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(opens_at=late - dt.timedelta(days=1),
                                             closes_at=late + dt.timedelta(days=1))
    services.vote_cast(poll=poll, entry_id=entries[0].pk, voter_id=voter.pk, address=ADDRESS, now=late)
    same_day = selectors.voter_day(poll=poll, voter_id=voter.pk, now=late + dt.timedelta(minutes=5))
    next_day = selectors.voter_day(poll=poll, voter_id=voter.pk, now=late + dt.timedelta(minutes=15))
    assert same_day.entries == {entries[0].pk} and same_day.left == 4
    assert next_day.entries == frozenset() and next_day.left == 5


def test_an_invalidated_vote_still_takes_its_slot_in_the_votes_left(poll, entries, campaign):
    voter = verify(poll, PHONE)
    cast = services.vote_cast(poll=poll, entry_id=entries[0].pk, voter_id=voter.pk, address=ADDRESS)
    with scopes_disabled():
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="核实为刷票", vote_ids=[cast.pk])
    day = selectors.voter_day(poll=poll, voter_id=voter.pk)
    assert day.entries == {entries[0].pk} and day.left == 4


# -- 3. the code step survives a reload; the number can be changed ---------------------------------------------

def test_sending_a_code_redirects_so_a_reload_asks_for_nothing_again(client, poll, entries):
    sent = _send(client, poll, entry=entries[0].pk)
    assert sent.status_code == 302 and sent["Location"] == _verify_url(poll, entry=entries[0].pk)
    cookie = client.cookies[PENDING_COOKIE]  # the number, signed, for the code's five minutes, on this page only
    assert cookie["httponly"] and cookie["path"] == reverse("vote:verify", args=[poll.slug])
    assert cookie["max-age"] == services.CODE_SECONDS


def test_a_reload_after_the_code_was_sent_shows_the_code_box_from_the_code_records(client, poll, entries):
    _send(client, poll)
    client.get(_verify_url(poll))  # the page after the redirect, with its "sent" notice
    reloaded = client.get(_verify_url(poll)).content.decode()
    assert "发送至138****5678的6位验证码" in reloaded and 'name="code"' in reloaded
    assert f'name="phone" value="{PHONE}"' in reloaded and "更换手机号" in reloaded
    assert "验证码已发送至" not in reloaded  # said once, after sending
    assert re.search(r'data-resend="(5\d|60)"', reloaded)  # the minute before a resend keeps running


@pytest.mark.parametrize("spoil", ["expired", "spent", "verified"])
def test_a_reload_shows_the_number_box_again_once_the_code_cannot_be_entered(client, poll, entries, spoil):
    _send(client, poll)
    with scopes_disabled():
        codes = PhoneCode.plain.filter(phone_hash=phone_hash(PHONE))
        if spoil == "expired":
            codes.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        elif spoil == "spent":
            codes.update(attempts=services.CODE_ATTEMPTS)
        else:
            codes.update(verified_at=timezone.now())
    page = client.get(_verify_url(poll)).content.decode()
    assert 'name="code"' not in page and 'name="phone"' in page and f'value="{PHONE}"' in page


def test_a_forged_pending_cookie_shows_the_number_box(client, poll, entries):
    _send(client, poll)
    client.cookies[PENDING_COOKIE] = f"{PHONE}:forged:signature"
    page = client.get(_verify_url(poll)).content.decode()
    assert 'name="code"' not in page and f'value="{PHONE}"' not in page


def test_change_number_forgets_the_number_and_shows_an_empty_number_box(client, poll, entries):
    _send(client, poll, entry=entries[0].pk)
    changed = client.post(reverse("vote:verify", args=[poll.slug]),
                          {"action": "change", "phone": PHONE, "entry": entries[0].pk})
    assert changed.status_code == 302 and changed["Location"] == _verify_url(poll, entry=entries[0].pk)
    assert client.cookies[PENDING_COOKIE].value == ""
    page = client.get(changed["Location"]).content.decode()
    assert 'name="code"' not in page and PHONE not in page and f'name="entry" value="{entries[0].pk}"' in page


def test_a_successful_verification_forgets_the_pending_number(client, poll, entries):
    _send(client, poll)
    _check(client, poll, last_code(PHONE))
    assert client.cookies[PENDING_COOKIE].value == ""


# -- 4. a wrong code reads alone ------------------------------------------------------------------------------

def test_a_wrong_code_shows_its_error_at_the_code_box_and_no_sent_notice(client, poll, entries):
    _send(client, poll)
    client.get(_verify_url(poll))
    wrong = f"{(int(last_code(PHONE)) + 1) % 1000000:06d}"
    page = _check(client, poll, wrong).content.decode()
    assert "验证码不正确，还可以再试2次" in page
    assert "已发送" not in page and "vmsg success" not in page
    assert re.search(r'<div class="field has-error" id="field-code">', page)
    assert 'aria-invalid="true"' in page


def test_the_last_wrong_code_says_to_ask_for_a_new_one_above_the_number_box(client, poll, entries):
    _send(client, poll)
    right = last_code(PHONE)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for _try in range(services.CODE_ATTEMPTS - 1):
        _check(client, poll, wrong)
    page = _check(client, poll, wrong).content.decode()
    assert "验证码错误次数过多，请重新获取" in page and 'id="error-summary"' in page
    assert 'name="code"' not in page and f'value="{PHONE}"' in page and "已发送" not in page


# -- 5. the captcha's purpose, the deadline and the issuer ----------------------------------------------------

def test_the_captcha_says_what_it_is_for(client, poll, entries):
    for n in range(services.CAPTCHA_AFTER):
        _send(client, poll, phone=f"1390000{n:04d}")
    page = client.get(_verify_url(poll)).content.decode()
    assert 'name="challenge"' in page and "为防止刷票，请输入图片中的字符后获取验证码" in page
    refused = _send(client, poll, phone="13900001234").content.decode()
    assert 'id="answer-error"' in refused and "请输入图片中的字符" in refused


@pytest.mark.parametrize("page", ["home", "case", "verify"])
def test_every_public_page_names_the_issuer_and_the_deadline_at_the_top(client, poll, entries, page):
    args = [poll.slug, entries[0].pk] if page == "case" else [poll.slug]
    body = client.get(reverse(f"vote:{page}", args=args)).content.decode()
    closes = timezone.localtime(poll.closes_at)
    deadline = f"投票截止：{closes.month}月{closes.day}日 {closes:%H:%M}"
    assert "主办：杭州市科学技术协会" in body and deadline in body
    assert body.index(deadline) < body.index("<main")


def test_the_issuer_is_the_association_of_the_region_or_the_org_s_own_full_name(campaign):
    with scopes_disabled():
        assert campaign.hangzhou.public_name == "杭州市科学技术协会"
        campaign.hangzhou.name = "杭州市科协"
        assert campaign.hangzhou.public_name == "杭州市科协"
        centre = campaign.hangzhou.parent.parent
        assert centre.public_name == centre.name


# -- 6 and 7. a heading on every page; nothing internal ------------------------------------------------------

def test_the_vote_list_has_one_h1_the_poll_title(client, poll, entries):
    body = client.get(reverse("vote:home", args=[poll.slug])).content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", body) == [poll.title]


def test_public_pages_show_no_rule_ids_commands_or_hashes(client, poll, entries):
    _send(client, poll, entry=entries[0].pk)
    pages = [reverse("vote:home", args=[poll.slug]), reverse("vote:case", args=[poll.slug, entries[0].pk]),
             _verify_url(poll, entry=entries[0].pk)]
    _check(client, poll, last_code(PHONE), entry=entries[0].pk)
    pages += [reverse("vote:home", args=[poll.slug]), reverse("vote:case", args=[poll.slug, entries[0].pk])]
    for url in pages:
        body = client.get(url).content.decode()
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", body, flags=re.S)
        assert not re.search(r"\bR-\d{3}\b", text), url
        assert not re.search(r"\b[0-9a-f]{16,}\b", text), url
        assert not re.search(r"manage\.py|python |\$ ", text), url
