"""County screening checklist (R-106, R-107): each check computed from the case's data."""

import datetime as dt

import pytest

from apps.campaigns.selectors import rulebook_values
from apps.cases.models import Case, CaseAttachment
from apps.core.scoping import scopes_disabled
from apps.enterprises.models import Enterprise
from apps.rounds import checklist
from apps.rounds.tests.conftest import complete_attachments, new_enterprise, submit
from tests.factories import make_case


@pytest.fixture
def world(campaign):
    with scopes_disabled():
        yield campaign


def outcome(entry, check_id):
    results = checklist.checklists_for(entry.round, [Case.plain.select_related("enterprise__county").get(pk=entry.case_id)])
    return next(o.result for o in results[entry.case_id] if o.check.id == check_id)


def test_checklist_has_ids_labels_and_rule_ids():
    ids = [c.id for c in checklist.COUNTY_SCREENING]
    assert ids == ["in_county", "credit_code", "attachments", "deadline", "not_duplicate"]
    assert all(c.rule.startswith("R-1") and str(c.label) for c in checklist.COUNTY_SCREENING)


def test_r106_an_enterprise_of_this_county_passes_the_territory_check(world):
    assert outcome(submit(world), "in_county").ok is True


def test_r106_an_enterprise_registered_in_another_county_fails_the_territory_check(world):
    entry = submit(world)
    Enterprise.plain.filter(pk=entry.case.enterprise_id).update(county=world.shangcheng)
    result = outcome(entry, "in_county")
    assert result.ok is False and "上城区" in result.problems[0] and "R-106" in result.problems[0]


def test_a_valid_credit_code_passes(world):
    assert outcome(submit(world), "credit_code").ok is True


def test_a_credit_code_with_a_wrong_check_character_fails_and_says_which_position(world):
    bad = Enterprise.plain.create(campaign=world.campaign, name="校验码错误有限公司", credit_code="914403001922038217",
                                  county=world.xihu)
    result = outcome(submit(world, enterprise=bad), "credit_code")
    assert result.ok is False and "第18位" in result.problems[0]


def test_attachment_problems_are_shown_as_the_checks_problems(world):
    entry = submit(world)
    CaseAttachment.plain.filter(case=entry.case, kind=CaseAttachment.Kind.RECOMMENDATION_FORM).delete()
    ctx = checklist.context_for(entry.round, [entry.case])
    result = checklist.check_attachments(entry.case, ctx)
    assert result.ok is False and "请上传盖章推荐表" in result.problems


def test_r107_a_case_submitted_on_the_deadline_day_is_in_time(world):
    deadline = rulebook_values(world.zhejiang_programme)["case_submission_deadline"]
    assert outcome(submit(world, submitted_on=deadline), "deadline").ok is True


def test_r107_a_case_submitted_after_the_deadline_is_late(world):
    deadline = rulebook_values(world.zhejiang_programme)["case_submission_deadline"]
    result = outcome(submit(world, submitted_on=deadline + dt.timedelta(days=1)), "deadline")
    assert result.ok is False and deadline.isoformat() in result.problems[0]


def test_r107_two_submitted_cases_of_one_enterprise_with_the_same_title_are_duplicates(world):
    enterprise = new_enterprise(world, world.xihu)
    first = submit(world, enterprise=enterprise, title="数字孪生产线改造")
    second = submit(world, enterprise=enterprise, title=" 数字孪生产线改造。", recommender=world.xihu_ent)
    assert outcome(first, "not_duplicate").ok is False
    assert outcome(second, "not_duplicate").ok is False


def test_a_draft_or_another_title_of_the_same_enterprise_is_not_a_duplicate(world):
    enterprise = new_enterprise(world, world.xihu)
    entry = submit(world, enterprise=enterprise, title="数字孪生产线改造")
    make_case(enterprise, world.xihu_park, status="draft", title="数字孪生产线改造")
    submit(world, enterprise=enterprise, title="绿色工厂能源管理")
    assert outcome(entry, "not_duplicate").ok is True


def test_r107_a_returned_case_resubmitted_late_keeps_the_date_of_its_first_submission(world):
    from django.utils import timezone

    from apps.cases.models import CaseVersion

    deadline = rulebook_values(world.zhejiang_programme)["case_submission_deadline"]
    entry = submit(world, submitted_on=deadline + dt.timedelta(days=5))  # version 2, after a return
    first = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=3), dt.time(9)))
    CaseVersion.plain.create(case=entry.case, number=1, data={}, submitted_at=first)
    assert outcome(entry, "deadline").ok is True


# -- findings: what a failed check found, in the words of its badge -----------------------------------------

def test_r107_a_case_without_files_is_found_to_miss_4_required_attachments(world):
    result = outcome(submit(world), "attachments")
    assert result.ok is False and result.finding == "缺4项必备附件"
    assert len(result.problems) == 4


def test_r107_a_case_with_only_its_sealed_form_missing_misses_1_attachment(world):
    entry = submit(world)
    complete_attachments(entry.case)
    assert outcome(entry, "attachments").ok is True
    CaseAttachment.plain.filter(case=entry.case, kind=CaseAttachment.Kind.RECOMMENDATION_FORM).delete()
    assert outcome(entry, "attachments").finding == "缺1项必备附件"


def test_r107_a_late_case_is_found_late_by_so_many_days(world):
    deadline = rulebook_values(world.zhejiang_programme)["case_submission_deadline"]
    result = outcome(submit(world, submitted_on=deadline + dt.timedelta(days=3)), "deadline")
    assert result.finding == "逾期3天提交"


def test_r106_an_enterprise_of_another_county_is_found_to_belong_there(world):
    entry = submit(world)
    Enterprise.plain.filter(pk=entry.case.enterprise_id).update(county=world.shangcheng)
    assert outcome(entry, "in_county").finding == "企业属地为上城区"


def test_a_wrong_credit_code_is_found_wrong(world):
    bad = Enterprise.plain.create(campaign=world.campaign, name="校验码有误有限公司", credit_code="914403001922038217",
                                  county=world.xihu)
    assert outcome(submit(world, enterprise=bad), "credit_code").finding == "统一社会信用代码有误"


def test_r107_a_duplicate_is_found_with_the_number_of_same_titled_cases(world):
    enterprise = new_enterprise(world, world.xihu)
    first = submit(world, enterprise=enterprise, title="数字孪生产线改造")
    submit(world, enterprise=enterprise, title="数字孪生产线改造", recommender=world.xihu_ent)
    assert outcome(first, "not_duplicate").finding == "另有1个同名案例"


def test_a_passing_check_has_no_finding_and_its_outcome_falls_back_to_the_rule_name(world):
    entry = submit(world)
    results = checklist.checklists_for(entry.round, [entry.case])[entry.case_id]
    in_county = next(o for o in results if o.check.id == "in_county")
    assert in_county.result.finding == "" and in_county.finding == "企业属于本区县"
