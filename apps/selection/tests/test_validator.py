"""The one validator (issue 7 §2): every rule kind, with its R-id, the numbers and the cases involved."""

from __future__ import annotations

import pytest

from apps.rounds.rules import Candidate, Count, Eligibility, PerGroup, Quota, Share, Violation
from apps.selection.validator import summary, validate

HANGZHOU, NINGBO, WENZHOU = 3301, 3302, 3303
CITY_NAMES = {HANGZHOU: "杭州市", NINGBO: "宁波市", WENZHOU: "温州市"}

AT_MOST_100 = Count(rule="R-109", op="<=", n=100, text="省级遴选案例不超过100件")
TEN_PRESENTERS = Count(rule="R-110", op="==", n=10, text="宣讲人选10件")
SURPLUS_OF_QUOTA_5 = Count(rule="R-105", op=">=", n=6, text="差额比例不低于20%")
PARK_SHARE_PROVINCE = Share(rule="R-109", attribute="channel", value="park", minimum=0.30,
                            text="园区科协推荐的案例占比不低于30%")
ONE_PER_ENTERPRISE = PerGroup(rule="R-108", attribute="enterprise", maximum=1, text="同一企业最多1件")
TWO_PER_CITY = PerGroup(rule="R-110", attribute="city", maximum=2, text="同一市最多2件")
PASSED_BELOW = Eligibility(rule="R-107", text="只有通过下级遴选的案例可列入名单")


def city_quotas(op="=="):
    """Hangzhou 2, Ningbo 1; Wenzhou has no row."""
    return Quota(rule="R-104", attribute="city", op=op, text="各市名额按科协数量分配",
                 table={HANGZHOU: 2, NINGBO: 1}, names=CITY_NAMES)


def cases(n, *, start=1, channel="enterprise", city=HANGZHOU, **fields):
    """n candidates with distinct enterprises, ids start, start + 1, …"""
    return [Candidate(id=i, score=100 - i, enterprise=1000 + i, city=city, channel=channel, **fields)
            for i in range(start, start + n)]


def ids(candidates):
    return [c.id for c in candidates]


def list_of(size, *, park):
    """A list of `size` cases of which `park` are park-recommended."""
    return cases(park, channel="park") + cases(size - park, start=park + 1)


# Count (R-109 at most, R-110 exactly, R-105 at least) ------------------------------------------------------------

def test_a_provincial_list_of_exactly_100_cases_is_within_r109():
    candidates = cases(101)
    assert validate([AT_MOST_100], candidates, ids(candidates[:100])) == []


def test_a_provincial_list_of_101_cases_breaks_r109():
    candidates = cases(101)
    [violation] = validate([AT_MOST_100], candidates, ids(candidates))
    assert (violation.rule, violation.kind, violation.needed, violation.have) == ("R-109", "count", 100, 101)
    assert violation.message == "省级遴选案例不超过100件：名单共101件，超过上限100件（R-109）"
    assert violation.cases == tuple(range(1, 102))


def test_the_presenter_list_must_hold_exactly_ten_cases_r110():
    candidates = cases(11)
    assert validate([TEN_PRESENTERS], candidates, ids(candidates[:10])) == []
    for size in (9, 11):
        [violation] = validate([TEN_PRESENTERS], candidates, ids(candidates[:size]))
        assert (violation.rule, violation.needed, violation.have) == ("R-110", 10, size)
        assert violation.message == f"宣讲人选10件：名单应为10件，现有{size}件（R-110）"


def test_a_city_list_below_its_surplus_breaks_r105():
    candidates = cases(6)
    assert validate([SURPLUS_OF_QUOTA_5], candidates, ids(candidates)) == []
    [violation] = validate([SURPLUS_OF_QUOTA_5], candidates, ids(candidates[:5]))
    assert (violation.rule, violation.needed, violation.have) == ("R-105", 6, 5)
    assert violation.message == "差额比例不低于20%：名单至少应有6件，现有5件（R-105）"


# Share (R-109, R-110: park-recommended ≥ 30%) ----------------------------------------------------------------------

def test_three_park_cases_of_ten_are_exactly_the_30_percent_of_r109():
    candidates = list_of(10, park=3)
    assert validate([PARK_SHARE_PROVINCE], candidates, ids(candidates)) == []


def test_two_park_cases_of_ten_fall_short_of_r109():
    candidates = list_of(10, park=2)
    [violation] = validate([PARK_SHARE_PROVINCE], candidates, ids(candidates))
    assert (violation.rule, violation.kind, violation.needed, violation.have) == ("R-109", "share", 3, 2)
    assert violation.message == "园区科协推荐的案例占比应不低于30%：10件中至少3件，现有2件（R-109）"
    assert violation.cases == (1, 2)


def test_a_list_of_seven_needs_three_park_cases_since_30_percent_is_rounded_up():
    short = list_of(7, park=2)
    [violation] = validate([PARK_SHARE_PROVINCE], short, ids(short))
    assert (violation.needed, violation.have) == (3, 2)
    enough = list_of(7, park=3)
    assert validate([PARK_SHARE_PROVINCE], enough, ids(enough)) == []


def test_the_share_counts_only_chosen_cases():
    candidates = list_of(10, park=5)
    chosen = [1, 6, 7, 8, 9, 10]  # one park case of six, the other park candidates are not on the list
    [violation] = validate([PARK_SHARE_PROVINCE], candidates, chosen)
    assert (violation.needed, violation.have, violation.cases) == (2, 1, (1,))


def test_a_share_of_another_attribute_names_it_plainly():
    rule = Share(rule="R-900", attribute="city", value=NINGBO, minimum=0.5, text="宁波市案例过半")
    candidates = cases(2) + cases(1, start=3, city=NINGBO)
    [violation] = validate([rule], candidates, [1, 2, 3])
    assert violation.message == f"city={NINGBO}的案例占比应不低于50%：3件中至少2件，现有1件（R-900）"


def test_enterprise_recommended_share_has_its_chinese_label():
    rule = Share(rule="R-900", attribute="channel", value="enterprise", minimum=0.5, text="")
    candidates = list_of(2, park=2)
    [violation] = validate([rule], candidates, ids(candidates))
    assert violation.message.startswith("企业科协推荐的案例占比应不低于50%：2件中至少1件，现有0件")


# PerGroup (R-108 one per enterprise, R-110 two per city) ------------------------------------------------------------

def test_a_city_list_holds_at_most_one_case_per_enterprise_r108():
    candidates = [Candidate(id=1, score=90, enterprise=7, label="智慧园区能源管理"),
                  Candidate(id=2, score=80, enterprise=7, label="工业互联网平台"),
                  Candidate(id=3, score=70, enterprise=8)]
    result = validate([ONE_PER_ENTERPRISE], candidates, [1, 2, 3])
    assert [v.rule for v in result] == ["R-108"]
    [violation] = result
    assert violation.message == "同一企业最多1件，“智慧园区能源管理”等2件来自同一企业（R-108）"
    assert (violation.kind, violation.needed, violation.have, violation.cases, violation.group) == (
        "per_group", 1, 2, (1, 2), 7)


def test_each_enterprise_over_its_maximum_is_its_own_violation():
    candidates = [Candidate(id=i, score=50, enterprise=7 if i <= 2 else 8) for i in range(1, 5)]
    result = validate([ONE_PER_ENTERPRISE], candidates, [1, 2, 3, 4])
    assert [(v.rule, v.group, v.cases) for v in result] == [("R-108", 7, (1, 2)), ("R-108", 8, (3, 4))]
    assert result[0].message == "同一企业最多1件，“案例1”等2件来自同一企业（R-108）"


def test_presenters_hold_at_most_two_per_city_r110():
    candidates = [Candidate(id=i, score=50, enterprise=i, city=HANGZHOU, label=title)
                  for i, title in enumerate(["城市大脑", "未来社区", "数字乡村"], start=1)]
    candidates += cases(2, start=4, city=NINGBO)
    assert validate([TWO_PER_CITY], candidates, [1, 2, 4, 5]) == []
    [violation] = validate([TWO_PER_CITY], candidates, [1, 2, 3, 4, 5])
    assert (violation.rule, violation.needed, violation.have, violation.cases, violation.group) == (
        "R-110", 2, 3, (1, 2, 3), HANGZHOU)
    assert violation.message == f"同一市最多2件，编号为{HANGZHOU}的市有3件：“城市大脑”、“未来社区”、“数字乡村”（R-110）"


def test_cases_without_a_city_are_not_one_group():
    candidates = cases(3, city=None)
    assert validate([TWO_PER_CITY], candidates, [1, 2, 3]) == []


# Quota (R-104 city quotas) ------------------------------------------------------------------------------------------

def test_each_city_fills_exactly_its_quota_r104():
    candidates = cases(2) + cases(1, start=3, city=NINGBO)
    assert validate([city_quotas()], candidates, [1, 2, 3]) == []


def test_a_city_short_of_its_quota_breaks_r104():
    candidates = cases(2) + cases(1, start=3, city=NINGBO)
    [violation] = validate([city_quotas()], candidates, [1, 3])
    assert (violation.rule, violation.kind, violation.needed, violation.have, violation.cases, violation.group) == (
        "R-104", "quota", 2, 1, (1,), HANGZHOU)
    assert violation.message == "杭州市名额2件，名单中有1件（R-104）"


def test_a_city_absent_from_the_list_is_named_with_none_of_its_quota():
    candidates = cases(2) + cases(1, start=3, city=NINGBO)
    [violation] = validate([city_quotas()], candidates, [1, 2])
    assert (violation.group, violation.needed, violation.have, violation.cases) == (NINGBO, 1, 0, ())
    assert violation.message == "宁波市名额1件，名单中有0件（R-104）"


def test_a_city_outside_the_quota_table_has_quota_zero():
    candidates = cases(2) + cases(1, start=3, city=NINGBO) + cases(1, start=4, city=WENZHOU)
    [violation] = validate([city_quotas()], candidates, [1, 2, 3, 4])
    assert (violation.rule, violation.group, violation.needed, violation.have, violation.cases) == (
        "R-104", WENZHOU, 0, 1, (4,))
    assert violation.message == "温州市不在名额表中，名额按0件计，名单中有1件（R-104）"
    assert [v.group for v in validate([city_quotas("<=")], candidates, [1, 2, 3, 4])] == [WENZHOU]


def test_an_upper_quota_allows_fewer_but_not_more():
    rule = city_quotas("<=")
    candidates = cases(3) + cases(1, start=4, city=NINGBO)
    assert validate([rule], candidates, [1, 4]) == []
    [violation] = validate([rule], candidates, [1, 2, 3])
    assert (violation.group, violation.needed, violation.have) == (HANGZHOU, 2, 3)
    assert violation.message == "杭州市最多2件，名单中有3件（R-104）"


def test_a_lower_quota_allows_more_and_ignores_cities_outside_the_table():
    rule = Quota(rule="R-900", attribute="province", op=">=", table={33: 2}, text="每省至少2件",
                 names={33: "浙江省"})
    candidates = cases(3, province=33) + cases(1, start=4, province=34)
    assert validate([rule], candidates, [1, 2, 3, 4]) == []
    [violation] = validate([rule], candidates, [1, 4])
    assert (violation.rule, violation.group, violation.needed, violation.have) == ("R-900", 33, 2, 1)
    assert violation.message == "浙江省至少应有2件，名单中有1件（R-900）"


def test_a_group_without_a_name_is_named_by_its_id():
    rule = Quota(rule="R-104", attribute="city", op="==", table={HANGZHOU: 1}, text="")
    candidates = cases(2)
    [violation] = validate([rule], candidates, [1, 2])
    assert violation.message == f"编号为{HANGZHOU}的市名额1件，名单中有2件（R-104）"


# Eligibility (only cases that passed the rounds below) --------------------------------------------------------------

def test_a_case_that_did_not_pass_below_cannot_be_listed():
    candidates = [Candidate(id=1, score=90, enterprise=1, label="数字孪生工厂"),
                  Candidate(id=2, score=80, enterprise=2, eligible=False, label="校企联合实验室"),
                  Candidate(id=3, score=70, enterprise=3, eligible=False)]
    assert validate([PASSED_BELOW], candidates, [1]) == []
    [violation] = validate([PASSED_BELOW], candidates, [1, 2, 3])
    assert (violation.rule, violation.kind, violation.needed, violation.have, violation.cases) == (
        "R-107", "eligibility", 0, 2, (2, 3))
    assert violation.message == "以下案例未通过下级遴选，不能列入名单：“校企联合实验室”、“案例3”（R-107）"


# The list as a whole -------------------------------------------------------------------------------------------------

PROVINCE_RULES = [PASSED_BELOW, AT_MOST_100, PARK_SHARE_PROVINCE, ONE_PER_ENTERPRISE]


def test_every_violation_is_reported_in_rule_order():
    candidates = list_of(101, park=20) + [Candidate(id=200, score=1, enterprise=1001, eligible=False)]
    result = validate(PROVINCE_RULES, candidates, ids(candidates))
    assert [v.rule for v in result] == ["R-107", "R-109", "R-109", "R-108"]
    assert [v.kind for v in result] == ["eligibility", "count", "share", "per_group"]
    assert (result[1].have, result[2].needed, result[2].have, result[3].cases) == (102, 31, 20, (1, 200))


def test_ids_that_are_not_candidates_are_reported_not_counted():
    candidates = list_of(10, park=3)
    result = validate([PARK_SHARE_PROVINCE, TEN_PRESENTERS], candidates, [*ids(candidates), 77, 55])
    assert result == [Violation(rule="", kind="unknown", message="案例55、77不在本轮候选名单中", have=2,
                                cases=(55, 77))]


def test_an_id_chosen_twice_counts_once():
    candidates = cases(10)
    assert validate([TEN_PRESENTERS], candidates, [*ids(candidates), 1, 2]) == []


def test_an_empty_list_breaks_only_the_rules_on_its_size():
    candidates = list_of(10, park=3)
    rules = [*PROVINCE_RULES, TWO_PER_CITY, city_quotas("<="), TEN_PRESENTERS]
    result = validate(rules, candidates, [])
    assert [(v.rule, v.needed, v.have) for v in result] == [("R-110", 10, 0)]


@pytest.mark.parametrize("chosen", [[], range(1, 11)])
def test_no_rules_no_violations(chosen):
    assert validate([], list_of(10, park=0), chosen) == []


def test_the_summary_joins_the_sentences():
    candidates = list_of(11, park=2)
    result = validate([PARK_SHARE_PROVINCE, TEN_PRESENTERS], candidates, ids(candidates))
    assert summary(result) == ("园区科协推荐的案例占比应不低于30%：11件中至少4件，现有2件（R-109）；"
                               "宣讲人选10件：名单应为10件，现有11件（R-110）")
    assert summary([]) == ""
