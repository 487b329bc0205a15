"""Public online voting (R-108, R-109): setting a poll up, verifying voters, casting votes, invalidating and
certifying. One function per change of state; views, the API, commands and tests call these.

Limits for one phone are counted from the codes themselves (exact, sliding windows); limits for one address
go through apps.core.ratelimit (Redis when configured, else the database). The vote rules are database
constraints (apps.voting.models), so concurrent requests cannot exceed them: the code here only chooses the
message for a refused vote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.selectors import rulebook_values
from apps.core import captcha, ratelimit
from apps.core.errors import NotFound, ensure
from apps.core.sms import SmsError, gateway
from apps.orgs.models import User
from apps.review.config import review_config
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_row
from apps.voting import counters
from apps.voting.anomalies import flag_votes
from apps.voting.hashing import address_hashes, code_hash, normalise_phone, phone_hash
from apps.voting.models import MAX_VOTES_PER_DAY, Certificate, Invalidation, PhoneCode, Poll, Vote, Voter
from apps.voting.permissions import can_run_poll

SHANGHAI = ZoneInfo("Asia/Shanghai")
CODE_DIGITS = 6
CODE_SECONDS = 5 * 60
CODE_ATTEMPTS = 3
RESEND_SECONDS = 60
PHONE_PER_HOUR = 5
PHONE_PER_DAY = 10
# Per address. Offices and factories sit behind one NAT address, so the hard limits are generous; an image
# captcha from the CAPTCHA_AFTER-th request of an hour stops a script without stopping a workshop.
CAPTCHA_AFTER = 3
ADDRESS_PER_HOUR = 60
ADDRESS_PER_DAY = 300
VERIFY_PER_HOUR = 120
# Entries whose cases are out of the round take no votes.
CLOSED_DECISIONS = (RoundEntry.Decision.OUT, RoundEntry.Decision.RETURNED)


class VoteError(Exception):
    """A refused request, with the sentence the person reads. `code` says which rule refused it."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class CaptchaRequired(VoteError):
    def __init__(self, message: str):
        super().__init__(message, "captcha")


def shanghai_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i")


# -- setting a poll up ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PollRules:
    """A poll's rules as the rulebook gives them (R-108)."""

    votes_per_day: int
    counts: str
    refresh_minutes: int
    formula: str


def rules_from_rulebook(round: Round) -> PollRules:
    values = rulebook_values(round.programme)
    return PollRules(votes_per_day=values["votes_per_day"], counts=values["vote_counts"],
                     refresh_minutes=values["vote_count_refresh_minutes"], formula=values["vote_score_formula"])


def _new_slug() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _i in range(8))


def poll_save(*, round: Round, by: User, title: str, intro: str, opens_at: dt.datetime, closes_at: dt.datetime,
              published: bool) -> Poll:
    """Create or change the round's poll. The rules come from the rulebook; once a vote exists they and the
    opening time are frozen, and a certified poll changes no more."""
    ensure(can_run_poll(by, round), NotFound)
    ensure("voting" in review_config(round).methods,
           ValidationError(_("请先在本轮评审设置中选择“网络投票”并设置其权重，再设置投票")))
    title = (title or "").strip()
    if not title or len(title) > 80:
        raise ValidationError(_("请填写投票标题（不超过80字）"))
    if len(intro or "") > 2000:
        raise ValidationError(_("投票说明不超过2000字"))
    if opens_at is None or closes_at is None:
        raise ValidationError(_("请填写投票开始和截止时间"))
    if closes_at <= opens_at:
        raise ValidationError(_("投票截止时间应晚于开始时间"))
    rules = rules_from_rulebook(round)
    if not 1 <= rules.votes_per_day <= MAX_VOTES_PER_DAY:
        raise ValidationError(_("工作细则中的每人每天可投票数应在1至%(n)d之间（R-108）") % {"n": MAX_VOTES_PER_DAY})
    with transaction.atomic():
        round_row(round)  # settings of one round's poll change one after another
        poll = Poll.plain.filter(round=round).first()
        before = _poll_json(poll) if poll else None
        if poll is None:
            poll = Poll(round=round, slug=_new_slug(), created_by=by)
        else:
            if hasattr(poll, "certificate"):
                raise ValidationError(_("投票结果已认证，不能再修改投票设置"))
            if Vote.plain.filter(poll=poll).exists():
                if opens_at != poll.opens_at:
                    raise ValidationError(_("已有投票，开始时间不能再修改"))
                rules = PollRules(poll.votes_per_day, poll.counts, poll.refresh_minutes, poll.formula)
        poll.title, poll.intro, poll.opens_at, poll.closes_at = title, (intro or "").strip(), opens_at, closes_at
        poll.published = bool(published)
        poll.votes_per_day, poll.counts = rules.votes_per_day, rules.counts
        poll.refresh_minutes, poll.formula = rules.refresh_minutes, rules.formula
        poll.save()
        audit_record(actor=by, action="voting.poll_save", target=poll, org=round.org,
                     data={"before": before, "after": _poll_json(poll)})
    return poll


def _poll_json(poll: Poll) -> dict:
    return {"title": poll.title, "opens_at": poll.opens_at.isoformat(), "closes_at": poll.closes_at.isoformat(),
            "published": poll.published, "votes_per_day": poll.votes_per_day, "counts": poll.counts,
            "refresh_minutes": poll.refresh_minutes, "formula": poll.formula}


def poll_state(poll: Poll, now: dt.datetime | None = None) -> str:
    """"draft", "upcoming", "open", "closed" or "certified"."""
    now = now or timezone.now()
    if not poll.published:
        return "draft"
    if getattr(poll, "_certified", None) is None:
        poll._certified = Certificate.plain.filter(poll=poll).exists()
    if poll._certified:
        return "certified"
    if now < poll.opens_at:
        return "upcoming"
    if now >= poll.closes_at:
        return "closed"
    return "open"


def _ensure_open(poll: Poll, now: dt.datetime) -> None:
    if not poll.published:
        raise NotFound()
    if now < poll.opens_at:
        raise VoteError(refusal_message(poll, "not_open"), "not_open")
    if now >= poll.closes_at:
        raise VoteError(refusal_message(poll, "closed"), "closed")


# -- captcha -------------------------------------------------------------------------------------------------

def captcha_needed(address: str) -> bool:
    ip_hash, _net = address_hashes(address)
    return ratelimit.peek(f"code-ip:{ip_hash}", 3600) >= CAPTCHA_AFTER


# -- codes ---------------------------------------------------------------------------------------------------

def code_request(*, poll: Poll, phone: str, address: str, challenge: str = "", answer: str = "",
                 now: dt.datetime | None = None) -> PhoneCode:
    """Send a one-time code to `phone`: 6 digits, valid 5 minutes; resend after 60 s, at most 5 an hour and 10
    a day per phone; per-address limits, and an image captcha after repeated requests from one address."""
    now = now or timezone.now()
    _ensure_open(poll, now)
    phone = normalise_phone(phone)
    hashed = phone_hash(phone)
    ip_hash, net_hash = address_hashes(address)
    if ratelimit.peek(f"code-ip:{ip_hash}", 3600, now=now.timestamp()) >= CAPTCHA_AFTER:
        if not captcha.challenge_pass(challenge, answer, now):
            message = _("请输入图片中的字符") if not answer else _("图片验证码不正确，请重新输入")
            raise CaptchaRequired(message)
    if not ratelimit.hit(f"code-ip:{ip_hash}", ADDRESS_PER_HOUR, 3600, now=now.timestamp()) or \
            not ratelimit.hit(f"code-ip-day:{ip_hash}", ADDRESS_PER_DAY, 86400, now=now.timestamp()):
        raise VoteError(_("当前网络获取验证码过于频繁，请稍后再试"), "address_limit")
    sent = PhoneCode.plain.filter(phone_hash=hashed, sent=True, created_at__gte=_day_start(shanghai_day(now)))
    times = list(sent.order_by("-created_at").values_list("created_at", flat=True)[:PHONE_PER_DAY])
    if times and (now - times[0]).total_seconds() < RESEND_SECONDS:
        wait = RESEND_SECONDS - int((now - times[0]).total_seconds())
        raise VoteError(_("验证码已发送，请%(n)d秒后再重新获取") % {"n": max(wait, 1)}, "resend")
    if sum(1 for t in times if now - t < dt.timedelta(hours=1)) >= PHONE_PER_HOUR:
        raise VoteError(_("该手机号1小时内获取验证码已达%(n)d次，请稍后再试") % {"n": PHONE_PER_HOUR}, "phone_hour")
    if len(times) >= PHONE_PER_DAY:
        raise VoteError(_("该手机号今天获取验证码已达%(n)d次，请明天再试") % {"n": PHONE_PER_DAY}, "phone_day")
    # Two requests for one phone in the same instant may both pass these checks: the worst case is one more
    # SMS, never one more vote (votes are limited by the database).
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    record = PhoneCode.plain.create(poll=poll, phone_hash=hashed, code_hash=code_hash(hashed, code),
                                    ip_hash=ip_hash, net_hash=net_hash, created_at=now,
                                    expires_at=now + dt.timedelta(seconds=CODE_SECONDS))
    text = _("您的投票验证码为%(code)s，%(minutes)d分钟内有效。如非本人操作，请忽略本短信。") % {
        "code": code, "minutes": CODE_SECONDS // 60}
    try:
        gateway().send(phone, text)
    except SmsError as exc:
        PhoneCode.plain.filter(pk=record.pk).update(sent=False)
        raise VoteError(exc.message, "sms") from None
    return record


def code_verify(*, poll: Poll, phone: str, code: str, address: str, now: dt.datetime | None = None) -> Voter:
    """Check the code last sent to `phone`; three wrong tries spend it. Returns the voter (created on first
    verification)."""
    now = now or timezone.now()
    _ensure_open(poll, now)
    phone = normalise_phone(phone)
    code = (code or "").strip()
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise VoteError(_("请输入%(n)d位数字验证码") % {"n": CODE_DIGITS}, "code_format")
    hashed = phone_hash(phone)
    ip_hash, _net = address_hashes(address)
    if not ratelimit.hit(f"verify-ip:{ip_hash}", VERIFY_PER_HOUR, 3600, now=now.timestamp()):
        raise VoteError(_("当前网络验证过于频繁，请稍后再试"), "address_limit")
    failure = None
    with transaction.atomic():
        record = (PhoneCode.plain.select_for_update()
                  .filter(poll=poll, phone_hash=hashed, sent=True, verified_at__isnull=True)
                  .order_by("-created_at").first())
        if record is None or record.expires_at <= now:
            failure = VoteError(_("验证码已失效，请重新获取"), "code_expired")
        elif record.attempts >= CODE_ATTEMPTS:
            failure = VoteError(_("验证码错误次数过多，请重新获取"), "code_spent")
        elif not secrets.compare_digest(record.code_hash, code_hash(hashed, code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            left = CODE_ATTEMPTS - record.attempts
            failure = (VoteError(_("验证码不正确，还可以再试%(n)d次") % {"n": left}, "code_wrong") if left
                       else VoteError(_("验证码错误次数过多，请重新获取"), "code_spent"))
        else:
            record.verified_at = now
            record.save(update_fields=["verified_at"])
            voter, _created = Voter.objects.get_or_create(phone_hash=hashed)
    if failure is not None:
        raise failure
    return voter


# -- votes ---------------------------------------------------------------------------------------------------

# One statement casts a vote: it checks the window (the poll, by its public slug), the case (in the round, not
# out of it), the voter, the voter's votes of the day (not this case; fewer than N), and inserts the vote with
# the next slot of the day. Slots are never freed (an invalidated vote keeps its row), so the next slot is the
# count plus one; two concurrent votes of one voter that read the same count collide on vote_slot_per_day (or
# on vote_once_per_case_day) and the later inserts nothing and reads again. One round trip on the hot path:
# bench/vote_load measures it against a trivial view. The same SQL runs on SQLite (≥ 3.35) and PostgreSQL.
CAST_SQL = """
WITH p AS (
    SELECT id, round_id, votes_per_day FROM voting_poll
    WHERE slug = %s AND published = %s AND opens_at <= %s AND closes_at > %s
), t AS (
    SELECT v.entry_id FROM voting_vote v, p WHERE v.poll_id = p.id AND v.voter_id = %s AND v.day = %s
)
INSERT INTO voting_vote (poll_id, entry_id, voter_id, day, slot, created_at, ip_hash, net_hash, user_agent)
SELECT p.id, e.id, w.id, %s, (SELECT count(*) FROM t) + 1, %s, %s, %s, %s
FROM p
JOIN rounds_roundentry e ON e.round_id = p.round_id AND e.id = %s AND e.decision NOT IN (%s, %s)
JOIN voting_voter w ON w.id = %s
WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.entry_id = e.id) AND (SELECT count(*) FROM t) < p.votes_per_day
ON CONFLICT DO NOTHING
RETURNING id, poll_id, slot
"""


# On PostgreSQL the same work and the reasons for a refusal come back from one prepared statement (a
# data-modifying CTE), so a refused vote costs one round trip too.
CAST_SQL_POSTGRES = """
WITH p AS (
    SELECT id, round_id, votes_per_day FROM voting_poll
    WHERE slug = %(slug)s AND published AND opens_at <= %(now)s AND closes_at > %(now)s
), t AS (
    SELECT v.entry_id FROM voting_vote v JOIN p ON v.poll_id = p.id WHERE v.voter_id = %(voter)s AND v.day = %(day)s
), e AS (
    SELECT r.id FROM rounds_roundentry r JOIN p ON r.round_id = p.round_id
    WHERE r.id = %(entry)s AND r.decision NOT IN (%(out)s, %(returned)s)
), w AS (
    SELECT id FROM voting_voter WHERE id = %(voter)s
), ins AS (
    INSERT INTO voting_vote (poll_id, entry_id, voter_id, day, slot, created_at, ip_hash, net_hash, user_agent)
    SELECT p.id, e.id, w.id, %(day)s, (SELECT count(*) FROM t) + 1, %(now)s, %(ip)s, %(net)s, %(ua)s
    FROM p, e, w
    WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.entry_id = e.id) AND (SELECT count(*) FROM t) < p.votes_per_day
    ON CONFLICT DO NOTHING
    RETURNING id, poll_id, slot
)
SELECT (SELECT id FROM ins), (SELECT poll_id FROM ins), (SELECT slot FROM ins), EXISTS (SELECT 1 FROM p),
       EXISTS (SELECT 1 FROM e), EXISTS (SELECT 1 FROM w), EXISTS (SELECT 1 FROM t WHERE t.entry_id = %(entry)s),
       (SELECT count(*) FROM t), (SELECT votes_per_day FROM p)
"""


@dataclass(frozen=True)
class _Cast:
    vote_id: int | None
    poll_id: int | None = None
    slot: int | None = None
    # Why nothing was inserted (PostgreSQL only; None: ask _refusal).
    open: bool | None = None
    entry: bool = True
    voter: bool = True
    already: bool = False
    taken: int = 0
    votes_per_day: int | None = None


def _insert_vote(*, slug: str, entry_id: int, voter_id: int, day: dt.date, now: dt.datetime, ip_hash: str,
                 net_hash: str, user_agent: str) -> _Cast:
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django turns psycopg's prepared statements off; its own queries bind on the client and are never
            # prepared, so this only lets the statement below be planned once per connection.
            raw.prepare_threshold = 5
        params = {"slug": slug, "now": now, "voter": voter_id, "day": day, "entry": entry_id, "ip": ip_hash,
                  "net": net_hash, "ua": user_agent[:200], "out": CLOSED_DECISIONS[0],
                  "returned": CLOSED_DECISIONS[1]}
        with psycopg.Cursor(raw) as cursor:
            cursor.execute(CAST_SQL_POSTGRES, params, prepare=True)
            return _Cast(*cursor.fetchone())
    ops = connection.ops
    moment = ops.adapt_datetimefield_value(now)
    day_value = ops.adapt_datefield_value(day)
    params = [slug, True, moment, moment, voter_id, day_value, day_value, moment, ip_hash, net_hash,
              user_agent[:200], entry_id, *CLOSED_DECISIONS, voter_id]
    with connection.cursor() as cursor:
        cursor.execute(CAST_SQL, params)
        found = cursor.fetchone()
    return _Cast(*found) if found else _Cast(None)


@dataclass(frozen=True)
class CastVote:
    """The vote just stored, as written (a model instance costs more than the statement on the hot path)."""

    pk: int
    poll_id: int
    entry_id: int
    voter_id: int
    day: dt.date
    slot: int
    created_at: dt.datetime
    ip_hash: str
    net_hash: str
    user_agent: str


def vote_cast(*, poll: Poll, entry_id: int, voter_id: int, address: str, user_agent: str = "",
              now: dt.datetime | None = None) -> CastVote:
    """One vote for one case of `poll`: see vote_cast_by_slug."""
    return vote_cast_by_slug(slug=poll.slug, entry_id=entry_id, voter_id=voter_id, address=address,
                             user_agent=user_agent, now=now)


def vote_cast_by_slug(*, slug: str, entry_id: int, voter_id: int, address: str, user_agent: str = "",
                      now: dt.datetime | None = None) -> CastVote:
    """One vote for one case. At most one per case and day and `votes_per_day` a day per voter (days in
    Asia/Shanghai), inside the voting window; the constraints hold under concurrent requests. A vote that
    counts is one statement, reading neither the case list nor the tally; a refused one reads the poll and
    the voter's day to say why (VoteError with the rule, or NotFound)."""
    now = now or timezone.now()
    day = shanghai_day(now)
    ip_hash, net_hash = address_hashes(address)
    # Each retry means a concurrent vote of this voter took a slot: after at most N of them the day is full.
    for _attempt in range(MAX_VOTES_PER_DAY + 2):
        cast = _insert_vote(slug=slug, entry_id=entry_id, voter_id=voter_id, day=day, now=now, ip_hash=ip_hash,
                            net_hash=net_hash, user_agent=user_agent or "")
        if cast.vote_id is not None:
            counters.add(cast.poll_id, entry_id)
            return CastVote(pk=cast.vote_id, poll_id=cast.poll_id, entry_id=entry_id, voter_id=voter_id, day=day,
                            slot=cast.slot, created_at=now, ip_hash=ip_hash, net_hash=net_hash,
                            user_agent=(user_agent or "")[:200])
        if not cast.open:  # no open poll of that slug (or SQLite, which does not say): read the poll
            _refusal(slug=slug, entry_id=entry_id, voter_id=voter_id, day=day, now=now)
            continue
        if not (cast.entry and cast.voter):
            raise NotFound()
        limits = Poll(votes_per_day=cast.votes_per_day)
        if cast.already:
            raise VoteError(refusal_message(limits, "already"), "already")
        if cast.taken >= cast.votes_per_day:
            raise VoteError(refusal_message(limits, "limit"), "limit")
    raise VoteError(_("投票人数较多，请稍后再试"), "busy")


def _refusal(*, slug: str, entry_id: int, voter_id: int, day: dt.date, now: dt.datetime) -> None:
    """Why a vote was not inserted: raise the refusal; return when nothing refuses it (a concurrent vote of
    the same voter took the slot, so the caller tries again)."""
    poll = Poll.plain.filter(slug=slug).first()
    if poll is None:
        raise NotFound()
    _ensure_open(poll, now)
    if not RoundEntry.plain.filter(pk=entry_id, round_id=poll.round_id).exclude(
            decision__in=CLOSED_DECISIONS).exists() or not Voter.objects.filter(pk=voter_id).exists():
        raise NotFound()
    taken = set(Vote.plain.filter(poll=poll, voter_id=voter_id, day=day).values_list("entry_id", flat=True))
    if entry_id in taken:
        raise VoteError(refusal_message(poll, "already"), "already")
    if len(taken) >= poll.votes_per_day:
        raise VoteError(refusal_message(poll, "limit"), "limit")


def refusal_message(poll: Poll, code: str) -> str:
    """The sentence a voter reads for a vote's outcome (the public case page shows it after the redirect)."""
    if code == "ok":
        return _("投票成功，感谢您的参与")
    if code == "already":
        return _("您今天已为该案例投过票，每个案例每天只能投1票，明天可以再投")
    if code == "limit":
        return _("您今天的%(n)d票已全部投出，明天可以再投") % {"n": poll.votes_per_day}
    if code == "not_open":
        return _("投票尚未开始，开始时间为%(when)s") % {"when": _when(poll.opens_at)}
    if code == "closed":
        return _("投票已于%(when)s截止") % {"when": _when(poll.closes_at)}
    if code == "busy":
        return _("投票人数较多，请稍后再试")
    return ""


# -- tallies -------------------------------------------------------------------------------------------------

def tally(poll: Poll) -> dict[int, int]:
    """Valid votes per entry, counted from the votes themselves (the record)."""
    return counters.from_database(poll)


def vote_scores(poll: Poll, counts: dict[int, int] | None = None) -> dict[int, float]:
    """Each entry's vote score by the poll's formula (rulebook data, R-108): 100 × votes ÷ the round's top
    count, or 100 × votes ÷ all valid votes. Entries without votes score 0."""
    counts = tally(poll) if counts is None else counts
    base = (max(counts.values(), default=0) if poll.formula == Poll.Formula.TOP else sum(counts.values()))
    if base <= 0:
        return {entry: 0.0 for entry in counts}
    return {entry: round(100.0 * n / base, 4) for entry, n in counts.items()}


def public_counts(poll: Poll, now: dt.datetime | None = None) -> tuple[dict[int, int] | None, dt.datetime | None]:
    """What the public pages show: (counts, as of when), or (None, None) while the rulebook hides them. After
    certification, the certified tally."""
    now = now or timezone.now()
    state = poll_state(poll, now)
    if state == "certified":
        certificate = poll.certificate
        return {row["entry"]: row["votes"] for row in certificate.tally}, certificate.created_at
    if poll.counts == Poll.Counts.HIDDEN or state in ("draft", "upcoming"):
        return None, None
    if poll.counts == Poll.Counts.LIVE and state == "open":
        return counters.live(poll), now
    return counters.delayed(poll, poll.refresh_minutes * 60, now)


# -- invalidation --------------------------------------------------------------------------------------------

def _ensure_not_certified(poll: Poll) -> None:
    if Certificate.plain.filter(poll=poll).exists():
        raise ValidationError(_("投票结果已认证，不能再更改"))


def votes_invalidate(*, poll: Poll, by: User, reason: str, vote_ids: list[int] | None = None,
                     flag: str = "") -> Invalidation:
    """Mark votes as not counting: the given votes, or every valid vote an anomaly flag names. Reversible."""

    ensure(can_run_poll(by, poll.round), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写作废原因"))
    if len(reason) > 500:
        raise ValidationError(_("作废原因不超过500字"))
    with transaction.atomic():
        Poll.plain.select_for_update().filter(pk=poll.pk).first()
        _ensure_not_certified(poll)
        votes = Vote.plain.filter(poll=poll, invalidation__isnull=True)
        if flag and vote_ids:
            raise ValidationError(_("请只选择一种作废方式：填写投票ID，或选择一个异常标记"))
        if flag:
            votes = votes.filter(pk__in=flag_votes(poll, flag))
        elif vote_ids:
            try:
                wanted = {int(v) for v in vote_ids}
            except (TypeError, ValueError):
                raise ValidationError(_("投票ID应为数字")) from None
            # An id of another poll must not vanish silently.
            strangers = sorted(wanted - set(Vote.plain.filter(poll=poll, pk__in=wanted).values_list("pk", flat=True)))
            if strangers:
                raise ValidationError(_("投票ID %(ids)s 不属于本次投票，请核对") % {
                    "ids": "、".join(str(pk) for pk in strangers[:20]) + ("…" if len(strangers) > 20 else "")})
            votes = votes.filter(pk__in=wanted)
        else:
            raise ValidationError(_("请选择要作废的投票"))
        ids = list(votes.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("没有可作废的有效投票（可能已被作废）"))
        invalidation = Invalidation.plain.create(poll=poll, reason=reason, flag=flag[:120], count=len(ids),
                                                   created_by=by)
        for start in range(0, len(ids), 5000):
            Vote.plain.filter(pk__in=ids[start:start + 5000]).update(invalidation=invalidation)
        audit_record(actor=by, action="voting.invalidate", target=invalidation, org=poll.round.org,
                     data={"poll": poll.pk, "flag": flag, "count": len(ids), "reason": reason,
                           "votes": ids if len(ids) <= 200 else ids[:200] + ["…"]})
    counters.rebuild(poll)
    return invalidation


def invalidation_revert(*, invalidation: Invalidation, by: User, reason: str) -> Invalidation:
    poll = invalidation.poll
    ensure(can_run_poll(by, poll.round), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写恢复原因"))
    with transaction.atomic():
        Poll.plain.select_for_update().filter(pk=poll.pk).first()
        _ensure_not_certified(poll)
        current = Invalidation.plain.select_for_update().get(pk=invalidation.pk)
        if current.reverted_at is not None:
            raise ValidationError(_("这次作废已经撤销过了"))
        restored = Vote.plain.filter(invalidation=current).update(invalidation=None)
        current.reverted_at, current.reverted_by, current.revert_reason = timezone.now(), by, reason[:500]
        current.save(update_fields=["reverted_at", "reverted_by", "revert_reason"])
        audit_record(actor=by, action="voting.invalidation_revert", target=current, org=poll.round.org,
                     data={"poll": poll.pk, "restored": restored, "reason": reason})
    counters.rebuild(poll)
    return current


# -- certification -------------------------------------------------------------------------------------------

VOTE_SET_HEADER = "vote,entry,case,voter,day,created_at,valid"


def vote_set_lines(poll: Poll):
    """The canonical vote set, one line per vote by id: what the certificate's SHA-256 is taken over and what
    the votes export prints, so anyone can recompute the digest."""
    rows = (Vote.plain.filter(poll=poll).order_by("pk")
            .values_list("pk", "entry_id", "entry__case_id", "voter_id", "day", "created_at", "invalidation_id"))
    for pk, entry, case, voter, day, created, invalid in rows.iterator(chunk_size=5000):
        stamp = created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        yield f"{pk},{entry},{case},{voter},{day.isoformat()},{stamp},{0 if invalid else 1}"


def vote_set_digest(poll: Poll) -> tuple[str, int, int]:
    """(SHA-256 of the header and the lines, each ending in a newline; valid votes; invalid votes)."""
    digest = hashlib.sha256((VOTE_SET_HEADER + "\n").encode())
    valid = invalid = 0
    for line in vote_set_lines(poll):
        digest.update((line + "\n").encode())
        if line.endswith(",1"):
            valid += 1
        else:
            invalid += 1
    return digest.hexdigest(), valid, invalid


def final_tally(poll: Poll) -> list[dict]:
    """Every entry of the poll with its valid votes and vote score, by votes (then case id)."""
    counts = tally(poll)
    entries = (RoundEntry.plain.filter(round_id=poll.round_id).exclude(decision__in=CLOSED_DECISIONS)
               .values_list("pk", "case_id", "case__title", "case__enterprise__name"))
    rows = [{"entry": pk, "case": case, "title": title, "enterprise": enterprise, "votes": counts.get(pk, 0)}
            for pk, case, title, enterprise in entries]
    scores = vote_scores(poll, {row["entry"]: row["votes"] for row in rows})
    for row in rows:
        row["score"] = f"{scores.get(row['entry'], 0.0):.4f}"
    rows.sort(key=lambda r: (-r["votes"], r["case"]))
    return rows


def tally_counts(poll: Poll) -> dict[int, int]:
    """Valid votes per entry: the certified counts once there are some, else counted now (no case data)."""
    certificate = Certificate.plain.filter(poll=poll).only("tally").first()
    if certificate is not None:
        return {row["entry"]: row["votes"] for row in certificate.tally}
    return tally(poll)


def tally_rows(poll: Poll) -> tuple[list[dict], Certificate | None]:
    """The rows everyone reads (final_tally's shape): the certified tally once there is one, else a recount of
    the valid votes now; and the certificate, if any."""
    certificate = Certificate.plain.filter(poll=poll).first()
    if certificate is not None:
        return [dict(row) for row in certificate.tally], certificate
    return final_tally(poll), None


def poll_certify(*, poll: Poll, by: User, now: dt.datetime | None = None) -> Certificate:
    """Fix the final tally once voting has ended: the counts and the SHA-256 of the vote set. Once."""
    now = now or timezone.now()
    ensure(can_run_poll(by, poll.round), NotFound)
    if now < poll.closes_at:
        raise ValidationError(_("投票尚未截止（%(when)s截止），截止后才能认证结果") % {"when": _when(poll.closes_at)})
    with transaction.atomic():
        Poll.plain.select_for_update().filter(pk=poll.pk).first()
        if Certificate.plain.filter(poll=poll).exists():
            raise ValidationError(_("投票结果已经认证过了"))
        digest, valid, invalid = vote_set_digest(poll)
        certificate = Certificate.plain.create(poll=poll, digest=digest, valid_votes=valid, invalid_votes=invalid,
                                                 tally=final_tally(poll), created_by=by)
        audit_record(actor=by, action="voting.certify", target=certificate, org=poll.round.org,
                     data={"poll": poll.pk, "digest": digest, "valid": valid, "invalid": invalid})
    poll._certified = True
    return certificate
