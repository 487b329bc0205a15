"""Rule indicators: one measuring function per rule of a programme (ARCHITECTURE: rules as data, measured once).

Each rule's owning app registers the function that measures it (`register`, from its `AppConfig.ready`). A
function takes a `Measuring` (the programme, the Beijing date, the rulebook values read once) and answers an
`Indicator`: the target, the value now, a status, the deadline and the records that prove it. The programme
page, the API and every later dashboard or report read `indicators_for`, never a second calculation.

Status:
- met: the rule is satisfied now;
- failed: it cannot be satisfied any more (its deadline has passed unmet, or a list was locked breaking it);
- at risk: unmet, and its deadline is near (within `AT_RISK_DAYS`, or the rule's own warning window);
- not yet due: unmet, and there is still time.
Dates are Beijing dates (Asia/Shanghai): a deadline day counts until midnight in Beijing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.campaigns.selectors import rulebook_values

BEIJING = ZoneInfo("Asia/Shanghai")
AT_RISK_DAYS = 14  # an unmet rule turns "at risk" this many days before its deadline, unless it says otherwise


class Status(models.TextChoices):
    MET = "met", _("已达成")
    AT_RISK = "at_risk", _("有风险")
    FAILED = "failed", _("未达成")
    NOT_DUE = "not_due", _("未到期")


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str


@dataclass(frozen=True)
class Indicator:
    rule: str  # R-id
    title: str  # what is measured, in plain Chinese
    target: Any  # a number (int, or a share as Decimal/float), None where the rule states no number
    value: Any  # the same kind of number, measured now
    target_text: str  # how the target reads: "≥ 100件", "全部", "≤ 2名/市"
    value_text: str  # how the value reads: "45/60（75%）"
    status: str  # Status value
    deadline: dt.date | None
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()  # why, in a sentence or two: which cities are missing, which rule broke
    # Further counts the same function measured, by name, for the reports and the national funnel (R-107: the
    # cases that passed county screening; R-108: the cases on the cities' lists sent up).
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    def as_dict(self) -> dict:
        """The indicator as the API returns it (numbers as numbers or strings, dates as ISO)."""
        def number(x):
            return None if x is None else (x if isinstance(x, int) else str(x))
        return {"rule": self.rule, "title": str(self.title), "target": number(self.target),
                "value": number(self.value), "target_text": str(self.target_text),
                "value_text": str(self.value_text), "status": self.status, "status_label": self.status_label,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "evidence": [{"label": str(e.label), "url": e.url} for e in self.evidence],
                "notes": [str(n) for n in self.notes], "figures": dict(self.figures)}


@dataclass
class Measuring:
    """What every measuring function of one programme reads: read once, shared by all of them."""

    programme: Programme
    today: dt.date  # the Beijing date the indicators are measured on
    cache: dict = field(default_factory=dict)  # for measuring functions that share a read (keyed by their app)

    @cached_property
    def values(self) -> dict[str, Any]:
        """The programme's rulebook values (defaults where unset)."""
        return rulebook_values(self.programme)

    def status(self, met: bool, deadline: dt.date | None, *, broken: bool = False,
               warn_days: int = AT_RISK_DAYS) -> str:
        """The status of a rule that is `met` (or not) now with this deadline; `broken` when it was broken on
        record (a list locked over it) and so cannot be met whatever the date."""
        if broken:
            return Status.FAILED
        if met:
            return Status.MET
        if deadline is not None and self.today > deadline:
            return Status.FAILED
        if deadline is not None and self.today >= deadline - dt.timedelta(days=warn_days):
            return Status.AT_RISK
        return Status.NOT_DUE


Measure = Callable[[Measuring], Indicator]


@dataclass(frozen=True)
class Registration:
    rule: str
    kinds: tuple[str, ...]  # the Programme.Kind values it applies to
    measure: Measure


_registry: dict[str, Registration] = {}


def register(rule: str, measure: Measure, kinds: tuple[str, ...] = (Programme.Kind.PROVINCE,)) -> Measure:
    """Register the one function that measures `rule`; a second, different function for the same rule is a
    mistake and raises."""
    known = _registry.get(rule)
    if known is not None and known.measure is not measure:
        raise ValueError(f"{rule} is measured already by {known.measure.__module__}.{known.measure.__name__}")
    _registry[rule] = Registration(rule, tuple(kinds), measure)
    return measure


def registered_rules() -> list[str]:
    return sorted(_registry, key=_rule_order)


def _rule_order(rule: str) -> tuple[int, str]:
    number = rule.removeprefix("R-")
    return (int(number), rule) if number.isdigit() else (10**6, rule)


def beijing_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), BEIJING).date()


def indicators_for(programme: Programme, *, now: dt.datetime | None = None) -> list[Indicator]:
    """Every registered rule's indicator for `programme`, in rule order, measured at `now` (Beijing date)."""
    measuring = Measuring(programme=programme, today=beijing_today(now))
    chosen = [_registry[rule] for rule in registered_rules()]
    return [reg.measure(measuring) for reg in chosen if programme.kind in reg.kinds]


def indicator_for(programme: Programme, rule: str, *, now: dt.datetime | None = None) -> Indicator:
    """One rule's indicator (a dashboard cell, a report line)."""
    return _registry[rule].measure(Measuring(programme=programme, today=beijing_today(now)))


def share_text(have: int, of: int) -> str:
    """'45/60（75%）': a count out of a whole, with its percentage (— when the whole is 0)."""
    if not of:
        return f"{have}/0"
    pct = round(100 * have / of, 1)
    return f"{have}/{of}（{pct:g}%）"
