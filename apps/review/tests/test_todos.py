"""Home-page to-dos of review: an expert's open sheets; a city round with cases and no experts assigned."""

import pytest
from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.review.models import Assignment
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_expert_without_an_org_sees_the_cases_to_score_on_the_home_page(client, world):
    client.login(username=world.expert_a_user.username, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "杭州市市级遴选：1件案例待评分" in page and reverse("review:my") in page
    assert "我的评审" in page  # the navigation link for experts


def test_a_submitted_sheet_leaves_the_experts_list_of_to_dos(client, world):
    with scopes_disabled():
        Assignment.plain.filter(expert=world.expert_a).update(state=Assignment.State.SUBMITTED)
    client.login(username=world.expert_a_user.username, password=PASSWORD)
    assert "待评分" not in client.get(reverse("home")).content.decode()


def test_the_city_is_told_when_its_round_has_cases_but_no_experts(client, world):
    with scopes_disabled():
        Assignment.plain.filter(round=world.hangzhou_round).delete()
    client.login(username=world.hangzhou_admin.username, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "市级遴选：1件案例尚未分配评审专家" in page


def test_an_expert_who_also_works_at_an_org_reads_their_to_do_without_a_rule_id(client, world):
    """Officials' to-dos carry their rule id (R-108 …); an expert's own to-do names the selection in words."""
    import re

    from apps.orgs.models import Membership
    from apps.orgs.services import membership_add

    with scopes_disabled():
        membership_add(org=world.ningbo, user=world.expert_a_user, role=Membership.Role.STAFF, by=None, check=False)
    client.login(username=world.expert_a_user.username, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    item = re.search(r"<li(?:\s[^>]*)?>(?:(?!</li>).)*杭州市市级遴选：1件案例待评分.*?</li>", page, re.S)
    assert item is not None and "宁波市" in page  # signed in at 宁波市, which shows rule ids beside its to-dos
    assert not re.search(r"R-\d{3}", item.group(0)), item.group(0)
