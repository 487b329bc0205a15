"""A verified voter on one browser: a signed cookie holding the voter's id, valid VOTER_COOKIE_HOURS. No
session row and no query: the signature (SECRET_KEY) is the proof that the phone was verified."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

VOTER_COOKIE = "innocase_voter"
SALT = "innocase.voting.voter"


def _max_age() -> int:
    return int(getattr(settings, "VOTER_COOKIE_HOURS", 168)) * 3600


def voter_token(voter_pk: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(voter_pk))


def voter_id(request) -> int | None:
    raw = request.COOKIES.get(VOTER_COOKIE)
    if not raw:
        return None
    try:
        return int(signing.TimestampSigner(salt=SALT).unsign(raw, max_age=_max_age()))
    except (signing.BadSignature, ValueError):
        return None


def remember_voter(response, voter_pk: int) -> None:
    response.set_cookie(VOTER_COOKIE, voter_token(voter_pk), max_age=_max_age(), path="/v/", httponly=True,
                        samesite="Lax", secure=getattr(settings, "SESSION_COOKIE_SECURE", False))


def forget_voter(response) -> None:
    response.delete_cookie(VOTER_COOKIE, path="/v/", samesite="Lax")
