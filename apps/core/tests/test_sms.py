"""The SMS gateway (issue 6): voters get their one-time code by SMS.

HttpGateway is tested against a real HTTP server on 127.0.0.1 whose answer each test chooses.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core import sms
from apps.core.sms import ConsoleGateway, HttpGateway, MemoryGateway, SmsError, gateway, mask_phone

VOTER_PHONE = "13812345678"
MASKED = "138****5678"
OK = json.dumps({"code": 0, "id": "sms-20250601-0001"}).encode()


class FakeProvider:
    """What the local server answers, and what it was sent."""

    def __init__(self):
        self.status = 200
        self.body = OK
        self.delay = 0.0
        self.url = ""
        self.received: list[tuple[str, Message, bytes]] = []
        self.released = threading.Event()  # set at teardown so a slow answer stops waiting

    def answers(self, *, status: int = 200, body: bytes = OK, delay: float = 0.0) -> None:
        self.status, self.body, self.delay = status, body, delay


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the slow test's client has hung up before the answer: expected, not noise


@pytest.fixture
def provider(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.received.append((self.path, self.headers, body))
            if fake.delay:
                fake.released.wait(fake.delay)
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, format, *args):
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    try:
        yield fake
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port():
    """A port bound but not listening: connecting to it is refused, and no one else can take it meanwhile."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def http_gateway(provider: FakeProvider, **kwargs) -> HttpGateway:
    return HttpGateway(url=provider.url, token="s3cret-token", timeout=kwargs.pop("timeout", 2.0), **kwargs)


# HttpGateway: success


def test_http_gateway_posts_the_signed_text_with_the_token_and_returns_the_providers_id(provider):
    message_id = http_gateway(provider, sign="【创新案例】").send(VOTER_PHONE, "您的验证码是 123456")

    assert message_id == "sms-20250601-0001"
    [(path, headers, body)] = provider.received
    assert path == "/sms/send"
    assert headers["Authorization"] == "Bearer s3cret-token"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body.decode("utf-8")) == {"mobile": VOTER_PHONE, "content": "【创新案例】您的验证码是 123456"}


def test_http_gateway_without_a_token_sends_no_authorization_header(provider):
    HttpGateway(url=provider.url, token="").send(VOTER_PHONE, "验证码 123456")

    [(_, headers, _)] = provider.received
    assert "Authorization" not in headers


def test_a_numeric_message_id_comes_back_as_text(provider):
    provider.answers(body=json.dumps({"code": 0, "id": 987654321}).encode())

    assert http_gateway(provider).send(VOTER_PHONE, "验证码 123456") == "987654321"


# HttpGateway: failures


def test_a_provider_refusal_shows_its_code_and_reason(provider):
    provider.answers(body=json.dumps({"code": 1001, "message": "签名未审核"}).encode())

    with pytest.raises(SmsError) as caught:
        http_gateway(provider).send(VOTER_PHONE, "验证码 123456")

    assert caught.value.message == "短信服务商拒绝发送（1001：签名未审核），请稍后再试"
    assert str(caught.value) == caught.value.message


def test_a_long_refusal_reason_is_cut_to_60_characters_and_never_shows_the_number(provider):
    reason = f"号码{VOTER_PHONE}当日发送次数超过上限" + "甲" * 100
    provider.answers(body=json.dumps({"code": "isv.BUSINESS_LIMIT_CONTROL", "message": reason}).encode())

    with pytest.raises(SmsError) as caught:
        http_gateway(provider).send(VOTER_PHONE, "验证码 123456")

    shown = f"号码{MASKED}当日发送次数超过上限" + "甲" * 100
    assert caught.value.message == f"短信服务商拒绝发送（isv.BUSINESS_LIMIT_CONTROL：{shown[:60]}），请稍后再试"
    assert VOTER_PHONE not in caught.value.message


def test_an_http_500_says_the_service_is_unavailable(provider):
    provider.answers(status=500, body=b"Internal Server Error")

    with pytest.raises(SmsError) as caught:
        http_gateway(provider).send(VOTER_PHONE, "验证码 123456")

    assert caught.value.message == "短信服务暂时不可用（HTTP 500），请稍后再试"


def test_an_http_4xx_says_the_service_is_unavailable_too(provider):
    provider.answers(status=401, body=json.dumps({"code": 401, "message": "bad token"}).encode())

    with pytest.raises(SmsError) as caught:
        http_gateway(provider).send(VOTER_PHONE, "验证码 123456")

    assert caught.value.message == "短信服务暂时不可用（HTTP 401），请稍后再试"


def test_a_provider_slower_than_the_timeout_is_given_up_on_after_the_timeout(provider):
    provider.answers(delay=10)
    started = time.monotonic()

    with pytest.raises(SmsError) as caught:
        http_gateway(provider, timeout=0.3).send(VOTER_PHONE, "验证码 123456")

    assert caught.value.message == "短信服务在0.3秒内没有响应，请稍后再试"
    assert time.monotonic() - started < 3


def test_a_refused_connection_says_the_service_cannot_be_reached(closed_port):
    with pytest.raises(SmsError) as caught:
        HttpGateway(url=f"http://127.0.0.1:{closed_port}/sms/send", token="t", timeout=2).send(VOTER_PHONE, "验证码")

    assert caught.value.message == "无法连接短信服务，请稍后再试"


@pytest.mark.parametrize(
    "body",
    [b"<html>OK</html>", b"", b"\xff\xfe not utf-8", b'["code", 0]', b'{"id": "no-code"}'],
    ids=["html", "empty", "not-utf8", "json-array", "json-without-code"],
)
def test_an_answer_that_is_not_the_json_protocol_is_unrecognised(provider, body):
    provider.answers(body=body)

    with pytest.raises(SmsError) as caught:
        http_gateway(provider).send(VOTER_PHONE, "验证码 123456")

    assert caught.value.message == "短信服务返回了无法识别的结果，请稍后再试"


@pytest.mark.parametrize(
    "answer",
    [
        {"body": json.dumps({"code": 15, "message": f"invalid mobile {VOTER_PHONE}"}).encode()},
        {"status": 500, "body": f"cannot send to {VOTER_PHONE}".encode()},
        {"body": f"queued for {VOTER_PHONE}".encode()},
        {"delay": 10},
    ],
    ids=["refused", "http-500", "not-json", "timeout"],
)
def test_failures_are_logged_with_the_masked_number_only(provider, caplog, answer):
    provider.answers(**answer)

    with pytest.raises(SmsError) as caught:
        http_gateway(provider, timeout=0.3).send(VOTER_PHONE, "验证码 123456")

    records = [r for r in caplog.records if r.name == "innocase.sms"]
    assert records and all(r.levelname == "ERROR" for r in records)
    assert MASKED in caplog.text
    assert VOTER_PHONE not in caplog.text
    assert VOTER_PHONE not in caught.value.message


def test_an_unreachable_service_is_logged_with_the_masked_number_only(closed_port, caplog):
    with pytest.raises(SmsError):
        HttpGateway(url=f"http://127.0.0.1:{closed_port}/", token="t").send(VOTER_PHONE, "验证码")

    assert MASKED in caplog.text
    assert VOTER_PHONE not in caplog.text


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://sms.example.cn/send", "sms.example.cn/send"])
def test_http_gateway_only_accepts_an_http_or_https_url(url):
    with pytest.raises(ImproperlyConfigured):
        HttpGateway(url=url, token="t")


# Console and memory


def test_console_gateway_prints_the_text_with_a_masked_number(capsys, caplog):
    message_id = ConsoleGateway().send(VOTER_PHONE, "您的验证码是 123456")

    printed = capsys.readouterr().out
    assert printed == f"短信 → {MASKED}：您的验证码是 123456\n"
    [record] = [r for r in caplog.records if r.name == "innocase.sms"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == f"短信 → {MASKED}：您的验证码是 123456"
    assert VOTER_PHONE not in printed + caplog.text
    assert message_id.startswith("console-")


def test_console_gateway_gives_each_text_its_own_id(capsys):
    assert ConsoleGateway().send(VOTER_PHONE, "a") != ConsoleGateway().send(VOTER_PHONE, "b")


def test_memory_gateway_keeps_every_text_in_the_outbox():
    first = MemoryGateway().send(VOTER_PHONE, "验证码 111111")
    second = MemoryGateway().send("13900001111", "验证码 222222")

    assert [(m.phone, m.text) for m in sms.outbox] == [(VOTER_PHONE, "验证码 111111"), ("13900001111", "验证码 222222")]
    assert all(m.at.tzinfo is not None for m in sms.outbox)
    assert first.startswith("memory-") and second.startswith("memory-") and first != second


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("+8613812345678", "+86****5678"),
        ("5551234", "****34"),
        ("123", "****"),
        ("", "****"),
    ],
)
def test_mask_phone_never_shows_the_middle_of_a_number(phone, masked):
    assert mask_phone(phone) == masked


# gateway() reads the settings on every call


def test_gateway_is_the_console_when_no_backend_is_set(settings):
    del settings.SMS_BACKEND

    assert type(gateway()) is ConsoleGateway


def test_gateway_is_the_memory_outbox_when_settings_say_memory(settings):
    settings.SMS_BACKEND = "memory"

    gateway().send(VOTER_PHONE, "验证码 123456")

    assert [m.text for m in sms.outbox] == ["验证码 123456"]


def test_gateway_builds_the_http_provider_from_settings(settings, provider):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = provider.url
    settings.SMS_HTTP_TOKEN = "from-settings"
    settings.SMS_TIMEOUT = "0.5"
    settings.SMS_SIGN = "【某省科协】"

    built = gateway()
    message_id = built.send(VOTER_PHONE, "验证码 123456")

    assert isinstance(built, HttpGateway) and built.timeout == 0.5
    assert message_id == "sms-20250601-0001"
    [(_, headers, body)] = provider.received
    assert headers["Authorization"] == "Bearer from-settings"
    assert json.loads(body)["content"] == "【某省科协】验证码 123456"


def test_gateway_uses_the_default_sign_and_timeout_when_settings_leave_them_out(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "https://sms.example.cn/send"
    del settings.SMS_TIMEOUT
    del settings.SMS_SIGN

    built = gateway()

    assert (built.timeout, built.sign) == (5.0, "【创新案例】")


def test_gateway_refuses_an_http_backend_without_a_url(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = ""

    with pytest.raises(ImproperlyConfigured, match="SMS_HTTP_URL"):
        gateway()


def test_gateway_refuses_an_unknown_backend(settings):
    settings.SMS_BACKEND = "aliyun"

    with pytest.raises(ImproperlyConfigured, match="aliyun"):
        gateway()
