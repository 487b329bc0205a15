"""The kinds of round: everything the code knows about a round by its kind, in one table (ARCHITECTURE: one
round engine; the levels differ by data, not by code).

Each row says who runs a round of that kind, which round its sent list enters at the level above (and any
round of the same org it also feeds), the rule it carries out and the rulebook date its deadline defaults to,
whether it decides case by case (a county's screening) or makes a list, the scoring methods it may use, what
"send" is called there, and how its selection rules are built from the rulebook and the quota table.

Code asks this table (`kind_of(round)`), never `if round.kind == …`. A later kind of round is one more row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.campaigns import rules as rulebook
from apps.campaigns.models import Programme
from apps.campaigns.selectors import programme_quotas, province_cities
from apps.orgs.models import Org
from apps.rounds.rules import Count, Eligibility, PerGroup, Quota, Rule, Share


class Kind(models.TextChoices):
    COUNTY_SCREENING = "county_screening", gettext_lazy("区县筛查")
    CITY_SELECTION = "city_selection", gettext_lazy("市级遴选")
    PROVINCE_SELECTION = "province_selection", gettext_lazy("省级遴选")
    PRESENTER_SELECTION = "presenter_selection", gettext_lazy("宣讲案例遴选")
    NATIONAL_STORY = "national_story", gettext_lazy("全国故事集遴选")


# The scoring methods a scored round may combine (apps.review.config reads them from here).
METHODS = ("review", "live", "voting")
# Decisions a screening round takes on one entry (RoundEntry.Decision values).
SCREENING_DECISIONS = ("passed", "out", "returned")


class Inputs:
    """What a round's rules are built from, read once by whoever builds them (a lock, a proposal, a page): the
    round, its programme's rulebook values, and its quota table (read on first use: only a city's rules need it)."""

    def __init__(self, round, values: dict):
        self.round = round  # apps.rounds.models.Round (this module is imported by the model)
        self.values = values

    @cached_property
    def quotas(self) -> Sequence:
        return programme_quotas(self.round.programme, self.values)


@dataclass(frozen=True)
class Place:
    """Where an org that runs a kind of round sits: its kind and its depth in the tree (centre 0, province 1, city
    or a municipality's district 2, county of a city 3)."""

    org_kind: str
    depth: int


# The chain's places. A municipality (直辖市: 北京、天津、上海、重庆) has no city level (GB/T 2260): its districts sit
# where cities sit, and each runs both the county's screening and the city's selection. The shorter chain is these
# rows, not a branch in the services.
COUNTY_OF_CITY = Place(Org.Kind.COUNTY, 3)
DISTRICT = Place(Org.Kind.COUNTY, Org.CITY_DEPTH)
CITY = Place(Org.Kind.CITY, Org.CITY_DEPTH)
PROVINCE = Place(Org.Kind.PROVINCE, 1)
CENTRE = Place(Org.Kind.CENTER, 0)


@dataclass(frozen=True)
class RoundKind:
    kind: Kind
    run_by: tuple[Place, ...]  # the places of the orgs that run it
    rule: str  # the rule it carries out, shown beside its pages and to-dos
    feeds: Kind | None  # the round its sent list enters one level up (the centre's, for a province)
    also_feeds: Kind | None  # a round of the same org its sent list also enters (R-110's presenters)
    deadline_rule: str | None  # the rulebook date a new round takes as its deadline
    decisions: tuple[str, ...]  # decisions on single entries ((): the round makes a list instead)
    methods: tuple[str, ...]  # scoring methods allowed ((): not scored)
    send_label: Promise
    # "Send" where the org runs the round its list enters as well (a municipality's district passes its screened
    # cases into its own selection round); None: the same as send_label.
    send_label_own: Promise | None = None
    build_rules: Callable[[Inputs], list[Rule]] | None = None  # its selection rules (list rounds)
    target: Callable[[Inputs], int | None] | None = None  # the count a proposal aims at, if any
    feeds_centre: bool = False  # its list goes to the centre's round of the campaign's brand project

    @property
    def makes_list(self) -> bool:
        """Its list is put together, locked, publicly noticed (公示) and sent on the selection pages."""
        return not self.decisions

    @property
    def scored(self) -> bool:
        return bool(self.methods)

    @property
    def label(self) -> str:
        return str(self.kind.label)

    def rules(self, inputs: Inputs) -> list[Rule]:
        return self.build_rules(inputs) if self.build_rules else [_eligible()]


def _eligible() -> Eligibility:
    return Eligibility("R-107", _("只有通过下级筛查或遴选的案例可以列入名单"))


def _share(value: Decimal) -> str:
    return rulebook.spec("province_park_share_min").display(value)


def quota_line(round, quotas: Sequence):
    """The quota in force for the round's org (R-104) and its minimum list length (R-105), or None."""
    for line in quotas:
        if line.org_code == round.org.code:
            return line
    return None


def _city_rules(inputs: Inputs) -> list[Rule]:
    round, values = inputs.round, inputs.values
    per = values["city_per_enterprise_max"]
    out: list[Rule] = [_eligible(), PerGroup("R-108", "enterprise", per, _("同一企业最多推荐%(n)d件") % {"n": per})]
    line = quota_line(round, inputs.quotas)
    applies = values["surplus_applies_to"] in (rulebook.SURPLUS_CITY_TO_PROVINCE, rulebook.SURPLUS_BOTH)
    if line is not None and line.quota > 0:
        if applies:
            out.append(Count("R-105", ">=", line.min_list_length, _(
                "%(city)s名额%(q)d件，按差额比例%(ratio)s至少推荐%(n)d件") % {
                "city": round.org.name, "q": line.quota, "ratio": _share(values["surplus_ratio"]),
                "n": line.min_list_length}))
        else:
            out.append(Count("R-104", ">=", line.quota, _("%(city)s名额%(q)d件") % {
                "city": round.org.name, "q": line.quota}))
    return out


def _province_rules(inputs: Inputs) -> list[Rule]:
    most, park = inputs.values["province_max"], inputs.values["province_park_share_min"]
    return [_eligible(),
            Count("R-109", "<=", most, _("省级遴选案例不超过%(n)d件") % {"n": most}),
            Share("R-109", "channel", "park", float(park),
                  _("园区科协推荐的案例占比不低于%(share)s") % {"share": _share(park)})]


def _province_target(inputs: Inputs) -> int:
    """The province aims at its target count (R-103) within its maximum (R-109)."""
    return min(inputs.values["target"], inputs.values["province_max"])


def _presenter_rules(inputs: Inputs) -> list[Rule]:
    values = inputs.values
    n, per, park = values["presenters"], values["presenters_per_city_max"], values["presenters_park_share_min"]
    return [_eligible(),
            Count("R-110", "==", n, _("宣讲人%(n)d名") % {"n": n}),
            PerGroup("R-110", "city", per, _("每市宣讲人不超过%(n)d名") % {"n": per},
                     names=dict(province_cities(inputs.round.org).values_list("pk", "name"))),
            Share("R-110", "channel", "park", float(park),
                  _("园区科协推荐的宣讲案例占比不低于%(share)s") % {"share": _share(park)})]


def per_province_min(round) -> int:
    """The centre's optional minimum of stories per province (national story round; 0 = none)."""
    return int(((round.config or {}).get("selection") or {}).get("per_province_min") or 0)


def _story_rules(inputs: Inputs) -> list[Rule]:
    round = inputs.round
    stories = round.programme.campaign.stories  # the campaign's setting, which the centre edits
    out: list[Rule] = [_eligible(), Count("R-506", "==", stories, _("全国故事集收录%(n)d件") % {"n": stories})]
    least = per_province_min(round)
    if least:
        provinces = dict(Org.plain.filter(programmes__campaign=round.programme.campaign_id,
                                          programmes__kind=Programme.Kind.PROVINCE)
                         .order_by("code").values_list("pk", "name"))
        out.append(Quota("R-506", "province", ">=", {p: least for p in provinces},
                         _("每省至少收录%(n)d件") % {"n": least}, names=provinces))
    return out


KINDS: dict[str, RoundKind] = {row.kind.value: row for row in (
    RoundKind(Kind.COUNTY_SCREENING, run_by=(COUNTY_OF_CITY, DISTRICT), rule="R-107", feeds=Kind.CITY_SELECTION,
              also_feeds=None, deadline_rule="county_report_deadline", decisions=SCREENING_DECISIONS, methods=(),
              send_label=gettext_lazy("上报市级"), send_label_own=gettext_lazy("转入本区遴选")),
    RoundKind(Kind.CITY_SELECTION, run_by=(CITY, DISTRICT), rule="R-108", feeds=Kind.PROVINCE_SELECTION,
              also_feeds=None, deadline_rule="city_recommendation_deadline", decisions=(), methods=METHODS,
              send_label=gettext_lazy("推荐至省级"), build_rules=_city_rules),
    RoundKind(Kind.PROVINCE_SELECTION, run_by=(PROVINCE,), rule="R-109", feeds=Kind.NATIONAL_STORY,
              also_feeds=Kind.PRESENTER_SELECTION, deadline_rule="provincial_selection_deadline", decisions=(),
              methods=METHODS, send_label=gettext_lazy("报送中心"), build_rules=_province_rules,
              target=_province_target, feeds_centre=True),
    RoundKind(Kind.PRESENTER_SELECTION, run_by=(PROVINCE,), rule="R-110", feeds=None, also_feeds=None,
              deadline_rule=None, decisions=(), methods=METHODS, send_label=gettext_lazy("报送中心"),
              build_rules=_presenter_rules),
    RoundKind(Kind.NATIONAL_STORY, run_by=(CENTRE,), rule="R-506", feeds=None, also_feeds=None,
              deadline_rule=None, decisions=(), methods=METHODS, send_label=gettext_lazy("确定名单"),
              build_rules=_story_rules),
)}

# The kinds from the top of the tree down (the centre's round first): the levels the round list groups by.
TOP_DOWN = (Kind.NATIONAL_STORY, Kind.PROVINCE_SELECTION, Kind.PRESENTER_SELECTION, Kind.CITY_SELECTION,
            Kind.COUNTY_SCREENING)
LIST_KINDS = frozenset(k for k, row in KINDS.items() if row.makes_list)
SCORED_KINDS = frozenset(k for k, row in KINDS.items() if row.scored)
# The places of the orgs that run a scored round, and so keep an expert pool (专家库).
SCORING_PLACES = frozenset(place for row in KINDS.values() if row.scored for place in row.run_by)


def kind_of(round_or_kind) -> RoundKind:
    """The table's row of a round (or of a kind's value)."""
    return KINDS[getattr(round_or_kind, "kind", round_or_kind)]


def place_of(org: Org) -> Place:
    return Place(org.kind, org.depth)


def runs(org: Org, kind) -> bool:
    """Whether `org` runs rounds of `kind` (a kind, its value or a round)."""
    return place_of(org) in kind_of(kind).run_by


def kinds_run_by(org: Org) -> list[str]:
    """The kinds of round `org` runs, in the table's order (a municipality's district: screening, then selection)."""
    return [key for key, row in KINDS.items() if place_of(org) in row.run_by]


def keeps_pool(org: Org | None) -> bool:
    """An org that runs a scored round keeps an expert pool (专家库)."""
    return org is not None and place_of(org) in SCORING_PLACES


def runner_for(org: Org, kind) -> Org | None:
    """The org whose round of `kind` takes `org`'s sent list: `org` itself when it runs that kind too (a
    municipality's district screens and then selects), else the nearest org above it that does."""
    if runs(org, kind):
        return org
    above = Org.plain.filter(code__in=org.ancestor_codes()[:-1]).order_by("-depth")
    return next((o for o in above if runs(o, kind)), None)


def rule_of(round_or_kind) -> str:
    return kind_of(round_or_kind).rule
