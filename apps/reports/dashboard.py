"""The dashboards (issue 19, item 4). Every number comes from the rule indicators (apps/campaigns/indicators.py) or
the ledger (apps/finance/figures.py), never from a second calculation.

- **A project's dashboard** (`project_view`): every rule with its target, value, status, deadline and evidence,
  measured now, and its spending against the plan. Measuring it also refreshes the project's row of the week
  (`IndicatorSnapshot`), so the centre sees what the project sees.
- **The centre's dashboard** (`national_view`): a heat map of every project × every rule (each cell links to its
  evidence), the national selection funnel (the provinces' funnels added up), trends by week (rules met, from the
  weekly rows; spending, from the ledger's dates) and spending by project. It reads the projects' rows of this week
  (a missing one is measured first; one older than `MAX_AGE` is shown while a background task measures it again),
  so the page is a fixed number of queries whatever the number of projects and rules (bench/dashboard.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as L
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from apps.campaigns.indicators import BEIJING, Indicator, Status, indicators_for
from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import own_programme
from apps.core.home import Section
from apps.finance import figures
from apps.finance.models import Expense
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of
from apps.reports.funnel import STAGES, funnel
from apps.reports.models import IndicatorSnapshot

MAX_AGE = dt.timedelta(minutes=10)
TREND_WEEKS = 12
STATUS_ORDER = (Status.MET, Status.NOT_DUE, Status.AT_RISK, Status.FAILED)


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def this_week() -> dt.date:
    return week_of(timezone.localtime(timezone.now(), BEIJING).date())


def _store(programme: Programme, indicators: list[Indicator]) -> IndicatorSnapshot:
    """The project's row of this week, written with what was just measured."""
    values = {"computed_at": timezone.now(), "indicators": [i.as_dict() for i in indicators],
              "funnel": [{"key": s.key, "label": s.label, "rule": s.rule, "value": s.value}
                         for s in funnel(indicators)],
              "met": sum(1 for i in indicators if i.status == Status.MET), "measured": len(indicators)}
    try:
        with transaction.atomic():
            row, _created = IndicatorSnapshot.plain.update_or_create(programme=programme, week=this_week(),
                                                                    defaults=values)
    except IntegrityError:  # written a moment ago by another request: ours is as fresh
        row = IndicatorSnapshot.plain.get(programme=programme, week=this_week())
    return row


def measure(programme: Programme) -> IndicatorSnapshot:
    return _store(programme, indicators_for(programme))


@dataclass(frozen=True)
class ProjectView:
    programme: Programme
    indicators: list[Indicator]
    execution: figures.Execution
    counts: dict[str, int]  # status → rules


def project_view(programme: Programme) -> ProjectView:
    indicators = indicators_for(programme)
    _store(programme, indicators)
    counts = {status: sum(1 for i in indicators if i.status == status) for status in Status.values}
    return ProjectView(programme, indicators, figures.execution(programme), counts)


@dataclass(frozen=True)
class Cell:
    rule: str
    title: str
    status: str
    status_label: str
    value_text: str
    url: str  # the first evidence, or "" where there is none


@dataclass(frozen=True)
class Row:
    programme: Programme
    name: str  # the province, or 品牌建设项目
    cells: list[Cell | None]  # one per rule of the view; None where the rule does not apply
    met: int
    of: int
    execution: figures.Execution
    computed_at: dt.datetime


@dataclass(frozen=True)
class NationalView:
    campaign: Campaign
    rules: list[tuple[str, str]]  # (R-id, title) in rule order
    rows: list[Row]
    funnel: list[tuple[str, int]]  # the provinces' funnels added up
    weeks: list[tuple[dt.date, int, int, Decimal]]  # (week, rules met, rules measured, spent in the week)
    budget: Decimal
    spent: Decimal

    @property
    def rate(self) -> Decimal | None:
        return figures.rate(self.spent, self.budget)


def _rows_for(programmes: list[Programme], refresh: bool) -> dict[int, IndicatorSnapshot]:
    """This week's row of every project: measured now where there is none (or on `refresh`); a row older than
    `MAX_AGE` is shown as it is while a background task measures it again, so the page never measures thirteen
    projects on its own path."""
    week = this_week()
    rows = {} if refresh else {r.programme_id: r for r in IndicatorSnapshot.plain.filter(programme__in=programmes,
                                                                                         week=week)}
    for programme in programmes:
        if programme.pk not in rows:
            rows[programme.pk] = measure(programme)
    stale = timezone.now() - MAX_AGE
    if any(row.computed_at < stale for row in rows.values()):
        refresh_later()
    return rows


def refresh_later() -> bool:
    """Queue the background measuring of the stale rows, unless it is queued already. True when it queued it."""
    backend = refresh_snapshots.get_backend()
    if backend.supports_defer and DBTaskResult.objects.filter(task_path=refresh_snapshots.module_path,
                                                              status="READY").exists():
        return False
    refresh_snapshots.enqueue()
    return True


@task()
def refresh_snapshots() -> int:
    """Measure again every project of the newest campaign whose row of the week is older than `MAX_AGE`."""
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None:
        return 0
    stale = timezone.now() - MAX_AGE
    fresh = set(IndicatorSnapshot.plain.filter(programme__campaign=campaign, week=this_week(), computed_at__gte=stale)
                .values_list("programme_id", flat=True))
    measured = 0
    for programme in Programme.plain.filter(campaign=campaign).exclude(pk__in=fresh).select_related("org", "campaign"):
        measure(programme)
        measured += 1
    return measured


def national_view(campaign: Campaign, *, refresh: bool = False) -> NationalView:
    programmes = list(Programme.plain.filter(campaign=campaign).select_related("org", "campaign")
                      .order_by("-kind", "org__code"))
    snapshots = _rows_for(programmes, refresh)
    rules: dict[str, str] = {}
    for row in snapshots.values():
        for i in row.indicators:
            rules.setdefault(i["rule"], i["title"])
    order = sorted(rules, key=lambda r: (int(r[2:]) // 100, int(r[2:])))
    runs = figures.executions(programmes)
    rows = []
    for programme in programmes:
        snapshot = snapshots[programme.pk]
        by_rule = {i["rule"]: i for i in snapshot.indicators}
        cells = [Cell(r, by_rule[r]["title"], by_rule[r]["status"], by_rule[r]["status_label"],
                      by_rule[r]["value_text"], (by_rule[r]["evidence"] or [{"url": ""}])[0]["url"])
                 if r in by_rule else None for r in order]
        present = [c for c in cells if c is not None]
        name = str(Programme.Kind.BRAND.label) if programme.kind == Programme.Kind.BRAND else programme.org.name
        rows.append(Row(programme, name, cells, sum(1 for c in present if c.status == Status.MET), len(present),
                        runs[programme.pk], snapshot.computed_at))
    stages = defaultdict(int)
    for programme in programmes:
        if programme.kind == Programme.Kind.PROVINCE:
            for stage in snapshots[programme.pk].funnel:
                stages[stage["key"]] += stage["value"]
    national_funnel = [(str(label), stages[key]) for key, label, _rule, _figure in STAGES]
    return NationalView(campaign, [(r, rules[r]) for r in order], rows, national_funnel,
                        _weeks(programmes), sum((p.budget for p in programmes), Decimal(0)),
                        sum((runs[p.pk].spent for p in programmes), Decimal(0)))


def _weeks(programmes: list[Programme]) -> list[tuple[dt.date, int, int, Decimal]]:
    """The last weeks: rules met and measured over every project (from the weekly rows), and spending in the week
    (from the ledger's dates)."""
    first = this_week() - dt.timedelta(weeks=TREND_WEEKS - 1)
    met: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for week, met_sum, measured_sum in (IndicatorSnapshot.plain.filter(programme__in=programmes, week__gte=first)
                                        .order_by().values("week").annotate(m=Sum("met"), n=Sum("measured"))
                                        .values_list("week", "m", "n")):
        met[week] = [met_sum, measured_sum]
    spent: dict[dt.date, Decimal] = {}
    for week, total in (Expense.plain.filter(programme__in=programmes, spent_on__gte=first).order_by()
                        .annotate(week=TruncWeek("spent_on")).values("week").annotate(total=Sum("amount"))
                        .values_list("week", "total")):
        key = week.date() if isinstance(week, dt.datetime) else week
        spent[key] = figures.fen(total)
    weeks = sorted(set(met) | set(spent))
    return [(w, met[w][0], met[w][1], spent.get(w, figures.ZERO)) for w in weeks]


STATUS_LABELS = {Status.MET: L("已达成"), Status.AT_RISK: L("有风险"), Status.FAILED: L("未达成"),
                 Status.NOT_DUE: L("未到期")}


def fresh_snapshot(programme: Programme) -> IndicatorSnapshot:
    """The project's row of this week, measured again when it is older than `MAX_AGE`."""
    row = IndicatorSnapshot.plain.filter(programme=programme, week=this_week()).first()
    if row is None or row.computed_at < timezone.now() - MAX_AGE:
        row = measure(programme)
    return row


def home_card(user, org):
    """A province's home page leads with its own dashboard: how many rules are met, at risk, failed, and the ones
    that need attention first, with its spending."""
    if org is None or org.kind != Org.Kind.PROVINCE or not is_member_of(user, org):
        return None
    programme = own_programme(org)
    if programme is None:
        return None
    row = fresh_snapshot(programme)
    counts = {status: sum(1 for i in row.indicators if i["status"] == status) for status in Status.values}
    urgent = sorted((i for i in row.indicators if i["status"] in (Status.FAILED, Status.AT_RISK)),
                    key=lambda i: (i["status"] != Status.FAILED, i["deadline"] or "9999"))[:5]
    return Section("reports/_home_card.html", {"programme": programme, "counts": counts, "urgent": urgent,
                                               "execution": figures.execution(programme)}, order=5)
