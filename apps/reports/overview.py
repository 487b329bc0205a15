"""The units below an office, one row each: what they collected and screened, where their list stands, the
next deadline and whether they are late (R-106…R-110). The home page of every administrative level leads with
this table; a late unit can be reminded (催办, apps.reports.services.unit_remind).

A few queries whatever the number of units: the units, case counts grouped by county, screening decisions
grouped by county, the units' rounds, their locked lists, and the last reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from apps.campaigns.models import Campaign
from apps.cases.models import Case
from apps.cases.permissions import VISIBLE_ABOVE
from apps.cases.selectors import current_campaign
from apps.core.home import Section
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of
from apps.reports.models import Reminder
from apps.rounds.kinds import KINDS
from apps.rounds.models import Round, RoundEntry
from apps.selection.models import LockedList
from apps.selection.services import publicity_state

# The round that shows a unit's progress: the first of these it runs that is not yet sent (a province's own
# list, then its presenter list).
PROGRESS_KINDS = tuple(KINDS)  # the kinds table's order: from the county's screening up
STATES = {
    "not_started": L("未开始"),
    "screening": L("筛查中"),
    "drafting": L("名单拟定中"),
    "locked": L("名单已锁定"),
    "publicity": L("公示中"),
    "publicity_over": L("公示期满，待上报"),
    "sent": L("已上报"),
}
REMIND_DAYS = 7
CHILD_KINDS = {
    Org.Kind.CENTER: (Org.Kind.PROVINCE,),
    Org.Kind.PROVINCE: Org.CITY_ROLE,  # its cities, or a municipality's districts (直辖市)
    Org.Kind.CITY: (Org.Kind.COUNTY,),
    Org.Kind.COUNTY: Org.ASSOCIATIONS,
}


@dataclass
class UnitRow:
    org: Org
    submitted: int = 0
    screened: int = 0
    passed: int = 0
    round: Round | None = None
    state: str = "not_started"
    deadline: dt.date | None = None
    overdue: bool = False
    due_soon: bool = False  # the deadline within REMIND_DAYS: a reminder is offered from then on
    last_reminder: dt.datetime | None = None

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def _child_path(path: str, depth: int) -> str:
    """The path of the unit (at `depth`) that a deeper path lies under."""
    return "/".join(path.split("/")[:depth + 1]) + "/"


def _state(round: Round | None, locked: LockedList | None, today: dt.date) -> str:
    if round is None or round.state == Round.State.DRAFT:
        return "not_started"
    if round.state == Round.State.SENT:
        return "sent"
    if round.state == Round.State.LOCKED:
        if locked is None:
            return "locked"
        return {"open": "publicity", "upcoming": "publicity", "over": "publicity_over"}.get(
            publicity_state(locked, today), "locked")
    return "drafting" if round.has_list else "screening"


def units_below(org: Org, campaign: Campaign | None, *, today: dt.date | None = None) -> list[UnitRow]:
    """One row per active unit directly below `org` (associations for a county), in code order."""
    today = today or timezone.localdate()
    kinds = CHILD_KINDS.get(org.kind)
    if not kinds or campaign is None:
        return []
    units = list(Org.objects.filter(parent=org, kind__in=kinds, is_active=True).order_by("code"))
    rows = {u.pk: UnitRow(org=u) for u in units}
    if not units:
        return []
    by_path = {u.path: rows[u.pk] for u in units}
    depth = org.depth + 1
    associations = org.kind == Org.Kind.COUNTY

    cases = Case.objects.filter(campaign=campaign, status__in=VISIBLE_ABOVE, county__path__startswith=org.path)
    entries = RoundEntry.objects.filter(round__programme__campaign=campaign, round__kind=Round.Kind.COUNTY_SCREENING,
                                        round__org__path__startswith=org.path,
                                        decision__in=(RoundEntry.Decision.PASSED, RoundEntry.Decision.OUT))
    if associations:
        for row in cases.values("recommender_id").annotate(n=Count("pk")).order_by():
            if row["recommender_id"] in rows:
                rows[row["recommender_id"]].submitted += row["n"]
        for row in entries.values("case__recommender_id", "decision").annotate(n=Count("pk")).order_by():
            target = rows.get(row["case__recommender_id"])
            if target is not None:
                target.screened += row["n"]
                target.passed += row["n"] if row["decision"] == RoundEntry.Decision.PASSED else 0
    else:
        for row in cases.values("county__path").annotate(n=Count("pk")).order_by():
            target = by_path.get(_child_path(row["county__path"], depth))
            if target is not None:
                target.submitted += row["n"]
        for row in entries.values("round__org__path", "decision").annotate(n=Count("pk")).order_by():
            target = by_path.get(_child_path(row["round__org__path"], depth))
            if target is not None:
                target.screened += row["n"]
                target.passed += row["n"] if row["decision"] == RoundEntry.Decision.PASSED else 0

        rounds: dict[int, list[Round]] = {}
        for r in Round.objects.filter(programme__campaign=campaign, org__in=units, kind__in=PROGRESS_KINDS):
            rounds.setdefault(r.org_id, []).append(r)
        order = {kind: n for n, kind in enumerate(PROGRESS_KINDS)}
        for org_id, own in rounds.items():
            own.sort(key=lambda r: order[r.kind])
            rows[org_id].round = next((r for r in own if r.state != Round.State.SENT), own[-1])
        shown = [row.round for row in rows.values() if row.round is not None]
        live = {ll.round_id: ll for ll in LockedList.objects.filter(round__in=shown, withdrawn_at__isnull=True)}
        for row in rows.values():
            row.state = _state(row.round, live.get(getattr(row.round, "pk", None)), today)
            row.deadline = row.round.deadline if row.round else None
            row.overdue = bool(row.deadline and row.deadline < today and row.state != "sent")
            row.due_soon = bool(row.deadline and row.state != "sent" and not row.overdue
                                and (row.deadline - today).days <= REMIND_DAYS)

    for row in Reminder.objects.filter(org__in=units).values("org_id").annotate(last=Max("sent_at")).order_by():
        rows[row["org_id"]].last_reminder = row["last"]
    return [rows[u.pk] for u in units]


def home_section(user, org) -> Section | None:
    """The home page's table of the units below, for the people of an administrative office."""
    if org is None or org.kind not in CHILD_KINDS or not is_member_of(user, org):
        return None
    campaign = current_campaign()
    rows = units_below(org, campaign)
    if not rows:
        return None
    late = sum(1 for r in rows if r.overdue)
    return Section("reports/_units.html", {
        "unit_rows": rows, "units_org": org, "units_late": late, "campaign": campaign,
        "units_title": _("下级单位进度") if org.kind != Org.Kind.COUNTY else _("园区和企业科协推荐情况"),
        "with_rounds": org.kind != Org.Kind.COUNTY,
    }, order=10)
