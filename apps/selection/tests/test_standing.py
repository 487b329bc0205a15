"""Where a candidate stands against the list, in sentences (apps.selection.standing): which listed rows break a
rule, and why a case ranked above a listed one is off the list. Pure: rules and candidates as data."""

from __future__ import annotations

from apps.rounds.rules import Candidate, Count, PerGroup, Share
from apps.selection import standing
from apps.selection.validator import validate

PRESENTERS = [Count("R-110", "==", 2, "宣讲人2名"),
              PerGroup("R-110", "city", 1, "每市宣讲人不超过1名", names={1: "杭州市", 2: "宁波市", 3: "温州市", 4: "嘉兴市"}),
              Share("R-110", "channel", "park", 0.5, "园区科协推荐的宣讲案例占比不低于50%")]
# Ranked best first: A park 杭州, B enterprise 宁波, C enterprise 温州, D park 嘉兴, E enterprise 杭州.
A, B, C, D, E = (Candidate(1, 90, 11, city=1, channel="park", label="甲"),
                 Candidate(2, 80, 12, city=2, channel="enterprise", label="乙"),
                 Candidate(3, 70, 13, city=3, channel="enterprise", label="丙"),
                 Candidate(4, 60, 14, city=4, channel="park", label="丁"),
                 Candidate(5, 50, 15, city=1, channel="enterprise", label="戊"))
RANKED = [A, B, C, D, E]


def test_a_full_list_names_the_lower_case_a_higher_one_could_replace():
    why = standing.left_off(PRESENTERS, RANKED, {B.id, D.id}, held={})
    assert why[A.id] == "未列入：名单已满（宣讲人2名，R-110），可替换名单中得分较低的“丁”"


def test_a_full_list_says_which_rule_a_swap_would_break_r110_share():
    why = standing.left_off(PRESENTERS, RANKED, {B.id, D.id}, held={})
    assert why[C.id].startswith("名单已满（宣讲人2名，R-110），替换名单中得分较低的案例会违反规则：")
    assert "园区科协推荐的案例占比应不低于50%" in why[C.id]


def test_a_case_whose_city_has_its_presenter_says_so_r110_per_city():
    rules = [PerGroup("R-110", "city", 1, "每市宣讲人不超过1名")]
    why = standing.left_off(rules, RANKED, {B.id, E.id}, held={})
    assert why[A.id] == "每市宣讲人不超过1名，名单中已有“戊”（R-110）"
    assert why[C.id] == "未列入：加入后名单仍符合全部规则，可以加入"


def test_a_reason_a_person_gave_comes_first_and_lower_cases_are_not_explained():
    why = standing.left_off(PRESENTERS, RANKED, {B.id, D.id}, held={A.id: "已由王芳排除：材料待补正"})
    assert why[A.id] == "已由王芳排除：材料待补正" and E.id not in why and set(why) == {A.id, C.id}


def test_rows_to_blame_are_those_over_a_group_limit_not_the_whole_list():
    violations = validate(PRESENTERS, RANKED, {A.id, E.id})  # one city twice, and no park share problem
    blamed = standing.to_blame(violations)
    assert set(blamed) == {A.id, E.id} and all("（R-110）" in s for s in blamed[A.id])
    short = validate(PRESENTERS, RANKED, {B.id})  # too short and short of park cases: the whole list's business
    assert standing.to_blame(short) == {}
