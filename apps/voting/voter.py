"""A verified voter on one browser: a signed cookie holding the voter's id, valid VOTER_COOKIE_HOURS. No
session row and no query: the signature (SECRET_KEY) is the proof that the phone was verified. And, while a
code is on its way, the number it was sent to (below)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from apps.voting.services import CODE_SECONDS

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


# A code sent but not yet entered. The verify page may reload before the code is typed (WeChat often reloads a
# page when the voter switches to the SMS app and back); the browser then still knows which number the code went
# to, so the page shows the code box again. No session row and no number on the server: the number stays on the
# voter's own browser for the code's lifetime, path-bound to the poll's verify page; the PhoneCode records say
# whether a code for it can still be entered (selectors.code_pending).
PENDING_COOKIE = "innocase_vote_phone"
PENDING_SALT = "innocase.voting.pending-phone"


def remember_pending_phone(response, path: str, phone: str) -> None:
    response.set_cookie(PENDING_COOKIE, signing.TimestampSigner(salt=PENDING_SALT).sign(phone),
                        max_age=CODE_SECONDS, path=path, httponly=True, samesite="Lax",
                        secure=getattr(settings, "SESSION_COOKIE_SECURE", False))


def pending_phone(request) -> str:
    raw = request.COOKIES.get(PENDING_COOKIE)
    if not raw:
        return ""
    try:
        return signing.TimestampSigner(salt=PENDING_SALT).unsign(raw, max_age=CODE_SECONDS)
    except signing.BadSignature:
        return ""


def forget_pending_phone(response, path: str) -> None:
    response.delete_cookie(PENDING_COOKIE, path=path, samesite="Lax")
