"""API tokens (django-rest-knox): each ends after API_TOKEN_DAYS, is stored only as a SHA-512 digest, and all
of a person's tokens end at once when their password changes or is reset, or when their last role ends.

A token is named to its holder by its first characters (`token_key`, knox's own index), never shown whole
again after it was made. These functions are the only writers of tokens; the API and the account page call
them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from apps.audit.services import audit_record
from apps.core.errors import NotFound
from apps.orgs.models import User

KEY_SHOWN = 8  # characters of token_key shown to the holder to tell tokens apart
TOKENS_PER_PERSON = 10


def tokens_of(user: User) -> QuerySet[AuthToken]:
    """The person's tokens that still work, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_create(*, user: User, by: User) -> tuple[AuthToken, str]:
    """A new token for `user` (only ever the person themself); returns it and its text, shown once."""
    if by.pk != user.pk:
        raise NotFound()
    if not user.is_active:
        raise ValidationError(_("该账号已停用"))
    if user.must_change_password:
        raise ValidationError(_("请先在网页上修改管理员为您设置的密码，然后再申请接口令牌"))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time holds the limit
        AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        if AuthToken.objects.filter(user=user).count() >= TOKENS_PER_PERSON:
            raise ValidationError(_("您已有%(n)d个有效的接口令牌，请先撤销不再使用的令牌") % {"n": TOKENS_PER_PERSON})
        token, text = AuthToken.objects.create(user=user)
        audit_record(actor=by, action="api_token.create", target=user,
                     data={"token": token.token_key[:KEY_SHOWN], "expiry": token.expiry})
    return token, text


def token_revoke(*, user: User, by: User, key: str) -> int:
    """End one of the person's own tokens, named by the first characters of its key."""
    key = (key or "").strip()
    if by.pk != user.pk or len(key) < KEY_SHOWN:
        raise NotFound()
    with transaction.atomic():
        deleted, _by_model = AuthToken.objects.filter(user=user, token_key__startswith=key).delete()
        if not deleted:
            raise NotFound()
        audit_record(actor=by, action="api_token.revoke", target=user, data={"token": key[:KEY_SHOWN]})
    return deleted


def tokens_revoke_all(user: User) -> int:
    """End every token of `user`; inside the transaction of the change that calls for it (which audits it)."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted
