"""SMS one-time codes that prove a phone: single use, limited tries and sends, bound to what they unlock."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.core import otp, sms
from apps.core.models import OneTimeCode


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def send(subject="1", phone="13900000001", now=None):
    otp.code_send(purpose="test", subject=subject, phone=phone, text="验证码%(code)s，%(minutes)d分钟内有效", now=now)
    return re.search(r"验证码(\d{6})", sms.outbox[-1].text).group(1)


def test_a_code_opens_once_and_only_its_own_subject(db):
    code = send()
    with pytest.raises(otp.CodeError):
        otp.code_check(purpose="test", subject="2", code=code)
    otp.code_check(purpose="test", subject="1", code=code)
    with pytest.raises(otp.CodeError, match="已失效"):
        otp.code_check(purpose="test", subject="1", code=code)
    assert code not in " ".join(OneTimeCode.objects.values_list("code_hash", flat=True))


def test_three_wrong_tries_spend_a_code(db):
    code = send()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(otp.CHECK_ATTEMPTS):
        with pytest.raises(otp.CodeError):
            otp.code_check(purpose="test", subject="1", code=wrong)
    with pytest.raises(otp.CodeError, match="错误次数过多"):
        otp.code_check(purpose="test", subject="1", code=code)


def test_an_expired_code_is_refused(db):
    code = send(now=timezone.now() - dt.timedelta(seconds=otp.CODE_SECONDS + 1))
    with pytest.raises(otp.CodeError, match="已失效"):
        otp.code_check(purpose="test", subject="1", code=code)


def test_sends_wait_a_minute_and_stop_at_five_an_hour_per_phone(db):
    start = timezone.now() - dt.timedelta(minutes=30)
    send(now=start)
    with pytest.raises(otp.CodeError, match="秒后再重新获取"):
        send(now=start + dt.timedelta(seconds=30))
    for n in range(1, otp.PER_HOUR):
        send(subject=str(n + 1), now=start + dt.timedelta(minutes=n))  # other subjects, the same phone
    with pytest.raises(otp.CodeError, match="1小时内获取验证码已达5次"):
        send(subject="99", now=start + dt.timedelta(minutes=10))
    assert len(sms.outbox) == otp.PER_HOUR


def test_a_gateway_failure_keeps_nothing(db, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    settings.SMS_TIMEOUT = 1
    with pytest.raises(otp.CodeError, match="短信服务"):
        send()
    assert not OneTimeCode.objects.exists()
