"""The public voting pages (issue 6): browse without login, verify a phone by SMS code, vote, and read the
outcome in words. Counts follow the rulebook; a vote's cost does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import scopes_disabled
from apps.voting.models import Poll, Vote
from apps.voting.tests.conftest import last_code
from apps.voting.voter import VOTER_COOKIE

PHONE = "13812345678"


def _verify_through_pages(client, poll, phone=PHONE, next_url=""):
    url = reverse("vote:verify", args=[poll.slug])
    # Sending redirects back to the page (a reload then asks for nothing again), which shows the code box.
    sent = client.post(url, {"action": "send", "phone": phone, "next": next_url}, follow=True)
    assert sent.status_code == 200 and "验证码已发送至138****5678" in sent.content.decode()
    return client.post(url, {"action": "check", "phone": phone, "code": last_code(phone), "next": next_url})


def test_anyone_browses_a_published_poll_and_searches_it(client, poll, entries):
    page = client.get(reverse("vote:home", args=[poll.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    for entry in entries:
        assert reverse("vote:case", args=[poll.slug, entry.pk]) in body
    assert "投票进行中" in body and "每人每天可投5票" in body and reverse("vote:qr", args=[poll.slug]) in body
    title = entries[1].case.title
    found = client.get(reverse("vote:home", args=[poll.slug]), {"q": title}).content.decode()
    assert found.count('class="vcard"') == 1 and title in found
    none = client.get(reverse("vote:home", args=[poll.slug]), {"q": "不存在的案例名称"}).content.decode()
    assert "没有找到与“不存在的案例名称”相关的案例" in none


def test_a_draft_poll_is_not_public(client, poll, entries):
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(published=False)
    assert client.get(reverse("vote:home", args=[poll.slug])).status_code == 404
    assert client.get(reverse("vote:case", args=[poll.slug, entries[0].pk])).status_code == 404


def test_verify_then_vote_then_a_second_vote_for_the_same_case_is_refused_in_words(client, poll, entries):
    case_url = reverse("vote:case", args=[poll.slug, entries[0].pk])
    vote_url = reverse("vote:vote", args=[poll.slug, entries[0].pk])
    first = client.post(vote_url)
    assert first.status_code == 302 and first["Location"].startswith(reverse("vote:verify", args=[poll.slug]))
    verified = _verify_through_pages(client, poll, next_url=case_url)
    assert verified.status_code == 302 and verified["Location"] == case_url
    assert client.cookies[VOTER_COOKIE]["httponly"] and client.cookies[VOTER_COOKIE]["path"] == "/v/"
    done = client.post(vote_url, follow=True)
    assert "投票成功，感谢您的参与" in done.content.decode()
    again = client.post(vote_url, follow=True)
    assert "您今天已为该案例投过票，每个案例每天只能投1票，明天可以再投" in again.content.decode()
    with scopes_disabled():
        assert Vote.plain.count() == 1


def test_a_wrong_code_keeps_the_code_form_and_says_how_many_tries_are_left(client, poll, entries):
    url = reverse("vote:verify", args=[poll.slug])
    client.post(url, {"action": "send", "phone": PHONE})
    wrong = f"{(int(last_code(PHONE)) + 1) % 1000000:06d}"
    page = client.post(url, {"action": "check", "phone": PHONE, "code": wrong}).content.decode()
    assert "验证码不正确，还可以再试2次" in page and 'name="code"' in page
    assert VOTER_COOKIE not in client.cookies


def test_a_forged_or_expired_voter_cookie_is_not_a_voter(client, poll, entries, settings):
    vote_url = reverse("vote:vote", args=[poll.slug, entries[0].pk])
    client.cookies[VOTER_COOKIE] = "1:forged:signature"
    assert client.post(vote_url).status_code == 302
    _verify_through_pages(client, poll)
    settings.VOTER_COOKIE_HOURS = 0
    assert client.post(vote_url)["Location"].startswith(reverse("vote:verify", args=[poll.slug]))
    with scopes_disabled():
        assert Vote.plain.count() == 0


def test_next_cannot_leave_the_poll(client, poll, entries):
    verified = _verify_through_pages(client, poll, next_url="https://evil.example/")
    assert verified["Location"] == reverse("vote:home", args=[poll.slug])


def test_the_captcha_appears_after_repeated_requests_and_its_image_is_served(client, poll, entries):
    url = reverse("vote:verify", args=[poll.slug])
    for n in range(3):
        client.post(url, {"action": "send", "phone": f"1390000{n:04d}"})
    page = client.get(url).content.decode()
    assert 'name="challenge"' in page
    key = page.split('name="challenge" value="')[1].split('"')[0]
    image = client.get(reverse("captcha", args=[key]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"
    assert client.get(reverse("captcha", args=["0" * 32])).status_code == 404
    refused = client.post(url, {"action": "send", "phone": "13900001234"}).content.decode()
    assert "请输入图片中的字符" in refused


def test_counts_are_hidden_or_shown_as_the_rulebook_says(client, poll, entries):
    _verify_through_pages(client, poll)
    client.post(reverse("vote:vote", args=[poll.slug, entries[0].pk]))
    case_url = reverse("vote:case", args=[poll.slug, entries[0].pk])
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.HIDDEN)
    hidden = client.get(case_url).content.decode()
    assert "投票期间不显示票数" in hidden and "1 票" not in hidden
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.LIVE)
    assert "1 票" in client.get(case_url).content.decode()


def test_the_qr_code_is_an_svg_of_the_share_link(client, poll, entries):
    svg = client.get(reverse("vote:qr", args=[poll.slug]), {"c": entries[0].pk})
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg xmlns=\"http://www.w3.org/2000/svg\"")  # an <img> needs the namespace


def test_the_vote_window_message_is_shown(client, poll, entries):
    _verify_through_pages(client, poll)
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1),
                                             opens_at=timezone.now() - dt.timedelta(days=1))
    after = client.post(reverse("vote:vote", args=[poll.slug, entries[0].pk]), follow=True).content.decode()
    assert "投票已于" in after and "截止" in after and "投票已截止" in after


@pytest.mark.parametrize("extra_cases", [0, 36])
def test_a_vote_costs_the_same_queries_however_many_cases(client, poll, entries, campaign, extra_cases,
                                                          django_assert_num_queries):
    from apps.review.tests.conftest import add_cases

    with scopes_disabled():
        add_cases(campaign, poll.round, extra_cases)
    _verify_through_pages(client, poll)
    # One statement: the window, the case, the voter's day and the insert (no case list, no tally). On
    # PostgreSQL it is a prepared statement on psycopg's own cursor, which Django does not count: no ORM query.
    from django.db import connection

    expected = 0 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(expected) as captured:
        response = client.post(reverse("vote:vote", args=[poll.slug, entries[2].pk]))
    if connection.vendor == "postgresql":  # a refusal is the same one statement there
        with django_assert_num_queries(0):
            again = client.post(reverse("vote:vote", args=[poll.slug, entries[2].pk]))
        assert again["X-Vote-Outcome"] == "already"
    assert response.status_code == 303
    if expected:
        assert captured.captured_queries[0]["sql"].lstrip().startswith("WITH p AS")
    with scopes_disabled():
        assert Vote.plain.filter(entry=entries[2]).count() == 1
    assert response["X-Vote-Outcome"] == "ok"


def test_attack_rotating_the_left_most_forwarded_address_does_not_escape_the_captcha(client, poll, entries, settings):
    """Behind one proxy, a script writes a new X-Forwarded-For entry on each request; the proxy appends the
    address it saw. The limits count that one, so the captcha still comes after three requests."""
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 1
    url = reverse("vote:verify", args=[poll.slug])
    for n in range(3):
        client.post(url, {"action": "send", "phone": f"1390000{n:04d}"},
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.50")
    page = client.post(url, {"action": "send", "phone": "13900009999"},
                       HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.50").content.decode()
    assert "请输入图片中的字符" in page


def test_requests_without_a_readable_address_share_one_bucket(client, poll, entries, settings):
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 1
    url = reverse("vote:verify", args=[poll.slug])
    for n in range(3):
        client.post(url, {"action": "send", "phone": f"1390000{n:04d}"})  # no header at all
    assert "请输入图片中的字符" in client.post(url, {"action": "send", "phone": "13900009999"},
                                          HTTP_X_FORWARDED_FOR="garbage").content.decode()


def test_showing_the_verify_page_with_a_captcha_writes_no_row(client, poll, entries):
    from apps.core.models import SpentChallenge

    url = reverse("vote:verify", args=[poll.slug])
    for n in range(3):
        client.post(url, {"action": "send", "phone": f"1390000{n:04d}"})
    for _ in range(5):
        assert 'name="challenge"' in client.get(url).content.decode()
    assert SpentChallenge.objects.count() == 0
