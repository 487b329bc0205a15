"""Fixtures of the brand project: the 2026 campaign on the test tree, with a brand-team member at the centre
(staff 周宁) beside the centre's admin, and helpers that record contacts and uses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.brand import services
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.cases.tests.attachment_world import png_bytes
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from tests.factories import admin_of


def shot(name: str = "截图.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size=(120, 80)), content_type="image/png")


def in_year(w, month: int = 7, day: int = 2) -> dt.date:
    return dt.date(w.campaign.year, month, day)


def add_contact(w, *, by=None, outlet="科技日报", person="李记者", level="national", phone="13800001234",
                email="li@kjrb.example.cn", last_contact_on=None):
    return services.media_contact_add(programme=w.brand_programme, by=by or w.brand_staff, outlet=outlet,
                                      level=level, person=person, phone=phone, email=email,
                                      last_contact_on=last_contact_on or in_year(w, 7, 1))


def add_use(w, *, by=None, outlet="科技日报", url="https://www.kjrb.example.cn/brand/1", used_on=None,
            title="企业典型创新案例征集活动启动", channel="newspaper", evidence=None):
    return services.channel_use_add(programme=w.brand_programme, by=by or w.brand_staff, outlet=outlet,
                                    channel=channel, used_on=used_on or in_year(w), title=title, url=url,
                                    evidence=shot() if evidence is None else evidence)


@pytest.fixture
def brand_world(campaign_world):  # noqa: F811
    w = campaign_world
    with scopes_disabled():
        w.brand_staff = admin_of(w.center, "brand-zhou", role=Membership.Role.STAFF)
    return w
