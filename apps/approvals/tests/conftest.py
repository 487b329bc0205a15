"""Fixtures of the approvals tests: the 2026 campaign on the test tree (the campaigns tests' `campaign_world`), in
which 浙江省 (target 100; 杭州市 3 associations, 宁波市 2: computed split 60 / 40) sends manual quota tables (R-104)
to the centre, and a second person at the centre and at the province for the races."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from apps.approvals.tests.world import NINGBO_PARKS, NINGBO_PARKS_REASON, submit_table
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (a fixture)
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.orgs.services import membership_add
from tests.factories import make_user

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def pending_table(campaign_world):  # noqa: F811
    """浙江省's table 杭州市 55 / 宁波市 45 (「宁波市新增两个园区」), version 1, waiting for the centre."""
    with scopes_disabled():
        return submit_table(campaign_world, NINGBO_PARKS, NINGBO_PARKS_REASON)


@pytest.fixture
def centre_reviewer_zhou(campaign_world):  # noqa: F811
    """A second admin of the centre, who may decide as the centre's admin does."""
    with scopes_disabled():
        user = make_user("centre-reviewer-zhou", "周审核")
        membership_add(org=campaign_world.center, user=user, role=Membership.Role.ADMIN, by=None, check=False)
    return user


@pytest.fixture
def zhejiang_admin_wang(campaign_world):  # noqa: F811
    """A second admin of 浙江省科协 (only the province's admins set quotas), who may send its quota table too."""
    with scopes_disabled():
        user = make_user("zhejiang-admin-wang", "王敏")
        membership_add(org=campaign_world.zhejiang, user=user, role=Membership.Role.ADMIN, by=None, check=False)
    return user


@pytest.fixture
def beijing_clock(monkeypatch):
    """Set the clock: beijing_clock(2026, 3, 2, 1, 30) is 01:30 on 2 March in Beijing (17:30 on 1 March UTC)."""

    def set_to(*args):
        moment = dt.datetime(*args, tzinfo=BEIJING)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to
