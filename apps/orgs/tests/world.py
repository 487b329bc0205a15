"""Adds the org tree's people objects to the permission-matrix world: world.invitation offers 西湖区's admin a
staff role at 杭州市 (an existing account: it counts only once that person accepts); world.api_token is 杭州市's
admin's API token (world.api_token_key its first characters)."""

import datetime as dt

from django.utils import timezone
from knox.models import AuthToken

from apps.orgs.models import MembershipInvitation
from apps.orgs.tokens import KEY_SHOWN


def build(world):
    world.invitation = MembershipInvitation.plain.create(
        org=world.hangzhou, user=world.xihu_admin, role="staff", invited_by=world.hangzhou_admin,
        expires_at=timezone.now() + dt.timedelta(days=MembershipInvitation.DAYS))
    world.api_token, _text = AuthToken.objects.create(user=world.hangzhou_admin)
    world.api_token_key = world.api_token.token_key[:KEY_SHOWN]
