"""Fixtures of exhibits: the 2026 campaign on the test tree with enterprises of 西湖区 (a little giant and one that
is not), of 上城区 and of 武侯区 (little giants), and helpers that propose and decide."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.cases.tests.attachment_world import png_bytes
from apps.core.scoping import scopes_disabled
from apps.exhibits import services
from tests.factories import make_enterprise


def photo(name: str = "展品.png", size=(120, 90)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size=size), content_type="image/png")


FIELDS = {"name": "智能协作机械臂", "innovation": "七轴力控协作机械臂，关节模组自主研制。",
          "representative": "国产协作机器人核心部件突破的代表。", "interaction": "观众牵引机械臂示教，机械臂复现动作。",
          "length_cm": 120, "width_cm": 80, "height_cm": 160, "weight_kg": "85.5", "power": "220V，约800W"}


def propose(w, *, org=None, by=None, enterprise=None, photos=None, **fields):
    return services.exhibit_propose(org=org or w.xihu_park, by=by or w.xihu_park_admin,
                                    enterprise_id=(enterprise or w.giant).pk, **{**FIELDS, **fields},
                                    photos=[photo()] if photos is None else photos)


@pytest.fixture
def exhibit_world(campaign_world):  # noqa: F811
    w = campaign_world
    with scopes_disabled():
        w.giant = make_enterprise(w.campaign, w.xihu, name="杭州西湖智能装备有限公司", serial="MA2PBMEM2",
                                  little_giant_batch=2023)
        w.ordinary = make_enterprise(w.campaign, w.xihu, name="杭州西湖普通贸易有限公司", serial="MA2PBMEM3")
        w.shangcheng_giant = make_enterprise(w.campaign, w.shangcheng, name="杭州上城精密机械有限公司",
                                             serial="MA2PBMEM4", little_giant_batch=2022)
        w.wuhou_giant = make_enterprise(w.campaign, w.wuhou, name="成都武侯光电科技有限公司", serial="MA2PBMEM5",
                                        little_giant_batch=2024)
    return w
