"""The rulebook (R-101): DOMAIN.md's numbers as data, edited by the province inside the centre's bounds."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.audit.models import AuditEntry
from apps.campaigns import rules
from apps.campaigns.models import Campaign, Programme, Rulebook
from apps.campaigns.selectors import rulebook_rows, rulebook_values
from apps.campaigns.services import rule_bounds_update, rulebook_update
from apps.campaigns.tests.world import approved_quota_table


def book(programme) -> Rulebook:
    return Rulebook.plain.get(programme=programme)


def audit_rows(action):
    return list(AuditEntry.plain.filter(action=action).order_by("id"))


def test_r101_a_new_rulebook_holds_every_default_of_domain_md(zhejiang_programme, system):
    values = rulebook_values(zhejiang_programme)
    assert values["target"] == 100
    assert values["quota_method"] == "hamilton" and values["quota_guarantee_one"] is True
    assert values["surplus_ratio"] == Decimal("0.2")
    assert values["surplus_applies_to"] == rules.SURPLUS_CITY_TO_PROVINCE
    assert values["city_per_enterprise_max"] == 1
    assert values["province_max"] == 100 and values["province_park_share_min"] == Decimal("0.3")
    assert (values["presenters"], values["presenters_per_city_max"]) == (10, 2)
    assert values["presenters_park_share_min"] == Decimal("0.3")
    assert values["provincial_events_min"] == 1
    assert values["provincial_event_deadline"] == dt.date(2026, 10, 31)
    assert (values["media_reports_min"], values["overview_reports_min"]) == (5, 1)
    assert (values["topic_videos_min"], values["topic_video_minutes"]) == (30, 2)
    assert values["stories"] == 100
    assert values["exhibits_min"] == 1
    for key in rules.DEADLINE_ORDER:
        assert dt.date(2026, 7, 1) <= values[key] <= dt.date(2026, 11, 30)


def test_r101_every_parameter_carries_an_r_id_and_a_chinese_label():
    assert len(rules.SPECS) >= 20
    for s in rules.SPECS:
        assert s.rule.startswith("R-") and str(s.label)
        assert s.coerce(s.default_for(2026)) == s.coerce(s.dump(s.coerce(s.default_for(2026))))


def test_r101_shares_are_stored_as_decimal_strings_not_floats(zhejiang_programme, system):
    raw = book(zhejiang_programme).values
    assert raw["surplus_ratio"] == "0.2" and raw["province_park_share_min"] == "0.3"
    assert "." not in json.dumps(raw["target"])


def test_r101_the_province_edits_within_bounds_and_each_change_is_audited(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    rulebook_update(rulebook=book(programme), by=campaign_world.zhejiang_admin,
                    values={"province_park_share_min": Decimal("0.40"), "media_reports_min": 8, "target": 100})
    values = rulebook_values(programme)
    assert values["province_park_share_min"] == Decimal("0.4") and values["media_reports_min"] == 8
    [entry] = audit_rows("rulebook.update")
    assert json.loads(entry.data) == {"changes": {
        "province_park_share_min": {"old": "0.3", "new": "0.4"},
        "media_reports_min": {"old": 5, "new": 8},
    }}
    assert entry.org_path == campaign_world.zhejiang.path


def test_r109_park_share_below_the_centres_30_percent_is_refused_naming_the_bound(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    before = dict(book(programme).values)
    with pytest.raises(ValidationError) as err:
        rulebook_update(rulebook=book(programme), by=campaign_world.zhejiang_admin,
                        values={"province_park_share_min": "0.25"})
    assert err.value.messages == ["省级遴选园区科协推荐比例不得低于中心规定的30%（R-109）"]
    assert book(programme).values == before
    assert not audit_rows("rulebook.update")


@pytest.mark.parametrize("key,value,message", [
    ("target", 90, "每省征集宣传案例数（目标）不得低于中心规定的100件（R-103）"),
    ("surplus_ratio", "0.15", "差额比例不得低于中心规定的20%（R-105）"),
    ("presenters_park_share_min", "0.1", "宣讲人园区科协推荐比例不得低于中心规定的30%（R-110）"),
    ("presenters_per_city_max", 3, "每市宣讲人数上限不得高于中心规定的2人（R-110）"),
    ("city_per_enterprise_max", 2, "市级推荐名单中每家企业案例数上限不得高于中心规定的1件（R-108）"),
    ("province_max", 120, "省级遴选案例数上限不得高于中心规定的100件（R-109）"),
    ("provincial_event_deadline", "2026-11-05", "首场省级宣讲活动截止日期不得晚于中心规定的2026年10月31日（R-204）"),
    ("media_reports_min", 4, "省级媒体报道篇数下限不得低于中心规定的5篇（R-303）"),
])
def test_each_bounded_parameter_is_refused_outside_its_bound(campaign_world, system, key, value, message):
    with pytest.raises(ValidationError) as err:
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={key: value})
    assert message in err.value.messages


def test_r405_deadlines_must_lie_in_the_programme_period(campaign_world, system):
    with pytest.raises(ValidationError) as err:
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={"case_submission_deadline": "2026-06-20"})
    assert "应在项目实施期2026年7月1日至2026年11月30日之内（R-405）" in err.value.messages[0]


def test_r101_deadlines_follow_the_order_of_the_flow(campaign_world, system):
    with pytest.raises(ValidationError) as err:
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={"county_report_deadline": "2026-09-30"})
    assert "区县科协上报市级截止日期不能晚于市级科协向省级推荐截止日期，请按推荐流程先后设置" in err.value.messages


def test_a_value_of_the_wrong_type_is_refused_in_words(campaign_world, system):
    with pytest.raises(ValidationError) as err:
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={"target": "一百", "surplus_ratio": "1.5"})
    assert err.value.messages == ["每省征集宣传案例数（目标）应为整数", "差额比例应在0%至100%之间"]


def test_an_unknown_parameter_is_refused(campaign_world, system):
    with pytest.raises(ValidationError, match="未知的规则参数：budget"):
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={"budget": 1})


@pytest.mark.parametrize("who", ["hangzhou_admin", "center_admin", "sichuan_admin", "hangzhou_staff"])
def test_only_the_province_itself_edits_its_rulebook(campaign_world, system, who):
    with pytest.raises(Http404):
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=getattr(campaign_world, who),
                        values={"media_reports_min": 9})


def test_a_province_staff_member_cannot_edit_the_rulebook(campaign_world, zhejiang_staff, system):
    with pytest.raises(Http404):
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=zhejiang_staff,
                        values={"media_reports_min": 9})


def test_r104_guarantee_needs_a_target_of_at_least_the_cities_with_associations(campaign_world, system):
    """浙江省 of the test tree has 2 cities with associations: a target of 1 cannot give each of them 1."""
    rule_bounds_update(campaign=campaign_world.campaign, by=campaign_world.center_admin, bounds={"target": {"min": None}})
    with pytest.raises(ValidationError, match="目标数1小于有科协的市的数量2"):
        rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                        values={"target": 1, "province_max": 100})


def test_r104_the_target_cannot_change_under_a_manual_table_in_force(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    approved_quota_table(campaign_world, {"330100": 50, "330200": 50}, "两市科协数量相近")
    with pytest.raises(ValidationError, match="现行手工名额表按目标100分配，与新目标120不一致"):
        rulebook_update(rulebook=book(programme), by=campaign_world.zhejiang_admin,
                        values={"target": 120})


# -- the centre's bounds -------------------------------------------------------------------

def test_r101_the_centre_tightens_a_bound_and_the_province_is_flagged_then_held_to_it(campaign_world, system):
    campaign, programme = campaign_world.campaign, campaign_world.zhejiang_programme
    rule_bounds_update(campaign=campaign, by=campaign_world.center_admin,
                       bounds={"province_park_share_min": {"min": Decimal("0.35")}})
    [entry] = audit_rows("campaign.bounds_update")
    assert json.loads(entry.data) == {"changes": {
        "province_park_share_min": {"side": "min", "old": "0.3", "new": "0.35"}}}
    programme = Programme.plain.get(pk=programme.pk)
    row = next(r for r in rulebook_rows(programme) if r.spec.key == "province_park_share_min")
    assert row.breach == "省级遴选园区科协推荐比例不得低于中心规定的35%（R-109）"
    with pytest.raises(ValidationError, match="不得低于中心规定的35%"):
        rulebook_update(rulebook=book(programme), by=campaign_world.zhejiang_admin, values={"stories": 120})
    rulebook_update(rulebook=book(programme), by=campaign_world.zhejiang_admin,
                    values={"stories": 120, "province_park_share_min": "0.35"})
    assert rulebook_values(programme)["stories"] == 120


def test_the_centre_may_lift_a_bound(campaign_world, system):
    rule_bounds_update(campaign=campaign_world.campaign, by=campaign_world.center_admin,
                       bounds={"media_reports_min": {"min": None}})
    rulebook_update(rulebook=book(campaign_world.zhejiang_programme), by=campaign_world.zhejiang_admin,
                    values={"media_reports_min": 3})
    assert rulebook_values(campaign_world.zhejiang_programme)["media_reports_min"] == 3
    assert Campaign.plain.get().rule_bounds["media_reports_min"] == {"min": None}


def test_a_province_cannot_set_the_bounds(campaign_world, system):
    with pytest.raises(Http404):
        rule_bounds_update(campaign=campaign_world.campaign, by=campaign_world.zhejiang_admin,
                           bounds={"province_park_share_min": {"min": "0.1"}})


def test_the_centre_may_bound_only_the_side_the_spec_names(campaign_world, system):
    before = Campaign.plain.get().rule_bounds
    with pytest.raises(ValidationError, match="参数province_park_share_min不能由中心设定该边界"):
        rule_bounds_update(campaign=campaign_world.campaign, by=campaign_world.center_admin,
                           bounds={"province_park_share_min": {"max": "0.9"}})
    assert Campaign.plain.get().rule_bounds == before
