"""Set-up guards: production is the default and refuses default or short secrets and SMS backends that send
nothing, and passes check --deploy; log-in locks after 5 failures; idle sessions end."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from apps.core import captcha

ROOT = Path(__file__).resolve().parent.parent


# Settings under test, and what the browser tests put into the environment of the test process.
SECRET_NAMES = {"SECRET_KEY", "DEBUG", "VOTE_PHONE_PEPPER", "AUDIT_KEY", "SMS_BACKEND", "SMS_HTTP_URL",
                "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
# What an operator sets for production: random secrets of 50+ characters, a real SMS provider, the host name.
PRODUCTION = {"SECRET_KEY": "k3Q9-zx8Lw2" * 6, "VOTE_PHONE_PEPPER": "p7Rt-Vb4Nm1" * 6, "AUDIT_KEY": "a5Hs-Jd2Kq8" * 6,
              "SMS_BACKEND": "http", "SMS_HTTP_URL": "https://sms.example.cn/send", "ALLOWED_HOSTS": "innocase.example.cn"}


def _run(code: str, env_extra: dict) -> subprocess.CompletedProcess:
    """Django started in a fresh process: settings are read once, at import."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                          env={**env, "DJANGO_SETTINGS_MODULE": "innocase.settings"}, capture_output=True, text=True)


def _django_setup(env_extra):
    return _run("import django; django.setup(); print('started')", env_extra)


def test_production_is_the_default_when_debug_is_not_set():
    result = _django_setup({})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_the_default_secret_key():
    result = _django_setup({**PRODUCTION, "DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "VOTE_PHONE_PEPPER", "AUDIT_KEY"])
def test_production_mode_refuses_a_secret_shorter_than_50_characters(name):
    result = _django_setup({**PRODUCTION, "DEBUG": "false", name: "Zq8-" * 12})  # 48 characters
    assert result.returncode != 0
    assert f"{name} must be set to a random value of at least 50 characters" in result.stderr


@pytest.mark.parametrize("backend", ["console", "memory"])
def test_production_mode_refuses_an_sms_backend_that_sends_nothing(backend):
    result = _django_setup({**PRODUCTION, "DEBUG": "false", "SMS_BACKEND": backend})
    assert result.returncode != 0 and 'SMS_BACKEND must be "http"' in result.stderr


def test_production_mode_starts_with_real_secrets():
    result = _django_setup({**PRODUCTION, "DEBUG": "false"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_check_deploy_with_production_settings_has_no_warnings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env={**{k: v for k, v in os.environ.items() if k not in SECRET_NAMES}, **PRODUCTION,
                                 "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "innocase.settings"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_sends_https_only():
    result = _run("import django; django.setup(); from django.conf import settings as s; "
                  "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)",
                  {**PRODUCTION, "DEBUG": "false"})
    assert result.stdout.split() == ["True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "True"]
    turned_off = _run("import django; django.setup(); from django.conf import settings as s; "
                      "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)",
                      {**PRODUCTION, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "SECURE_PROXY_SSL_HEADER": ""})
    assert turned_off.stdout.split() == ["False", "None"]


def test_sessions_end_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_request_pushes_the_session_end_back_at_most_once_a_minute(client, tree, monkeypatch):
    from django.contrib.sessions.models import Session

    import apps.orgs.middleware as middleware

    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(tree.hangzhou_admin)
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    client.get("/")
    first = expiry()
    clock[0] += 30  # within the minute: the session is not written again
    client.get("/")
    assert expiry() == first
    clock[0] += 31  # a minute after the last push: the end moves back
    client.get("/")
    assert expiry() > first


def _solved() -> dict:
    challenge = captcha.challenge_new()
    return {"challenge": challenge.key, "answer": challenge.answer}


def test_after_two_failures_the_log_in_page_shows_a_captcha(client, tree, settings):
    settings.AXES_ENABLED = True
    assert 'name="challenge"' not in client.get("/login/").content.decode()
    first = client.post("/login/", {"username": "admin-330100", "password": "wrong"}).content.decode()
    assert 'name="challenge"' not in first
    second = client.post("/login/", {"username": "admin-330100", "password": "wrong"}).content.decode()
    key = second.split('name="challenge" value="')[1].split('"')[0]
    assert client.get(reverse("captcha", args=[key])).status_code == 200


def test_attack_a_stranger_without_the_captcha_cannot_lock_an_official_out(client, tree, settings):
    """The attack: anyone who knows an official's user name posts wrong passwords to lock the account. From the
    third try each needs the captcha; a try without it never reaches the password, so it is no failure."""
    settings.AXES_ENABLED = True
    answers = [client.post("/login/", {"username": "admin-330100", "password": f"guess-{n}"}) for n in range(20)]
    assert all(a.status_code == 200 for a in answers)
    assert "请输入图片中的字符" in answers[-1].content.decode()
    assert sum(AccessAttempt.objects.filter(username="admin-330100").values_list("failures_since_start", flat=True)) == 2
    official = client.post("/login/", {"username": "admin-330100", "password": "innocase-test-pw", **_solved()})
    assert official.status_code == 302


def test_a_wrong_captcha_answer_is_said_at_the_captcha_and_counts_no_failure(client, tree, settings):
    settings.AXES_ENABLED = True
    for _ in range(2):
        client.post("/login/", {"username": "admin-330100", "password": "wrong"})
    challenge = captcha.challenge_new()
    page = client.post("/login/", {"username": "admin-330100", "password": "innocase-test-pw",
                                   "challenge": challenge.key, "answer": "0000"}).content.decode()
    assert "图片验证码不正确，请重新输入" in page and 'id="answer-error"' in page
    assert sum(AccessAttempt.objects.filter(username="admin-330100").values_list("failures_since_start", flat=True)) == 2


def test_five_failures_with_the_captcha_answered_lock_the_account_for_15_minutes(client, tree, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        refused = client.post("/login/", {"username": "admin-330100", "password": "wrong", **_solved()})
        assert refused.status_code in (200, 429)
    locked = client.post("/login/", {"username": "admin-330100", "password": "innocase-test-pw", **_solved()})
    assert locked.status_code == 429
    assert "已锁定15分钟" in locked.content.decode()
    assert settings.AXES_COOLOFF_TIME * 60 == 15


def test_a_correct_password_signs_in(client, tree, settings):
    settings.AXES_ENABLED = True
    response = client.post("/login/", {"username": "admin-330100", "password": "innocase-test-pw"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_person_may_sign_in_with_their_mobile_number(client, tree):
    tree.hangzhou_admin.phone = "13811112222"
    tree.hangzhou_admin.save(update_fields=["phone"])
    response = client.post("/login/", {"username": "13811112222", "password": "innocase-test-pw"})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == tree.hangzhou_admin.pk
    client.logout()
    refused = client.post("/login/", {"username": "13811112222", "password": "wrong"})
    assert refused.status_code == 200 and "用户名或密码不正确" in refused.content.decode()
