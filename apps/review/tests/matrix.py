"""Permission-matrix rows of the review pages. A city's pool and review are for its own admins and staff;
the province above watches (reads) but does not act; counties, other cities and provinces get 404. An
expert's pages show only their own assignments: another expert and the round's admins get 404 there."""

from tests.matrix import Row

SEE = {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
WORK = {"anon": 302, "own": 302, "staff": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
SETTINGS = {**WORK, "own": 200, "staff": 200}
MINE = {"anon": 302, "own": 200, "ancestor": 404, "sibling": 404, "foreign": 404}
MY_LIST = {"anon": 302, "own": 200, "ancestor": 404, "sibling": 200, "foreign": 404}
MINE_POST = {"anon": 302, "own": 302, "ancestor": 404, "sibling": 404, "foreign": 404}


def pool(world):
    return {"code": world.hangzhou.code}, "hangzhou"


def city_round(world):
    return {"pk": world.hangzhou_round.pk}, "hangzhou"


def assignment(world):
    return {"pk": world.review_assignment.pk}, "expert"


def assignment_file(world):
    return {"pk": world.review_assignment.pk, "file_pk": world.xihu_photo.pk}, "expert"


def meeting(world):
    return {"pk": world.review_meeting.pk}, "hangzhou"


ROWS = [
    Row("review:pool", pool, SEE),
    Row("review:pool_invite", pool, WORK, method="POST", data={"name": "钱专家", "phone": "13900000009"}),
    Row("review:pool_add", pool, WORK, method="POST", data={"name": "孙专家", "phone": "13900000008"}),
    Row("review:pool_member", lambda w: ({"pk": w.review_member.pk}, "hangzhou"), WORK, method="POST",
        data={"is_active": "on", "max_load": "20"}),
    Row("review:pool_invite_revoke", lambda w: ({"pk": w.expert_invite.pk}, "hangzhou"), WORK, method="POST"),
    Row("review:join", lambda w: ({"token": w.expert_invite_token}, None), {"anon": 200, "own": 200},
        note="the token is the key: anyone holding the link may open it"),
    Row("review:round", city_round, SEE),
    Row("review:round_settings", city_round, SETTINGS),
    Row("review:round_settings", city_round, WORK, method="POST",
        data={"methods": ["review", "voting"], "weight_review": "80", "weight_voting": "20", "experts_per_case": "1",
              "min_load": "0",
              "max_load": "10", "disagreement": "20", "trim": "on"}),
    Row("review:round_assign", city_round, WORK, method="POST"),
    Row("review:round_assignment_add", city_round, WORK, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "expert": w.expert_b.pk}),
    Row("review:round_remind", city_round, WORK, method="POST"),
    Row("review:ranking", city_round, SEE),
    Row("review:ranking_resolve", city_round, WORK, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "resolution": "noted", "note": "已复核"},
        note="refused with a message (no flagged case) for those who may act"),
    Row("review:ranking_snapshot", city_round, WORK, method="POST"),
    Row("review:assignment_remove", lambda w: ({"pk": w.review_assignment.pk}, "hangzhou"), WORK, method="POST"),
    Row("review:my", lambda w: ({}, "expert"), MY_LIST, note="every expert sees their own list"),
    Row("review:my_profile", lambda w: ({}, "expert"), MY_LIST),
    Row("review:score", assignment, MINE),
    Row("review:score", assignment, MINE_POST, method="POST", data={"action": "save", "score_innovation": "26"}),
    Row("review:decline", assignment, MINE_POST, method="POST", data={"reason": "曾为该企业提供咨询"}),
    Row("review:score_file", assignment_file, MINE),
    Row("review:score_thumb", assignment_file, MINE),
    Row("review:meetings", city_round, SEE),
    Row("review:meetings", city_round, WORK, method="POST",
        data={"title": "第二场宣讲会", "starts_at": "2026-09-10T09:00", "minutes_per_case": "8"}),
    Row("review:meeting", meeting, SEE),
    Row("review:meeting_status", meeting, SEE),
    Row("review:meeting_cases", meeting, WORK, method="POST", data=lambda w: {f"order_{w.xihu_case.pk}": "1"}),
    Row("review:meeting_judge_add", meeting, WORK, method="POST", data=lambda w: {"expert": w.expert_b.pk}),
    Row("review:meeting_qr", meeting, SETTINGS, method="POST", note="the printable page is the POST's answer"),
    Row("review:meeting_next", meeting, WORK, method="POST"),
    Row("review:judge", lambda w: ({"pk": w.review_meeting.pk}, "expert"), MINE,
        note="only the meeting's judges; another expert and the organisers get 404"),
    Row("review:judge_enter", lambda w: ({"token": w.judge_token}, None), {"anon": 302, "own": 302},
        note="the judge's personal QR link signs the judge in"),
    Row("review:round_scores", city_round, SETTINGS),
    Row("review:expert_sheet", lambda w: ({"pk": w.hangzhou_round.pk, "expert_pk": w.expert_a.pk}, "hangzhou"),
        SETTINGS, note="the round's own admins and staff; the expert's own copy is in test_review_documents"),
    Row("review:expert_sheet", lambda w: ({"pk": w.hangzhou_round.pk, "expert_pk": w.expert_a.pk}, "expert"),
        {"anon": 302, "own": 200, "sibling": 404, "ancestor": 200, "foreign": 404},
        note="the expert downloads their own sheet; another expert gets 404; ancestor here is 杭州市's admin"),
]
