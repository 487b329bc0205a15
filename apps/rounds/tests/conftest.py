"""Fixtures of the round tests: 西湖区's screening round with cases submitted by its associations."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.rounds.checklist import COUNTY_SCREENING
from apps.rounds.services import round_receive
from tests.factories import admin_of, make_case, make_enterprise

_serials = itertools.count(1)
# Common characters of case texts; random sequences of them share almost no 3-grams.
VOCAB = ("企业创新数字化平台生产线智能制造研发团队技术工艺改造质量效率成本节约市场客户服务管理组织流程协同数据"
         "模型算法设备系统产品材料能源绿色低碳安全检测标准专利成果转化合作高校人才培养机制激励项目投资规模效益")


def distinct_text(seed: int, length: int = 200) -> str:
    import random

    rng = random.Random(seed)
    return "".join(rng.choice(VOCAB) for _ in range(length))


def distinct_fields(seed: int) -> dict:
    """Case text of its own: no near-duplicate flags unless a test makes them."""
    names = ("abstract", "background", "practice", "innovation", "results", "insights")
    return {name: distinct_text(seed * 10 + i, 120 if name == "abstract" else 200) for i, name in enumerate(names)}


def new_enterprise(world, county, name=None):
    n = next(_serials)
    return make_enterprise(world.campaign, county, name=name or f"{county.name}测试企业{n}有限公司",
                           serial=f"TQT{n:06d}")


def submit(world, *, enterprise=None, recommender=None, county=None, submitted_on=None, **fields):
    """A case submitted (and received by its county's screening round) as the case form would do."""
    county = county or world.xihu
    enterprise = enterprise or new_enterprise(world, county)
    recommender = recommender or world.xihu_park
    year = world.campaign.year
    when = timezone.make_aware(dt.datetime.combine(submitted_on or dt.date(year, 8, 1), dt.time(10)))
    n = next(_serials)
    fields.setdefault("title", f"测试案例{n}")
    for name, text in distinct_fields(n).items():
        fields.setdefault(name, text)
    case = make_case(enterprise, recommender, status="submitted", version=1, submitted_at=when, **fields)
    return round_receive(case=case, by=None)


# Every check of the county's list confirmed, for tests about what passing does rather than about the
# checklist: the world's cases have no files, so passing them always has findings to confirm.
CONFIRMED = [check.id for check in COUNTY_SCREENING]


def complete_attachments(case) -> None:
    """Give a case the files the attachment check asks for (3 photos, video, slides, sealed form), as rows:
    the check counts them and reads no file."""
    from apps.cases.models import CaseAttachment

    Kind = CaseAttachment.Kind
    for n, kind in enumerate([Kind.PHOTO] * 3 + [Kind.VIDEO, Kind.SLIDES, Kind.RECOMMENDATION_FORM]):
        CaseAttachment.plain.create(case=case, kind=kind, file=f"cases/test/{case.pk}-{n}.bin", name=f"{kind}-{n}",
                                    content_type="application/octet-stream", size=1, sha256="0" * 64, position=n)


@pytest.fixture
def campaign(tree):
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
    return tree


@pytest.fixture
def xihu_staff(tree):
    with scopes_disabled():
        return admin_of(tree.xihu, "staff-330106", role=Membership.Role.STAFF)


@pytest.fixture
def xihu_entry(campaign):
    """One case of 西湖科技园科协, pending in 西湖区's open screening round."""
    with scopes_disabled():
        return submit(campaign)
