"""Reads of teams and events that pages, services, indicators and the API share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.campaigns.models import Programme
from apps.campaigns.selectors import programme_of  # noqa: F401 (read here by the app's modules)
from apps.cases.models import Case
from apps.core.canonical import digest
from apps.events.models import Event, EventFile, EventPlan, Presenter
from apps.orgs.models import Org
from apps.rounds.kinds import Kind, runs
from apps.rounds.models import Round
from apps.selection.models import LockedList

# The list a team is formed from: a province's presenter list; a city's own list, for city events.
TEAM_KINDS = (Kind.PRESENTER_SELECTION, Kind.CITY_SELECTION)


def team_round(org: Org, programme: Programme) -> Round | None:
    kind = next((k for k in TEAM_KINDS if runs(org, k)), None)
    if kind is None:
        return None
    return Round.plain.filter(programme=programme, org=org, kind=kind).first()


def team_cases(org: Org, programme: Programme) -> list[Case]:
    """The cases a team's presenters may come from: those on the org's live locked list, in its order."""
    found = team_round(org, programme)
    locked = LockedList.plain.filter(round=found, withdrawn_at__isnull=True).first() if found else None
    if locked is None:
        return []
    cases = {c.pk: c for c in Case.plain.filter(pk__in=locked.case_ids).select_related("enterprise")}
    return [cases[i] for i in locked.case_ids if i in cases]


def team_of(org: Org, programme: Programme, *, active: bool = True) -> QuerySet[Presenter]:
    qs = Presenter.plain.filter(org=org, programme=programme).select_related("case", "replaced_by")
    return qs.filter(active=True) if active else qs


def events_for(org: Org) -> QuerySet[Event]:
    """The events the acting org reads: its own and those of the orgs below it (scoped)."""
    return Event.objects.select_related("org", "programme__campaign").order_by("-starts_at", "-id")


def plan_content(event: Event) -> dict:
    """The plan as it stands, in language-independent data (the fields, the presenters, the materials): what a
    version's digest covers, so that reading it in another language never makes an approved plan look changed."""
    files = EventFile.plain.filter(event=event, kind__in=EventFile.MATERIALS).order_by("kind", "id")
    presenters = event.presenters.select_related("case").order_by("pk") if event.pk else []
    return {
        "title": event.title, "mode": event.mode,
        "starts_at": timezone.localtime(event.starts_at).isoformat(),
        "ends_at": timezone.localtime(event.ends_at).isoformat(),
        "venue": event.venue, "in_tech_park": event.in_tech_park, "park_name": event.park_name,
        "schedule": event.schedule, "agenda": list(event.agenda), "guests": list(event.guests),
        "media": list(event.media),
        "presenters": [{"id": p.pk, "name": p.name, "case": p.case.title} for p in presenters],
        "files": [{"id": f.pk, "kind": f.kind, "name": f.name, "sha256": f.sha256} for f in files],
    }


def plan_snapshot(event: Event, content: dict | None = None) -> dict:
    """A version as frozen: the plan's content plus how the approver reads its form and time."""
    content = plan_content(event) if content is None else content
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    return {**content, "mode_label": str(event.get_mode_display()),
            "when": f"{date_format(start, 'Y年n月j日 H:i')}–{date_format(end, 'H:i')}"}


def plan_digest(event: Event) -> str:
    return digest(plan_content(event))


@dataclass(frozen=True)
class PlanState:
    """Where an event's plan stands with the centre, in words a person reads."""

    latest: EventPlan | None
    current: bool  # the latest version is the plan as it stands (nothing edited since it was sent)

    @property
    def approved(self) -> bool:
        return self.latest is not None and self.latest.status == EventPlan.Status.APPROVED and self.current

    @property
    def pending(self) -> bool:
        return self.latest is not None and self.latest.status == EventPlan.Status.PENDING

    @property
    def label(self) -> str:
        if self.latest is None:
            return _("未报送")
        if self.latest.status == EventPlan.Status.APPROVED and not self.current:
            return _("审核通过后有修改，需重新报送")
        return _("第%(n)d版%(status)s") % {"n": self.latest.number, "status": self.latest.get_status_display()}


def plan_state(event: Event) -> PlanState:
    latest = EventPlan.plain.filter(event=event).order_by("-number").first()
    return PlanState(latest=latest, current=latest is not None and latest.digest == plan_digest(event))


def provincial_events_held(programme: Programme) -> QuerySet[Event]:
    return Event.plain.filter(programme=programme, org=programme.org, state=Event.State.HELD)
