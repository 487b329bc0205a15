"""Every page of a round names the rule that round carries out (its kinds-table row, apps/rounds/kinds.py), for
every kind of round: the presenter round says R-110 and the centre's story round R-506 on the review, voting and
selection pages too, where they once said R-108."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import campaign, configure  # noqa: F401 (fixtures)
from apps.rounds.kinds import KINDS, Kind
from apps.rounds.models import Round
from apps.rounds.services import round_for, round_transition
from apps.voting import services as voting

H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
RULE = re.compile(r'<span class="rule">(R-\d+)</span>')

# Pages of one round (by its pk), and pages of its poll (by the poll's pk), for each scored kind.
ROUND_PAGES = ["rounds:round_detail"]
SCORED_PAGES = ["review:round", "review:round_settings", "review:ranking", "review:meetings", "voting:round",
                "selection:composite", "selection:list", "selection:publicity"]
POLL_PAGES = ["voting:tally", "voting:anomalies", "voting:votes", "voting:invalidations"]


def _runner(campaign, kind: str):  # noqa: F811
    """(org, admin, programme) of the round of `kind` in the test campaign."""
    org = {Kind.COUNTY_SCREENING: "xihu", Kind.CITY_SELECTION: "hangzhou", Kind.PROVINCE_SELECTION: "zhejiang",
           Kind.PRESENTER_SELECTION: "zhejiang", Kind.NATIONAL_STORY: "center"}[kind]
    programme = campaign.brand_programme if kind == Kind.NATIONAL_STORY else campaign.zhejiang_programme
    return getattr(campaign, org), getattr(campaign, f"{org}_admin"), programme


@pytest.fixture
def rounds(campaign):  # noqa: F811
    """One open round of every kind; each scored one with a published poll."""
    made = {}
    now = timezone.now()
    with scopes_disabled():
        for kind in KINDS:
            org, admin, programme = _runner(campaign, kind)
            found = round_for(programme=programme, org=org, kind=kind)
            round_transition(round=found, to=Round.State.OPEN, by=None, check=False)
            found = Round.plain.select_related("org").get(pk=found.pk)
            poll = None
            if found.spec.scored:
                configure(found, methods=["review", "voting"], weights={"review": 70, "voting": 30})
                poll = voting.poll_save(round=found, by=admin, title=f"{org.name}网络投票", intro="",
                                        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=3),
                                        published=True)
            made[kind] = (found, poll, admin)
    return made


def _rules_in_heading(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    heading = H1.search(response.content.decode())
    assert heading, f"{url} has no <h1>"
    return RULE.findall(heading.group(1))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_page_of_a_round_names_its_kinds_rule(client, rounds, kind):
    round, poll, admin = rounds[kind]
    client.force_login(admin)
    expected = KINDS[kind].rule
    pages = [(name, round.pk) for name in ROUND_PAGES]
    if round.spec.scored:
        pages += [(name, round.pk) for name in SCORED_PAGES] + [(name, poll.pk) for name in POLL_PAGES]
    assert len(pages) == (13 if round.spec.scored else 1)
    for name, pk in pages:
        url = reverse(name, args=[pk])
        assert _rules_in_heading(client, url) == [expected], f"{kind}: {name}"


def test_a_round_without_scoring_has_no_scoring_pages(client, rounds):
    """The county's screening decides case by case: no review, vote or ranking of its own (404, not a page
    that shows another rule)."""
    round, _poll, admin = rounds[Kind.COUNTY_SCREENING]
    client.force_login(admin)
    for name in ("review:round", "voting:round", "selection:list"):
        assert client.get(reverse(name, args=[round.pk])).status_code == 404, name
