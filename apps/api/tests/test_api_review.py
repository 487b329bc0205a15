"""Expert review in the API (issue 5 item 9): who reaches which endpoint, and the review's state changes
(assignment, score sheets) through the same services as the pages (R-108, R-109).

The world is the permission-matrix world (apps/review/tests/world.py): 杭州市's open city round with
西湖区's case, assigned to expert_a (a draft sheet: 创新性 25); expert_b sits in the same pool unassigned.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.orgs.services import membership_add
from apps.review.config import review_config
from apps.review.models import Assignment, PoolMember, ScoreSheet
from apps.review.services import review_configure
from apps.review.tests.world import make_expert
from apps.rounds.models import Round
from tests.factories import PASSWORD

# Everyone the review concerns, by their relation to 杭州市's round and pool.
PEOPLE = {
    "own": "hangzhou_admin",
    "staff": "hangzhou_staff",
    "province": "zhejiang_admin",
    "county_below": "xihu_admin",
    "other_city": "ningbo_admin",
    "other_province": "chengdu_admin",
    "expert": "expert_a_user",
    "other_expert": "expert_b_user",
    "anon": None,
}
ROUND_READERS = {who: 404 for who in PEOPLE} | {"own": 200, "staff": 200, "province": 200, "anon": 401}
ROUND_RUNNERS = ROUND_READERS | {"province": 404}
EXPERTS = {who: 404 for who in PEOPLE} | {"expert": 200, "other_expert": 200, "anon": 401}
ASSIGNED_EXPERT = {who: 404 for who in PEOPLE} | {"expert": 200, "anon": 401}

FULL_MARKS = {"innovation": 27, "results": 24, "demonstration": 20, "typicality": 12}  # weights = maxima: 83


def token_client(user) -> APIClient:
    api = APIClient()
    if user is not None:
        _token, text = AuthToken.objects.create(user=user)  # a factory: no audit row, no per-person limit
        api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return api


def as_(world, who: str) -> APIClient:
    attr = PEOPLE[who]
    return token_client(getattr(world, attr) if attr else None)


def statuses(world, method: str, url: str, data: dict | None = None) -> dict[str, int]:
    """Each person's status for one request, the experts and the refused ones first so that a successful
    change made by one person does not decide what the next one gets."""
    order = sorted(PEOPLE, key=lambda who: who in ("own", "staff", "expert"))
    return {who: getattr(as_(world, who), method)(url, data, format="json").status_code for who in order}


def round_url(world, tail: str = "") -> str:
    return f"/api/v1/review/rounds/{world.hangzhou_round.pk}/{tail}"


def sheet_url(world, assignment=None) -> str:
    return f"/api/v1/review/my/assignments/{(assignment or world.review_assignment).pk}/sheet/"


def stored_sheet(world) -> ScoreSheet:
    with scopes_disabled():
        return ScoreSheet.plain.get(assignment=world.review_assignment)


def set_experts_per_case(world, k: int) -> None:
    with scopes_disabled():
        review_configure(round=world.hangzhou_round, by=world.hangzhou_admin, data={"experts_per_case": k})


# -- who reaches what -----------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["", "assignments/", "ranking/"])
def test_a_citys_review_is_read_by_its_own_people_and_the_province_above_only(world, tail):
    assert statuses(world, "get", round_url(world, tail)) == ROUND_READERS


def test_only_the_citys_own_admins_and_staff_run_the_assignment(world):
    assert statuses(world, "post", round_url(world, "assign/")) == ROUND_RUNNERS


def test_every_expert_lists_their_own_assignments_and_non_experts_get_404(world):
    assert statuses(world, "get", "/api/v1/review/my/assignments/") == EXPERTS


def test_only_the_assigned_expert_opens_the_assignment(world):
    url = f"/api/v1/review/my/assignments/{world.review_assignment.pk}/"
    assert statuses(world, "get", url) == ASSIGNED_EXPERT


def test_only_the_assigned_expert_saves_the_sheet(world):
    assert statuses(world, "post", sheet_url(world), {"scores": {"innovation": 26}}) == ASSIGNED_EXPERT
    assert stored_sheet(world).scores == {"innovation": 26}


def test_a_citys_pool_is_read_by_its_own_people_and_the_province_above_only(world):
    url = f"/api/v1/review/pools/{world.hangzhou.code}/experts/"
    assert statuses(world, "get", url) == ROUND_READERS


def test_a_county_screening_round_has_no_review_even_for_its_own_county(world):
    response = token_client(world.xihu_admin).get(f"/api/v1/review/rounds/{world.xihu_round.pk}/")
    assert response.status_code == 404


def test_ids_that_are_not_numbers_or_do_not_exist_answer_404(world):
    api = as_(world, "own")
    assert api.get("/api/v1/review/rounds/abc/").status_code == 404
    assert api.get("/api/v1/review/rounds/999999/").status_code == 404
    assert as_(world, "expert").get("/api/v1/review/my/assignments/x1/").status_code == 404
    assert api.get("/api/v1/review/pools/999999/experts/").status_code == 404


# -- the round ------------------------------------------------------------------------------------

def test_the_round_shows_its_settings_counts_and_whether_the_caller_may_run_it(world):
    data = as_(world, "own").get(round_url(world)).json()
    assert (data["kind"], data["state"], data["org_code"], data["year"]) == ("city_selection", "open", "330100", 2026)
    with scopes_disabled():
        assert data["config"] == review_config(world.hangzhou_round).as_json()
    assert data["config"]["experts_per_case"] == 5 and "review" in data["config"]["methods"]
    assert [i["key"] for i in data["config"]["rubric"]] == ["innovation", "results", "demonstration", "typicality"]
    assert data["counts"] == {"cases": 1, "assigned": 1, "submitted": 0, "declined": 0}
    assert data["can_run"] is True
    assert as_(world, "province").get(round_url(world)).json()["can_run"] is False


def test_the_assignments_list_names_case_expert_and_how_assigned(world):
    api = as_(world, "staff")
    data = api.get(round_url(world, "assignments/"), {"method": "review"}).json()
    assert [(a["case"]["title"], a["expert"]["name"], a["state"], a["source"], a["industry_match"])
            for a in data["results"]] == [(world.xihu_case.title, "周专家", "active", "solver", False)]
    assert data["results"][0]["expert"]["id"] == world.expert_a.pk
    every = api.get(round_url(world, "assignments/")).json()["results"]
    assert {a["method"] for a in every} == {"review", "live"}  # expert_a also judges the case at the meeting
    assert api.get(round_url(world, "assignments/"), {"state": "submitted"}).json()["results"] == []


def test_the_assignments_list_costs_the_same_queries_for_many_experts(world):
    api = as_(world, "own")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(round_url(world, "assignments/")).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    with scopes_disabled():
        for i in range(12):
            expert = make_expert(f"expert-x{i}", f"专家{i:02d}", f"1370000{i:04d}")
            Assignment.plain.create(round=world.hangzhou_round, case=world.xihu_case, expert=expert)
    assert queries() == few


# -- assignment through the API -------------------------------------------------------------------

def test_assign_fills_the_case_up_to_k_experts_and_keeps_what_was_there(world):
    set_experts_per_case(world, 2)
    data = as_(world, "staff").post(round_url(world, "assign/")).json()
    assert (data["status"], data["created"], data["cases"], data["experts"], data["reasons"]) == (
        "optimal", 1, 1, 2, [])
    assert data["solver"] and data["seconds"] >= 0 and data["mismatches"] in (0, 1)
    listed = as_(world, "own").get(round_url(world, "assignments/"), {"method": "review"}).json()["results"]
    names = {a["expert"]["name"] for a in listed}
    assert names == {"周专家", "吴专家"}
    assert stored_sheet(world).scores == {"innovation": 25}  # the draft on the kept assignment is untouched
    again = as_(world, "own").post(round_url(world, "assign/")).json()
    assert (again["status"], again["created"]) == ("optimal", 0)


def test_assign_with_too_small_a_pool_answers_200_infeasible_with_the_reasons(world):
    data = as_(world, "own").post(round_url(world, "assign/")).json()  # 5 experts a case, 2 in the pool
    assert data["status"] == "infeasible" and data["created"] == 0 and data["reasons"]


def test_assign_on_a_locked_round_answers_400_with_the_reason(world):
    with scopes_disabled():
        Round.plain.filter(pk=world.hangzhou_round.pk).update(state=Round.State.LOCKED)
    response = as_(world, "own").post(round_url(world, "assign/"))
    assert response.status_code == 400
    assert "不能分配专家" in response.json()["detail"][0]


# -- score sheets through the API -----------------------------------------------------------------

def test_an_expert_lists_their_assignments_with_the_sheet_so_far(world):
    data = as_(world, "expert").get("/api/v1/review/my/assignments/").json()
    [item] = data["results"]
    assert item["id"] == world.review_assignment.pk and item["case"]["title"] == world.xihu_case.title
    assert item["round"]["org_name"] == "杭州市" and item["state"] == "active"
    assert (item["sheet"]["state"], item["sheet"]["scores"], item["sheet"]["total"]) == ("draft", {"innovation": 25},
                                                                                         None)
    assert as_(world, "other_expert").get("/api/v1/review/my/assignments/").json()["results"] == []


def test_the_assignment_carries_the_case_to_read_and_the_rubric_to_fill(world):
    data = as_(world, "expert").get(f"/api/v1/review/my/assignments/{world.review_assignment.pk}/").json()
    assert data["case"]["abstract"] == world.xihu_case.abstract
    assert [s["name"] for s in data["case"]["sections"]] == ["背景", "主要做法", "创新点", "成效", "启示"]
    assert [(i["key"], i["maximum"]) for i in data["rubric"]] == [
        ("innovation", 30), ("results", 30), ("demonstration", 25), ("typicality", 15)]
    assert data["editable"] is True


def test_a_draft_may_leave_criteria_blank(world):
    response = as_(world, "expert").post(sheet_url(world), {"scores": {"innovation": 28, "results": ""},
                                                             "comment": "创新点明确"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["assignment_state"]) == ("draft", "active")
    sheet = stored_sheet(world)
    assert (sheet.scores, sheet.comment, sheet.state) == ({"innovation": 28}, "创新点明确", "draft")


def test_submitting_with_problems_answers_400_listing_each_and_saves_nothing(world):
    response = as_(world, "expert").post(sheet_url(world), {"scores": {"innovation": 31, "results": "很好"},
                                                             "submit": True}, format="json")
    assert response.status_code == 400
    problems = response.json()["detail"]
    assert {"“实施成效”的分数不是数字，请填写0至30之间的分数", "“创新性”的分数超过满分30分，请填写0至30之间的分数",
            "缺少“示范推广价值”的分数，请填写0至25之间的分数",
            "缺少“典型性与材料质量”的分数，请填写0至15之间的分数"} <= set(problems)
    sheet = stored_sheet(world)
    assert (sheet.scores, sheet.state) == ({"innovation": 25}, "draft")


def test_a_score_for_a_criterion_the_round_does_not_have_is_refused_not_dropped(world):
    response = as_(world, "expert").post(sheet_url(world), {"scores": {"inovation": 20}}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ["评分表中的“inovation”不是本轮的评分项，请删除"]


def test_a_valid_sheet_is_submitted_final_and_enters_the_ranking(world):
    assert as_(world, "own").get(round_url(world, "ranking/")).json()["rows"] == []
    response = as_(world, "expert").post(sheet_url(world), {"scores": FULL_MARKS, "submit": True}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["assignment_state"], data["total"]) == ("submitted", "submitted", 83.0)
    assert data["submitted_at"]
    again = as_(world, "expert").post(sheet_url(world), {"scores": FULL_MARKS}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == ["该案例的评分已提交，不能再修改"]
    ranking = as_(world, "province").get(round_url(world, "ranking/")).json()
    [row] = ranking["rows"]
    assert (row["rank"], row["case_id"], row["title"], row["score"], row["n"]) == (
        1, world.xihu_case.pk, world.xihu_case.title, 83.0, 1)
    assert [(e["expert_id"], e["name"], e["raw"]) for e in row["experts"]] == [(world.expert_a.pk, "周专家", 83.0)]
    counts = as_(world, "own").get(round_url(world)).json()["counts"]
    assert counts == {"cases": 1, "assigned": 1, "submitted": 1, "declined": 0}


def test_another_expert_can_neither_read_nor_write_the_assigned_experts_sheet(world):
    api = as_(world, "other_expert")
    assert api.get(f"/api/v1/review/my/assignments/{world.review_assignment.pk}/").status_code == 404
    response = api.post(sheet_url(world), {"scores": FULL_MARKS, "submit": True}, format="json")
    assert response.status_code == 404
    assert stored_sheet(world).state == "draft"


def test_a_declined_assignment_is_neither_listed_nor_scored(world):
    with scopes_disabled():
        Assignment.plain.filter(pk=world.review_assignment.pk).update(state=Assignment.State.DECLINED)
    api = as_(world, "expert")
    assert api.get("/api/v1/review/my/assignments/").json()["results"] == []
    assert api.post(sheet_url(world), {"scores": {"innovation": 20}}, format="json").status_code == 404


def test_a_judges_live_assignment_is_scored_on_the_judge_page_not_through_the_api(world):
    with scopes_disabled():
        live = Assignment.plain.get(round=world.hangzhou_round, expert=world.expert_a, method=Assignment.Method.LIVE)
    api = as_(world, "expert")
    assert [a["id"] for a in api.get("/api/v1/review/my/assignments/").json()["results"]] == [
        world.review_assignment.pk]
    assert api.get(f"/api/v1/review/my/assignments/{live.pk}/").status_code == 404
    response = api.post(sheet_url(world, live), {"scores": FULL_MARKS, "submit": True}, format="json")
    assert response.status_code == 404
    with scopes_disabled():
        assert not ScoreSheet.plain.filter(assignment=live).exists()


def test_an_expert_signs_in_for_a_token_like_everyone_else(world):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "expert-a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert [a["id"] for a in api.get("/api/v1/review/my/assignments/").json()["results"]] == [
        world.review_assignment.pk]


def test_an_expert_who_also_works_at_an_org_still_sees_only_their_own_assignments(world):
    """The expert endpoints run in the expert's scope, not the org's: 杭州市's admin who is also an expert
    sees none of the round's other assignments there."""
    with scopes_disabled():
        admin_as_expert = make_expert("expert-admin", "杭州专家", "13900000077")
        PoolMember.plain.create(org=world.hangzhou, expert=admin_as_expert)
        membership_add(org=world.hangzhou, user=admin_as_expert.user, role=Membership.Role.ADMIN, by=None, check=False)
    api = token_client(admin_as_expert.user)
    assert api.get("/api/v1/review/my/assignments/").json()["results"] == []
    assert api.get(f"/api/v1/review/my/assignments/{world.review_assignment.pk}/").status_code == 404
    assert {a["expert"]["name"] for a in api.get(round_url(world, "assignments/")).json()["results"]} == {"周专家"}


# -- the pool -------------------------------------------------------------------------------------

def test_the_pool_lists_its_experts_with_phones_only_for_those_who_keep_it(world):
    own = as_(world, "own").get(f"/api/v1/review/pools/{world.hangzhou.code}/experts/").json()["results"]
    assert [(e["name"], e["employer"], e["industries"], e["phone"]) for e in own] == [
        ("周专家", "浙江大学", ["C"], "13900000001"), ("吴专家", "浙江工业大学", ["I"], "13900000002")]
    assert own[0]["id"] == world.expert_a.pk and own[0]["is_active"] is True
    province = as_(world, "province").get(f"/api/v1/review/pools/{world.hangzhou.code}/experts/").json()["results"]
    assert [(e["name"], e["phone"]) for e in province] == [("周专家", None), ("吴专家", None)]


def test_a_county_has_no_pool(world):
    response = as_(world, "county_below").get(f"/api/v1/review/pools/{world.xihu.code}/experts/")
    assert response.status_code == 404


# -- the schema -----------------------------------------------------------------------------------

def test_the_schema_documents_the_review_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/review/rounds/{round_id}/", "/api/v1/review/rounds/{round_id}/assign/",
                 "/api/v1/review/rounds/{round_id}/assignments/", "/api/v1/review/rounds/{round_id}/ranking/",
                 "/api/v1/review/my/assignments/", "/api/v1/review/my/assignments/{id}/sheet/",
                 "/api/v1/review/pools/{org_code}/experts/"):
        assert f"{path}:" in schema, path
    assert "PaginatedRoundAssignmentList" in schema and "SheetInput" in schema
