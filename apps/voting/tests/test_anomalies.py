"""The anomaly report (issue 6): a burst on a case against its own baseline, many voters behind one address or
network, and code failures from one address; each with evidence and the votes it names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.scoping import scopes_disabled
from apps.voting import anomalies, services
from apps.voting.hashing import address_hashes, phone_hash
from apps.voting.models import PhoneCode, Vote, Voter


def voters(n, start=0):
    return Voter.objects.bulk_create([Voter(phone_hash=phone_hash(f"139{start + i:08d}")) for i in range(n)])


def votes(poll, entry, people, times, address_of):
    rows = []
    for voter, moment in zip(people, times):
        ip_hash, net_hash = address_hashes(address_of(voter))
        rows.append(Vote(poll=poll, entry=entry, voter=voter, day=services.shanghai_day(moment), slot=1,
                         created_at=moment, ip_hash=ip_hash, net_hash=net_hash, user_agent="UA"))
    return Vote.plain.bulk_create(rows)


def test_a_burst_far_above_the_case_baseline_is_flagged_with_its_votes(poll, entries, campaign):
    start = poll.opens_at
    with scopes_disabled():
        # A steady case: one vote every 20 minutes for a day, from different homes.
        steady = voters(72)
        votes(poll, entries[0], steady, [start + dt.timedelta(minutes=20 * i) for i in range(72)],
              lambda v: f"10.{v.pk % 200}.{v.pk % 250}.1")
        # Another case: a few votes, then 60 votes in three minutes from one network.
        quiet = voters(5, start=1000)
        votes(poll, entries[1], quiet, [start + dt.timedelta(hours=i) for i in range(5)], lambda v: f"10.9.{v.pk}.1")
        burst_at = (start + dt.timedelta(hours=6)).replace(second=0, microsecond=0)  # three whole minutes
        crowd = voters(60, start=2000)
        votes(poll, entries[1], crowd, [burst_at + dt.timedelta(seconds=3 * i) for i in range(60)],
              lambda v: f"172.16.5.{v.pk % 200}")
        flags = anomalies.report(poll, now=start + dt.timedelta(days=1))
        bursts = [f for f in flags if f.kind == "burst"]
        assert [f.entry_id for f in bursts] == [entries[1].pk]
        named = set(anomalies.flag_votes(poll, bursts[0].key).values_list("pk", flat=True))
        crowd_votes = set(Vote.plain.filter(voter__in=crowd).values_list("pk", flat=True))
        networks = [f for f in flags if f.kind == "net"]
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="集中刷票", flag=bursts[0].key)
        after = anomalies.report(poll, now=start + dt.timedelta(days=1))
        tally = services.tally(poll)
    assert named == crowd_votes and bursts[0].votes == 60
    evidence = dict(bursts[0].evidence)
    assert evidence["该时段票数"] == "60" and evidence["来源网段数"] == "1"
    assert len(networks) == 1 and networks[0].votes == 60  # 60 voters behind one /24
    assert not [f for f in after if f.kind == "burst"]
    assert tally == {entries[0].pk: 72, entries[1].pk: 5}


def test_many_voters_behind_one_address_are_flagged(poll, entries):
    with scopes_disabled():
        people = voters(anomalies.ADDRESS_VOTERS)
        votes(poll, entries[0], people, [poll.opens_at + dt.timedelta(minutes=7 * i) for i in range(len(people))],
              lambda v: "198.51.100.77")
        few = voters(anomalies.ADDRESS_VOTERS - 1, start=500)
        votes(poll, entries[1], few, [poll.opens_at + dt.timedelta(minutes=7 * i) for i in range(len(few))],
              lambda v: "198.51.200.77")
        flags = [f for f in anomalies.report(poll) if f.kind == "ip"]
    ip_hash, _net = address_hashes("198.51.100.77")
    assert [f.key for f in flags] == [f"ip:{ip_hash}"]
    assert dict(flags[0].evidence)["投票人数"] == str(anomalies.ADDRESS_VOTERS)


def test_an_address_whose_codes_mostly_fail_is_flagged(poll, entries):
    ip_hash, net_hash = address_hashes("192.0.2.200")
    with scopes_disabled():
        for n in range(12):
            PhoneCode.plain.create(poll=poll, phone_hash=phone_hash(f"1390000{n:04d}"), code_hash="x" * 64,
                                   ip_hash=ip_hash, net_hash=net_hash, created_at=poll.opens_at,
                                   expires_at=poll.opens_at, attempts=3,
                                   verified_at=poll.opens_at if n < 2 else None)
        flags = [f for f in anomalies.report(poll) if f.kind == "codes"]
        summary = anomalies.code_summary(poll)
    assert len(flags) == 1 and "获取验证码12次，仅2次验证成功" in flags[0].title
    assert dict(flags[0].evidence)["验证码输错次数"] == "36"
    assert summary["asked"] == 12 and summary["verified"] == 2


@pytest.mark.parametrize("key", ["", "burst:x", "ip:short", "nonsense:1", "burst:1:2"])
def test_a_flag_key_that_names_nothing_is_refused_in_words(poll, key):
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        anomalies.flag_votes(poll, key)
    assert refused.value.messages == ["异常标记无法识别，请从异常报告中选择"]
