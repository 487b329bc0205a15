"""Adds expert review to the permission-matrix world.

world.hangzhou_round (杭州市's city selection round) is opened with world.xihu_case (which has a photo,
world.xihu_photo) in its list. 杭州市's pool holds two experts: world.expert_a, assigned to that case with
a draft score sheet (world.review_assignment), and world.expert_b, assigned to nothing. world.review_member
is expert_a's place in the pool; world.expert_invite_token opens a pending invitation.
The round also scores live: world.review_meeting presents the case, judged by expert_a
(world.judge_token opens expert_a's judge page).
"""

from apps.review.meetings import meeting_add_judge, meeting_create, meeting_set_cases
from apps.review.models import Assignment, Expert, PoolMember, ScoreSheet
from apps.review.services import expert_invite_create, review_configure
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_transition
from tests.factories import make_user


def make_expert(username: str, name: str, phone: str, **fields) -> Expert:
    user = make_user(username, name, phone)
    return Expert.plain.create(user=user, name=name, **fields)


def build(world) -> None:
    round = world.hangzhou_round
    RoundEntry.plain.get_or_create(round=round, case=world.xihu_case, defaults={"case_version": 1})
    if round.state == Round.State.DRAFT:
        round_transition(round=round, to=Round.State.OPEN, by=None, check=False)
    world.expert_a = make_expert("expert-a", "周专家", "13900000001", employer="浙江大学", industries=["C"])
    world.expert_b = make_expert("expert-b", "吴专家", "13900000002", employer="浙江工业大学", industries=["I"])
    world.expert_a_user, world.expert_b_user = world.expert_a.user, world.expert_b.user
    world.review_member = PoolMember.plain.create(org=world.hangzhou, expert=world.expert_a)
    PoolMember.plain.create(org=world.hangzhou, expert=world.expert_b)
    world.review_assignment = Assignment.plain.create(round=round, case=world.xihu_case, expert=world.expert_a)
    ScoreSheet.plain.create(assignment=world.review_assignment, scores={"innovation": 25})
    world.expert_invite, world.expert_invite_token = expert_invite_create(org=world.hangzhou, by=world.hangzhou_admin,
                                                              name="郑专家", phone="13900000003")
    review_configure(round=round, by=world.hangzhou_admin,
                     data={"methods": ["review", "live"], "weights": {"review": 70, "live": 30}})
    world.review_meeting = meeting_create(round=round, by=world.hangzhou_admin, title="杭州市小型宣讲会（一）",
                                          starts_at=round.created_at)
    meeting_set_cases(meeting=world.review_meeting, by=world.hangzhou_admin, case_ids=[world.xihu_case.pk])
    _judge, world.judge_token = meeting_add_judge(meeting=world.review_meeting, by=world.hangzhou_admin,
                                                  expert=world.expert_a)
