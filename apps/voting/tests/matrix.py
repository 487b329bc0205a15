"""Permission-matrix rows of online voting. The org running the round (its admins and staff) runs the poll;
the province above watches (reads, downloads) but does not act; counties, other cities and provinces get 404.
The public pages (namespace "vote") are open to everyone, signed in or not."""

import datetime as dt

from apps.voting.forms import beijing_minute
from tests.matrix import RELATIONS, Row

SEE = {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
WORK = {"anon": 302, "own": 302, "staff": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
PUBLIC = {relation: 200 for relation in RELATIONS}
PUBLIC_POST = {relation: 302 for relation in RELATIONS}


def city_round(world):
    return {"pk": world.hangzhou_round.pk}, "hangzhou"


def poll(world):
    return {"pk": world.poll.pk}, "hangzhou"


def invalidation(world):
    return {"pk": world.invalidation.pk}, "hangzhou"


def public(world, **extra):
    return {"slug": world.poll.slug, **extra}, "hangzhou"


def public_entry(world):
    return public(world, entry=world.voting_entry.pk)


def poll_form(world) -> dict:
    return {"title": "杭州市网络投票（延长）", "intro": "", "opens_at": beijing_minute(world.poll.opens_at),
            "closes_at": beijing_minute(world.poll.closes_at + dt.timedelta(days=1)), "published": "on"}


ROWS = [
    Row("voting:round", city_round, SEE),
    Row("voting:round", city_round, WORK, method="POST", data=poll_form,
        note="saved and redirected for those who may act"),
    Row("voting:tally", poll, SEE),
    Row("voting:tally_csv", poll, SEE, note="watchers may download: the file is how anyone checks the result"),
    Row("voting:votes_csv", poll, SEE),
    Row("voting:anomalies", poll, SEE),
    Row("voting:votes", poll, SEE),
    Row("voting:invalidate", poll, WORK, method="POST",
        data=lambda w: {"vote": [w.vote.pk], "reason": "核实为刷票"}),
    Row("voting:invalidations", poll, SEE),
    Row("voting:invalidation_revert", invalidation, WORK, method="POST", data={"reason": "核实为真实投票"}),
    Row("voting:certify", poll, WORK, method="POST", note="refused with a message while the poll is open"),
    # The public pages: no login to browse; voting needs a verified phone (a signed cookie), not an account.
    Row("vote:home", public, PUBLIC),
    Row("vote:case", public_entry, PUBLIC),
    Row("vote:qr", public, PUBLIC),
    Row("vote:verify", public, PUBLIC),
    Row("vote:photo", public_entry, PUBLIC, note="world.xihu_case has a photo with a thumbnail (world.xihu_photo)"),
    Row("vote:vote", public_entry, PUBLIC_POST, method="POST", note="without a verified phone: to verification"),
    Row("vote:leave", public, PUBLIC_POST, method="POST"),
]
