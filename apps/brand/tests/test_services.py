"""The brand project's records (R-502): media contacts and channel uses are checked at their fields, a refusal changes
nothing, a use is dated in the campaign's window (its year and the year before), an outlet and person are recorded
once, a link counts once however it is written, and nobody outside the
centre records anything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEntry
from apps.brand import services
from apps.brand.models import ChannelUse, MediaContact
from apps.brand.tests.conftest import add_contact, add_use, in_year
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_r502_a_contact_is_recorded_with_its_audit_row_but_not_its_details(brand_world):
    with scopes_disabled():
        contact = add_contact(brand_world, phone="010-6851 2345", email="li@kjrb.example.cn")
        entry = AuditEntry.plain.get(action="media_contact.add")
    assert (contact.outlet, contact.person, contact.phone) == ("科技日报", "李记者", "010-68512345")
    assert "6851" not in entry.data and "kjrb" not in entry.data


def test_r502_a_wrong_phone_and_email_are_refused_at_their_fields_and_nothing_is_recorded(brand_world):
    with scopes_disabled():
        errors = errors_of(lambda: add_contact(brand_world, phone="12345", email="li@", person=""))
        assert set(errors) == {"phone", "email", "person"}
        assert "11位" in errors["phone"][0]
        assert MediaContact.plain.count() == 0 and not AuditEntry.plain.filter(action__startswith="media_").exists()


def test_r502_a_contact_needs_a_phone_or_an_email(brand_world):
    with scopes_disabled():
        errors = errors_of(lambda: add_contact(brand_world, phone="", email=""))
    assert errors == {"phone": ["请至少填写电话或电子邮箱中的一项"]}


def test_r502_the_same_outlet_and_person_are_recorded_once(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
        errors = errors_of(lambda: add_contact(brand_world, outlet=" 科技日报 ", phone="13900001111"))
        add_contact(brand_world, person="王编辑")  # another person of the same outlet is welcome
        assert MediaContact.plain.count() == 2
    assert errors == {"person": ["科技日报的联系人李记者已登记，请修改已有记录"]}


def test_r502_a_later_contact_date_is_recorded(brand_world):
    with scopes_disabled():
        contact = add_contact(brand_world)
        services.media_contact_update(contact=contact, by=brand_world.center_admin, outlet="科技日报", level="national",
                                      person="李记者", phone="13800001234", email="", last_contact_on=in_year(
                                          brand_world, 8, 1))
        contact.refresh_from_db()
        entry = AuditEntry.plain.get(action="media_contact.update")
    assert (contact.email, contact.last_contact_on) == ("", in_year(brand_world, 8, 1))
    assert "email" in entry.data and "last_contact_on" in entry.data


def test_r502_a_use_is_logged_with_its_evidence(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
        use = add_use(brand_world)
        assert AuditEntry.plain.filter(action="channel_use.add").count() == 1
    assert (use.level, use.evidence_type) == ("national", "image/png")
    assert use.evidence.read(8) == b"\x89PNG\r\n\x1a\n"


def test_r502_a_use_counts_once_however_its_link_is_written(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
        add_use(brand_world, url="https://www.kjrb.example.cn/brand/1")
        errors = errors_of(lambda: add_use(brand_world, url="http://KJRB.example.cn/brand/1/?utm_source=wechat#top",
                                           title="另一次"))
        assert ChannelUse.plain.count() == 1
    assert list(errors) == ["url"]
    assert errors["url"][0].startswith("该链接已登记（") and errors["url"][0].endswith("同一次使用只计一次")


def test_r502_a_refused_use_stores_nothing(brand_world, settings):
    import os

    with scopes_disabled():
        add_contact(brand_world)
        before = sum(len(files) for _dir, _dirs, files in os.walk(settings.MEDIA_ROOT))
        errors = errors_of(lambda: add_use(brand_world, outlet="不在名录的媒体", url="ftp://x", channel="fax",
                                           used_on=dt.date(brand_world.campaign.year - 2, 12, 31), title=""))
        assert ChannelUse.plain.count() == 0 and not AuditEntry.plain.filter(action="channel_use.add").exists()
        after = sum(len(files) for _dir, _dirs, files in os.walk(settings.MEDIA_ROOT))
    assert set(errors) == {"outlet", "url", "channel", "used_on", "title"}
    assert "媒体联系人名录" in errors["outlet"][0] and f"{brand_world.campaign.year - 1}-01-01至" in errors["used_on"][0]
    assert after == before


def test_r502_evidence_must_be_a_screenshot_or_a_pdf(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
        errors = errors_of(lambda: add_use(brand_world, evidence=SimpleUploadedFile("a.txt", b"hello", "text/plain")))
    assert list(errors) == ["evidence"]


def test_a_province_records_nothing_in_the_brand_project(brand_world):
    with scopes_disabled(), pytest.raises(NotFound):
        add_contact(brand_world, by=brand_world.zhejiang_admin)


def test_a_use_logged_by_mistake_is_removed_with_a_reason(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
        use = add_use(brand_world)
        assert errors_of(lambda: services.channel_use_remove(use=use, by=brand_world.brand_staff, reason=" ")) == {
            "reason": ["请填写删除理由"]}
        services.channel_use_remove(use=use, by=brand_world.brand_staff, reason="链接填错")
        assert ChannelUse.plain.count() == 0
        assert AuditEntry.plain.filter(action="channel_use.remove").count() == 1
