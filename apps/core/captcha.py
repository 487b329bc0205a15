"""Self-hosted image captchas that cost no row until someone answers one.

A challenge is a key `<nonce>.<issued>.<mac>`: a random nonce, the second it was issued (base 36) and an HMAC
under SECRET_KEY over both. The answer is derived from the nonce with another HMAC, so the image view can
draw it and the check can recompute it without storing anything; showing a page with a captcha writes
nothing. An answer spends its challenge, right or wrong: the nonce goes into `SpentChallenge` (its primary
key), so two tries with one key cannot both pass. Keys older than SECONDS are refused, and spent nonces older
than that are pruned (`prune`).

Used by the public vote (code requests), objections on 公示 pages and the log-in page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import SpentChallenge

SECONDS = 10 * 60
ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"  # no look-alikes (0/O, 1/I, 2/Z, 5/S, 8/B)
LENGTH = 4
MAC_CHARS = 24


@dataclass(frozen=True)
class Challenge:
    key: str

    @property
    def answer(self) -> str:
        """What the image shows (tests read it; pages never show it as text)."""
        return answer_of(self.key, check_age=False) or ""


def _mac(purpose: str, text: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"innocase.captcha.{purpose}:{text}".encode(),
                    hashlib.sha256).digest()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def challenge_new(now: dt.datetime | None = None) -> Challenge:
    issued = _base36(int((now or timezone.now()).timestamp()))
    nonce = secrets.token_urlsafe(12)
    mac = _mac("key", f"{nonce}.{issued}").hex()[:MAC_CHARS]
    return Challenge(key=f"{nonce}.{issued}.{mac}")


def _parts(key: str) -> tuple[str, int] | None:
    nonce, _dot, rest = (key or "").partition(".")
    issued, _dot, mac = rest.partition(".")
    if not nonce or len(key) > 80 or not issued.isalnum():
        return None
    expected = _mac("key", f"{nonce}.{issued}").hex()[:MAC_CHARS]
    if not secrets.compare_digest(expected, mac):
        return None
    return nonce, int(issued, 36)


def answer_of(key: str, *, now: dt.datetime | None = None, check_age: bool = True) -> str | None:
    """The answer of a genuine, unexpired key; None for anything else."""
    parts = _parts(key)
    if parts is None:
        return None
    nonce, issued = parts
    age = (now or timezone.now()).timestamp() - issued
    if check_age and not -60 <= age <= SECONDS:
        return None
    digest = _mac("answer", nonce)
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def challenge_pass(key: str, answer: str, now: dt.datetime | None = None) -> bool:
    """True when `answer` is the key's answer and the key was never answered before. Spends the key."""
    now = now or timezone.now()
    expected = answer_of(key, now=now)
    if expected is None:
        return False
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=key.partition(".")[0], spent_at=now)
    except IntegrityError:
        return False
    return secrets.compare_digest(expected, (answer or "").strip().upper())


def image(key: str) -> bytes | None:
    """The PNG of an unexpired key's answer, or None."""
    from captcha.image import ImageCaptcha  # draws with Pillow; imported on the first image only

    answer = answer_of(key)
    if answer is None:
        return None
    return ImageCaptcha(width=160, height=60).generate(answer).getvalue()


def prune(now: dt.datetime | None = None) -> int:
    """Forget spent nonces whose keys have expired anyway."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=SECONDS + 60)
    deleted, _by_model = SpentChallenge.objects.filter(spent_at__lt=cutoff).delete()
    return deleted
