"""Set-up guards: production refuses default secrets; log-in locks after 5 failures; idle sessions end."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _django_setup(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "VOTE_PHONE_PEPPER"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"],
                          cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "innocase.settings"},
                          capture_output=True, text=True)


def test_production_mode_refuses_the_default_secret_key():
    result = _django_setup({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_the_default_vote_phone_pepper():
    result = _django_setup({"DEBUG": "false", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "VOTE_PHONE_PEPPER must be set" in result.stderr


def test_production_mode_starts_with_a_real_secret_key_and_pepper():
    result = _django_setup({"DEBUG": "false", "SECRET_KEY": "x" * 50, "VOTE_PHONE_PEPPER": "p" * 40,
                            "ALLOWED_HOSTS": "innocase.example"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


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


def test_five_wrong_passwords_lock_the_account_for_15_minutes(client, tree, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        refused = client.post("/login/", {"username": "admin-330100", "password": "wrong"})
        assert refused.status_code in (200, 429)
    locked = client.post("/login/", {"username": "admin-330100", "password": "innocase-test-pw"})
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
