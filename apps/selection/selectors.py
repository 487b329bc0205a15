"""A round's selection problem as data: its rules (built by its kind's row of apps/rounds/kinds.py from the
rulebook and the quota table) and its candidates (the round's entries with their composite scores). One
machinery for every level: only the rules differ (R-104, R-105, R-108, R-109, R-110, R-506)."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.campaigns.selectors import rulebook_values
from apps.orgs.models import Org
from apps.rounds.kinds import Inputs, kind_of
from apps.rounds.models import Round, RoundEntry
from apps.rounds.rules import Candidate, Rule
from apps.selection.composite import Composite, composite_of
from apps.selection.models import ListPin, LockedList, Objection

OUT_OF_LIST = (RoundEntry.Decision.OUT, RoundEntry.Decision.RETURNED)


def rule_inputs(round: Round) -> Inputs:
    """What the round's rules are built from, read once: its rulebook values (and, when needed, its quota table)."""
    return Inputs(round, rulebook_values(round.programme))


def rules_for(round: Round, inputs: Inputs | None = None) -> list[Rule]:
    """The round's selection rules, as its kind builds them (apps/rounds/kinds.py)."""
    return kind_of(round).rules(inputs or rule_inputs(round))


def target_for(round: Round, inputs: Inputs | None = None) -> int | None:
    """The count a proposal for the round aims at (the province's target, R-103), else None."""
    spec = kind_of(round)
    return spec.target(inputs or rule_inputs(round)) if spec.target else None


def candidates_for(round: Round, composite: Composite | None = None) -> list[Candidate]:
    """Every entry of the round as a candidate, with its composite score (computed unless given); entries taken
    out of the list are candidates that are not eligible (the validator names them if someone lists them)."""
    scores = {row.case_id: row.total for row in (composite or composite_of(round)).rows}
    rows = (RoundEntry.plain.filter(round=round).order_by()
            .values_list("case_id", "decision", "case__enterprise_id", "case__channel", "case__title",
                         "case__county_id", "case__county__depth", "case__county__parent_id",
                         "case__county__parent__parent_id"))
    out = []
    for case, decision, enterprise, channel, title, county, depth, parent, grandparent in rows:
        # The case's city is the org that takes the city's role above its county: the county's city, or the
        # county itself when it is a municipality's district (直辖市), whose parent is then the province.
        city, province = (county, parent) if depth == Org.CITY_DEPTH else (parent, grandparent)
        out.append(Candidate(id=case, score=scores.get(case, 0.0), enterprise=enterprise, city=city,
                             province=province, channel=channel, eligible=decision not in OUT_OF_LIST, label=title))
    return out


@dataclass(frozen=True)
class Holds:
    """What people decided about a round's candidates that every proposal must respect: their pins (case id →
    ListPin) and the cases whose objection was upheld on any of the round's locks (case id → the objection)."""

    include: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)
    upheld: dict = field(default_factory=dict)

    @property
    def upheld_out(self) -> set[int]:
        """Upheld cases no one pinned back: kept off every proposal and every list (R-106)."""
        return set(self.upheld) - set(self.include)

    @property
    def kept_off(self) -> set[int]:
        return set(self.exclude) | self.upheld_out


def holds_for(round: Round) -> Holds:
    pins = {"include": {}, "exclude": {}}
    for pin in ListPin.plain.filter(round=round).select_related("pinned_by").order_by("pinned_at", "pk"):
        pins[pin.kind][pin.case_id] = pin
    upheld = {}
    for objection in (Objection.plain.filter(locked_list__round=round, outcome=Objection.Outcome.UPHELD)
                      .order_by("answered_at", "pk")):
        upheld[objection.case_id] = objection  # the latest answer speaks for the case
    return Holds(include=pins["include"], exclude=pins["exclude"], upheld=upheld)


def latest_locked(round: Round) -> LockedList | None:
    """The round's latest locked list, live or withdrawn (None before any lock)."""
    return LockedList.plain.filter(round=round).order_by("-number").first()


def notice_slug(round: Round) -> str | None:
    """The round's one public 公示 address (/gs/<slug>/): its first lock's slug (None before any lock)."""
    return LockedList.plain.filter(round=round).order_by("number").values_list("slug", flat=True).first()
