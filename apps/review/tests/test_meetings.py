"""Small presentation meetings (R-108): judges score the case on stage; its result shows once all have."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.review import meetings
from apps.review.models import Assignment, Meeting, MeetingJudge, PoolMember, ScoreSheet
from apps.review.services import review_configure
from apps.review.tests.world import make_expert
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for
from tests.factories import PASSWORD, make_case, make_enterprise

pytestmark = pytest.mark.django_db

FULL = {"innovation": 27, "results": 25, "demonstration": 20, "typicality": 12}  # 84


@pytest.fixture
def setup(tree, system):
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
        programme = tree.campaign.programmes.get(org=tree.zhejiang)
        r = round_for(programme=programme, org=tree.hangzhou, kind=Round.Kind.CITY_SELECTION)
        r.state = Round.State.OPEN
        r.save(update_fields=["state"])
        cases = []
        for n in range(2):
            enterprise = make_enterprise(tree.campaign, tree.xihu, name=f"宣讲示范{n}有限公司", serial=f"MTG{n:06d}")
            case = make_case(enterprise, tree.xihu_park, status="submitted", version=1, title=f"宣讲案例{n}")
            RoundEntry.plain.create(round=r, case=case, case_version=1)
            cases.append(case)
        judges = []
        for n in range(3):
            expert = make_expert(f"judge{n}", f"评委{n}", f"1370000000{n}")
            PoolMember.plain.create(org=tree.hangzhou, expert=expert)
            judges.append(expert)
        review_configure(round=r, by=tree.hangzhou_admin,
                         data={"methods": ["review", "live"], "weights": {"review": 60, "live": 40}})
        meeting = meetings.meeting_create(round=r, by=tree.hangzhou_admin, title="第一场宣讲会",
                                          starts_at=timezone.now() + dt.timedelta(hours=1))
        meetings.meeting_set_cases(meeting=meeting, by=tree.hangzhou_admin, case_ids=[cases[1].pk, cases[0].pk])
        tokens = [meetings.meeting_add_judge(meeting=meeting, by=tree.hangzhou_admin, expert=e)[1] for e in judges]
    return tree, r, meeting, cases, judges, tokens


def test_a_meeting_needs_live_scoring_in_the_round_settings(setup):
    tree, r, *_ = setup
    with scopes_disabled():
        review_configure(round=r, by=tree.hangzhou_admin, data={"methods": ["review"], "weights": {"review": 100}})
        with pytest.raises(ValidationError, match="现场宣讲评分"):
            meetings.meeting_create(round=r, by=tree.hangzhou_admin, title="又一场", starts_at=timezone.now())


def test_every_judge_gets_a_live_assignment_for_every_presenting_case(setup):
    tree, r, meeting, cases, judges, _tokens = setup
    with scopes_disabled():
        pairs = set(Assignment.plain.filter(round=r, method="live").values_list("case_id", "expert_id"))
    assert pairs == {(c.pk, j.pk) for c in cases for j in judges}


def test_the_result_shows_only_once_every_judge_has_submitted(setup):
    tree, r, meeting, cases, judges, _tokens = setup
    with scopes_disabled():
        item = meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
        assert item.case == cases[1]  # the order set, not the ids' order
        for n, expert in enumerate(judges):
            judge = MeetingJudge.plain.get(meeting=meeting, expert=expert)
            meetings.live_sheet_submit(judge=judge, item_id=item.pk, scores={**FULL, "typicality": 12 - n})
            result = meetings.meeting_results(meeting)[0]
            assert result.submitted == n + 1
            assert result.score is None if n < 2 else result.score == pytest.approx(83.0)  # (84 + 83 + 82) / 3
        assert meetings.meeting_results(meeting)[1].score is None


def test_next_moves_through_the_cases_and_finishes_the_meeting(setup):
    tree, r, meeting, cases, judges, tokens = setup
    with scopes_disabled():
        first = meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
        second = meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
        first.refresh_from_db()
        assert first.ended_at is not None and second.case == cases[0]
        assert meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin) is None
        meeting.refresh_from_db()
        assert meeting.state == Meeting.State.FINISHED
        # A finished meeting's QR links stop working and nothing can change.
        assert meetings.judge_by_token(tokens[0]) is None
        with pytest.raises(ValidationError, match="已结束"):
            meetings.meeting_set_cases(meeting=meeting, by=tree.hangzhou_admin, case_ids=[cases[0].pk])


def test_the_order_cannot_change_once_a_case_was_presented(setup):
    tree, r, meeting, cases, *_ = setup
    with scopes_disabled():
        meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
        with pytest.raises(ValidationError, match="顺序不能再修改"):
            meetings.meeting_set_cases(meeting=meeting, by=tree.hangzhou_admin, case_ids=[cases[0].pk])


def test_another_city_cannot_run_the_meeting(setup):
    tree, r, meeting, *_ = setup
    with scopes_disabled(), pytest.raises(NotFound):
        meetings.meeting_next(meeting=meeting, by=tree.ningbo_admin)


def test_the_qr_link_signs_the_judge_in_and_the_judge_scores_the_case_on_stage(client, setup):
    tree, r, meeting, cases, judges, tokens = setup
    response = client.get(reverse("review:judge_enter", args=[tokens[0]]))
    assert response.status_code == 302 and response.url == reverse("review:judge", args=[meeting.pk])
    assert "_auth_user_id" not in client.session  # the link lets this browser judge; it signs nobody in
    page = client.get(response.url)
    assert "宣讲尚未开始" in page.content.decode()
    with scopes_disabled():
        item = meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
    page = client.get(reverse("review:judge", args=[meeting.pk])).content.decode()
    assert item.case.title in page
    data = {"item": item.pk, **{f"score_{k}": v for k, v in FULL.items()}}
    response = client.post(reverse("review:judge", args=[meeting.pk]), {**data, "score_results": "31"})
    assert "“实施成效”的分数超过满分30分" in response.content.decode()
    response = client.post(reverse("review:judge", args=[meeting.pk]), data)
    assert response.status_code == 302
    with scopes_disabled():
        sheet = ScoreSheet.plain.get(assignment__expert=judges[0], assignment__case=item.case,
                                     assignment__method="live")
    assert sheet.state == "submitted" and sheet.total == pytest.approx(84)
    # A stale form (the stage moved on) is refused in words, not saved for the wrong case.
    with scopes_disabled():
        meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
    response = client.post(reverse("review:judge", args=[meeting.pk]), data, follow=True)
    assert "台上的案例已经更换" in response.content.decode()


def test_a_bad_qr_token_is_refused(client, setup):
    response = client.get(reverse("review:judge_enter", args=["not-a-token"]))
    assert response.status_code == 404 and "二维码无效" in response.content.decode()


def test_the_printable_qr_page_makes_new_links(client, setup):
    tree, r, meeting, cases, judges, tokens = setup
    client.login(username=tree.hangzhou_admin.username, password=PASSWORD)
    response = client.post(reverse("review:meeting_qr", args=[meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("<svg") == 3 and "评委0" in body
    assert meetings.judge_by_token(tokens[0]) is None  # the earlier printout no longer works


def test_an_organiser_opening_a_judges_link_stays_signed_in_as_themself(client, setup):
    tree, r, meeting, cases, judges, tokens = setup
    client.login(username=tree.hangzhou_admin.username, password=PASSWORD)
    client.get(reverse("review:judge_enter", args=[tokens[0]]))
    assert int(client.session["_auth_user_id"]) == tree.hangzhou_admin.pk
    assert client.get(reverse("review:meeting", args=[meeting.pk])).status_code == 200


def test_a_reprinted_link_ends_the_judging_of_a_browser_that_used_the_old_one(client, setup):
    tree, r, meeting, cases, judges, tokens = setup
    client.get(reverse("review:judge_enter", args=[tokens[0]]))
    assert client.get(reverse("review:judge", args=[meeting.pk])).status_code == 200
    with scopes_disabled():
        meetings.meeting_judge_link(judge=MeetingJudge.plain.get(meeting=meeting, expert=judges[0]),
                                    by=tree.hangzhou_admin)
    response = client.get(reverse("review:judge", args=[meeting.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_judge_with_a_conflict_does_not_score_that_case_and_the_result_waits_only_for_the_others(setup):
    tree, r, meeting, cases, judges, _tokens = setup
    from apps.review.models import ConflictDeclaration

    with scopes_disabled():
        meeting2 = meetings.meeting_create(round=r, by=tree.hangzhou_admin, title="第二场",
                                           starts_at=timezone.now())
        ConflictDeclaration.plain.create(expert=judges[2], case=cases[0], reason="曾为该企业提供咨询")
        meetings.meeting_set_cases(meeting=meeting2, by=tree.hangzhou_admin, case_ids=[cases[0].pk])
        for expert in judges:
            meetings.meeting_add_judge(meeting=meeting2, by=tree.hangzhou_admin, expert=expert)
        live = set(Assignment.plain.filter(round=r, method="live", case=cases[0]).exclude(state="declined")
                   .values_list("expert_id", flat=True))
        assert judges[2].pk not in live
        item = meetings.meeting_next(meeting=meeting2, by=tree.hangzhou_admin)
        for expert in judges[:2]:
            judge = MeetingJudge.plain.get(meeting=meeting2, expert=expert)
            meetings.live_sheet_submit(judge=judge, item_id=item.pk, scores=FULL)
        result = meetings.meeting_results(meeting2)[0]
        assert (result.submitted, result.judges, result.score) == (2, 2, pytest.approx(84))
        with pytest.raises(ValidationError, match="回避"):
            meetings.live_sheet_submit(judge=MeetingJudge.plain.get(meeting=meeting2, expert=judges[2]),
                                       item_id=item.pk, scores=FULL)


def test_no_judge_can_be_added_once_a_case_was_presented(setup):
    tree, r, meeting, cases, judges, _tokens = setup
    with scopes_disabled():
        extra = make_expert("judge9", "评委9", "13700000009")
        PoolMember.plain.create(org=tree.hangzhou, expert=extra)
        meetings.meeting_next(meeting=meeting, by=tree.hangzhou_admin)
        with pytest.raises(ValidationError, match="不能再添加评委"):
            meetings.meeting_add_judge(meeting=meeting, by=tree.hangzhou_admin, expert=extra)
