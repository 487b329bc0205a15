"""The voting admin pages as 杭州市's clerk and the province above use them (R-108): setting the poll up,
the tally, the anomaly report, invalidating and restoring votes, certifying, and the downloads."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import configure
from apps.voting import anomalies, services
from apps.voting.hashing import phone_hash
from apps.voting.models import Certificate, Invalidation, Poll, Vote, Voter
from apps.voting.services import SHANGHAI
from apps.voting.tests.conftest import verify


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def cast(poll, entry, voter, *, now=None, address="203.0.113.7"):
    return services.vote_cast(poll=poll, entry_id=entry.pk, voter_id=voter.pk, address=address,
                              user_agent="Mozilla/5.0 (iPhone) MicroMessenger/8.0", now=now)


def voters(poll, n: int, start: int = 0) -> list:
    """n voters verified through the code flow, each from its own address."""
    with scopes_disabled():
        return [verify(poll, f"1391234{k:04d}", address=f"192.0.2.{k % 250 + 1}") for k in range(start, start + n)]


def close(poll) -> Poll:
    """Move the poll's end into the past (it opened an hour ago)."""
    with scopes_disabled():
        Poll.plain.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
        return Poll.plain.get(pk=poll.pk)


def valid_tally(poll) -> dict:
    with scopes_disabled():
        return services.tally(poll)


NEXT_YEAR = timezone.now().year + 1


def round_url(round) -> str:
    return reverse("voting:round", args=[round.pk])


def url(name: str, poll) -> str:
    return reverse(f"voting:{name}", args=[poll.pk])


# --- setting the poll up -----------------------------------------------------------------------------------------

def test_the_round_page_offers_to_create_the_poll_with_the_rulebooks_rules(client, campaign, voting_round, entries):
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(round_url(voting_round)))
    assert "创建投票" in text and 'type="datetime-local"' in text
    assert "5票" in text and "定时刷新显示，每60分钟刷新" in text and "100 × 票数 ÷ 本轮最高票数" in text
    assert "R-108" in text and "网络投票权重" in text and "30%" in text


def test_creating_the_poll_on_the_page_reads_times_as_beijing_time(client, campaign, voting_round, entries):
    client.force_login(campaign.hangzhou_admin)
    response = client.post(round_url(voting_round), {
        "title": "杭州市创新案例网络投票", "intro": "每人每天可投5票", "opens_at": f"{NEXT_YEAR}-09-01T09:00",
        "closes_at": f"{NEXT_YEAR}-09-08T17:00", "published": "on"})
    assert response.status_code == 302 and response["Location"] == round_url(voting_round)
    with scopes_disabled():
        poll = Poll.plain.get(round=voting_round)
    assert poll.opens_at == dt.datetime(NEXT_YEAR, 9, 1, 1, 0, tzinfo=dt.timezone.utc)  # 09:00 in Beijing
    assert poll.closes_at == dt.datetime(NEXT_YEAR, 9, 8, 17, 0, tzinfo=SHANGHAI)
    assert poll.published and poll.votes_per_day == 5 and poll.created_by == campaign.hangzhou_admin
    text = page(client.get(round_url(voting_round)))
    assert f"{NEXT_YEAR}-09-01 09:00 — {NEXT_YEAR}-09-08 17:00" in text and "未开始" in text
    assert f"http://testserver/v/{poll.slug}/" in text and "<svg" in text  # the share link and its QR code
    assert f'value="{NEXT_YEAR}-09-01T09:00"' in text  # the form shows the stored time back in Beijing time


@pytest.mark.parametrize("data,message", [
    ({"opens_at": f"{NEXT_YEAR}-09-08T09:00", "closes_at": f"{NEXT_YEAR}-09-01T09:00"}, "投票截止时间应晚于开始时间"),
    ({"opens_at": "明天上午"}, "请按“年-月-日 时:分”填写时间"),
    ({"title": ""}, "请填写投票标题"),
    ({"closes_at": ""}, "请填写投票截止时间"),
])
def test_bad_input_on_the_poll_form_is_shown_and_nothing_is_saved(client, campaign, voting_round, entries, data,
                                                                   message):
    good = {"title": "投票", "opens_at": f"{NEXT_YEAR}-09-01T09:00", "closes_at": f"{NEXT_YEAR}-09-08T17:00"}
    client.force_login(campaign.hangzhou_admin)
    text = page(client.post(round_url(voting_round), {**good, **data}))
    assert message in text
    with scopes_disabled():
        assert not Poll.plain.exists()


def test_editing_the_poll_after_the_first_vote_keeps_its_opening_time(client, campaign, poll, entries):
    with scopes_disabled():
        cast(poll, entries[0], verify(poll, "13812345678"))
    opened = poll.opens_at
    shown = timezone.localtime(opened, SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    later = timezone.localtime(poll.closes_at + dt.timedelta(days=1), SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    client.force_login(campaign.hangzhou_admin)
    assert "已有投票：开始时间和投票规则不能再修改" in page(client.get(round_url(poll.round)))
    # The form shows the opening time to the minute; sent back unchanged it keeps the stored second.
    response = client.post(round_url(poll.round), {"title": "新标题", "opens_at": shown, "closes_at": later,
                                                   "published": "on"})
    assert response.status_code == 302
    moved = (timezone.localtime(opened, SHANGHAI) + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    text = page(client.post(round_url(poll.round), {"title": "再改", "opens_at": moved, "closes_at": later,
                                                    "published": "on"}))
    assert "已有投票，开始时间不能再修改" in text
    with scopes_disabled():
        poll.refresh_from_db()
    assert poll.title == "新标题" and poll.opens_at == opened
    assert timezone.localtime(poll.closes_at, SHANGHAI).strftime("%Y-%m-%dT%H:%M") == later


def test_a_round_without_voting_in_its_settings_says_so(client, campaign, voting_round, entries):
    configure(voting_round, methods=["review"], weights={"review": 100})
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(round_url(voting_round)))
    assert "本轮评审设置未选择“网络投票”" in text
    assert reverse("review:round_settings", args=[voting_round.pk]) in text
    assert 'name="title"' not in text  # no form: saving would be refused


# --- the tally -----------------------------------------------------------------------------------------------------

def test_the_tally_page_ranks_the_cases_by_valid_votes_with_their_scores(client, campaign, poll, entries):
    people = voters(poll, 3)
    with scopes_disabled():
        for voter in people:
            cast(poll, entries[0], voter)
        cast(poll, entries[1], people[0])
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(url("tally", poll)))
    with scopes_disabled():
        titles = [e.case.title for e in entries]
    assert text.index(titles[0]) < text.index(titles[1]) < text.index(titles[2])
    assert "100.0000" in text and "33.3333" in text and "0.0000" in text
    assert "投票得分 = 100 × 票数 ÷ 本轮最高票数" in text and "有效票合计4张" in text
    assert text.count('data-label="名次">3<') == 2  # the two cases without votes share rank 3
    assert f"?case={entries[0].pk}" in text  # each count links to its votes


def test_the_tally_page_of_a_round_without_cases_says_so(client, campaign, voting_round):
    now = timezone.now()
    with scopes_disabled():
        empty = services.poll_save(round=voting_round, by=campaign.hangzhou_admin, title="投票", intro="",
                                   opens_at=now, closes_at=now + dt.timedelta(days=1), published=False)
    client.force_login(campaign.hangzhou_admin)
    assert "本轮还没有可投票的案例" in page(client.get(url("tally", empty)))
    assert "未公开" in page(client.get(round_url(voting_round)))


# --- certifying and the downloads ----------------------------------------------------------------------------------

def test_certifying_is_refused_before_the_close_and_done_once_after(client, campaign, poll, entries):
    with scopes_disabled():
        cast(poll, entries[0], verify(poll, "13812345678"))
    client.force_login(campaign.hangzhou_admin)
    assert "认证投票结果" not in page(client.get(round_url(poll.round)))
    text = page(client.post(url("certify", poll), follow=True))
    assert "投票尚未截止" in text
    with scopes_disabled():
        assert not Certificate.plain.exists()
    close(poll)
    assert "认证投票结果" in page(client.get(round_url(poll.round)))
    text = page(client.post(url("certify", poll), follow=True))
    assert "投票结果已认证：有效票1张，作废票0张" in text and "已认证" in text
    with scopes_disabled():
        certificate = Certificate.plain.get(poll=poll)
    assert certificate.digest in text and "认证投票结果" not in text and "投票设置" not in text
    text = page(client.post(url("certify", poll), follow=True))
    assert "投票结果已经认证过了" in text


def test_the_downloaded_vote_set_hashes_to_the_certificate_digest(client, campaign, poll, entries):
    people = voters(poll, 3)
    with scopes_disabled():
        for n, voter in enumerate(people):
            for entry in entries[: n + 1]:
                cast(poll, entry, voter)
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="测试",
                                  vote_ids=[Vote.plain.order_by("pk").first().pk])
    close(poll)
    client.force_login(campaign.hangzhou_admin)
    assert client.post(url("certify", poll)).status_code == 302
    response = client.get(url("votes_csv", poll))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    with scopes_disabled():
        certificate = Certificate.plain.get(poll=poll)
    assert hashlib.sha256(body).hexdigest() == certificate.digest
    lines = body.decode().splitlines()
    assert lines[0] == services.VOTE_SET_HEADER and len(lines) == 7 and sum(x.endswith(",0") for x in lines) == 1
    assert "attachment" in response["Content-Disposition"]

    tally = client.get(url("tally_csv", poll))
    text = tally.content.decode("utf-8")
    assert text.startswith("\ufeff名次,案例编号,案例标题,企业,有效票数,投票得分")
    assert text.rstrip().endswith(f"投票数据校验值（SHA-256）,{certificate.digest}")
    assert ",2,100.0000" in text and ",1,50.0000" in text
    with scopes_disabled():
        exports = list(AuditEntry.plain.filter(action="voting.export").values_list("data", flat=True))
    assert len(exports) == 2 and any("votes.csv" in str(d) for d in exports)


def test_a_case_title_cannot_become_an_excel_formula_in_the_tally(client, campaign, poll, entries):
    with scopes_disabled():
        case = entries[0].case
        type(case).plain.filter(pk=case.pk).update(title="=HYPERLINK(\"http://x\")")
    client.force_login(campaign.hangzhou_admin)
    text = client.get(url("tally_csv", poll)).content.decode("utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# --- invalidating and restoring ------------------------------------------------------------------------------------

def test_invalidating_ticked_votes_on_the_list_recounts_the_tally(client, campaign, poll, entries):
    people = voters(poll, 3)
    with scopes_disabled():
        votes = [cast(poll, entries[0], voter) for voter in people]
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(url("votes", poll)))
    assert text.count('name="vote"') == 3 and f"#{people[0].pk}" in text and votes[0].ip_hash[:8] in text
    assert votes[0].ip_hash[8:12] not in text.replace(votes[0].ip_hash[:8], "")  # only the prefix is shown
    picked = [votes[0].pk, votes[1].pk]
    response = client.post(url("invalidate", poll), {"vote": picked, "reason": "同一人多号刷票",
                                                     "back": "state=valid"}, follow=True)
    text = page(response)
    assert response.redirect_chain[-1][0] == url("votes", poll) + "?state=valid"
    assert "已作废2张投票" in text and text.count('name="vote"') == 1
    assert valid_tally(poll) == {entries[0].pk: 1}
    text = page(client.get(url("votes", poll) + "?state=invalid"))
    assert text.count("同一人多号刷票") == 2 and "共2张投票" in text


@pytest.mark.parametrize("data,message", [
    ({"reason": "刷票"}, "请勾选要作废的投票"),
    ({"reason": "  ", "vote": ["VOTE"]}, "请填写作废原因"),
])
def test_an_invalidation_without_votes_or_reason_changes_nothing(client, campaign, poll, entries, data, message):
    with scopes_disabled():
        vote = cast(poll, entries[0], verify(poll, "13812345678"))
    data = {k: [str(vote.pk)] if v == ["VOTE"] else v for k, v in data.items()}
    client.force_login(campaign.hangzhou_admin)
    assert message in page(client.post(url("invalidate", poll), data, follow=True))
    assert valid_tally(poll) == {entries[0].pk: 1}


def burst(poll, entry, people) -> None:
    """Every voter votes for `entry` within one minute, ten minutes ago: far above the case's own rate."""
    minute = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    with scopes_disabled():
        for n, voter in enumerate(people):
            cast(poll, entry, voter, now=minute + dt.timedelta(seconds=n * 4))


def test_invalidating_an_anomaly_flags_votes_from_the_report(client, campaign, poll, entries):
    people = voters(poll, 12)
    burst(poll, entries[0], people)
    with scopes_disabled():
        cast(poll, entries[1], people[0])
        title = entries[0].case.title
        [flag] = anomalies.report(poll)
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(url("anomalies", poll)))
    assert f"“{title}”在" in text and "集中得票" in text and "涉及有效票12张" in text
    assert "该时段票数" in text and "作废12张投票" in text and f'value="{flag.key}"' in text
    response = client.post(url("invalidate", poll), {"flag": flag.key, "reason": "1分钟内12票，来源集中"}, follow=True)
    text = page(response)
    assert response.redirect_chain[-1][0] == url("anomalies", poll)
    assert "已作废12张投票" in text and "未发现异常" in text
    assert valid_tally(poll) == {entries[1].pk: 1}
    with scopes_disabled():
        assert Invalidation.plain.get().flag == flag.key


def test_reverting_an_invalidation_restores_the_votes(client, campaign, poll, entries):
    people = voters(poll, 2)
    with scopes_disabled():
        votes = [cast(poll, entries[0], voter) for voter in people]
        gone = services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="疑似刷票",
                                         vote_ids=[v.pk for v in votes])
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(url("invalidations", poll)))
    assert "疑似刷票" in text and "逐张勾选" in text and "生效中" in text and "撤销这次作废" in text
    revert = reverse("voting:invalidation_revert", args=[gone.pk])
    assert "请填写恢复原因" in page(client.post(revert, {"reason": ""}, follow=True))
    assert valid_tally(poll) == {}
    text = page(client.post(revert, {"reason": "核实为真实投票"}, follow=True))
    assert "已撤销这次作废，2张投票恢复有效" in text and "核实为真实投票" in text
    assert "<summary>撤销这次作废</summary>" not in text
    assert valid_tally(poll) == {entries[0].pk: 2}
    assert "这次作废已经撤销过了" in page(client.post(revert, {"reason": "再来"}, follow=True))


# --- the votes list -------------------------------------------------------------------------------------------------

def test_the_votes_list_filters_by_case_address_and_state(client, campaign, poll, entries):
    people = voters(poll, 3)
    with scopes_disabled():
        cast(poll, entries[0], people[0], address="198.51.100.1")
        cast(poll, entries[1], people[1], address="198.51.100.2")
        third = cast(poll, entries[1], people[2], address="198.51.100.2")
        services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="测试", vote_ids=[third.pk])
    client.force_login(campaign.hangzhou_admin)
    votes_url = url("votes", poll)
    assert "共3张投票" in page(client.get(votes_url))
    assert "共2张投票" in page(client.get(f"{votes_url}?case={entries[1].pk}"))
    assert "共2张投票" in page(client.get(f"{votes_url}?ip={third.ip_hash[:8]}"))
    assert "共1张投票" in page(client.get(f"{votes_url}?ip={third.ip_hash[:8]}&state=valid"))
    assert "共3张投票" in page(client.get(f"{votes_url}?case=x&ip=not-hex&state=maybe"))  # ignored
    assert "没有符合筛选条件的投票" in page(client.get(f"{votes_url}?ip=ffffffffffffffff&ip=0"))


def test_the_votes_list_pages_by_100_newest_first(client, campaign, poll, entries):
    people = voters(poll, 1)
    with scopes_disabled():
        more = [Voter.objects.create(phone_hash=phone_hash(f"1370000{n:04d}")) for n in range(104)]
        for voter in people + more:
            cast(poll, entries[0], voter)
        ids = list(Vote.plain.order_by("-pk").values_list("pk", flat=True))
    client.force_login(campaign.hangzhou_admin)
    first = page(client.get(url("votes", poll)))
    assert first.count('name="vote"') == 100 and f"before={ids[99]}" in first and "← 最新的投票" not in first
    second = page(client.get(url("votes", poll) + f"?before={ids[99]}"))
    assert second.count('name="vote"') == 5 and "更早的投票" not in second and "← 最新的投票" in second


def votes_page_queries(client, poll) -> int:
    page(client.get(url("votes", poll)))
    with CaptureQueriesContext(connection) as captured:
        page(client.get(url("votes", poll)))
    return len(captured)


def test_the_votes_list_makes_as_many_queries_for_30_votes_as_for_3(client, campaign, poll, entries):
    people = voters(poll, 30)
    client.force_login(campaign.hangzhou_admin)
    with scopes_disabled():
        for voter in people[:3]:
            cast(poll, entries[0], voter)
    for_3 = votes_page_queries(client, poll)
    with scopes_disabled():
        for n, voter in enumerate(people[3:]):
            cast(poll, entries[n % 4], voter)
            if n % 5 == 0:
                services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason=f"测试{n}",
                                          vote_ids=[Vote.plain.order_by("-pk").first().pk])
    for_30 = votes_page_queries(client, poll)
    print(f"votes page queries: {for_3} for 3 votes, {for_30} for 30")
    assert for_3 == for_30 and for_30 <= 12


# --- watchers and strangers -----------------------------------------------------------------------------------------

def test_the_province_watches_but_cannot_act(client, campaign, poll, entries):
    with scopes_disabled():
        vote = cast(poll, entries[0], verify(poll, "13812345678"))
        gone = services.votes_invalidate(poll=poll, by=campaign.hangzhou_admin, reason="测试", vote_ids=[vote.pk])
    client.force_login(campaign.zhejiang_admin)
    text = page(client.get(round_url(poll.round)))
    assert poll.title in text and "有效票" in text and "<form method=\"post\" class=\"card narrow\"" not in text
    assert "投票设置" not in text and "评审设置</a>" not in text
    assert 'name="vote"' not in page(client.get(url("votes", poll)))
    assert "撤销这次作废" not in page(client.get(url("invalidations", poll)))
    for name in ("tally", "anomalies"):
        page(client.get(url(name, poll)))
    assert client.get(url("votes_csv", poll)).status_code == 200
    form = {"title": "改", "opens_at": f"{NEXT_YEAR}-09-01T09:00", "closes_at": f"{NEXT_YEAR}-09-08T09:00"}
    posts = [(round_url(poll.round), form),
             (url("invalidate", poll), {"vote": [vote.pk], "reason": "x"}), (url("certify", poll), {}),
             (reverse("voting:invalidation_revert", args=[gone.pk]), {"reason": "x"})]
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target
    with scopes_disabled():
        assert Invalidation.plain.get().reverted_at is None and Poll.plain.get().title == poll.title


def test_a_county_and_another_city_get_404(client, campaign, poll):
    for outsider in (campaign.xihu_admin, campaign.ningbo_admin):
        client.force_login(outsider)
        assert client.get(round_url(poll.round)).status_code == 404
        assert client.get(url("tally", poll)).status_code == 404
        assert client.get(url("votes_csv", poll)).status_code == 404


# --- empty states -------------------------------------------------------------------------------------------------

def test_a_poll_without_votes_has_empty_states(client, campaign, poll):
    client.force_login(campaign.hangzhou_admin)
    assert "未发现异常" in page(client.get(url("anomalies", poll)))
    assert "还没有投票" in page(client.get(url("votes", poll)))
    assert "还没有作废过投票" in page(client.get(url("invalidations", poll)))
    text = page(client.get(round_url(poll.round)))
    assert "进行中" in text and "投票截止" in text and "后，由本级管理员认证结果" in text


def test_the_rounds_watcher_sees_that_no_poll_exists_yet(client, campaign, voting_round):
    client.force_login(campaign.zhejiang_admin)
    text = page(client.get(round_url(voting_round)))
    assert "本轮尚未设置网络投票" in text and 'name="title"' not in text
