"""The anomaly report of a poll: patterns a person should look at before the tally counts, each with its
evidence and the votes it names (so an admin can invalidate them in one step, apps.voting.services).

- **Burst on a case**: minutes in which one case got at least BURST_MIN votes and BURST_FACTOR times its
  own average rate over the voting so far; adjacent such minutes form one burst.
- **Many voters from one address** (ADDRESS_VOTERS) or **one network** (/24 or /48, NETWORK_VOTERS).
- **Code failures from one address**: at least CODES_MIN codes asked for, of which under CODES_PASS_SHARE
  were verified.

A flag is a key ("burst:<entry>:<from>:<to>", "ip:<hash>", "net:<hash>", "codes:<hash>") from which the
same votes are found again, whatever has happened since (apps.voting.anomalies.flag_votes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.rounds.models import RoundEntry
from apps.voting.models import PhoneCode, Poll, Vote

BURST_MIN = 10
BURST_FACTOR = 8.0
ADDRESS_VOTERS = 20
NETWORK_VOTERS = 50
CODES_MIN = 10
CODES_PASS_SHARE = 0.3


@dataclass
class Flag:
    key: str
    kind: str  # burst | ip | net | codes
    title: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    votes: int = 0  # valid votes it names now
    entry_id: int | None = None


def _local(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "n月j日 H:i")


def _span_minutes(poll: Poll, now: dt.datetime) -> float:
    end = min(now, poll.closes_at)
    return max((end - poll.opens_at).total_seconds() / 60.0, 60.0)


def bursts(poll: Poll, now: dt.datetime | None = None) -> list[Flag]:
    now = now or timezone.now()
    valid = Vote.plain.filter(poll=poll, invalidation__isnull=True)
    per_minute = (valid.annotate(minute=TruncMinute("created_at")).order_by()
                  .values_list("entry_id", "minute").annotate(n=Count("id")))
    totals: dict[int, int] = defaultdict(int)
    minutes: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for entry, minute, n in per_minute:
        totals[entry] += n
        minutes[entry].append((minute, n))
    span = _span_minutes(poll, now)
    found: list[tuple[int, dt.datetime, dt.datetime, int, float]] = []
    for entry, rows in minutes.items():
        rows.sort()
        # The case's own average rate, leaving out the minutes under test would need their sum first:
        # the average over everything is a conservative baseline (a burst raises it, never lowers it).
        baseline = totals[entry] / span
        threshold = max(BURST_MIN, BURST_FACTOR * baseline)
        start = end = None
        count = 0
        for minute, n in rows:
            if n >= threshold:
                if start is not None and minute - end <= dt.timedelta(minutes=1):
                    end, count = minute, count + n
                else:
                    if start is not None:
                        found.append((entry, start, end + dt.timedelta(minutes=1), count, baseline))
                    start, end, count = minute, minute, n
        if start is not None:
            found.append((entry, start, end + dt.timedelta(minutes=1), count, baseline))
    titles = dict(RoundEntry.plain.filter(pk__in={f[0] for f in found}).values_list("pk", "case__title"))
    flags = []
    for entry, start, end, count, baseline in found:
        window = valid.filter(entry_id=entry, created_at__gte=start, created_at__lt=end)
        spread = window.aggregate(addresses=Count("ip_hash", distinct=True), networks=Count("net_hash", distinct=True),
                                  agents=Count("user_agent", distinct=True))
        minutes_long = max(int((end - start).total_seconds() // 60), 1)
        flags.append(Flag(
            key=f"burst:{entry}:{int(start.timestamp())}:{int(end.timestamp())}", kind="burst", entry_id=entry,
            title=_("“%(title)s”在%(start)s至%(end)s集中得票") % {
                "title": titles.get(entry, entry), "start": _local(start), "end": _local(end)},
            evidence=[(_("该时段票数"), str(count)),
                      (_("该时段每分钟票数"), f"{count / minutes_long:.1f}"),
                      (_("该案例平均每分钟票数"), f"{baseline:.2f}"),
                      (_("来源地址数"), str(spread["addresses"])), (_("来源网段数"), str(spread["networks"])),
                      (_("浏览器标识数"), str(spread["agents"]))],
            votes=count))
    return flags


def crowded_addresses(poll: Poll) -> list[Flag]:
    valid = Vote.plain.filter(poll=poll, invalidation__isnull=True)
    flags = []
    for field_name, kind, limit, title in (
            ("ip_hash", "ip", ADDRESS_VOTERS, _("同一地址（%(short)s）有%(voters)d位投票人")),
            ("net_hash", "net", NETWORK_VOTERS, _("同一网段（%(short)s）有%(voters)d位投票人"))):
        rows = (valid.order_by().values(field_name)
                .annotate(voters=Count("voter_id", distinct=True), votes=Count("id"),
                          cases=Count("entry_id", distinct=True))
                .filter(voters__gte=limit).order_by("-voters"))
        for row in rows[:100]:
            value = row[field_name]
            flags.append(Flag(key=f"{kind}:{value}", kind=kind,
                              title=title % {"short": value[:8], "voters": row["voters"]},
                              evidence=[(_("投票人数"), str(row["voters"])), (_("票数"), str(row["votes"])),
                                        (_("涉及案例数"), str(row["cases"]))],
                              votes=row["votes"]))
    return flags


def code_failures(poll: Poll) -> list[Flag]:
    rows = (PhoneCode.plain.filter(poll=poll).order_by().values("ip_hash")
            .annotate(asked=Count("id"), verified=Count("id", filter=Q(verified_at__isnull=False)),
                      wrong=Sum("attempts"), phones=Count("phone_hash", distinct=True))
            .filter(asked__gte=CODES_MIN))
    flags = []
    for row in rows:
        share = row["verified"] / row["asked"]
        if share >= CODES_PASS_SHARE:
            continue
        votes = Vote.plain.filter(poll=poll, invalidation__isnull=True, ip_hash=row["ip_hash"]).count()
        flags.append(Flag(key=f"codes:{row['ip_hash']}", kind="codes",
                          title=_("同一地址（%(short)s）获取验证码%(asked)d次，仅%(verified)d次验证成功") % {
                              "short": row["ip_hash"][:8], "asked": row["asked"], "verified": row["verified"]},
                          evidence=[(_("获取验证码次数"), str(row["asked"])),
                                    (_("验证成功次数"), str(row["verified"])),
                                    (_("验证码输错次数"), str(row["wrong"] or 0)),
                                    (_("涉及手机号数"), str(row["phones"])),
                                    (_("该地址有效票数"), str(votes))],
                          votes=votes))
    return flags


def report(poll: Poll, now: dt.datetime | None = None) -> list[Flag]:
    """Every flag, bursts first, each kind by the votes it names."""
    flags = bursts(poll, now) + crowded_addresses(poll) + code_failures(poll)
    order = {"burst": 0, "ip": 1, "net": 2, "codes": 3}
    flags.sort(key=lambda f: (order[f.kind], -f.votes, f.key))
    return flags


def code_summary(poll: Poll) -> dict:
    """The poll's code statistics: asked, sent, verified, wrong tries."""
    return PhoneCode.plain.filter(poll=poll).aggregate(
        asked=Count("id"), failed_sends=Count("id", filter=Q(sent=False)),
        verified=Count("id", filter=Q(verified_at__isnull=False)), wrong=Sum("attempts"))


def flag_votes(poll: Poll, key: str):
    """The votes a flag names (a queryset of ids), whatever their validity."""
    kind, _sep, rest = (key or "").partition(":")
    votes = Vote.plain.filter(poll=poll)
    try:
        if kind == "burst":
            entry, start, end = (int(x) for x in rest.split(":"))
            return votes.filter(entry_id=entry, created_at__gte=dt.datetime.fromtimestamp(start, dt.timezone.utc),
                                created_at__lt=dt.datetime.fromtimestamp(end, dt.timezone.utc)).values("pk")
        if kind in ("ip", "codes") and len(rest) == 32:
            return votes.filter(ip_hash=rest).values("pk")
        if kind == "net" and len(rest) == 32:
            return votes.filter(net_hash=rest).values("pk")
    except (TypeError, ValueError, OverflowError):
        pass
    raise ValidationError(_("异常标记无法识别，请从异常报告中选择"))
