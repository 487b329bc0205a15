"""API tokens end: they expire, are kept only as digests, and end with a password change or reset and with
the holder's last role. A person lists and ends their own tokens, never another's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.audit.models import AuditEntry
from apps.orgs.models import Membership
from apps.orgs.services import member_password_reset, membership_remove, user_password_change
from apps.orgs.tokens import TOKENS_PER_PERSON
from tests.factories import PASSWORD


def obtain(username="admin-330100", password=PASSWORD) -> dict:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_token(text: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return api


def test_a_token_expires_after_the_configured_days_and_is_stored_only_as_a_digest(tree, settings):
    got = obtain()
    expiry = dt.datetime.fromisoformat(got["expiry"])
    assert dt.timedelta(days=settings.API_TOKEN_DAYS) - dt.timedelta(minutes=1) < expiry - timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert got["token"] not in stored and got["token"][len(got["key"]):] not in stored
    assert AuditEntry.plain.filter(action="api_token.create").count() == 1
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 200


def test_an_expired_token_is_refused(tree):
    got = obtain()
    AuthToken.objects.filter(user=tree.hangzhou_admin).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 401


def test_a_person_lists_and_ends_their_own_tokens(tree):
    first, second = obtain(), obtain()
    api = with_token(first["token"])
    listed = api.get("/api/v1/auth/tokens/").json()
    assert {t["key"] for t in listed} == {first["key"], second["key"]}
    assert [t["current"] for t in listed if t["key"] == first["key"]] == [True]
    assert api.delete(f"/api/v1/auth/tokens/{second['key']}/").status_code == 204
    assert with_token(second["token"]).get("/api/v1/orgs/").status_code == 401
    assert api.get("/api/v1/orgs/").status_code == 200


def test_nobody_ends_another_persons_token(tree):
    theirs = obtain("admin-330100")
    mine = with_token(obtain("admin-330000")["token"])
    assert mine.delete(f"/api/v1/auth/tokens/{theirs['key']}/").status_code == 404
    assert with_token(theirs["token"]).get("/api/v1/orgs/").status_code == 200


def test_a_password_change_ends_every_token(tree, system):
    got = obtain()
    user_password_change(user=tree.hangzhou_admin, old_password=PASSWORD, new_password="Hangzhou-2026-new")
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 401
    assert AuditEntry.plain.filter(action="user.password_change", data__contains='"api_tokens_revoked":1').exists()


def test_a_password_reset_ends_every_token(tree, system):
    got = obtain("admin-330106")
    member_password_reset(membership=Membership.plain.get(user=tree.xihu_admin, org=tree.xihu), by=tree.hangzhou_admin)
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 401


def test_only_the_end_of_the_last_role_ends_the_tokens(tree, system):
    membership_add_other = Membership.plain.create(user=tree.xihu_admin, org=tree.shangcheng, role="staff")
    got = obtain("admin-330106")
    membership_remove(membership=membership_add_other, by=tree.hangzhou_admin)
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 200
    membership_remove(membership=Membership.plain.get(user=tree.xihu_admin, org=tree.xihu), by=tree.hangzhou_admin)
    assert with_token(got["token"]).get("/api/v1/orgs/").status_code == 401


def test_no_token_while_the_admins_password_has_not_been_changed(tree, system):
    new = member_password_reset(membership=Membership.plain.get(user=tree.xihu_admin, org=tree.xihu),
                                by=tree.hangzhou_admin)
    refused = APIClient().post("/api/v1/auth/token/", {"username": "admin-330106", "password": new}, format="json")
    assert refused.status_code == 400
    assert "请先在网页上修改管理员为您设置的密码" in refused.json()["detail"][0]


def test_a_wrong_password_gets_no_token_and_counts_as_a_failed_log_in(tree, settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    refused = APIClient().post("/api/v1/auth/token/", {"username": "admin-330100", "password": "nope"}, format="json")
    assert refused.status_code == 400 and "用户名或密码不正确" in refused.json()["detail"][0]
    assert AccessAttempt.objects.filter(username="admin-330100").exists()


def test_a_person_holds_at_most_ten_tokens(tree):
    for _ in range(TOKENS_PER_PERSON):
        obtain()
    refused = APIClient().post("/api/v1/auth/token/", {"username": "admin-330100", "password": PASSWORD},
                               format="json")
    assert refused.status_code == 400 and "请先撤销不再使用的令牌" in refused.json()["detail"][0]


def test_my_account_page_makes_a_token_shown_once_and_ends_it(client, tree):
    client.force_login(tree.hangzhou_admin)
    shown = client.post(reverse("account_token_new"))
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    text = shown.context["text"]
    assert with_token(text).get("/api/v1/orgs/").status_code == 200
    key = shown.context["token"].token_key[:8]
    assert key in client.get(reverse("account")).content.decode() and text not in client.get(reverse("account")).content.decode()
    assert client.post(reverse("account_token_revoke", args=[key])).status_code == 302
    assert with_token(text).get("/api/v1/orgs/").status_code == 401


@pytest.mark.parametrize("key", ["", "abc", "x" * 8])
def test_ending_a_token_that_is_not_yours_or_too_short_a_key_is_404(client, tree, key):
    obtain()
    client.force_login(tree.hangzhou_admin)
    if key:
        assert client.post(reverse("account_token_revoke", args=[key])).status_code == 404
    assert AuthToken.objects.filter(user=tree.hangzhou_admin).count() == 1


def test_attack_guessing_through_the_token_endpoint_cannot_lock_an_official_out(tree, settings):
    """From the second failure on the endpoint checks no password: the person logs in on the page (captcha)."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    answers = [APIClient().post("/api/v1/auth/token/", {"username": "admin-330100", "password": f"guess-{n}"},
                                format="json") for n in range(8)]
    assert all(a.status_code == 400 for a in answers)
    assert "请先在网页上登录" in answers[-1].json()["detail"][0]
    assert sum(AccessAttempt.objects.filter(username="admin-330100").values_list("failures_since_start",
                                                                                   flat=True)) == 2
    right = APIClient().post("/api/v1/auth/token/", {"username": "admin-330100", "password": PASSWORD}, format="json")
    assert right.status_code == 400, "the right password too waits for the log-in page"
