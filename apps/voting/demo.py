"""Demo data of online voting: the first city of each demo province (the one with expert review) votes too.
Its round weighs review 70 / voting 30; the poll opened three days ago and runs four more, with votes from
a few hundred voters, an obvious burst (one case, 120 votes in four minutes from one network, one browser)
and an address whose SMS codes mostly fail, so the anomaly report has something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import Membership
from apps.review.demo import demo_city_rounds
from apps.review.services import review_configure
from apps.rounds.models import Round
from apps.voting import counters, services
from apps.voting.hashing import address_hashes, code_hash, phone_hash
from apps.voting.models import PhoneCode, Poll, Vote, Voter

VOTERS = 300
AGENTS = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49",
          "Mozilla/5.0 (Linux; Android 14; V2304A) MicroMessenger/8.0.47",
          "Mozilla/5.0 (Linux; Android 13; 22081212C) XWEB/1160117 MicroMessenger/8.0.50",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Mobile/15E148 Safari/604.1")


def seed_voting(password: str, seed: int = 109) -> list:
    rng = random.Random(seed)
    rows = []
    for city_round in demo_city_rounds():
        poll = Poll.plain.filter(round=city_round).first()
        if poll is None:
            with transaction.atomic():
                poll = _seed_city(city_round, rng)
        rows.append((f"/v/{poll.slug}/", city_round.org.name, "公开投票页（无需登录）"))
    return rows


def _seed_city(city_round: Round, rng: random.Random) -> Poll:
    admin = (Membership.plain.filter(org=city_round.org, role=Membership.Role.ADMIN).select_related("user")
             .order_by("pk").first().user)
    review_configure(round=city_round, by=None, data={"methods": ["review", "voting"],
                                                      "weights": {"review": 70, "voting": 30}}, check=False)
    now = timezone.now().replace(second=0, microsecond=0)
    poll = services.poll_save(round=city_round, by=admin, title=f"{city_round.org.name}企业典型创新案例网络投票",
                              intro="请为您认为最具创新性和示范价值的企业案例投票。每人每天可投5票，同一案例每天限投1票。",
                              opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=4),
                              published=True)
    Poll.plain.filter(pk=poll.pk).update(counts=Poll.Counts.LIVE)
    entries = list(city_round.entries.exclude(decision__in=services.CLOSED_DECISIONS).values_list("pk", flat=True))
    base = int(city_round.org.code) * 1000
    voters = Voter.objects.bulk_create(
        [Voter(phone_hash=phone_hash(f"158{(base + n) % 10 ** 8:08d}")) for n in range(VOTERS + 120)])
    popularity = [rng.random() ** 2 + 0.05 for _e in entries]
    votes = []
    # Ordinary voters over three days, from home and mobile networks, one to five votes a day.
    for voter in voters[:VOTERS]:
        ip = f"{rng.choice((36, 58, 112, 117, 183))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        ip_hash, net_hash = address_hashes(ip)
        agent = rng.choice(AGENTS)
        taken: dict = {}  # Beijing day → {entry: slot}
        for day in range(3):
            picks = set(rng.choices(entries, weights=popularity, k=rng.randint(1, 5)))
            moment = poll.opens_at + dt.timedelta(days=day, minutes=rng.randrange(10, 20 * 60))
            for n, entry in enumerate(sorted(picks), start=1):
                at = moment + dt.timedelta(seconds=20 * n)
                mine = taken.setdefault(services.shanghai_day(at), {})
                if entry in mine or len(mine) >= poll.votes_per_day:
                    continue
                mine[entry] = len(mine) + 1
                votes.append(Vote(poll=poll, entry_id=entry, voter=voter, day=services.shanghai_day(at),
                                  slot=mine[entry], created_at=at, ip_hash=ip_hash, net_hash=net_hash,
                                  user_agent=agent))
    # The burst: one case, 120 new "voters" in four minutes, one /24 network, one browser string.
    target = entries[len(entries) // 2]
    burst_at = poll.opens_at + dt.timedelta(days=1, hours=14, minutes=7)
    for n, voter in enumerate(voters[VOTERS:]):
        ip_hash, net_hash = address_hashes(f"221.12.40.{n % 250 + 1}")
        at = burst_at + dt.timedelta(seconds=2 * n)
        votes.append(Vote(poll=poll, entry_id=target, voter=voter, day=services.shanghai_day(at), slot=1,
                          created_at=at, ip_hash=ip_hash, net_hash=net_hash, user_agent="python-requests/2.31.0"))
    Vote.plain.bulk_create(votes, batch_size=2000)
    # An address trying many numbers whose codes it cannot read.
    ip_hash, net_hash = address_hashes("103.45.67.89")
    for n in range(16):
        hashed = phone_hash(f"170{(base + n) % 10 ** 8:08d}")
        at = poll.opens_at + dt.timedelta(days=2, hours=3, minutes=n)
        PhoneCode.plain.create(poll=poll, phone_hash=hashed, code_hash=code_hash(hashed, "000000"), ip_hash=ip_hash,
                               net_hash=net_hash, created_at=at, expires_at=at + dt.timedelta(minutes=5),
                               attempts=3 if n else 1, verified_at=at if n == 0 else None)
    counters.rebuild(poll)
    return poll
