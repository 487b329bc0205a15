"""Who may see and work on presentation teams and events.

An event and a team are their org's: its own people plan and report them; the offices above read them (the
province its cities' events, the centre every event); an org below, a sibling or another province gets the same
404 as for nothing.
"""

from __future__ import annotations

from apps.core.errors import visible_or_404
from apps.events.models import Event, EventFile, Presenter
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of, works_at


# The orgs that form a team and hold events: a province, and an org in the city's role.
def holds_events(org: Org | None) -> bool:
    return org is not None and (org.kind == Org.Kind.PROVINCE or org.takes_city_role)


def can_view_event(user, event: Event) -> bool:
    return is_member_of(user, event.org)


def can_edit_event(user, event: Event) -> bool:
    return works_at(user, event.org)


def can_manage_team(user, org: Org) -> bool:
    return holds_events(org) and works_at(user, org)


def can_view_team(user, org: Org) -> bool:
    return holds_events(org) and is_member_of(user, org)


def access_event(user, pk: int) -> Event:
    found = Event.objects.select_related("org", "programme__campaign").filter(pk=pk).first()
    return visible_or_404(found, lambda e: can_view_event(user, e))


def access_event_file(user, pk: int) -> EventFile:
    found = EventFile.objects.select_related("event__org").filter(pk=pk).first()
    return visible_or_404(found, lambda f: can_view_event(user, f.event))


def access_presenter(user, pk: int) -> Presenter:
    found = Presenter.objects.select_related("org", "case", "programme").filter(pk=pk).first()
    return visible_or_404(found, lambda p: can_view_team(user, p.org))
