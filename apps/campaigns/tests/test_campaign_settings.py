"""Budgets, periods and the story book as campaign settings the centre edits (issue 16, item 4; R-401, R-405,
R-506): every programme follows, each change is audited, a bad value changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.campaigns.models import Campaign, Programme, Rulebook
from apps.campaigns.selectors import funding_of
from apps.campaigns.services import campaign_settings_update, rulebook_update
from apps.core.errors import NotFound

pytestmark = pytest.mark.django_db


def settings_of(campaign) -> dict:
    campaign.refresh_from_db()
    return {"province_budget": campaign.province_budget, "brand_budget": campaign.brand_budget,
            "province": (campaign.province_start, campaign.province_end),
            "brand": (campaign.brand_start, campaign.brand_end), "stories": campaign.stories,
            "print_copies": campaign.print_copies}


def test_a_new_campaign_starts_at_domain_md_values_and_its_programmes_take_them(campaign_world, system):
    w = campaign_world
    found = settings_of(w.campaign)
    assert found == {"province_budget": Decimal("200000.00"), "brand_budget": Decimal("400000.00"),
                     "province": (dt.date(2026, 7, 1), dt.date(2026, 11, 30)),
                     "brand": (dt.date(2026, 7, 1), dt.date(2026, 12, 31)), "stories": 100, "print_copies": 1500}
    assert w.zhejiang_programme.budget == Decimal("200000.00")
    assert w.brand_programme.period_end == dt.date(2026, 12, 31)
    funding = funding_of(w.campaign)
    assert (funding.provinces, funding.province_total, funding.brand_total, funding.total) == (
        2, Decimal("400000.00"), Decimal("400000.00"), Decimal("800000.00"))


def test_the_centre_changes_budgets_and_periods_and_every_programme_follows_with_one_audit_row(campaign_world,
                                                                                              system):
    w = campaign_world
    campaign_settings_update(campaign=w.campaign, by=w.center_admin, province_budget=Decimal("250000.00"),
                             brand_end=dt.date(2026, 12, 20), stories=120)
    for programme in Programme.plain.filter(campaign=w.campaign, kind=Programme.Kind.PROVINCE):
        assert programme.budget == Decimal("250000.00")
    brand = Programme.plain.get(pk=w.brand_programme.pk)
    assert (brand.budget, brand.period_end) == (Decimal("400000.00"), dt.date(2026, 12, 20))
    row = AuditEntry.plain.get(action="campaign.settings")
    assert json.loads(row.data) == {"province_budget": ["200000.00", "250000.00"],
                                    "brand_end": ["2026-12-31", "2026-12-20"], "stories": ["100", "120"]}
    # Saving the same values again changes nothing and records nothing.
    campaign_settings_update(campaign=w.campaign, by=w.center_admin, province_budget=Decimal("250000.00"))
    assert AuditEntry.plain.filter(action="campaign.settings").count() == 1


@pytest.mark.parametrize("values, field, words", [
    ({"province_budget": Decimal("-1")}, "province_budget", "不小于0"),
    ({"brand_budget": Decimal("100000000.01")}, "brand_budget", "不超过1亿元"),
    ({"province_end": dt.date(2027, 1, 31)}, "province_end", "2026年之内"),
    ({"brand_start": dt.date(2026, 12, 1), "brand_end": dt.date(2026, 11, 1)}, "brand_end", "不能早于开始日期"),
    ({"stories": 0}, "stories", "1至1000件"),
    ({"print_copies": 0}, "print_copies", "1至1000000册"),
    ({"video_spec": {"min_seconds": 150, "max_seconds": 90}}, "video_min_seconds", "下限小于上限"),
    ({"video_spec": {"aspect": "1:1"}}, "video_aspect", "画面比例"),
])
def test_a_bad_setting_is_refused_at_its_field_and_changes_nothing(campaign_world, system, values, field, words):
    w = campaign_world
    before = settings_of(w.campaign)
    with pytest.raises(ValidationError) as refused:
        campaign_settings_update(campaign=w.campaign, by=w.center_admin, **values)
    assert any(words in m for m in refused.value.message_dict[field])
    assert settings_of(w.campaign) == before
    assert not AuditEntry.plain.filter(action="campaign.settings").exists()


def test_a_period_that_would_leave_a_province_deadline_outside_is_refused_naming_the_province(campaign_world,
                                                                                            system):
    w = campaign_world
    rulebook_update(rulebook=Rulebook.plain.get(programme=w.zhejiang_programme), by=w.zhejiang_admin,
                    values={"provincial_event_deadline": "2026-10-31"})
    with pytest.raises(ValidationError) as refused:
        campaign_settings_update(campaign=w.campaign, by=w.center_admin, province_end=dt.date(2026, 10, 15))
    text = " ".join(refused.value.message_dict["province_end"])
    assert "浙江省" in text and "首场省级宣讲活动截止日期" in text
    assert Programme.plain.get(pk=w.zhejiang_programme.pk).period_end == dt.date(2026, 11, 30)


def test_only_the_centre_edits_the_settings(campaign_world, system):
    with pytest.raises(NotFound):
        campaign_settings_update(campaign=campaign_world.campaign, by=campaign_world.zhejiang_admin, stories=10)
    assert Campaign.plain.get(pk=campaign_world.campaign.pk).stories == 100


def test_the_settings_page_keeps_what_was_typed_when_refused_and_the_campaign_page_shows_the_total(client,
                                                                                                  campaign_world):
    w = campaign_world
    client.force_login(w.center_admin)
    url = reverse("campaigns:campaign_settings", args=[w.campaign.pk])
    form = {"province_budget": "200000", "brand_budget": "400000", "province_start": "2026-07-01",
            "province_end": "2026-11-30", "brand_start": "2026-07-01", "brand_end": "2026-12-31",
            "stories": "0", "print_copies": "1800", "video_min_seconds": "90", "video_max_seconds": "150",
            "video_min_width": "1280", "video_min_height": "720", "video_aspect": "16:9", "video_audio": "on"}
    page = client.post(url, form)
    body = page.content.decode()
    assert page.status_code == 200 and "故事集收录案例数应在1至1000件之间" in body and 'value="1800"' in body
    page = client.post(url, {**form, "stories": "100"})
    assert page.status_code == 302
    detail = client.get(reverse("campaigns:campaign_detail", args=[w.campaign.pk])).content.decode()
    assert "800,000.00" in detail and "印制1800册" in detail
    # A province reads the campaign but not the national totals.
    client.force_login(w.zhejiang_admin)
    assert "经费合计" not in client.get(reverse("campaigns:campaign_detail", args=[w.campaign.pk])).content.decode()


def test_the_national_story_rule_reads_the_campaigns_book_size(campaign_world, system):
    from apps.rounds.kinds import Inputs, kind_of
    from apps.rounds.models import Round

    w = campaign_world
    campaign_settings_update(campaign=w.campaign, by=w.center_admin, stories=80)
    story = Round.plain.create(programme=Programme.plain.get(pk=w.brand_programme.pk), org=w.center,
                               kind="national_story")
    rules = kind_of(story).rules(Inputs(story, {}))
    count = next(r for r in rules if r.rule == "R-506" and r.kind == "count")
    assert (count.op, count.n) == ("==", 80) and "80件" in count.text
