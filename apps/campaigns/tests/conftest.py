"""Fixtures of the campaigns app: the 2026 campaign on the test tree, and a few more people."""

import pytest

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from tests.factories import admin_of


@pytest.fixture
def campaign_world(tree):
    """The tree plus the 2026 campaign: tree.campaign, tree.zhejiang_programme, tree.sichuan_programme,
    tree.brand_programme (the same builder the permission matrix uses)."""
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
    return tree


@pytest.fixture
def zhejiang_programme(campaign_world):
    return campaign_world.zhejiang_programme


@pytest.fixture
def zhejiang_staff(tree):
    """A staff member of 浙江省科协: reads the province's rules, does not edit them."""
    with scopes_disabled():
        return admin_of(tree.zhejiang, "staff-330000", role=Membership.Role.STAFF)
