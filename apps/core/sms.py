"""Sending SMS one-time codes (issue 6: public voters verify a phone number).

Callers use `gateway().send(phone, text)`; the backend comes from settings on every call:

    SMS_BACKEND     "console" (development, default), "memory" (tests) or "http" (a real provider)
    SMS_HTTP_URL    the provider's endpoint, http:// or https://          (backend "http")
    SMS_HTTP_TOKEN  sent as "Authorization: Bearer <token>"; empty sends no header
    SMS_TIMEOUT     seconds to wait for the provider (default 5)
    SMS_SIGN        signature put before every text (default "【创新案例】")

The "http" backend speaks one small JSON protocol, so an operator can put a shim of a few
lines in front of Aliyun, Tencent Cloud or any other SMS provider:

    POST <SMS_HTTP_URL>
    Authorization: Bearer <SMS_HTTP_TOKEN>
    Content-Type: application/json

    {"mobile": "13812345678", "content": "【创新案例】您的验证码是 123456，10分钟内有效"}

The shim answers HTTP 2xx with a JSON object:

    {"code": 0, "id": "<the provider's message id>"}          sent
    {"code": <anything else>, "message": "<why not>"}           refused; the first 60 characters
                                                                 of "message" reach the voter

Any other answer (HTTP 4xx/5xx, no answer within SMS_TIMEOUT, no connection, a body that is
not such a JSON object) fails the send with an `SmsError` whose message tells the voter what
happened and to try again later. Failures are logged to the "innocase.sms" logger. A full
phone number never appears in a log line or an error message: only `mask_phone(phone)`.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import logging
import sys
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger("innocase.sms")

DEFAULT_SIGN = "【创新案例】"
PROVIDER_MESSAGE_CHARS = 60


class SmsError(Exception):
    """A text could not be sent. `message` is a Chinese sentence fit to show the voter."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def mask_phone(phone: str) -> str:
    """Turn 13812345678 into 138****5678: enough to tell numbers apart in a log, not to call one."""
    phone = phone.strip()
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 4:
        return f"****{phone[-2:]}"
    return "****"


class SmsGateway(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> str:
        """Send `text` to `phone`; return the provider's message id or raise SmsError."""


# Module-level so ids stay unique although gateway() builds a new gateway for every send.
_console_ids = itertools.count(1)
_memory_ids = itertools.count(1)


class ConsoleGateway(SmsGateway):
    """Development: the text goes to the runserver console instead of a phone."""

    def send(self, phone: str, text: str) -> str:
        line = f"短信 → {mask_phone(phone)}：{text}"
        logger.warning(line)
        # Also stdout: with LOG_LEVEL above WARNING, `make demo` users would otherwise never see the code.
        print(line, file=sys.stdout, flush=True)
        return f"console-{next(_console_ids)}"


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    at: dt.datetime


# What MemoryGateway sent, like django.core.mail.outbox. Tests empty it with `outbox.clear()`
# (never rebind it: callers hold a reference to this list).
outbox: list[SentSms] = []


class MemoryGateway(SmsGateway):
    """Tests: keeps every text in `outbox` instead of sending it."""

    def send(self, phone: str, text: str) -> str:
        outbox.append(SentSms(phone=phone, text=text, at=timezone.now()))
        return f"memory-{next(_memory_ids)}"


class HttpGateway(SmsGateway):
    """A real provider behind the JSON protocol in this module's docstring."""

    def __init__(self, url: str, token: str = "", timeout: float = 5.0, sign: str = DEFAULT_SIGN):
        # urllib also opens file:// and ftp:// URLs; a provider is only ever reached over HTTP(S).
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http:// or https:// URL")
        self.url = url
        self.token = token
        self.timeout = float(timeout)
        self.sign = sign

    def send(self, phone: str, text: str) -> str:
        payload = json.dumps({"mobile": phone, "content": self.sign + text}, ensure_ascii=False)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=payload.encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = _scrub(_read_quietly(exc), phone)
            exc.close()
            self._fail(phone, f"HTTP {exc.code}: {detail!r}")
            raise SmsError(_("短信服务暂时不可用（HTTP %(status)s），请稍后再试") % {"status": exc.code}) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timed_out(phone) from exc
            self._fail(phone, f"no connection: {exc.reason}")
            raise SmsError(_("无法连接短信服务，请稍后再试")) from exc
        except TimeoutError as exc:  # socket.timeout while waiting for or reading the answer
            raise self._timed_out(phone) from exc
        except (OSError, http.client.HTTPException) as exc:  # e.g. the connection dropped mid-answer
            self._fail(phone, f"connection lost: {exc!r}")
            raise SmsError(_("无法连接短信服务，请稍后再试")) from exc
        return self._message_id(phone, body)

    def _message_id(self, phone: str, body: bytes) -> str:
        try:
            answer = json.loads(body.decode("utf-8"))
        except ValueError:  # also UnicodeDecodeError
            answer = None
        if not isinstance(answer, dict) or "code" not in answer:
            self._fail(phone, f"unrecognised answer: {_scrub(body[:200].decode('utf-8', 'replace'), phone)!r}")
            raise SmsError(_("短信服务返回了无法识别的结果，请稍后再试"))
        code = answer["code"]
        if code not in (0, "0") or isinstance(code, bool):
            code = _scrub(str(code), phone)[:40]  # Aliyun codes run to ~30 characters
            reason = _scrub(str(answer.get("message") or answer.get("msg") or ""), phone).strip()
            reason = reason[:PROVIDER_MESSAGE_CHARS]
            self._fail(phone, f"refused: code={code!r} message={reason!r}")
            if reason:
                message = _("短信服务商拒绝发送（%(code)s：%(reason)s），请稍后再试") % {"code": code, "reason": reason}
            else:
                message = _("短信服务商拒绝发送（%(code)s），请稍后再试") % {"code": code}
            raise SmsError(message)
        message_id = answer.get("id")
        if message_id in (None, ""):
            # The text went out; failing now would only make the voter ask for a second one.
            logger.warning("SMS to %s sent without a message id in the answer", mask_phone(phone))
            return ""
        return str(message_id)

    def _timed_out(self, phone: str) -> SmsError:
        self._fail(phone, f"no answer within {self.timeout:g}s")
        return SmsError(_("短信服务在%(seconds)s秒内没有响应，请稍后再试") % {"seconds": f"{self.timeout:g}"})

    def _fail(self, phone: str, detail: str) -> None:
        # Not the URL: an operator may have put a key in its query string.
        logger.error("SMS to %s failed: %s", mask_phone(phone), detail)


def _read_quietly(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read(200).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""


def _scrub(text: str, phone: str) -> str:
    """Providers may echo the number back; it must not reach a log or the voter's screen."""
    return text.replace(phone, mask_phone(phone)) if phone else text


def gateway() -> SmsGateway:
    """The gateway the settings ask for, built afresh so tests can switch it with `settings`."""
    backend = getattr(settings, "SMS_BACKEND", "console")
    if backend == "console":
        return ConsoleGateway()
    if backend == "memory":
        return MemoryGateway()
    if backend == "http":
        url = getattr(settings, "SMS_HTTP_URL", "")
        if not url:
            raise ImproperlyConfigured('SMS_BACKEND is "http" but SMS_HTTP_URL is empty')
        return HttpGateway(
            url=url,
            token=getattr(settings, "SMS_HTTP_TOKEN", ""),
            timeout=float(getattr(settings, "SMS_TIMEOUT", 5)),
            sign=getattr(settings, "SMS_SIGN", DEFAULT_SIGN),
        )
    raise ImproperlyConfigured(f'SMS_BACKEND must be "console", "memory" or "http", not {backend!r}')
