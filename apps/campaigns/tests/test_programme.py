"""Campaigns and programmes (R-401, R-402, R-405), the home to-dos, and the demo campaign."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.audit.models import AuditEntry
from apps.campaigns import rules
from apps.campaigns.models import Campaign, Programme, Rulebook, WorkRules
from apps.campaigns.services import campaign_create, programme_update, rulebook_update, work_rules_update
from apps.campaigns.todos import campaign_todos, programme_todos
from apps.core import todos as core_todos

TODAY_AUG = dt.date(2026, 8, 20)


def test_r401_r405_a_campaign_opens_one_programme_per_province_and_the_brand_project(tree, system):
    campaign = campaign_create(year=2027, name="2027年企业典型创新案例征集及宣讲活动", by=tree.center_admin,
                               provinces=[tree.zhejiang, "510000"])
    programmes = {p.org.code: p for p in Programme.plain.filter(campaign=campaign).select_related("org")}
    assert set(programmes) == {"330000", "510000", "000000"}
    zhejiang, brand = programmes["330000"], programmes["000000"]
    assert zhejiang.kind == Programme.Kind.PROVINCE and zhejiang.budget == Decimal("200000.00")
    assert (zhejiang.period_start, zhejiang.period_end) == (dt.date(2027, 7, 1), dt.date(2027, 11, 30))
    assert brand.kind == Programme.Kind.BRAND and brand.budget == Decimal("400000.00")
    assert (brand.period_start, brand.period_end) == (dt.date(2027, 7, 1), dt.date(2027, 12, 31))
    assert Rulebook.plain.get(programme=zhejiang).values == rules.default_values(2027)
    assert WorkRules.plain.filter(programme=zhejiang).exists()
    assert not Rulebook.plain.filter(programme=brand).exists()
    assert campaign.rule_bounds["province_park_share_min"] == {"min": "0.3"}
    entry = AuditEntry.plain.get(action="campaign.create")
    assert json.loads(entry.data)["provinces"] == ["330000", "510000"]
    assert entry.org_path == tree.center.path


def test_one_campaign_per_year(campaign_world, system):
    with pytest.raises(ValidationError, match="2026年度的活动已存在"):
        campaign_create(year=2026, name="重复", by=campaign_world.center_admin, provinces=[campaign_world.zhejiang])
    assert Campaign.plain.count() == 1


def test_a_campaign_needs_provinces_and_only_provinces(tree, system):
    with pytest.raises(ValidationError, match="请至少选择一个省份"):
        campaign_create(year=2027, name="活动", by=tree.center_admin, provinces=[])
    with pytest.raises(ValidationError, match="330100不是省级单位"):
        campaign_create(year=2027, name="活动", by=tree.center_admin, provinces=[tree.hangzhou])
    assert not Campaign.plain.exists()


def test_only_the_centres_admins_create_campaigns(tree, system):
    with pytest.raises(Http404):
        campaign_create(year=2027, name="活动", by=tree.zhejiang_admin, provinces=[tree.zhejiang])


def test_r402_the_province_names_one_project_lead_and_its_team(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    programme_update(programme=programme, by=campaign_world.zhejiang_admin, implementing_unit="浙江省科协企业创新服务中心",
                     project_lead="陈晓峰", project_lead_phone="13905710001",
                     team=[{"name": "周丽华", "role": "案例征集"}, {"name": "王立成", "role": ""}])
    programme = Programme.plain.get(pk=programme.pk)
    assert programme.project_lead == "陈晓峰" and programme.team[1] == {"name": "王立成", "role": ""}
    entry = AuditEntry.plain.get(action="programme.update")
    changes = json.loads(entry.data)["changes"]
    assert changes["project_lead"] == {"old": "", "new": "陈晓峰"}
    assert set(changes) == {"implementing_unit", "project_lead", "project_lead_phone", "team"}


@pytest.mark.parametrize("fields,message", [
    ({"project_lead": "陈晓峰", "project_lead_phone": "12345678901"}, "项目负责人手机号码应为以1开头的11位数字"),
    ({"project_lead": "陈晓峰", "project_lead_phone": ""}, "请填写项目负责人的手机号码"),
    ({"project_lead": "陈晓峰、王立成", "project_lead_phone": "13905710001"}, "每个项目只设一名项目负责人（R-402）"),
    ({"team": [{"name": "", "role": "宣传"}]}, "第1位团队成员缺少姓名"),
])
def test_r402_bad_programme_details_are_refused_and_nothing_changes(campaign_world, system, fields, message):
    programme = campaign_world.zhejiang_programme
    data = {"implementing_unit": "", "project_lead": "", "project_lead_phone": "", "team": [], **fields}
    with pytest.raises(ValidationError, match=message):
        programme_update(programme=programme, by=campaign_world.zhejiang_admin, **data)
    assert Programme.plain.get(pk=programme.pk).project_lead == ""
    assert not AuditEntry.plain.filter(action="programme.update").exists()


@pytest.mark.parametrize("who", ["center_admin", "sichuan_admin", "hangzhou_admin"])
def test_only_the_programmes_own_admins_edit_it(campaign_world, system, who):
    with pytest.raises(Http404):
        programme_update(programme=campaign_world.zhejiang_programme, by=getattr(campaign_world, who),
                         implementing_unit="x", project_lead="", project_lead_phone="", team=[])


def test_the_centre_edits_the_brand_project(campaign_world, system):
    programme_update(programme=campaign_world.brand_programme, by=campaign_world.center_admin,
                     implementing_unit="中国科协企业创新服务中心", project_lead="张宁", project_lead_phone="13901010004", team=[])
    assert Programme.plain.get(pk=campaign_world.brand_programme.pk).project_lead == "张宁"


# -- home to-dos ---------------------------------------------------------------------------

def texts(items):
    return [t.text for t in items]


def test_the_campaign_todo_provider_is_registered():
    assert campaign_todos in core_todos._providers


def test_deadlines_within_30_days_reach_the_levels_that_act_on_them(campaign_world, system):
    """On 20 August: case submission (31 Aug, R-106) and county report (10 Sep, R-107) are within 30 days;
    the city's recommendation (25 Sep) is not yet."""
    county = programme_todos(campaign_world.xihu_admin, campaign_world.xihu, TODAY_AUG)
    assert [(t.rule, t.due) for t in county] == [("R-106", dt.date(2026, 8, 31)), ("R-107", dt.date(2026, 9, 10))]
    park = programme_todos(campaign_world.xihu_park_admin, campaign_world.xihu_park, TODAY_AUG)
    assert [t.rule for t in park] == ["R-106"]
    # On 1 July only the mobilisation date (31 July, R-102) is within 30 days.
    early = programme_todos(campaign_world.xihu_admin, campaign_world.xihu, dt.date(2026, 7, 1))
    assert [(t.rule, t.due) for t in early] == [("R-102", dt.date(2026, 7, 31))]


def test_an_urgent_deadline_is_marked(campaign_world, system):
    items = programme_todos(campaign_world.hangzhou_admin, campaign_world.hangzhou, dt.date(2026, 8, 28))
    case = next(t for t in items if t.rule == "R-106")
    assert case.urgent and case.due == dt.date(2026, 8, 31)


def test_a_province_admin_is_asked_for_a_project_lead_and_the_work_rules(campaign_world, system):
    items = programme_todos(campaign_world.zhejiang_admin, campaign_world.zhejiang, dt.date(2026, 7, 2))
    assert "请填写2026年项目负责人和专项工作团队" in texts(items)
    assert any(t.startswith("请完善工作细则：总体流程、名额分配") for t in texts(items))
    programme = campaign_world.zhejiang_programme
    programme_update(programme=programme, by=campaign_world.zhejiang_admin, implementing_unit="浙江省科协",
                     project_lead="陈晓峰", project_lead_phone="13905710001", team=[])
    work_rules_update(work_rules=WorkRules.plain.get(programme=programme), by=campaign_world.zhejiang_admin,
                      sections={name: "已填写" for name, _t in WorkRules.SECTIONS})
    left = programme_todos(campaign_world.zhejiang_admin, campaign_world.zhejiang, dt.date(2026, 7, 2))
    assert [t.rule for t in left] == ["R-102"]  # only the mobilisation date ahead


def test_a_city_does_not_get_the_provinces_tasks(campaign_world, system):
    items = programme_todos(campaign_world.hangzhou_admin, campaign_world.hangzhou, dt.date(2026, 7, 2))
    assert [t.rule for t in items] == ["R-102"]  # the mobilisation date, which the city works to as well


def test_moved_deadlines_move_the_todos(campaign_world, system):
    rulebook_update(rulebook=Rulebook.plain.get(programme=campaign_world.zhejiang_programme),
                    by=campaign_world.zhejiang_admin,
                    values={"mobilisation_deadline": "2026-07-10", "case_submission_deadline": "2026-07-20"})
    items = programme_todos(campaign_world.xihu_admin, campaign_world.xihu, dt.date(2026, 7, 2))
    assert [(t.rule, t.due) for t in items] == [("R-102", dt.date(2026, 7, 10)), ("R-106", dt.date(2026, 7, 20))]


# -- demo ----------------------------------------------------------------------------------

def test_the_demo_campaign_is_idempotent(tree, system):
    from apps.campaigns.demo import DEMO_YEAR, seed_campaign

    assert seed_campaign("innocase-demo") == []
    rows = AuditEntry.plain.count()
    seed_campaign("innocase-demo")
    assert AuditEntry.plain.count() == rows
    campaign = Campaign.plain.get(year=DEMO_YEAR)
    zhejiang = Programme.plain.get(campaign=campaign, org=tree.zhejiang)
    assert zhejiang.project_lead == "陈晓峰"
    assert WorkRules.plain.get(programme=zhejiang).empty_sections() == []
    assert Rulebook.plain.get(programme=zhejiang).values["surplus_ratio"] == "0.25"


def test_the_demo_campaign_year_keeps_its_deadlines_ahead():
    from apps.campaigns.demo import demo_year

    assert demo_year(dt.date(2026, 3, 1)) == 2026
    assert demo_year(dt.date(2026, 11, 25)) == 2027
