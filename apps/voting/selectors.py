"""Reads of the public vote pages: what a voter has done today, the code waiting for a phone, and who runs the
poll. Each is one indexed query (or none); the vote itself never calls these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.voting.hashing import normalise_phone, phone_hash
from apps.voting.models import PhoneCode, Poll, Vote
from apps.voting.services import CODE_ATTEMPTS, RESEND_SECONDS, shanghai_day


@dataclass(frozen=True)
class VoterDay:
    """A voter's votes in one poll on one day (Asia/Shanghai). Invalidated votes are included: their slots stay
    taken (services.CAST_SQL), so they count against the day's votes as the vote statement counts them."""

    entries: frozenset[int]
    votes_per_day: int

    @property
    def cast(self) -> int:
        return len(self.entries)

    @property
    def left(self) -> int:
        return max(self.votes_per_day - len(self.entries), 0)


def voter_day(*, poll: Poll, voter_id: int, now: dt.datetime | None = None) -> VoterDay:
    day = shanghai_day(now or timezone.now())
    # Served by the vote_once_per_case_day index (poll, voter, day, entry) alone.
    entries = Vote.plain.filter(poll_id=poll.pk, voter_id=voter_id, day=day).values_list("entry_id", flat=True)
    return VoterDay(entries=frozenset(entries), votes_per_day=poll.votes_per_day)


@dataclass(frozen=True)
class PendingCode:
    """A code sent to a phone that can still be entered: what the verify page needs to show its code box."""

    phone: str
    resend_in: int  # seconds until another code may be asked for


def code_pending(*, poll: Poll, phone: str, now: dt.datetime | None = None) -> PendingCode | None:
    """The code services.code_verify would check for `phone` (its latest sent, unverified code of this poll), if
    it is unexpired and has tries left; None otherwise, or for a malformed number."""
    now = now or timezone.now()
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        return None
    record = (PhoneCode.plain.filter(poll=poll, phone_hash=phone_hash(phone), sent=True, verified_at__isnull=True)
              .order_by("-created_at").only("created_at", "expires_at", "attempts").first())
    if record is None or record.expires_at <= now or record.attempts >= CODE_ATTEMPTS:
        return None
    waited = int((now - record.created_at).total_seconds())
    return PendingCode(phone=phone, resend_in=max(RESEND_SECONDS - waited, 0))


