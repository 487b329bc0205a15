"""Conflicts of interest between experts and cases (回避), as conflicts_between detects them."""

import pytest

from apps.cases.models import Case
from apps.core.creditcode import make_code
from apps.orgs.models import Membership
from apps.orgs.services import membership_add
from apps.review.conflicts import conflicts_between
from apps.review.models import ConflictDeclaration
from apps.review.tests.conftest import add_case, add_cases, make_expert
from apps.rounds.models import Round
from apps.rounds.services import round_for

pytestmark = pytest.mark.usefixtures("system")


@pytest.fixture
def xihu_case(campaign, city_round):
    """A case of 西湖科技园科协 for 杭州西湖（智能）装备有限公司 (full-width brackets), in 杭州市's round."""
    case = add_case(campaign, city_round, recommender=campaign.xihu_park)
    case.enterprise.name = "杭州西湖（智能）装备有限公司"
    case.enterprise.save(update_fields=["name"])
    return loaded(case)


def loaded(case):
    return Case.plain.select_related("enterprise", "recommender", "county").get(pk=case.pk)


def kinds(round, expert, case, *, same_county=True) -> list[str]:
    found = conflicts_between(round, [expert], [case], same_county=same_county)
    return [c.kind for c in found.get((case.pk, expert.pk), [])]


def staff_of(org, expert):
    membership_add(org=org, user=expert.user, role=Membership.Role.STAFF, by=None, check=False)


def test_an_expert_without_ties_to_the_case_has_no_conflict(city_round, xihu_case):
    expert = make_expert("周教授", employer="浙江大学", region_code="330102")
    assert conflicts_between(city_round, [expert], [xihu_case], same_county=True) == {}


def test_employer_by_credit_code(city_round, xihu_case):
    expert = make_expert("王总工", employer="某集团", employer_credit_code=xihu_case.enterprise.credit_code)
    found = conflicts_between(city_round, [expert], [xihu_case], same_county=True)[(xihu_case.pk, expert.pk)]
    assert [c.kind for c in found] == ["employer"]
    assert xihu_case.enterprise.credit_code in found[0].reason
    assert found[0].label == "任职于案例企业"


def test_employer_by_name_ignores_bracket_width_and_spaces(city_round, xihu_case):
    expert = make_expert("王总工", employer="杭州西湖 (智能) 装备 有限公司")
    found = conflicts_between(city_round, [expert], [xihu_case], same_county=True)[(xihu_case.pk, expert.pk)]
    assert [c.kind for c in found] == ["employer"]
    assert "杭州西湖 (智能) 装备 有限公司" in found[0].reason


def test_employer_by_name_only_when_the_expert_has_no_employer_credit_code(city_round, xihu_case):
    """A known code is exact: the same name with another enterprise's code is a namesake, not the employer."""
    other_code = make_code(region="330106", serial="ANQT00001")
    expert = make_expert("王总工", employer="杭州西湖（智能）装备有限公司", employer_credit_code=other_code)
    assert kinds(city_round, expert, xihu_case) == []


def test_a_different_name_is_no_employer_conflict(city_round, xihu_case):
    expert = make_expert("王总工", employer="杭州西湖智能装备有限公司")  # no brackets at all: another name
    assert kinds(city_round, expert, xihu_case) == []


def test_staff_of_the_recommending_association_are_conflicted_in_a_city_round(campaign, city_round, xihu_case):
    expert = make_expert("冯主任")
    staff_of(campaign.xihu_park, expert)
    found = conflicts_between(city_round, [expert], [xihu_case], same_county=True)[(xihu_case.pk, expert.pk)]
    assert [c.kind for c in found] == ["chain"]
    assert "西湖科技园科协" in found[0].reason


def test_staff_of_the_recommenders_county_are_conflicted_in_a_city_round(campaign, city_round, xihu_case):
    expert = make_expert("褚科长")
    staff_of(campaign.xihu, expert)
    assert kinds(city_round, expert, xihu_case) == ["chain"]


def test_an_expert_at_both_the_association_and_its_county_gets_one_chain_conflict(campaign, city_round, xihu_case):
    expert = make_expert("卫主任")
    staff_of(campaign.xihu, expert)
    staff_of(campaign.xihu_park, expert)
    assert kinds(city_round, expert, xihu_case) == ["chain"]


def test_staff_of_the_city_running_the_round_are_not_conflicted(campaign, city_round, xihu_case):
    """The round's own org organises; it does not recommend."""
    expert = make_expert("蒋处长")
    staff_of(campaign.hangzhou, expert)
    assert kinds(city_round, expert, xihu_case) == []


def test_staff_of_another_county_or_association_are_not_conflicted(campaign, city_round, xihu_case):
    expert = make_expert("沈主任")
    staff_of(campaign.shangcheng, expert)
    staff_of(campaign.xihu_ent, expert)  # the same county, but not this case's recommender
    assert kinds(city_round, expert, xihu_case) == []


def test_an_inactive_membership_is_no_conflict(campaign, city_round, xihu_case):
    expert = make_expert("韩主任")
    staff_of(campaign.xihu_park, expert)
    Membership.plain.filter(user=expert.user).update(is_active=False)
    assert kinds(city_round, expert, xihu_case) == []


def test_in_a_province_round_staff_of_the_city_below_are_conflicted(campaign, xihu_case):
    province_round = round_for(programme=campaign.zhejiang_programme, org=campaign.zhejiang,
                               kind=Round.Kind.PROVINCE_SELECTION)
    city_staff, province_staff = make_expert("杨科长"), make_expert("朱处长")
    staff_of(campaign.hangzhou, city_staff)
    staff_of(campaign.zhejiang, province_staff)
    assert kinds(province_round, city_staff, xihu_case) == ["chain"]
    assert kinds(province_round, province_staff, xihu_case) == []


def test_same_county_is_a_conflict_only_when_the_round_says_so(city_round, xihu_case):
    expert = make_expert("郑高工", region_code="330106")
    found = conflicts_between(city_round, [expert], [xihu_case], same_county=True)[(xihu_case.pk, expert.pk)]
    assert [c.kind for c in found] == ["same_county"] and "西湖区" in found[0].reason
    assert kinds(city_round, expert, xihu_case, same_county=False) == []


def test_a_declared_conflict_carries_the_experts_reason(city_round, xihu_case):
    expert = make_expert("秦教授")
    ConflictDeclaration.plain.create(expert=expert, case=xihu_case, reason="曾为该企业提供咨询")
    found = conflicts_between(city_round, [expert], [xihu_case], same_county=True)[(xihu_case.pk, expert.pk)]
    assert [c.kind for c in found] == ["declared"]
    assert found[0].reason == "专家申请回避：曾为该企业提供咨询"


def test_several_conflicts_of_one_pair_are_all_listed(campaign, city_round, xihu_case):
    expert = make_expert("尤主任", employer_credit_code=xihu_case.enterprise.credit_code, region_code="330106")
    staff_of(campaign.xihu_park, expert)
    ConflictDeclaration.plain.create(expert=expert, case=xihu_case, reason="亲属任职")
    assert kinds(city_round, expert, xihu_case) == ["employer", "chain", "same_county", "declared"]


def test_conflicts_of_many_pairs_go_to_the_right_pairs(campaign, city_round, cases, pool):
    cases = [loaded(c) for c in cases]
    found = conflicts_between(city_round, pool.all, cases, same_county=True)
    assert {pair: [c.kind for c in conflicts] for pair, conflicts in found.items()} == {
        (cases[0].pk, pool.zheng.pk): ["same_county"],
        (cases[1].pk, pool.zheng.pk): ["same_county"],
        (cases[0].pk, pool.feng.pk): ["chain"],
    }


def test_no_experts_or_no_cases_need_no_query(city_round, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert conflicts_between(city_round, [], [object()], same_county=True) == {}


@pytest.mark.parametrize("n_cases, n_experts", [(1, 1), (8, 12)])
def test_conflicts_between_takes_two_queries_whatever_the_numbers(campaign, city_round, django_assert_num_queries,
                                                                  n_cases, n_experts):
    cases = [loaded(c) for c in add_cases(campaign, city_round, n_cases)]
    experts = [make_expert(f"专家{n}", region_code="330106" if n % 3 == 0 else "") for n in range(n_experts)]
    for n, expert in enumerate(experts):
        staff_of([campaign.xihu_park, campaign.xihu, campaign.shangcheng_park][n % 3], expert)
        ConflictDeclaration.plain.create(expert=expert, case=cases[n % n_cases], reason="测试")
    with django_assert_num_queries(2):  # the experts' memberships, their declarations
        found = conflicts_between(city_round, experts, cases, same_county=True)
    assert found  # the queries did find conflicts
