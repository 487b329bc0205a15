"""Expert review's services on the database (R-108): assignment with conflicts, declining, scoring, ranking,
snapshots, disagreements, the pool and the round's settings, and what each scope sees.

The pool and the cases are described in conftest.py: with 3 experts per case, 1–4 cases per expert, the
assignment with no industry mismatch and the most even loads is unique, so tests name it pair by pair.
"""

import datetime as dt
import json
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases.models import Case
from apps.core import sms
from apps.core.errors import NotFound
from apps.core.scoping import ScopeError, scope
from apps.orgs.models import User
from apps.review import services
from apps.review.aggregation import Options
from apps.review.config import review_config
from apps.review.conflicts import conflicts_between
from apps.review.models import (
    Assignment,
    ConflictDeclaration,
    Disagreement,
    Expert,
    ExpertInvite,
    PoolMember,
    RankingSnapshot,
    ScoreSheet,
)
from apps.review.tests.conftest import add_case, add_cases, assign, configure, scores
from apps.rounds.models import Round
from apps.rounds.services import round_for, round_transition
from tests.factories import PASSWORD, make_user


def messages_of(exc_info) -> list[str]:
    return exc_info.value.messages


def active_pairs(round) -> set[tuple[int, int]]:
    return set(Assignment.plain.filter(round=round).exclude(state=Assignment.State.DECLINED)
               .values_list("case_id", "expert_id"))


def audit_data(action: str, target) -> list[dict]:
    rows = AuditEntry.plain.filter(action=action, target_type=target._meta.label, target_id=str(target.pk))
    return [json.loads(row.data) for row in rows]


def move(round, *states):
    for state in states:
        round_transition(round=round, to=state, by=None, check=False)


def assignment_of(round, case, expert) -> Assignment:
    return Assignment.plain.get(round=round, case=case, expert=expert)


# --- review_assign -----------------------------------------------------------------------------------------------

def test_every_case_gets_k_experts_none_conflicted_loads_within_bounds(campaign, city_round, cases, pool):
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.result.status == "optimal"
    assert (outcome.created, outcome.cases, outcome.experts) == (12, 4, 6)
    pairs = active_pairs(city_round)
    assert Counter(case_id for case_id, _ in pairs) == {case.pk: 3 for case in cases}
    loaded = Case.plain.select_related("enterprise", "recommender", "county").filter(pk__in=[c.pk for c in cases])
    conflicted = conflicts_between(city_round, pool.all, loaded, same_county=True)
    assert len(conflicted) == 3 and not pairs & set(conflicted)
    loads = Counter(expert_id for _, expert_id in pairs)
    assert all(1 <= loads[expert.pk] <= 4 for expert in pool.all)


def test_the_assignment_is_the_unique_best_no_mismatch_and_even_loads(campaign, city_round, cases, pool):
    """Hand-checked: 西湖科技园's C case has only 周, 王, 陈 with C and no conflict; the I case of 西湖's enterprise
    association only 吴, 冯, 陈; loads of 2 each then leave 郑 (C, I) on both 上城 cases."""
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.result.mismatches == 0
    p, c = pool, cases
    assert active_pairs(city_round) == {
        (c[0].pk, p.zhou.pk), (c[0].pk, p.wang.pk), (c[0].pk, p.chen.pk),
        (c[1].pk, p.wu.pk), (c[1].pk, p.feng.pk), (c[1].pk, p.chen.pk),
        (c[2].pk, p.zhou.pk), (c[2].pk, p.wang.pk), (c[2].pk, p.zheng.pk),
        (c[3].pk, p.wu.pk), (c[3].pk, p.feng.pk), (c[3].pk, p.zheng.pk),
    }
    assert set(Assignment.plain.filter(round=city_round).values_list("industry_match", "source")) == {(True, "solver")}


def test_assigning_writes_an_audit_row(campaign, city_round, cases, pool):
    services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    [data] = audit_data("review.assign", city_round)
    assert (data["status"], data["created"], data["kept"], data["cases"], data["experts"], data["k"]) == (
        "optimal", 12, 0, 4, 6, 3)
    assert AuditEntry.plain.get(action="review.assign").actor_id == campaign.hangzhou_admin.pk


def test_a_second_run_keeps_the_pairs_and_adds_none(campaign, assigned):
    before = dict(Assignment.plain.filter(round=assigned).values_list("pk", "expert_id"))
    outcome = services.review_assign(round=assigned, by=campaign.hangzhou_admin)
    assert outcome.result.status == "optimal" and outcome.created == 0
    assert dict(Assignment.plain.filter(round=assigned).values_list("pk", "expert_id")) == before
    assert audit_data("review.assign", assigned)[-1]["kept"] == 12


def test_a_rerun_fills_only_the_gap_left_by_a_removed_assignment(campaign, assigned, cases, pool):
    removed = assignment_of(assigned, cases[2], pool.zheng)
    services.assignment_remove(assignment=removed, by=campaign.hangzhou_admin)
    kept = set(Assignment.plain.filter(round=assigned).values_list("pk", flat=True))
    outcome = services.review_assign(round=assigned, by=campaign.hangzhou_admin)
    assert outcome.created == 1
    new = Assignment.plain.filter(round=assigned).exclude(pk__in=kept).get()
    assert new.case_id == cases[2].pk
    # 上城's C case: 周 and 王 stay; of 郑 (removed, load now 1) and 陈 (load 2), the lighter load comes back.
    assert new.expert_id == pool.zheng.pk


def test_an_infeasible_assignment_says_why_with_the_numbers_and_writes_nothing(campaign, city_round, cases, pool):
    configure(city_round, experts_per_case=5)
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.result.status == "infeasible" and outcome.created == 0
    assert outcome.result.reasons == [
        f"案例“{cases[0].title}”需要5位，只有4位专家可以评审（其余专家存在利益冲突、已回避或指派上限为0），请增加专家或核对回避"]
    assert not Assignment.plain.filter(round=city_round).exists()
    [data] = audit_data("review.assign", city_round)
    assert data["status"] == "infeasible" and data["created"] == 0 and data["reasons"] == outcome.result.reasons


def test_an_infeasible_total_capacity_is_explained(campaign, city_round, cases, pool):
    configure(city_round, min_load=0, max_load=1)
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.result.status == "infeasible"
    assert ("专家可承担的评审总量不足：4件案例各需3位专家，共需12人次，专家指派上限合计只有6人次，请增加专家或提高指派上限"
            in outcome.result.reasons)
    assert not Assignment.plain.filter(round=city_round).exists()


def test_a_pool_members_own_max_load_bounds_the_assignment(campaign, city_round, cases, pool):
    PoolMember.plain.filter(org=campaign.hangzhou, expert=pool.chen).update(max_load=1)
    services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert Assignment.plain.filter(round=city_round, expert=pool.chen).count() == 1
    assert len(active_pairs(city_round)) == 12


def test_an_inactive_pool_member_is_not_assigned(campaign, city_round, cases, pool):
    PoolMember.plain.filter(org=campaign.hangzhou, expert=pool.wang).update(is_active=False)
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.experts == 5 and outcome.result.status == "optimal"
    assert not Assignment.plain.filter(round=city_round, expert=pool.wang).exists()


def test_assigning_is_refused_in_a_locked_round(campaign, city_round, cases, pool):
    move(city_round, Round.State.LOCKED)
    with pytest.raises(ValidationError) as exc_info:
        services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert messages_of(exc_info) == ["杭州市 · 市级遴选当前为“已锁定”，不能分配专家"]
    assert not Assignment.plain.exists() and not AuditEntry.plain.filter(action="review.assign").exists()


def test_assigning_is_refused_in_a_round_not_yet_open(campaign):
    draft = round_for(programme=campaign.zhejiang_programme, org=campaign.ningbo, kind=Round.Kind.CITY_SELECTION)
    with pytest.raises(ValidationError) as exc_info:
        services.review_assign(round=draft, by=campaign.ningbo_admin)
    assert messages_of(exc_info) == ["宁波市 · 市级遴选当前为“未开始”，不能分配专家"]


def test_assigning_a_round_without_cases_or_experts_says_what_is_missing(campaign, city_round, pool):
    with pytest.raises(ValidationError) as exc_info:
        services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert messages_of(exc_info) == ["杭州市 · 市级遴选还没有案例，无法分配专家"]
    PoolMember.plain.update(is_active=False)
    add_cases(campaign, city_round, 1)
    with pytest.raises(ValidationError) as exc_info:
        services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert messages_of(exc_info) == ["杭州市的专家库中还没有专家，请先邀请专家"]


@pytest.mark.parametrize("who", ["xihu_admin", "ningbo_admin", "zhejiang_admin", "expert"])
def test_assigning_is_not_found_for_a_county_another_city_the_province_or_an_expert(campaign, city_round, cases,
                                                                                   pool, who):
    user = pool.zhou.user if who == "expert" else getattr(campaign, who)
    with pytest.raises(NotFound):
        services.review_assign(round=city_round, by=user)
    assert not Assignment.plain.exists() and not AuditEntry.plain.filter(action="review.assign").exists()


def test_city_staff_may_assign(campaign, city_round, cases, pool):
    assert services.review_assign(round=city_round, by=campaign.hangzhou_staff).created == 12


# --- assignment_decline ------------------------------------------------------------------------------------------

def test_declining_records_the_conflict_and_a_replacement_is_assigned(assigned, cases, pool):
    zhou = assignment_of(assigned, cases[0], pool.zhou)
    services.sheet_save(assignment=zhou, by=pool.zhou.user, scores={"innovation": 20})
    others = set(Assignment.plain.filter(round=assigned).exclude(pk=zhou.pk).values_list("pk", "case_id", "expert_id"))
    outcome = services.assignment_decline(assignment=zhou, by=pool.zhou.user, reason="  曾在该企业 兼职 ")
    zhou.refresh_from_db()
    assert (zhou.state, zhou.declined_reason) == ("declined", "曾在该企业 兼职")
    assert ConflictDeclaration.plain.get(expert=pool.zhou, case=cases[0]).reason == "曾在该企业 兼职"
    assert not ScoreSheet.plain.filter(assignment=zhou).exists()
    assert outcome is not None and outcome.case_id == cases[0].pk and outcome.expert_id == pool.wu.pk
    # Every other pair stays as it was; the only expert left for 西湖科技园's case is 吴 (郑, 冯 conflicted).
    assert others <= set(Assignment.plain.filter(round=assigned).values_list("pk", "case_id", "expert_id"))
    assert {e for c, e in active_pairs(assigned) if c == cases[0].pk} == {pool.wang.pk, pool.chen.pk, pool.wu.pk}
    assert audit_data("assignment.decline", zhou)[0]["reason"] == "曾在该企业 兼职"


def test_a_declined_expert_is_never_proposed_again(assigned, cases, pool):
    services.assignment_decline(assignment=assignment_of(assigned, cases[0], pool.zhou), by=pool.zhou.user,
                                reason="亲属在该企业任职")
    # Now 西湖科技园's case has 王, 陈, 吴: when 王 declines too, only the declined 周 would be free.
    outcome = services.assignment_decline(assignment=assignment_of(assigned, cases[0], pool.wang),
                                          by=pool.wang.user, reason="曾参与该项目")
    assert outcome is None  # nobody left: the gap shows on the review page
    assert {e for c, e in active_pairs(assigned) if c == cases[0].pk} == {pool.chen.pk, pool.wu.pk}
    assert services.review_assign(round=assigned, by=None, check=False).created == 0
    assert (cases[0].pk, pool.zhou.pk) not in active_pairs(assigned)


def test_declining_needs_a_reason(assigned, cases, pool):
    a = assignment_of(assigned, cases[0], pool.zhou)
    with pytest.raises(ValidationError) as exc_info:
        services.assignment_decline(assignment=a, by=pool.zhou.user, reason="   ")
    assert messages_of(exc_info) == ["请填写回避原因"]
    with pytest.raises(ValidationError) as exc_info:
        services.assignment_decline(assignment=a, by=pool.zhou.user, reason="因" * 201)
    assert messages_of(exc_info) == ["回避原因不超过200个字"]
    assert Assignment.plain.get(pk=a.pk).state == "active"


def test_only_the_assigned_expert_may_decline(campaign, assigned, cases, pool):
    a = assignment_of(assigned, cases[0], pool.zhou)
    for user in (pool.wang.user, campaign.hangzhou_admin):
        with pytest.raises(NotFound):
            services.assignment_decline(assignment=a, by=user, reason="代为回避")
    assert Assignment.plain.get(pk=a.pk).state == "active" and not ConflictDeclaration.plain.exists()


def test_a_submitted_assignment_cannot_be_declined(assigned, cases, pool):
    a = assignment_of(assigned, cases[0], pool.zhou)
    services.sheet_save(assignment=a, by=pool.zhou.user, scores=scores(20, 20, 20, 10), submit=True)
    with pytest.raises(ValidationError) as exc_info:
        services.assignment_decline(assignment=a, by=pool.zhou.user, reason="事后发现")
    assert messages_of(exc_info) == ["您已提交该案例的评分，不能再申请回避"]


# --- sheet_save --------------------------------------------------------------------------------------------------

@pytest.fixture
def zhou_on_shangcheng(city_round, cases, pool) -> Assignment:
    """周教授 assigned to 上城's C case (no conflict), nothing scored yet."""
    return assign(city_round, cases[2], pool.zhou)


def test_a_draft_may_leave_criteria_blank(zhou_on_shangcheng, pool):
    sheet = services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user,
                                scores={"innovation": "25", "results": ""},
                                comments={"innovation": " 思路新颖 ", "results": " ", "other": "x"}, comment=" 初评 ")
    sheet = ScoreSheet.plain.get(pk=sheet.pk)
    assert (sheet.state, sheet.scores, sheet.total) == ("draft", {"innovation": 25.0}, None)
    assert (sheet.comments, sheet.comment) == ({"innovation": "思路新颖"}, "初评")
    assert Assignment.plain.get(pk=zhou_on_shangcheng.pk).state == "active"
    assert audit_data("sheet.save", zhou_on_shangcheng) == [{}]


def test_a_draft_with_a_score_out_of_range_is_refused(zhou_on_shangcheng, pool):
    with pytest.raises(ValidationError) as exc_info:
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"innovation": 31})
    assert messages_of(exc_info) == ["“创新性”的分数超过满分30分，请填写0至30之间的分数"]
    assert not ScoreSheet.plain.exists()


def test_submitting_with_missing_and_wrong_scores_lists_every_problem_and_changes_nothing(zhou_on_shangcheng, pool):
    services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"innovation": 25})
    with pytest.raises(ValidationError) as exc_info:
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, submit=True,
                            scores={"innovation": 25, "results": 31, "demonstration": "很好"})
    problems = messages_of(exc_info)
    for expected in ("“示范推广价值”的分数不是数字，请填写0至25之间的分数",
                     "“实施成效”的分数超过满分30分，请填写0至30之间的分数",
                     "缺少“典型性与材料质量”的分数，请填写0至15之间的分数"):
        assert expected in problems
    assert not any("创新性" in p for p in problems)
    sheet = ScoreSheet.plain.get(assignment=zhou_on_shangcheng)
    assert (sheet.state, sheet.scores, sheet.total) == ("draft", {"innovation": 25.0}, None)
    assert Assignment.plain.get(pk=zhou_on_shangcheng.pk).state == "active"
    assert not AuditEntry.plain.filter(action="sheet.submit").exists()


def test_submitting_with_only_one_score_names_the_three_missing_criteria(zhou_on_shangcheng, pool):
    with pytest.raises(ValidationError) as exc_info:
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"innovation": 25}, submit=True)
    assert messages_of(exc_info) == ["缺少“实施成效”的分数，请填写0至30之间的分数",
                                     "缺少“示范推广价值”的分数，请填写0至25之间的分数",
                                     "缺少“典型性与材料质量”的分数，请填写0至15之间的分数"]


def test_a_score_with_two_decimals_is_refused(zhou_on_shangcheng, pool):
    with pytest.raises(ValidationError) as exc_info:
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores=scores(25.55, 20, 20, 10),
                            submit=True)
    assert messages_of(exc_info) == ["“创新性”的分数最多保留1位小数，请修改"]


def test_a_valid_submission_stores_the_weighted_total_and_closes_the_assignment(zhou_on_shangcheng, pool):
    sheet = services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores=scores(27, "24.5", 20, 12),
                                comment="材料扎实", submit=True)
    sheet = ScoreSheet.plain.get(pk=sheet.pk)
    assert (sheet.state, sheet.total, sheet.comment) == ("submitted", 83.5, "材料扎实")  # 27 + 24.5 + 20 + 12
    assert sheet.submitted_at is not None
    assert Assignment.plain.get(pk=zhou_on_shangcheng.pk).state == "submitted"
    assert audit_data("sheet.submit", zhou_on_shangcheng) == [{"scores": scores(27.0, 24.5, 20.0, 12.0),
                                                               "total": 83.5}]


def test_the_total_weighs_each_score_by_weight_over_maximum(city_round, zhou_on_shangcheng, pool):
    configure(city_round, rubric=[{"key": "novelty", "name": "新颖性", "weight": 60, "maximum": 10},
                                  {"key": "effect", "name": "成效", "weight": 40, "maximum": 5}])
    sheet = services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user,
                                scores={"novelty": 8, "effect": 2.5}, submit=True)
    assert sheet.total == 68.0  # 8/10×60 + 2.5/5×40 = 48 + 20


def test_a_submitted_sheet_cannot_be_changed(zhou_on_shangcheng, pool):
    services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores=scores(27, 24, 20, 12), submit=True)
    for submit in (False, True):
        with pytest.raises(ValidationError) as exc_info:
            services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores=scores(1, 1, 1, 1),
                                submit=submit)
        assert messages_of(exc_info) == ["该案例的评分已提交，不能再修改"]
    assert ScoreSheet.plain.get(assignment=zhou_on_shangcheng).total == 83.0


def test_another_expert_or_the_round_admin_cannot_save_on_the_sheet(campaign, zhou_on_shangcheng, pool):
    for user in (pool.wang.user, campaign.hangzhou_admin):
        with pytest.raises(NotFound):
            services.sheet_save(assignment=zhou_on_shangcheng, by=user, scores=scores(27, 24, 20, 12), submit=True)
    assert not ScoreSheet.plain.exists()


@pytest.mark.parametrize("states", [(Round.State.CLOSED,), (Round.State.LOCKED,)])
def test_scoring_is_refused_once_the_round_is_closed(city_round, zhou_on_shangcheng, pool, states):
    services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"innovation": 25})
    move(city_round, *states)
    with pytest.raises(NotFound):
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores=scores(27, 24, 20, 12),
                            submit=True)
    assert ScoreSheet.plain.get(assignment=zhou_on_shangcheng).state == "draft"


def test_a_declined_assignment_cannot_be_scored(zhou_on_shangcheng, pool):
    Assignment.plain.filter(pk=zhou_on_shangcheng.pk).update(state=Assignment.State.DECLINED)
    with pytest.raises(NotFound):
        services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"innovation": 25})


# --- ranking, snapshots ------------------------------------------------------------------------------------------

# Two cases × three experts (default rubric: the total is the sum of the four scores).
SHEETS = {
    0: {"zhou": scores(24, 24, 20, 12), "wang": scores(21, 21, 17.5, 10.5), "chen": scores(27, 27, 22.5, 13.5)},
    1: {"zhou": scores(26, 26, 21, 12), "wang": scores(18, 18, 15, 9), "chen": scores(22, 23, 19, 11)},
}
# case 0: 80, 70, 90 → mean 80, spread 20 (= the threshold: not flagged)
# case 1: 85, 60, 75 → mean 73.3333, spread 25 (flagged)


def submit_sheets(round, cases, pool, sheets=SHEETS):
    for index, by_expert in sheets.items():
        for name, values in by_expert.items():
            expert = getattr(pool, name)
            services.sheet_save(assignment=assign(round, cases[index], expert), by=expert.user, scores=values,
                                submit=True)


@pytest.fixture
def scored(campaign, city_round, pool):
    """Two 西湖 cases, each scored by 周, 王 and 陈 (SHEETS)."""
    two = add_cases(campaign, city_round, 2)
    submit_sheets(city_round, two, pool)
    return two


def test_the_ranking_of_two_cases_by_three_experts_hand_checked(city_round, scored, pool):
    ranking = services.ranking_of(city_round)
    rows = [(r.rank, r.case_id, r.score, r.mean_raw, r.n, r.spread, r.flagged) for r in ranking.rows]
    assert rows == [(1, scored[0].pk, 80.0, 80.0, 3, 20.0, False), (2, scored[1].pk, 73.3333, 73.3333, 3, 25.0, True)]
    assert {(e.expert_id, e.raw, e.used) for e in ranking.rows[1].experts} == {
        (pool.zhou.pk, 85.0, True), (pool.wang.pk, 60.0, True), (pool.chen.pk, 75.0, True)}
    # All six totals: mean 460 / 6, population SD √(583.3333 / 6).
    assert (ranking.round_mean, ranking.round_sd) == (76.6667, 9.8601)


def test_the_ranking_counts_only_submitted_sheets(city_round, scored, pool):
    services.sheet_save(assignment=assign(city_round, scored[0], pool.wu), by=pool.wu.user,
                        scores=scores(0, 0, 0, 0))  # a draft of 0 would pull case 0 down
    assert services.ranking_of(city_round).rows[0].n == 3


def test_the_ranking_follows_the_rounds_trim_and_normalise_settings(campaign, city_round, pool):
    one = add_cases(campaign, city_round, 3)[2:]  # 上城's C case: all six experts may score it
    totals = {"zhou": scores(15, 15, 12.5, 7.5), "wu": scores(18, 18, 15, 9), "zheng": scores(21, 21, 17.5, 10.5),
              "wang": scores(24, 24, 20, 12), "chen": scores(30, 30, 25, 15)}  # 50, 60, 70, 80, 100
    submit_sheets(city_round, one, pool, {0: totals})
    row = services.ranking_of(city_round).rows[0]
    assert (row.score, row.mean_raw, row.spread) == (70.0, 72.0, 50.0)  # 50 and 100 dropped
    assert [e.expert_id for e in row.experts if not e.used] == [pool.zhou.pk, pool.chen.pk]
    configure(city_round, trim=False, normalise=True, disagreement=60)
    ranking = services.ranking_of(Round.plain.get(pk=city_round.pk))
    assert ranking.options == Options(normalise=True, trim=False, disagreement=60)
    assert (ranking.rows[0].score, ranking.rows[0].flagged) == (72.0, False)  # one sheet each: not rescaled


def test_a_snapshot_stores_the_ranking_and_its_digest_and_recomputes_to_the_same(campaign, city_round, scored):
    snapshot = services.ranking_snapshot(round=city_round, by=campaign.hangzhou_admin)
    stored = RankingSnapshot.plain.get(pk=snapshot.pk)
    assert [row["case_id"] for row in stored.data["ranking"]["rows"]] == [scored[0].pk, scored[1].pk]
    assert stored.data["round"] == city_round.pk and stored.data["method"] == "review"
    assert len(stored.sha256) == 64 and stored.sha256 == services.ranking_digest(stored.data)
    fresh = Round.plain.get(pk=city_round.pk)
    recomputed = {"round": fresh.pk, "method": "review", "config": review_config(fresh).as_json(),
                  "ranking": services.ranking_of(fresh).as_dict()}
    assert services.ranking_digest(recomputed) == stored.sha256
    assert audit_data("ranking.snapshot", city_round)[0]["sha256"] == stored.sha256


def test_after_a_new_submission_the_digest_differs(campaign, city_round, scored, pool):
    snapshot = services.ranking_snapshot(round=city_round, by=campaign.hangzhou_admin)
    services.sheet_save(assignment=assign(city_round, scored[1], pool.wu), by=pool.wu.user,
                        scores=scores(20, 20, 20, 10), submit=True)
    recomputed = {"round": city_round.pk, "method": "review", "config": review_config(city_round).as_json(),
                  "ranking": services.ranking_of(city_round).as_dict()}
    assert services.ranking_digest(recomputed) != snapshot.sha256


def test_a_snapshot_is_not_found_for_a_county(campaign, city_round, scored):
    with pytest.raises(NotFound):
        services.ranking_snapshot(round=city_round, by=campaign.xihu_admin)
    assert not RankingSnapshot.plain.exists()


# --- disagreement_resolve ----------------------------------------------------------------------------------------

def test_resolving_a_case_without_a_disagreement_flag_is_refused(campaign, city_round, scored):
    with pytest.raises(ValidationError) as exc_info:
        services.disagreement_resolve(round=city_round, case=scored[0], by=campaign.hangzhou_admin,
                                      resolution="noted", note="已复核")
    assert messages_of(exc_info) == ["该案例没有分歧提示"]
    assert not Disagreement.plain.exists()


def test_an_extra_expert_is_the_lightest_loaded_matching_one_without_a_conflict(campaign, city_round, scored, pool):
    """Case 1 (西湖's enterprise association, I65) has 周, 王, 陈. Left: 吴 (I, already 1 case), 郑 (I, but
    lives in 西湖区), 冯 (I, staff of 西湖科技园 — not this case's recommender): 冯 has the lightest load."""
    assign(city_round, scored[0], pool.wu)
    before = set(Assignment.plain.values_list("pk", flat=True))
    found = services.disagreement_resolve(round=city_round, case=scored[1], by=campaign.hangzhou_admin,
                                          resolution="extra_expert", note=" 分差较大，增派一位专家 ")
    new = Assignment.plain.exclude(pk__in=before).get()
    assert (new.case_id, new.expert_id, new.source, new.industry_match) == (scored[1].pk, pool.feng.pk, "solver", True)
    found = Disagreement.plain.get(pk=found.pk)
    assert (found.resolution, found.note, found.spread) == ("extra_expert", "分差较大，增派一位专家", 25.0)
    assert audit_data("disagreement.resolve", found)[0]["resolution"] == "extra_expert"


def test_noting_a_disagreement_only_records_it(campaign, city_round, scored):
    before = Assignment.plain.count()
    services.disagreement_resolve(round=city_round, case=scored[1], by=campaign.hangzhou_admin,
                                  resolution="noted", note="专家意见已当面核实")
    assert Assignment.plain.count() == before
    assert list(Disagreement.plain.values_list("case_id", "resolution", "note")) == [
        (scored[1].pk, "noted", "专家意见已当面核实")]


def test_a_resolution_needs_a_note_and_a_known_kind(campaign, city_round, scored):
    for resolution, note, expected in (("noted", " ", "请填写处理说明"), ("ignore", "说明", "请选择处理方式")):
        with pytest.raises(ValidationError) as exc_info:
            services.disagreement_resolve(round=city_round, case=scored[1], by=campaign.hangzhou_admin,
                                          resolution=resolution, note=note)
        assert messages_of(exc_info) == [expected]


def test_resolving_is_not_found_for_the_province(campaign, city_round, scored):
    with pytest.raises(NotFound):
        services.disagreement_resolve(round=city_round, case=scored[1], by=campaign.zhejiang_admin,
                                      resolution="noted", note="说明")


# --- the pool: invitations ---------------------------------------------------------------------------------------

def invite(campaign, name="郑教授", phone="13912340001"):
    return services.expert_invite_create(org=campaign.hangzhou, by=campaign.hangzhou_admin, name=name, phone=phone)


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def texted_code(token) -> str:
    """Ask for the invitation's SMS code and read it from the invited phone's messages."""
    found = services.expert_invite_code_send(token=token)
    last = sms.outbox[-1]
    assert last.phone == found.phone
    return re.search(r"验证码为(\d{6})", last.text).group(1)


def test_an_invitation_stores_only_a_hash_of_its_token(campaign):
    found, token = invite(campaign, phone="139 1234 0001")
    found = ExpertInvite.plain.get(pk=found.pk)
    assert (found.org, found.name, found.phone) == (campaign.hangzhou, "郑教授", "13912340001")
    assert token not in found.token_hash and len(found.token_hash) == 64
    assert dt.timedelta(days=13) < found.expires_at - timezone.now() <= dt.timedelta(days=14)
    assert services.expert_invite_find(token) == found
    [data] = audit_data("expert.invite", found)
    assert data["phone_tail"] == "0001" and "13912340001" not in json.dumps(data)


@pytest.mark.parametrize("phone", ["1391234000", "23912340001", "1291234000a", ""])
def test_an_invitation_needs_a_mobile_number(campaign, phone):
    with pytest.raises(ValidationError) as exc_info:
        invite(campaign, phone=phone)
    assert messages_of(exc_info) == ["手机号码应为以1开头的11位数字"]
    assert not ExpertInvite.plain.exists()


def test_an_invitation_needs_a_name(campaign):
    with pytest.raises(ValidationError) as exc_info:
        invite(campaign, name="  ")
    assert messages_of(exc_info) == ["请填写专家姓名（不超过50个字）"]


def test_a_person_already_in_the_pool_is_not_invited_again(campaign, pool):
    with pytest.raises(ValidationError) as exc_info:
        invite(campaign, phone=pool.zhou.user.phone)
    assert messages_of(exc_info) == [f"手机号码为{pool.zhou.user.phone}的专家已在本单位专家库中"]


@pytest.mark.parametrize("who", ["xihu_admin", "zhejiang_admin", "ningbo_admin"])
def test_only_the_citys_own_people_invite_into_its_pool(campaign, who):
    with pytest.raises(NotFound):
        services.expert_invite_create(org=campaign.hangzhou, by=getattr(campaign, who), name="郑教授",
                                      phone="13912340001")


def test_a_county_keeps_no_pool(campaign):
    with pytest.raises(NotFound):
        services.expert_invite_create(org=campaign.xihu, by=campaign.xihu_admin, name="郑教授", phone="13912340001")


def test_accepting_makes_an_account_whose_log_in_is_the_phone_number(campaign, client):
    found, token = invite(campaign)
    expert = services.expert_invite_accept(token=token, password="Review-2026-strong", code=texted_code(token),
                                           profile={"name": "", "employer": " 浙江 大学 ", "industries": ["c", "I65"]})
    user = User.objects.get(pk=expert.user_id)
    assert (user.username, user.phone) == ("13912340001", "13912340001")
    assert client.login(username="13912340001", password="Review-2026-strong")
    assert authenticate(username="13912340001", password="wrong") is None
    assert (expert.name, expert.employer, expert.industries) == ("郑教授", "浙江 大学", ["C", "I65"])
    assert PoolMember.plain.filter(org=campaign.hangzhou, expert=expert, is_active=True).exists()
    found.refresh_from_db()
    assert found.accepted_at is not None and found.expert == expert
    assert audit_data("expert.join", PoolMember.plain.get(expert=expert))[0]["expert"] == expert.pk


def test_a_weak_password_is_refused_with_the_reasons(campaign):
    _found, token = invite(campaign)
    with pytest.raises(ValidationError) as exc_info:
        services.expert_invite_accept(token=token, password="123", profile={})
    assert exc_info.value.messages and all(m.startswith("密码不符合要求：") for m in exc_info.value.messages)
    assert not User.objects.filter(phone="13912340001").exists()


def test_an_existing_account_must_confirm_its_password(campaign):
    existing = make_user("li-jiaoshou", "李教授", "13912340001")
    _found, token = invite(campaign)
    with pytest.raises(ValidationError) as exc_info:
        services.expert_invite_accept(token=token, password="not-the-password", profile={})
    assert messages_of(exc_info) == ["该手机号码已有账号，请输入该账号的密码以确认"]
    assert not Expert.plain.exists()
    expert = services.expert_invite_accept(token=token, password=PASSWORD, profile={"name": "李教授"})
    assert expert.user_id == existing.pk and User.objects.filter(phone="13912340001").count() == 1


def test_an_existing_account_confirms_its_password_with_lockout_protection_on(campaign, settings, rf):
    settings.AXES_ENABLED = True
    existing = make_user("li-jiaoshou", "李教授", "13912340001")
    _found, token = invite(campaign)
    request = rf.post("/review/join/x/")
    expert = services.expert_invite_accept(token=token, password=PASSWORD, profile={"name": "李教授"},
                                           request=request)
    assert expert.user_id == existing.pk


def test_attack_guessing_a_password_through_an_invitation_cannot_lock_the_account(campaign, settings, rf):
    """Guesses through an invitation link count as failed log-ins (django-axes), but from the second failure on
    the link checks no password and sends the person to the log-in page and its captcha: the holder of a link
    cannot lock the account out."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    make_user("li-jiaoshou", "李教授", "13912340001")
    _found, token = invite(campaign)
    refusals = []
    for _ in range(6):
        with pytest.raises(ValidationError) as refused:
            services.expert_invite_accept(token=token, password="wrong-guess", profile={"name": "李教授"},
                                          request=rf.post("/review/join/x/"))
        refusals.append(refused.value.message_dict["password"][0])
    assert refusals[:2] == ["该手机号码已有账号，请输入该账号的密码以确认"] * 2
    assert all("请先在登录页登录" in r for r in refusals[2:])
    assert sum(AccessAttempt.objects.filter(username="li-jiaoshou").values_list("failures_since_start",
                                                                                  flat=True)) == 2


def test_an_expert_added_by_hand_sets_their_first_password_through_the_invitation(campaign):
    member = services.pool_expert_add(org=campaign.hangzhou, by=campaign.hangzhou_admin, phone="13912340007",
                                      profile={"name": "钱专家"})
    assert not member.expert.user.has_usable_password()
    _found, token = invite(campaign, phone="13912340007")
    expert = services.expert_invite_accept(token=token, password="Review-2026-strong", profile={"name": "钱专家"},
                                           code=texted_code(token))
    expert.user.refresh_from_db()
    assert expert.pk == member.expert.pk and expert.user.check_password("Review-2026-strong")


def test_an_expired_used_or_revoked_invitation_is_refused(campaign):
    expired, expired_token = invite(campaign, phone="13912340001")
    ExpertInvite.plain.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    revoked, revoked_token = invite(campaign, phone="13912340002")
    ExpertInvite.plain.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    _used, used_token = invite(campaign, phone="13912340003")
    services.expert_invite_accept(token=used_token, password="Review-2026-strong", profile={},
                                  code=texted_code(used_token))
    for token in (expired_token, revoked_token, used_token, "no-such-token"):
        with pytest.raises(ValidationError) as exc_info:
            services.expert_invite_accept(token=token, password="Review-2026-strong", profile={})
        assert messages_of(exc_info) == ["邀请链接无效或已过期，请联系邀请单位重新发送"]
    assert Expert.plain.count() == 1


def test_attack_a_pool_keeper_cannot_take_an_account_added_by_hand_through_their_own_invitation(campaign):
    """The attack, step by step: the centre's province pool holds an expert added by hand (no password yet). A
    city pool keeper invites the same number, opens the link and tries to set the password and rewrite the
    employer (which would defeat the conflict-of-interest check). Each step is refused; the code goes to the
    expert's phone only."""
    province = services.pool_expert_add(org=campaign.zhejiang, by=campaign.zhejiang_admin, phone="13912340077",
                                        profile={"name": "冯研究员", "employer": "浙江大学"})
    _found, token = invite(campaign, name="冯研究员", phone="13912340077")  # the keeper of 杭州市's pool
    with pytest.raises(ValidationError) as no_code:
        services.expert_invite_accept(token=token, password="Keeper-owns-it-2026", profile={"employer": "某某科技有限公司"})
    services.expert_invite_code_send(token=token)
    assert [m.phone for m in sms.outbox] == ["13912340077"], "the code goes to the invited number, nowhere else"
    refusals = []
    for guess in ("000000", "123456", "999999"):
        with pytest.raises(ValidationError) as wrong:
            services.expert_invite_accept(token=token, password="Keeper-owns-it-2026", code=guess,
                                          profile={"name": "冯研究员", "employer": "某某科技有限公司"})
        refusals.append(wrong.value.message_dict["code"][0])
    assert no_code.value.message_dict == {"code": ["请输入6位数字短信验证码"]}
    assert refusals == ["短信验证码不正确，还可以再试2次", "短信验证码不正确，还可以再试1次", "短信验证码错误次数过多，请重新获取"]
    user = User.objects.get(phone="13912340077")
    assert not user.has_usable_password()
    assert Expert.plain.get(pk=province.expert_id).employer == "浙江大学"
    assert not PoolMember.plain.filter(org=campaign.hangzhou).filter(expert_id=province.expert_id).exists()


def test_a_code_sent_for_one_invitation_does_not_open_another(campaign):
    _first, first_token = invite(campaign, phone="13912340031")
    _second, second_token = invite(campaign, phone="13912340032")
    code = texted_code(first_token)
    with pytest.raises(ValidationError) as other:
        services.expert_invite_accept(token=second_token, password="Review-2026-strong", code=code, profile={})
    assert "短信验证码" in other.value.message_dict["code"][0]
    assert not User.objects.filter(phone="13912340032").exists()


def test_a_new_code_waits_a_minute_and_a_weak_password_does_not_spend_the_code(campaign):
    _found, token = invite(campaign)
    code = texted_code(token)
    with pytest.raises(ValidationError) as again:
        services.expert_invite_code_send(token=token)
    assert again.value.message_dict["code"][0].startswith("验证码已发送，请")
    with pytest.raises(ValidationError):
        services.expert_invite_accept(token=token, password="123", code=code, profile={})
    assert services.expert_invite_accept(token=token, password="Review-2026-strong", code=code, profile={})


# --- the pool: adding and settings -------------------------------------------------------------------------------

def add(campaign, phone="13912340009", **profile):
    return services.pool_expert_add(org=campaign.hangzhou, by=campaign.hangzhou_admin, phone=phone,
                                    profile={"name": "孙教授", **profile})


def test_adding_a_new_person_makes_an_account_without_a_usable_password(campaign):
    member = add(campaign, employer="浙江大学", employer_credit_code=" 92340602 ma2pbmem24", industries=["c39"],
                 region_code="330106", title="教授")
    user = member.expert.user
    assert (user.username, user.phone, user.has_usable_password()) == ("13912340009", "13912340009", False)
    expert = Expert.plain.get(pk=member.expert_id)
    assert (expert.name, expert.employer_credit_code, expert.industries, expert.region_code) == (
        "孙教授", "92340602MA2PBMEM24", ["C39"], "330106")
    assert audit_data("pool.add", member)[0]["expert"] == expert.pk


def test_adding_someone_already_in_the_pool_is_refused_and_an_inactive_member_comes_back(campaign):
    member = add(campaign)
    with pytest.raises(ValidationError) as exc_info:
        add(campaign)
    assert messages_of(exc_info) == ["孙教授已在本单位专家库中"]
    PoolMember.plain.filter(pk=member.pk).update(is_active=False)
    assert add(campaign).pk == member.pk and PoolMember.plain.get(pk=member.pk).is_active


def test_an_expert_of_another_pool_keeps_one_profile(campaign):
    services.pool_expert_add(org=campaign.ningbo, by=campaign.ningbo_admin, phone="13912340009",
                             profile={"name": "孙教授", "employer": "宁波大学"})
    member = add(campaign, employer="另填的单位")
    assert Expert.plain.count() == 1 and member.expert.employer == "宁波大学"
    assert set(PoolMember.plain.values_list("org__name", flat=True)) == {"宁波市", "杭州市"}


@pytest.mark.parametrize("profile, expected", [
    ({"employer_credit_code": "914403001922038217"}, "统一社会信用代码第18位校验码不正确，请核对营业执照"),
    ({"industries": ["Z"]}, "行业“Z”不是国民经济行业分类（GB/T 4754）的门类或大类"),
    ({"industries": ["A39"]}, "行业“A39”不是国民经济行业分类（GB/T 4754）的门类或大类"),  # 39 belongs to C
    ({"name": " "}, "请填写专家姓名（不超过50个字）"),
])
def test_a_profile_with_a_wrong_field_is_refused(campaign, profile, expected):
    with pytest.raises(ValidationError) as exc_info:
        add(campaign, **profile)
    assert messages_of(exc_info) == [expected]
    assert not PoolMember.plain.exists() and not User.objects.filter(phone="13912340009").exists()


def test_a_wrong_region_code_is_refused_naming_the_code(campaign):
    with pytest.raises(ValidationError) as exc_info:
        add(campaign, region_code="999999")
    assert messages_of(exc_info) == ["地区代码“999999”不是有效的行政区划代码"]


def test_adding_is_not_found_for_a_county(campaign):
    with pytest.raises(NotFound):
        services.pool_expert_add(org=campaign.hangzhou, by=campaign.xihu_admin, phone="13912340009",
                                 profile={"name": "孙教授"})


@pytest.mark.parametrize("value, expected", [("0", "最多评审案例数应在1至500之间"), (501, "最多评审案例数应在1至500之间"),
                                             ("五", "最多评审案例数应为整数"), ("2.5", "最多评审案例数应为整数")])
def test_a_members_max_load_is_a_whole_number_from_1_to_500(campaign, pool, value, expected):
    member = PoolMember.plain.get(org=campaign.hangzhou, expert=pool.zhou)
    with pytest.raises(ValidationError) as exc_info:
        services.pool_member_set(member=member, by=campaign.hangzhou_admin, max_load=value)
    assert messages_of(exc_info) == [expected]
    assert PoolMember.plain.get(pk=member.pk).max_load is None


def test_member_settings_are_saved_with_before_and_after(campaign, pool):
    member = PoolMember.plain.get(org=campaign.hangzhou, expert=pool.zhou)
    services.pool_member_set(member=member, by=campaign.hangzhou_admin, max_load="20", note=" 只评制造业 ",
                             is_active=False)
    assert PoolMember.plain.filter(pk=member.pk).values_list("max_load", "note", "is_active").get() == (
        20, "只评制造业", False)
    services.pool_member_set(member=member, by=campaign.hangzhou_admin, max_load="")
    assert PoolMember.plain.get(pk=member.pk).max_load is None
    first, second = audit_data("pool.update", member)
    assert first["before"] == {"is_active": True, "max_load": None, "note": ""}
    assert first["after"] == {"is_active": False, "max_load": 20, "note": "只评制造业"}
    assert second["after"]["max_load"] is None


def test_member_settings_are_not_found_for_the_province(campaign, pool):
    member = PoolMember.plain.get(org=campaign.hangzhou, expert=pool.zhou)
    with pytest.raises(NotFound):
        services.pool_member_set(member=member, by=campaign.zhejiang_admin, max_load=3)


# --- review_configure --------------------------------------------------------------------------------------------

def test_settings_are_saved_and_audited_with_before_and_after(campaign, city_round):
    config = services.review_configure(round=city_round, by=campaign.hangzhou_admin,
                                       data={"experts_per_case": "4", "disagreement": "15"})
    assert (config.experts_per_case, config.disagreement) == (4, 15.0)
    stored = review_config(Round.plain.get(pk=city_round.pk))
    assert (stored.experts_per_case, stored.disagreement, stored.max_load) == (4, 15.0, 4)
    [data] = audit_data("review.configure", city_round)
    assert (data["before"]["experts_per_case"], data["after"]["experts_per_case"]) == (3, 4)
    assert (data["before"]["disagreement"], data["after"]["disagreement"]) == (20.0, 15.0)


def test_wrong_settings_are_refused_and_nothing_is_saved(campaign, city_round):
    with pytest.raises(ValidationError) as exc_info:
        services.review_configure(round=city_round, by=campaign.hangzhou_admin,
                                  data={"experts_per_case": 2, "min_load": 9, "max_load": 5})
    assert messages_of(exc_info) == ["每位专家最少评审案例数不能大于最多评审案例数"]
    assert review_config(Round.plain.get(pk=city_round.pk)).experts_per_case == 3
    assert not audit_data("review.configure", city_round)


def test_the_rubric_cannot_change_once_a_sheet_is_submitted_but_other_settings_can(campaign, city_round,
                                                                                    zhou_on_shangcheng, pool):
    new_rubric = [{"key": "novelty", "name": "新颖性", "weight": 100, "maximum": 100}]
    services.review_configure(round=city_round, by=campaign.hangzhou_admin, data={"rubric": new_rubric})
    assert [i.key for i in review_config(Round.plain.get(pk=city_round.pk)).rubric] == ["novelty"]
    services.sheet_save(assignment=zhou_on_shangcheng, by=pool.zhou.user, scores={"novelty": 80}, submit=True)
    old_rubric = [{"key": "innovation", "name": "创新性", "weight": 100, "maximum": 100}]
    with pytest.raises(ValidationError) as exc_info:
        services.review_configure(round=city_round, by=campaign.hangzhou_admin, data={"rubric": old_rubric})
    assert messages_of(exc_info) == ["已有专家提交评分，评分标准不能再修改"]
    # The stored rubric read back equals itself: other settings still save.
    config = services.review_configure(round=city_round, by=campaign.hangzhou_admin, data={"disagreement": 12})
    assert config.disagreement == 12 and [i.key for i in config.rubric] == ["novelty"]


def test_settings_of_a_locked_round_cannot_change(campaign, city_round):
    move(city_round, Round.State.LOCKED)
    with pytest.raises(ValidationError) as exc_info:
        services.review_configure(round=city_round, by=campaign.hangzhou_admin, data={"experts_per_case": 4})
    assert messages_of(exc_info) == ["杭州市 · 市级遴选的名单已锁定，评审设置不能再修改"]


@pytest.mark.parametrize("who", ["xihu_admin", "zhejiang_admin", "ningbo_admin"])
def test_settings_are_not_found_for_others(campaign, city_round, who):
    with pytest.raises(NotFound):
        services.review_configure(round=city_round, by=getattr(campaign, who), data={"experts_per_case": 4})


# --- scopes ------------------------------------------------------------------------------------------------------

@pytest.fixture
def with_sheets(assigned, cases, pool):
    """The assigned round with 周's sheet on case 0 submitted and 吴's draft on case 1."""
    services.sheet_save(assignment=assignment_of(assigned, cases[0], pool.zhou), by=pool.zhou.user,
                        scores=scores(24, 24, 20, 12), submit=True)
    services.sheet_save(assignment=assignment_of(assigned, cases[1], pool.wu), by=pool.wu.user,
                        scores={"innovation": 20})
    return assigned


def test_in_an_experts_scope_only_their_own_rows_are_visible(with_sheets, pool):
    with scope(expert_id=pool.zhou.pk):
        assert set(Assignment.objects.values_list("expert_id", flat=True)) == {pool.zhou.pk}
        assert Assignment.objects.count() == 2
        assert list(ScoreSheet.objects.values_list("assignment__expert_id", flat=True)) == [pool.zhou.pk]
        assert list(Expert.objects.all()) == [pool.zhou]
        assert list(PoolMember.objects.values_list("expert_id", flat=True)) == [pool.zhou.pk]
    with scope(expert_id=pool.wu.pk):
        assert list(ScoreSheet.objects.values_list("assignment__expert_id", flat=True)) == [pool.wu.pk]


def test_another_city_sees_none_of_the_rounds_review(campaign, with_sheets):
    with scope(org=campaign.ningbo):
        assert not Assignment.objects.filter(round=with_sheets).exists()
        assert not ScoreSheet.objects.exists() and not Expert.objects.exists() and not PoolMember.objects.exists()


def test_the_city_and_the_province_above_see_the_rounds_review_and_a_county_does_not(campaign, with_sheets):
    for org, count in ((campaign.hangzhou, 12), (campaign.zhejiang, 12), (campaign.xihu, 0)):
        with scope(org=org):
            assert Assignment.objects.filter(round=with_sheets).count() == count
            assert ScoreSheet.objects.count() == (2 if count else 0)


def test_review_data_outside_a_scope_raises(with_sheets):
    for model in (Assignment, ScoreSheet, Expert, PoolMember):
        with pytest.raises(ScopeError):
            model.objects.count()


def test_after_an_extra_expert_the_round_can_still_be_assigned(campaign, city_round, scored, pool):
    services.disagreement_resolve(round=city_round, case=scored[1], by=campaign.hangzhou_admin,
                                  resolution="extra_expert", note="分差较大，增派一位专家")
    new_case = add_case(campaign, city_round, recommender=campaign.shangcheng_park)  # not yet assigned
    outcome = services.review_assign(round=city_round, by=campaign.hangzhou_admin)
    assert outcome.result.status == "optimal", outcome.result.reasons
    assert Assignment.plain.filter(round=city_round, case=new_case).count() == 3
