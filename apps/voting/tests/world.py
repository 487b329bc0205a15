"""Adds online voting to the permission-matrix world (runs after the review builder).

world.hangzhou_round's review settings gain online voting (review 60 / live 20 / voting 20), and its poll,
world.poll, is published and open (from an hour ago, to the minute, for three days). world.voter, a verified
phone, has cast world.vote for world.xihu_case; a second voter's vote was invalidated (world.invalidation).
"""

import datetime as dt

from django.utils import timezone

from apps.review.services import review_configure
from apps.rounds.models import RoundEntry
from apps.voting import services
from apps.voting.hashing import phone_hash
from apps.voting.models import Voter

ADDRESS = "203.0.113.7"
AGENT = "Mozilla/5.0 (iPhone) MicroMessenger/8.0"


def build(world) -> None:
    round, admin = world.hangzhou_round, world.hangzhou_admin
    review_configure(round=round, by=admin, data={"methods": ["review", "live", "voting"],
                                                  "weights": {"review": 60, "live": 20, "voting": 20}})
    now = timezone.now().replace(second=0, microsecond=0)
    world.poll = services.poll_save(round=round, by=admin, title="杭州市企业典型创新案例网络投票",
                                    intro="每人每天可投5票，同一案例每天限投1票。",
                                    opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=3),
                                    published=True)
    # Set up without the SMS flow (it needs the memory SMS backend, a test setting): a voter is a phone hash.
    world.voter = Voter.objects.create(phone_hash=phone_hash("13812340001"))
    other = Voter.objects.create(phone_hash=phone_hash("13812340002"))
    world.voting_entry = RoundEntry.plain.get(round=round, case=world.xihu_case)
    world.vote = services.vote_cast(poll=world.poll, entry_id=world.voting_entry.pk, voter_id=world.voter.pk,
                                    address=ADDRESS, user_agent=AGENT)
    doubtful = services.vote_cast(poll=world.poll, entry_id=world.voting_entry.pk, voter_id=other.pk,
                                  address="198.51.100.9", user_agent=AGENT)
    world.invalidation = services.votes_invalidate(poll=world.poll, by=admin, reason="同一人使用多个号码投票",
                                                   vote_ids=[doubtful.pk])
