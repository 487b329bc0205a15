"""The ledger's figures (R-401): planned, spent, balance and execution rate per line and in total, and spending by
month. Every figure of the ledger's page, its Excel statement, the R-401 indicator, the monthly reports and the
dashboard comes from here, in Decimal yuan (never a float)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from apps.campaigns.models import Programme
from apps.finance.lines import label_of
from apps.finance.models import Budget, BudgetLine, Expense

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def fen(value) -> Decimal:
    """A sum from the database to the fen. PostgreSQL sums NUMERIC exactly; SQLite, which has no decimal type, sums
    in binary floating point, exact to far below a fen for any ledger's totals, and rounding to the fen restores the
    exact figure."""
    return Decimal(value or 0).quantize(CENT)


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """A share in per cent with one decimal (None when nothing is planned)."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class LineFigures:
    code: str
    planned: Decimal
    spent: Decimal

    @property
    def label(self) -> str:
        return label_of(self.code)

    @property
    def balance(self) -> Decimal:
        return self.planned - self.spent

    @property
    def rate(self) -> Decimal | None:
        return rate(self.spent, self.planned)


@dataclass(frozen=True)
class Execution:
    programme_budget: Decimal
    budget: Budget | None  # the version in force
    lines: list[LineFigures]
    months: list[tuple[str, dict[str, Decimal], Decimal]]  # ("2026-07", {code: spent}, month total)

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.planned - self.spent

    @property
    def rate(self) -> Decimal | None:
        return rate(self.spent, self.programme_budget)


def in_force(programme_id: int) -> Budget | None:
    return Budget.plain.filter(programme_id=programme_id, status=Budget.Status.IN_FORCE).first()


def planned_by_line(budget: Budget | None) -> dict[str, Decimal]:
    if budget is None:
        return {}
    return dict(BudgetLine.plain.filter(budget=budget).values_list("code", "amount"))


def spent_by_line(programme_id: int, until=None) -> dict[str, Decimal]:
    """What each line spent, reversals netted out (optionally up to a date)."""
    rows = Expense.plain.filter(programme_id=programme_id)
    if until is not None:
        rows = rows.filter(spent_on__lte=until)
    return {code: fen(total) for code, total in rows.order_by().values("line").annotate(total=Sum("amount"))
            .values_list("line", "total")}


def execution(programme: Programme, until=None) -> Execution:
    """The ledger of one project in four queries."""
    budget = in_force(programme.pk)
    planned = planned_by_line(budget)
    spent = spent_by_line(programme.pk, until)
    codes = sorted(set(planned) | set(spent))
    lines = [LineFigures(code, planned.get(code, ZERO), spent.get(code, ZERO)) for code in codes]
    by_month: dict[str, dict[str, Decimal]] = defaultdict(dict)
    rows = Expense.plain.filter(programme=programme)
    if until is not None:
        rows = rows.filter(spent_on__lte=until)
    for month, code, total in (rows.order_by().annotate(month=TruncMonth("spent_on")).values("month", "line")
                               .annotate(total=Sum("amount")).values_list("month", "line", "total")):
        by_month[month.strftime("%Y-%m")][code] = fen(total)
    months = [(key, by_month[key], sum(by_month[key].values(), ZERO)) for key in sorted(by_month)]
    return Execution(programme.budget, budget, lines, months)


def executions(programmes: list[Programme]) -> dict[int, Execution]:
    """Several projects' ledgers (the centre's view) in three queries, whatever their number. No months."""
    ids = [p.pk for p in programmes]
    budgets = {b.programme_id: b for b in Budget.plain.filter(programme_id__in=ids, status=Budget.Status.IN_FORCE)}
    planned: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for programme_id, code, amount in (BudgetLine.plain.filter(budget__in=budgets.values())
                                       .values_list("budget__programme_id", "code", "amount")):
        planned[programme_id][code] = amount
    spent: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for programme_id, code, total in (Expense.plain.filter(programme_id__in=ids).order_by()
                                      .values("programme_id", "line").annotate(total=Sum("amount"))
                                      .values_list("programme_id", "line", "total")):
        spent[programme_id][code] = fen(total)
    result = {}
    for p in programmes:
        codes = sorted(set(planned[p.pk]) | set(spent[p.pk]))
        lines = [LineFigures(c, planned[p.pk].get(c, ZERO), spent[p.pk].get(c, ZERO)) for c in codes]
        result[p.pk] = Execution(p.budget, budgets.get(p.pk), lines, [])
    return result
