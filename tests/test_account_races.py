"""Two requests at the same moment cannot both spend one captcha, one SMS code, one invitation, or get more
API tokens than a person may hold. PostgreSQL only: SQLite serialises writers, so there is no race there."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from knox.models import AuthToken

from apps.core import captcha, otp, sms
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership, MembershipInvitation
from apps.orgs.services import invitation_accept, member_invite_existing
from apps.orgs.tokens import TOKENS_PER_PERSON, token_create
from tests.concurrency import at_once
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_one_captcha_answered_twice_at_once_passes_once(tree):
    challenge = captcha.challenge_new()

    def answer(_user):
        if not captcha.challenge_pass(challenge.key, challenge.answer):
            raise ValidationError("spent")

    outcomes = at_once(answer, ["admin-330100", "admin-330106"])
    assert sorted(outcomes.values()) == ["ok", "spent"]


def test_one_sms_code_checked_twice_at_once_opens_once(tree, settings):
    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    otp.code_send(purpose="race", subject="1", phone="13900000001", text="验证码%(code)s，%(minutes)d分钟")
    code = sms.outbox[-1].text[3:9]

    def check(_user):
        try:
            otp.code_check(purpose="race", subject="1", code=code)
        except otp.CodeError as exc:
            raise ValidationError(exc.message)

    outcomes = at_once(check, ["admin-330100", "admin-330106"])
    assert list(outcomes.values()).count("ok") == 1


def test_an_invitation_accepted_twice_at_once_gives_one_role_and_one_audit_row(tree):
    from apps.audit.models import AuditEntry

    with scopes_disabled():
        li = make_user("clerk-li", "李文")
        invitation = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")

    def accept(_user):
        invitation_accept(invitation=invitation, by=li)

    outcomes = at_once(accept, ["admin-330100", "admin-330106"])
    assert list(outcomes.values()).count("ok") == 1
    with scopes_disabled():
        assert Membership.plain.filter(user=li, org=tree.xihu, is_active=True).count() == 1
        assert MembershipInvitation.plain.get(pk=invitation.pk).state == "accepted"
        assert AuditEntry.plain.filter(action="membership.add", data__contains='"invitation"').count() == 1


def test_tokens_asked_for_at_once_stay_within_the_limit(tree):
    with scopes_disabled():
        for _ in range(TOKENS_PER_PERSON - 1):
            AuthToken.objects.create(user=tree.hangzhou_admin)
        clerks = [make_user(f"clerk-{n}", f"同事{n}") for n in range(3)]

    def ask(_user):
        token_create(user=tree.hangzhou_admin, by=tree.hangzhou_admin)

    outcomes = at_once(ask, [c.username for c in clerks])
    assert list(outcomes.values()).count("ok") == 1
    assert AuthToken.objects.filter(user=tree.hangzhou_admin).count() == TOKENS_PER_PERSON
