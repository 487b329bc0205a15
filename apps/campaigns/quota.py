"""Quota apportionment (R-103, R-104, R-105): pure functions, no database.

A province's target is split among its cities in proportion to the number of park +
enterprise associations under each city, by the largest-remainder (Hamilton) method:

1. each city's exact share is target × its associations / all associations (a Fraction);
2. each city first gets the floor of its share;
3. the seats left over (target − Σ floors) go one each to the cities with the largest
   remainders. Ties are broken by: larger remainder, then more associations, then the
   smaller region code. The order of the input never matters.

Option "guarantee 1 to every city with an association" (R-104 rulebook setting):
apportion as above; every city with ≥ 1 association that received 0 is given exactly 1
and set aside; the remaining seats (target − number set aside) are apportioned again
among the other cities, and this repeats until no city with an association is left at 0.
A city set aside keeps exactly 1. If the target is smaller than the number of cities
with associations, no split can give each of them 1: `ApportionmentError` says so.

Cities with no association get 0. The minimum length of a city's list (R-105) is
ceil((1 + surplus) × quota), computed exactly with Fractions (ceil(1.2 × 5) = 6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Sequence

from django.utils.translation import gettext as _


class ApportionmentError(ValueError):
    """The target cannot be split as asked; the message says why in Chinese."""


@dataclass(frozen=True)
class City:
    code: str
    name: str
    associations: int


@dataclass(frozen=True)
class QuotaLine:
    code: str
    name: str
    associations: int
    exact: Fraction  # the share the quota was apportioned from
    floor: int
    remainder: Fraction
    plus_one: bool  # received one of the remainder seats
    guaranteed: bool  # set aside with 1 seat by the guarantee option
    quota: int
    min_list_length: int

    @property
    def exact_decimal(self) -> Decimal:
        """The exact share to 4 places, for display only."""
        return (Decimal(self.exact.numerator) / Decimal(self.exact.denominator)).quantize(Decimal("0.0001"))

    @property
    def remainder_decimal(self) -> Decimal:
        return (Decimal(self.remainder.numerator) / Decimal(self.remainder.denominator)).quantize(Decimal("0.0001"))


def min_list_length(quota: int, surplus: Decimal | Fraction | str | int) -> int:
    """ceil((1 + surplus) × quota), exactly: a list for quota q holds at least this many cases (R-105)."""
    ratio = surplus if isinstance(surplus, Fraction) else Fraction(str(surplus))
    return math.ceil((1 + ratio) * quota)


def _hamilton(seats: int, cities: Sequence[City]) -> dict[str, tuple[Fraction, int, Fraction, bool, int]]:
    """{code: (exact, floor, remainder, plus_one, quota)} for `seats` among `cities` (all with > 0 associations)."""
    total = sum(c.associations for c in cities)
    if not cities or total == 0:
        return {}
    rows = {}
    for c in cities:
        exact = Fraction(seats * c.associations, total)
        floor = exact.numerator // exact.denominator
        rows[c.code] = [exact, floor, exact - floor, False, floor]
    left = seats - sum(r[1] for r in rows.values())
    order = sorted(cities, key=lambda c: (-rows[c.code][2], -c.associations, c.code))
    for c in order[:left]:
        rows[c.code][3] = True
        rows[c.code][4] += 1
    return {code: tuple(r) for code, r in rows.items()}


def apportion(target: int, cities: Iterable[City], *, guarantee_one: bool = False,
              surplus: Decimal | Fraction | str = Decimal("0.20")) -> list[QuotaLine]:
    """Split `target` among `cities` (see the module docstring). Lines come back sorted by code."""
    cities = sorted(cities, key=lambda c: c.code)
    codes = [c.code for c in cities]
    if len(set(codes)) != len(codes):
        raise ValueError("city codes must be unique")
    if target < 0:
        raise ApportionmentError(_("目标数不能为负数"))
    if any(c.associations < 0 for c in cities):
        raise ValueError("association counts must not be negative")
    with_assoc = [c for c in cities if c.associations > 0]
    if target > 0 and not with_assoc:
        raise ApportionmentError(_("本省各市尚无园区科协或企业科协，无法按比例分配名额，请先导入组织架构"))
    if guarantee_one and target < len(with_assoc):
        raise ApportionmentError(
            _("目标数%(target)s小于有科协的市的数量%(n)s，无法保证每市至少1个名额；请提高目标数或取消“至少1个名额”的设置")
            % {"target": target, "n": len(with_assoc)})

    guaranteed: set[str] = set()
    while True:
        rest = [c for c in with_assoc if c.code not in guaranteed]
        result = _hamilton(target - len(guaranteed), rest)
        newly = {code for code, r in result.items() if r[4] == 0} if guarantee_one else set()
        if not newly:
            break
        guaranteed |= newly

    total = sum(c.associations for c in with_assoc)
    lines = []
    for c in cities:
        if c.code in guaranteed:
            exact = Fraction(target * c.associations, total)
            floor = exact.numerator // exact.denominator
            line = (exact, floor, exact - floor, False, 1)
        elif c.code in result:
            line = result[c.code]
        else:
            line = (Fraction(0), 0, Fraction(0), False, 0)
        exact, floor, remainder, plus_one, quota = line
        lines.append(QuotaLine(
            code=c.code, name=c.name, associations=c.associations, exact=exact, floor=floor,
            remainder=remainder, plus_one=plus_one, guaranteed=c.code in guaranteed, quota=quota,
            min_list_length=min_list_length(quota, surplus),
        ))
    return lines
