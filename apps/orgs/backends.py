"""Log-in with a mobile number as well as a user name (experts are told to use their phone number)."""

from __future__ import annotations

import re

from django.contrib.auth.backends import ModelBackend

from apps.orgs.models import PHONE_RE, User

_PHONE = re.compile(PHONE_RE)


class PhoneBackend(ModelBackend):
    """When what was typed as the user name is a mobile number that is not itself a user name, the account
    with that phone number signs in with its password (phone numbers are unique among accounts). django-axes
    counts failures by what was typed, as for every log-in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password or not _PHONE.match(username):
            return None
        if User.objects.filter(username=username).exists():
            return None  # the ModelBackend answers for a user name that happens to be a number
        user = User.objects.filter(phone=username).first()
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
