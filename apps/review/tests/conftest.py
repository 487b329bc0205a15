"""Fixtures of the expert-review tests: 杭州市's city selection round, open, with cases from 西湖区 and 上城区,
and 杭州市's pool of six experts whose conflicts are known by construction.

The pool (`pool` fixture) against the four cases of `cases` (same-county conflicts on, the default):

| expert | industries | conflicted with |
|---|---|---|
| 周教授 zhou | C | – |
| 吴研究员 wu | I | – |
| 郑高工 zheng | C, I | both 西湖区 cases (lives in 西湖区, region 330106) |
| 王总工 wang | C | – |
| 冯主任 feng | I | the 西湖科技园科协 case (staff of that association: the recommendation chain) |
| 陈教授 chen | C, I | – |

cases[0] 西湖科技园科协 (C39), cases[1] 西湖区 enterprise association (I65), cases[2], cases[3] 上城数字经济园科协
(C39, I65). So cases[0] has exactly 4 experts without a conflict, cases[1] 5, the 上城区 cases 6.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.orgs.services import membership_add
from apps.review.config import parse_config
from apps.review.models import Assignment, Expert, PoolMember, ScoreSheet
from apps.review.services import review_assign
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for, round_transition
from apps.rounds.tests.conftest import new_enterprise, submit
from tests.factories import make_user

_phones = itertools.count(1)

# Default rubric (weight = maximum, 30/30/25/15): a sheet's total is the plain sum of its four scores.
RUBRIC_KEYS = ("innovation", "results", "demonstration", "typicality")


def scores(innovation, results, demonstration, typicality) -> dict:
    return dict(zip(RUBRIC_KEYS, (innovation, results, demonstration, typicality)))


def configure(round: Round, **data) -> Round:
    """Set the round's review settings directly (set-up; review_configure itself is tested on its own)."""
    base = parse_config(round.config["review"]) if (round.config or {}).get("review") else None
    config = parse_config(data, base=base)
    round.config = {**(round.config or {}), "review": config.as_json()}
    Round.plain.filter(pk=round.pk).update(config=round.config)
    return round


def make_expert(name: str, *, org=None, **fields) -> Expert:
    """An expert with an account (phone = log-in), in `org`'s pool when given."""
    n = next(_phones)
    user = make_user(f"expert-{n:04d}", name, f"1370000{n:04d}")
    expert = Expert.plain.create(user=user, name=name, **fields)
    if org is not None:
        PoolMember.plain.create(org=org, expert=expert)
    return expert


def add_case(world, round: Round, *, recommender, industry: str = "C39", **fields):
    """A case of `recommender`'s county, submitted, passed by the county and in `round`'s list."""
    county = recommender.parent  # associations sit directly under their county
    enterprise = new_enterprise(world, county)
    enterprise.industry_section, enterprise.industry_division = industry[:1], industry[1:]
    enterprise.save(update_fields=["industry_section", "industry_division"])
    entry = submit(world, enterprise=enterprise, recommender=recommender, county=county, **fields)
    RoundEntry.plain.filter(pk=entry.pk).update(decision=RoundEntry.Decision.PASSED)
    RoundEntry.plain.create(round=round, case=entry.case, source=entry, case_version=entry.case.version)
    return entry.case


def add_cases(world, round: Round, n: int) -> list:
    """n cases, cycling 西湖科技园科协 (C39), 西湖区 enterprise association (I65), 上城数字经济园科协 (C39, I65)."""
    plan = [(world.xihu_park, "C39"), (world.xihu_ent, "I65"), (world.shangcheng_park, "C39"),
            (world.shangcheng_park, "I65")]
    return [add_case(world, round, recommender=r, industry=i) for r, i in itertools.islice(itertools.cycle(plan), n)]


def assign(round: Round, case, expert, **fields) -> Assignment:
    return Assignment.plain.create(round=round, case=case, expert=expert, **fields)


def submitted_sheet(round: Round, case, expert, values: dict) -> ScoreSheet:
    """A submitted sheet written directly (set-up for rankings; sheet_save is tested on its own)."""
    assignment = assign(round, case, expert, state=Assignment.State.SUBMITTED)
    return ScoreSheet.plain.create(assignment=assignment, scores=values, state=ScoreSheet.State.SUBMITTED,
                                   total=sum(values.values()))


@pytest.fixture
def campaign(tree):
    """The test tree with the 2026 campaign (tree.campaign, tree.zhejiang_programme, …)."""
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
    return tree


@pytest.fixture
def city_round(campaign):
    """杭州市's city selection round, open; review settings: 3 experts per case, 1–4 cases per expert."""
    with scopes_disabled():
        found = round_for(programme=campaign.zhejiang_programme, org=campaign.hangzhou, kind=Round.Kind.CITY_SELECTION)
        round_transition(round=found, to=Round.State.OPEN, by=None, check=False)
        found = Round.plain.select_related("org").get(pk=found.pk)
        return configure(found, experts_per_case=3, min_load=1, max_load=4)


@pytest.fixture
def cases(campaign, city_round):
    with scopes_disabled():
        return add_cases(campaign, city_round, 4)


@pytest.fixture
def pool(campaign):
    """杭州市's pool (see the module docstring); pool.all lists the six experts."""
    hangzhou = campaign.hangzhou
    with scopes_disabled():
        p = SimpleNamespace(
            zhou=make_expert("周教授", org=hangzhou, employer="浙江大学", industries=["C"]),
            wu=make_expert("吴研究员", org=hangzhou, employer="浙江工业大学", industries=["I"]),
            zheng=make_expert("郑高工", org=hangzhou, employer="杭州市某研究院", industries=["C", "I"],
                              region_code="330106"),
            wang=make_expert("王总工", org=hangzhou, employer="杭州电子科技大学", industries=["C"]),
            feng=make_expert("冯主任", org=hangzhou, employer="西湖科技园", industries=["I"]),
            chen=make_expert("陈教授", org=hangzhou, employer="中国美术学院", industries=["C", "I"]),
        )
        membership_add(org=campaign.xihu_park, user=p.feng.user, role=Membership.Role.STAFF, by=None, check=False)
        p.all = [p.zhou, p.wu, p.zheng, p.wang, p.feng, p.chen]
    return p


@pytest.fixture
def assigned(campaign, city_round, cases, pool):
    """The round after the solver's assignment: with this pool it is unique (test_review_services names it)."""
    review_assign(round=city_round, by=campaign.hangzhou_admin)
    return city_round
