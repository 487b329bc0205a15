"""Selection rules as data (ARCHITECTURE: "rules are data"; issue 7): what a round's list must satisfy, each
rule with its R-id and a Chinese sentence, checked by one validator (apps.selection.validator) and obeyed by
one solver (apps.selection.solver). Pure data: no database here; apps.rounds.kinds builds a round's
rules from its rulebook and quota table, and its candidates from the round's entries.

Rule kinds:
- Count        the list holds ≤ / = / ≥ n cases (R-109 at most 100, R-110 ten presenters, R-103 target).
- Share        at least a share of the list has attribute = value (R-109, R-110: channel = park ≥ 30%).
- PerGroup     at most m cases per group (R-108 one per enterprise, R-110 two per city).
- Quota        per group a count against a table: = / ≤ / ≥ (R-104 city quotas at the province).
- Eligibility  only candidates that passed the rounds below (candidate.eligible).
R-105's surplus is a Count (≥ ceil((1 + ratio) × q)) on the list the rulebook names, built by the services.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, Union

Op = Literal["<=", "==", ">="]
GroupField = Literal["enterprise", "city", "province", "channel"]


@dataclass(frozen=True)
class Candidate:
    """A case that may be put on the list, with what the rules read of it."""

    id: int  # the case id
    score: float  # the composite score (apps.selection.composite), higher is better
    enterprise: int
    city: int | None = None  # org id of the case's city
    province: int | None = None  # org id of the case's province
    channel: str = "enterprise"  # "park" or "enterprise" (Case.Channel)
    eligible: bool = True  # passed the rounds below
    label: str = ""  # the case title, for messages

    def group(self, name: GroupField):
        return getattr(self, name)


@dataclass(frozen=True)
class Count:
    rule: str  # R-id
    op: Op
    n: int
    text: str  # the rule in a sentence, e.g. "省级遴选案例不超过100件"
    kind: str = field(default="count", init=False)


@dataclass(frozen=True)
class Share:
    rule: str
    attribute: GroupField  # e.g. "channel"
    value: str  # e.g. "park"
    minimum: float  # e.g. 0.30 of the list
    text: str
    kind: str = field(default="share", init=False)

    def needed(self, size: int) -> int:
        """Cases with the value a list of `size` needs: ceil(minimum × size), exact for decimal shares."""
        return math.ceil(round(self.minimum * size, 9))


@dataclass(frozen=True)
class PerGroup:
    rule: str
    attribute: GroupField  # e.g. "enterprise", "city"
    maximum: int
    text: str
    names: dict = field(default_factory=dict)  # group value → name, for messages
    kind: str = field(default="per_group", init=False)


@dataclass(frozen=True)
class Quota:
    rule: str
    attribute: GroupField  # e.g. "city"
    op: Op
    table: dict  # group value → n
    text: str
    names: dict = field(default_factory=dict)  # group value → name, for messages
    kind: str = field(default="quota", init=False)


@dataclass(frozen=True)
class Eligibility:
    rule: str
    text: str
    kind: str = field(default="eligibility", init=False)


Rule = Union[Count, Share, PerGroup, Quota, Eligibility]


@dataclass(frozen=True)
class Violation:
    """One broken rule: its R-id, a sentence with the numbers, needed vs have, and the cases involved."""

    rule: str
    kind: str
    message: str
    needed: int | float | None = None
    have: int | float | None = None
    cases: tuple[int, ...] = ()
    group: object = None  # the group a PerGroup or Quota violation is about
