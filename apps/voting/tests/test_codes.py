"""Voter verification (issue 6): a 6-digit code by SMS, valid 5 minutes, 3 attempts, resend after 60 s, at
most 5 an hour and 10 a day per phone, per-address limits and an image captcha; phones only as HMAC."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import socket

import pytest
from django.db import connection
from django.utils import timezone

from apps.core import captcha, sms
from apps.core.models import SpentChallenge
from apps.core.scoping import scopes_disabled
from apps.voting import services
from apps.voting.models import PhoneCode, Voter
from apps.voting.services import CaptchaRequired, VoteError
from apps.voting.tests.conftest import ADDRESS, last_code

PHONE = "13812345678"


def addresses():
    n = 0
    while True:
        n += 1
        yield f"198.51.{n // 250}.{n % 250 + 1}"


def test_a_code_goes_by_sms_and_verifies_a_voter_known_only_by_a_keyed_hash(poll, settings):
    with scopes_disabled():
        record = services.code_request(poll=poll, phone="+86 138-1234-5678", address=ADDRESS)
        code = last_code(PHONE)
        assert len(code) == 6 and code.isdigit()
        assert (record.expires_at - record.created_at).total_seconds() == 300
        voter = services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS)
    expected = hmac.new(settings.VOTE_PHONE_PEPPER.encode(), f"phone:{PHONE}".encode(), hashlib.sha256).hexdigest()
    assert voter.phone_hash == expected
    # The number is nowhere in the voting tables, in any column.
    for table in ("voting_voter", "voting_phonecode"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")
            rows = cursor.fetchall()
        assert rows and PHONE not in repr(rows) and code not in repr(rows)


def test_the_same_phone_is_the_same_voter_and_a_used_code_does_not_work_twice(poll):
    with scopes_disabled():
        services.code_request(poll=poll, phone=PHONE, address=ADDRESS)
        code = last_code(PHONE)
        first = services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS)
        with pytest.raises(VoteError) as refused:
            services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS)
        later = timezone.now() + dt.timedelta(seconds=61)
        services.code_request(poll=poll, phone=PHONE, address=ADDRESS, now=later)
        second = services.code_verify(poll=poll, phone=PHONE, code=last_code(PHONE), address=ADDRESS, now=later)
    assert refused.value.code == "code_expired"
    assert first.pk == second.pk and Voter.objects.count() == 1


def test_three_wrong_codes_spend_the_code(poll):
    with scopes_disabled():
        services.code_request(poll=poll, phone=PHONE, address=ADDRESS)
        right = last_code(PHONE)
        wrong = f"{(int(right) + 1) % 1000000:06d}"
        messages = []
        for _n in range(3):
            with pytest.raises(VoteError) as refused:
                services.code_verify(poll=poll, phone=PHONE, code=wrong, address=ADDRESS)
            messages.append(refused.value.message)
        with pytest.raises(VoteError) as spent:
            services.code_verify(poll=poll, phone=PHONE, code=right, address=ADDRESS)
        assert PhoneCode.plain.get().attempts == 3
    assert messages == ["验证码不正确，还可以再试2次", "验证码不正确，还可以再试1次", "验证码错误次数过多，请重新获取"]
    assert spent.value.code == "code_spent"


def test_a_code_is_valid_five_minutes(poll):
    start = timezone.now()
    with scopes_disabled():
        services.code_request(poll=poll, phone=PHONE, address=ADDRESS, now=start)
        code = last_code(PHONE)
        with pytest.raises(VoteError) as late:
            services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS,
                                 now=start + dt.timedelta(seconds=300))
        voter = services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS,
                                     now=start + dt.timedelta(seconds=299))
    assert late.value.code == "code_expired" and voter.pk


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", ""])
def test_a_code_that_is_not_six_digits_is_refused_in_words(poll, code):
    with scopes_disabled(), pytest.raises(VoteError) as refused:
        services.code_verify(poll=poll, phone=PHONE, code=code, address=ADDRESS)
    assert refused.value.message == "请输入6位数字验证码"


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "12812345678", "138123456789", "phone"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(poll, phone):
    from django.core.exceptions import ValidationError

    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        services.code_request(poll=poll, phone=phone, address=ADDRESS)
    assert refused.value.messages == ["请输入正确的11位手机号码"]
    assert sms.outbox == []


def test_resend_waits_sixty_seconds(poll):
    start = timezone.now()
    with scopes_disabled():
        services.code_request(poll=poll, phone=PHONE, address="198.51.100.1", now=start)
        with pytest.raises(VoteError) as early:
            services.code_request(poll=poll, phone=PHONE, address="198.51.100.2",
                                  now=start + dt.timedelta(seconds=45))
        services.code_request(poll=poll, phone=PHONE, address="198.51.100.3", now=start + dt.timedelta(seconds=60))
    assert early.value.code == "resend" and early.value.message == "验证码已发送，请15秒后再重新获取"
    assert len(sms.outbox) == 2


def test_at_most_five_codes_an_hour_and_ten_a_day_per_phone(poll):
    # 08:00 Beijing time of a day inside the window, so the day does not end during the test.
    day = timezone.localtime(poll.opens_at).date() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
    where = addresses()
    with scopes_disabled():
        for n in range(5):
            services.code_request(poll=poll, phone=PHONE, address=next(where), now=start + dt.timedelta(minutes=2 * n))
        with pytest.raises(VoteError) as hourly:
            services.code_request(poll=poll, phone=PHONE, address=next(where), now=start + dt.timedelta(minutes=12))
        later = start + dt.timedelta(hours=1, minutes=1)
        for n in range(5):
            services.code_request(poll=poll, phone=PHONE, address=next(where), now=later + dt.timedelta(minutes=2 * n))
        with pytest.raises(VoteError) as daily:
            services.code_request(poll=poll, phone=PHONE, address=next(where), now=later + dt.timedelta(hours=3))
        # The next Beijing day starts afresh.
        tomorrow = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0, 1)))
        services.code_request(poll=poll, phone=PHONE, address=next(where), now=tomorrow)
    assert hourly.value.code == "phone_hour" and daily.value.code == "phone_day"
    assert "请明天再试" in daily.value.message
    assert len(sms.outbox) == 11


def test_an_address_gets_a_captcha_after_three_requests_an_hour(poll):
    phones = (f"1390000{n:04d}" for n in range(100))
    with scopes_disabled():
        for _n in range(services.CAPTCHA_AFTER):
            services.code_request(poll=poll, phone=next(phones), address=ADDRESS)
        assert services.captcha_needed(ADDRESS) and not services.captcha_needed("192.0.2.1")
        with pytest.raises(CaptchaRequired) as asked:
            services.code_request(poll=poll, phone=next(phones), address=ADDRESS)
        challenge = captcha.challenge_new()
        with pytest.raises(CaptchaRequired) as wrong:
            services.code_request(poll=poll, phone=next(phones), address=ADDRESS, challenge=challenge.key,
                                  answer="0000")
        # A challenge is spent by one try, right or wrong.
        with pytest.raises(CaptchaRequired):
            services.code_request(poll=poll, phone=next(phones), address=ADDRESS, challenge=challenge.key,
                                  answer=challenge.answer)
        fresh = captcha.challenge_new()
        services.code_request(poll=poll, phone="13700001111", address=ADDRESS, challenge=fresh.key,
                              answer=fresh.answer.lower())
        assert SpentChallenge.objects.filter(nonce=fresh.key.split(".")[0]).exists()
    assert asked.value.message == "请输入图片中的字符"
    assert wrong.value.message == "图片验证码不正确，请重新输入"
    assert sms.outbox[-1].phone == "13700001111" and len(sms.outbox) == services.CAPTCHA_AFTER + 1


def test_an_address_is_stopped_after_its_hourly_limit(poll, monkeypatch):
    monkeypatch.setattr(services, "CAPTCHA_AFTER", 1000)
    monkeypatch.setattr(services, "ADDRESS_PER_HOUR", 4)
    with scopes_disabled():
        for n in range(4):
            services.code_request(poll=poll, phone=f"1390000{n:04d}", address=ADDRESS)
        with pytest.raises(VoteError) as stopped:
            services.code_request(poll=poll, phone="13900009999", address=ADDRESS)
        services.code_request(poll=poll, phone="13900009999", address="192.0.2.44")
    assert stopped.value.code == "address_limit"


def test_a_provider_failure_is_told_in_words_and_does_not_block_a_retry(poll, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        settings.SMS_BACKEND = "http"
        settings.SMS_HTTP_URL = f"http://127.0.0.1:{port}/send"
        settings.SMS_TIMEOUT = 1
        with scopes_disabled(), pytest.raises(VoteError) as failed:
            services.code_request(poll=poll, phone=PHONE, address=ADDRESS)
    assert failed.value.code == "sms" and failed.value.message == "无法连接短信服务，请稍后再试"
    settings.SMS_BACKEND = "memory"
    with scopes_disabled():
        assert PhoneCode.plain.get().sent is False
        services.code_request(poll=poll, phone=PHONE, address="192.0.2.9")  # not a resend: nothing was sent
    assert len(sms.outbox) == 1


def test_codes_are_refused_outside_the_voting_window(poll):
    with scopes_disabled(), pytest.raises(VoteError) as closed:
        services.code_request(poll=poll, phone=PHONE, address=ADDRESS, now=poll.closes_at)
    assert closed.value.code == "closed" and closed.value.message.startswith("投票已于")


def test_voting_prune_deletes_spent_captchas_and_ended_windows(poll, settings):
    import io

    from django.core.management import call_command

    from apps.core import ratelimit
    from apps.core.models import RateBucket

    settings.REDIS_URL = ""
    old, fresh = captcha.challenge_new(), captcha.challenge_new()
    assert captcha.challenge_pass(old.key, old.answer, now=timezone.now() - dt.timedelta(seconds=30))
    SpentChallenge.objects.filter(nonce=old.key.split(".")[0]).update(spent_at=timezone.now() - dt.timedelta(minutes=12))
    assert captcha.challenge_pass(fresh.key, fresh.answer)
    ratelimit.add("code-ip:x", 60, now=1_000.0)
    ratelimit.add("code-ip:x", 3600)
    out = io.StringIO()
    call_command("voting_prune", stdout=out)
    assert list(SpentChallenge.objects.values_list("nonce", flat=True)) == [fresh.key.split(".")[0]]
    assert RateBucket.objects.count() == 1 and "deleted 1 captchas and 1 rate-limit windows" in out.getvalue()
