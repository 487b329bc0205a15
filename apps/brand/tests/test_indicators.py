"""The brand project's indicators (R-501, R-502) measure the brand programme only, against the rulebook's numbers
(brand_media_contacts_min, brand_channel_uses_min); the brand programme's page shows them like a province's, and a
province's rulebook does not list the brand project's numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.brand.approvals import KIND, thread
from apps.brand.models import ChannelUse, MediaContact
from apps.brand.services import brand_plan_submit
from apps.brand.tests.world import plan_phases
from apps.campaigns import rules
from apps.campaigns.indicators import Status, indicator_for, indicators_for
from apps.core.scoping import scopes_disabled

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2026, 7, 1, 4, tzinfo=dt.UTC)  # 1 July in Beijing: the brand period begins
AFTER = dt.datetime(2027, 1, 2, 4, tzinfo=dt.UTC)  # after the brand period


def fill(w, contacts: int, uses: int) -> None:
    programme = w.brand_programme
    MediaContact.plain.bulk_create(MediaContact(programme=programme, outlet=f"媒体{n}", level="national", person="记者",
                                                phone="13800001234", last_contact_on=dt.date(2026, 7, 1))
                                   for n in range(contacts))
    ChannelUse.plain.bulk_create(ChannelUse(programme=programme, outlet="媒体0", level="national", channel="website",
                                            used_on=dt.date(2026, 7, 2), title="t", url=f"https://m.example.cn/{n}",
                                            url_key=f"https://m.example.cn/{n}", evidence="brand/x.png",
                                            evidence_name="x.png", evidence_type="image/png")
                                 for n in range(uses))


def test_the_rulebook_holds_the_brand_numbers_for_the_centre():
    assert rules.spec("brand_media_contacts_min").default == 20
    assert rules.spec("brand_channel_uses_min").default == 100
    assert rules.spec("brand_channel_uses_min").audience == (rules.CENTER,)
    assert "brand_channel_uses_min" not in {s.key for s in rules.province_specs()}


def test_the_brand_rules_apply_to_the_brand_programme_only(brand_world):
    with scopes_disabled():
        brand = [i.rule for i in indicators_for(brand_world.brand_programme)]
        province = [i.rule for i in indicators_for(brand_world.zhejiang_programme)]
    assert [r for r in brand if r in {"R-501", "R-502", "R-504", "R-505"}] == ["R-501", "R-502", "R-504", "R-505"]
    assert not {"R-501", "R-502", "R-504", "R-505"} & set(province)


def test_r502_is_met_with_20_media_and_100_uses(brand_world):
    with scopes_disabled():
        fill(brand_world, 20, 100)
        indicator = indicator_for(brand_world.brand_programme, "R-502", now=BEFORE)
    assert (indicator.status, indicator.value, indicator.target) == (Status.MET, 100, 100)
    assert indicator.value_text == "媒体20家，渠道使用100次"


def test_r502_one_short_is_not_yet_due_then_failed_after_the_period(brand_world):
    with scopes_disabled():
        fill(brand_world, 20, 99)
        early = indicator_for(brand_world.brand_programme, "R-502", now=BEFORE)
        late = indicator_for(brand_world.brand_programme, "R-502", now=AFTER)
    assert early.status == Status.NOT_DUE and early.notes == ("还差1次渠道使用",)
    assert late.status == Status.FAILED


def test_r502_counts_media_not_people(brand_world):
    with scopes_disabled():
        fill(brand_world, 19, 100)
        MediaContact.plain.create(programme=brand_world.brand_programme, outlet="媒体0", level="national",
                                  person="另一位记者", email="a@b.cn", last_contact_on=dt.date(2026, 7, 1))
        indicator = indicator_for(brand_world.brand_programme, "R-502", now=BEFORE)
    assert indicator.status == Status.NOT_DUE and indicator.notes == ("还差1家媒体",)


def test_r501_is_met_once_the_plan_over_four_phases_is_approved(brand_world):
    w = brand_world
    with scopes_disabled():
        brand_plan_submit(programme=w.brand_programme, by=w.brand_staff, phases=plan_phases(w.brand_programme))
        waiting = indicator_for(w.brand_programme, "R-501", now=BEFORE)
        approval_approve(request=latest_of(KIND, thread(w.brand_programme.pk)), by=w.center_admin)
        approved = indicator_for(w.brand_programme, "R-501", now=BEFORE)
    assert waiting.status != Status.MET and waiting.notes == ("方案待中心审核",)
    assert (approved.status, approved.value, approved.target) == (Status.MET, 4, 4)


def test_the_brand_programme_page_shows_its_indicators(client, brand_world):
    with scopes_disabled():
        fill(brand_world, 3, 5)
    client.force_login(brand_world.brand_staff)
    page = client.get(f"/campaigns/programmes/{brand_world.brand_programme.pk}/").content.decode()
    assert 'data-rule="R-501"' in page and 'data-rule="R-502"' in page and "媒体3家，渠道使用5次" in page


def test_a_province_rulebook_page_does_not_list_the_brand_numbers(client, brand_world):
    client.force_login(brand_world.zhejiang_admin)
    page = client.get(f"/campaigns/programmes/{brand_world.zhejiang_programme.pk}/rulebook/").content.decode()
    assert "品牌项目联系媒体家数下限" not in page
    edit = client.get(f"/campaigns/programmes/{brand_world.zhejiang_programme.pk}/rulebook/edit/").content.decode()
    assert "brand_channel_uses_min" not in edit
