"""One-time codes by SMS that prove a person holds a phone (the public vote has its own, apps.voting).

`code_send(purpose=…, subject=…, phone=…, text=…)` sends a 6-digit code, valid CODE_SECONDS, through the SMS
gateway (apps.core.sms); `code_check(purpose=…, subject=…, code=…)` accepts it once. `subject` names what the
code unlocks (an invitation's id), so a code sent for one thing never unlocks another. Limits: a new code
for a subject after RESEND_SECONDS; at most PER_HOUR codes an hour per subject and per phone; CHECK_ATTEMPTS
wrong tries spend a code. Codes and phones are kept only as HMAC under SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import OneTimeCode
from apps.core.sms import SmsError, gateway

DIGITS = 6
CODE_SECONDS = 10 * 60
RESEND_SECONDS = 60
PER_HOUR = 5
CHECK_ATTEMPTS = 3


class CodeError(Exception):
    """A refused request, with the sentence the person reads."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _mac(kind: str, text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"innocase.otp.{kind}:{text}".encode(), hashlib.sha256).hexdigest()


def code_send(*, purpose: str, subject: str, phone: str, text: str, now: dt.datetime | None = None) -> OneTimeCode:
    """Send a new code; `text` holds "%(code)s" and "%(minutes)d". Raises CodeError when a limit is reached or
    the gateway fails (nothing is kept then)."""
    now = now or timezone.now()
    phone_hash = _mac("phone", phone)
    hour_ago = now - dt.timedelta(hours=1)
    with transaction.atomic():
        recent = OneTimeCode.objects.select_for_update().filter(purpose=purpose, subject=subject,
                                                                 created_at__gte=hour_ago)
        last = recent.order_by("-created_at").first()
        if last is not None and (now - last.created_at).total_seconds() < RESEND_SECONDS:
            wait = RESEND_SECONDS - int((now - last.created_at).total_seconds())
            raise CodeError(_("验证码已发送，请%(n)d秒后再重新获取") % {"n": max(wait, 1)})
        if (recent.count() >= PER_HOUR
                or OneTimeCode.objects.filter(phone_hash=phone_hash, created_at__gte=hour_ago).count() >= PER_HOUR):
            raise CodeError(_("该手机号1小时内获取验证码已达%(n)d次，请稍后再试") % {"n": PER_HOUR})
        code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
        record = OneTimeCode.objects.create(purpose=purpose, subject=subject, phone_hash=phone_hash,
                                            code_hash=_mac("code", f"{purpose}:{subject}:{code}"), created_at=now,
                                            expires_at=now + dt.timedelta(seconds=CODE_SECONDS))
        try:
            gateway().send(phone, text % {"code": code, "minutes": CODE_SECONDS // 60})
        except SmsError as exc:  # raised inside the block: the record goes with the rollback
            raise CodeError(exc.message) from None
    return record


def code_check(*, purpose: str, subject: str, code: str, now: dt.datetime | None = None) -> None:
    """Accept the last code sent for `subject`, once; raises CodeError with what went wrong. A wrong try is
    counted in this function's own transaction: call it before (outside) the transaction of what the code
    unlocks, after everything else was checked, so a refusal there cannot give a guess back."""
    now = now or timezone.now()
    code = (code or "").strip()
    if len(code) != DIGITS or not code.isdigit():
        raise CodeError(_("请输入%(n)d位数字短信验证码") % {"n": DIGITS})
    failure = None
    with transaction.atomic():
        record = (OneTimeCode.objects.select_for_update()
                  .filter(purpose=purpose, subject=subject, used_at__isnull=True).order_by("-created_at").first())
        if record is None or record.expires_at <= now:
            failure = _("短信验证码已失效，请重新获取")
        elif record.attempts >= CHECK_ATTEMPTS:
            failure = _("短信验证码错误次数过多，请重新获取")
        elif not secrets.compare_digest(record.code_hash, _mac("code", f"{purpose}:{subject}:{code}")):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            left = CHECK_ATTEMPTS - record.attempts
            failure = (_("短信验证码不正确，还可以再试%(n)d次") % {"n": left} if left
                       else _("短信验证码错误次数过多，请重新获取"))
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
    if failure is not None:
        raise CodeError(failure)


def code_sent(*, purpose: str, subject: str, now: dt.datetime | None = None) -> bool:
    """Whether a code for `subject` is out and still usable (the page then asks for it)."""
    return OneTimeCode.objects.filter(purpose=purpose, subject=subject, used_at__isnull=True,
                                      expires_at__gt=now or timezone.now()).exists()
