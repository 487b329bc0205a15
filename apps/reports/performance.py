"""The performance score of a project (绩效, R-403), on the indicator tree of DOMAIN.md:

- 预算执行率 10: 10 × the execution rate of the ledger (apps/finance/figures.py), at most 100 %;
- 产出指标 50, in three parts whose output indicators are the R-rule indicators of the project (the same functions as
  everywhere, apps/campaigns/indicators.py):
  - 数量 (quantity) 20, 质量 (quality) 20, 时效 (timeliness) 10, each split evenly over its rules that apply to the
    project's kind, to the hundredth (the shares sum to the part exactly: 20 over 12 rules is eight of 1.67 and four
    of 1.66);
  - a rule met scores its whole share; a quantity or quality rule not met scores its share × value ÷ target where
    both are numbers (at most the whole share), else nothing; a timeliness rule scores only when met;
- 效益指标 30 (社会效益 15, 可持续影响 15) and 满意度 10, entered by the project with their evidence.

Scores are Decimals to the hundredth; the total is rounded to one decimal and gives the grade: 优 ≥ 90, 良 80–89,
中 60–79, 差 < 60 (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as L

from apps.campaigns.indicators import Indicator, Status
from apps.campaigns.models import Programme
from apps.finance.figures import Execution

ONE = Decimal("0.1")
CENT = Decimal("0.01")
BUDGET_WEIGHT = Decimal(10)
# (key, label, weight, rules): the output part of the tree. A rule a programme's kind does not run is left out and
# its part split over the others.
OUTPUTS = (
    ("quantity", L("数量指标"), Decimal(20), ("R-103", "R-106", "R-202", "R-303", "R-304", "R-305", "R-307",
                                             "R-502", "R-503", "R-504", "R-505", "R-506")),
    ("quality", L("质量指标"), Decimal(20), ("R-101", "R-104", "R-105", "R-108", "R-109", "R-110", "R-203", "R-302",
                                            "R-306", "R-401", "R-402", "R-501")),
    ("timeliness", L("时效指标"), Decimal(10), ("R-102", "R-107", "R-204", "R-403")),
)
# The entered parts: (key, label, weight).
ENTERED = (
    ("social", L("社会效益"), Decimal(15)),
    ("sustained", L("可持续影响"), Decimal(15)),
    ("satisfaction", L("服务对象满意度"), Decimal(10)),
)
ENTERED_WEIGHTS = {key: weight for key, _label, weight in ENTERED}
GRADES = ((Decimal(90), L("优")), (Decimal(80), L("良")), (Decimal(60), L("中")), (Decimal(0), L("差")))


def tenth(value: Decimal) -> Decimal:
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


def hundredth(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def points(value: Decimal) -> str:
    """A score as it prints: 13, 6.67, 74.5."""
    return format(value.normalize(), "f")


def split(weight: Decimal, n: int) -> list[Decimal]:
    """`weight` in `n` shares to the hundredth that sum to it exactly (the first ones take the remainder)."""
    cents = int(weight * 100)
    base, extra = divmod(cents, n)
    return [Decimal(base + (1 if i < extra else 0)) / 100 for i in range(n)]


@dataclass(frozen=True)
class Row:
    part: str  # 预算执行率 / 数量指标 / … / 效益指标 / 满意度指标
    item: str  # the rule's title, or the entered item
    rule: str  # R-id, or "" for the others
    weight: Decimal
    score: Decimal
    basis: str  # how the score was reached, in words


@dataclass(frozen=True)
class Performance:
    rows: list[Row]

    @property
    def total(self) -> Decimal:
        return tenth(sum((r.score for r in self.rows), Decimal(0)))

    @property
    def grade(self) -> str:
        return grade_of(self.total)

    def part_total(self, part: str) -> Decimal:
        return sum((r.score for r in self.rows if r.part == part), Decimal(0))


def grade_of(total: Decimal) -> str:
    return next(str(label) for floor, label in GRADES if total >= floor)


def completion(indicator: Indicator, timeliness: bool) -> Decimal:
    """The share of a rule's points it earns (0 … 1)."""
    if indicator.status == Status.MET:
        return Decimal(1)
    if timeliness:
        return Decimal(0)
    target, value = indicator.target, indicator.value
    if isinstance(target, (int, Decimal)) and isinstance(value, (int, Decimal)) and not isinstance(target, bool) \
            and target > 0:
        return min(Decimal(value) / Decimal(target), Decimal(1))
    return Decimal(0)


def score(programme: Programme, indicators: list[Indicator], execution: Execution,
          entered: dict[str, dict]) -> Performance:
    """The project's score from its indicators, its ledger and the entered parts ({key: {"score": "12.5", …}})."""
    rows = []
    rate = execution.rate or Decimal(0)
    rows.append(Row(str(L("预算执行率")), str(L("预算执行率")), "R-401", BUDGET_WEIGHT,
                    hundredth(BUDGET_WEIGHT * min(rate, Decimal(100)) / 100),
                    str(L("执行率%(rate)s%%")) % {"rate": rate}))
    by_rule = {i.rule: i for i in indicators}
    for key, label, weight, rules in OUTPUTS:
        present = [by_rule[r] for r in rules if r in by_rule]
        if not present:
            continue
        for indicator, share in zip(present, split(weight, len(present))):
            done = completion(indicator, key == "timeliness")
            rows.append(Row(str(label), str(indicator.title), indicator.rule, share, hundredth(share * done),
                            f"{indicator.value_text}（{indicator.status_label}）"))
    for key, label, weight in ENTERED:
        value = entered.get(key, {})
        points = Decimal(str(value.get("score") or 0))
        part = str(L("满意度指标")) if key == "satisfaction" else str(L("效益指标"))
        rows.append(Row(part, str(label), "", weight, hundredth(min(points, weight)), value.get("evidence", "")))
    return Performance(rows)
