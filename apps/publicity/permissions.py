"""Who may see and record publicity: an org's own people record its reports; the offices above read them; an org
below, a sibling or another province gets the same 404 as for nothing."""

from __future__ import annotations

from apps.core.errors import visible_or_404
from apps.events.permissions import holds_events
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of, works_at
from apps.publicity.models import MediaReport


def can_record(user, org: Org | None) -> bool:
    return holds_events(org) and works_at(user, org)


def can_view_report(user, report: MediaReport) -> bool:
    return is_member_of(user, report.org)


def access_report(user, pk: int) -> MediaReport:
    found = MediaReport.objects.select_related("org", "programme").filter(pk=pk).first()
    return visible_or_404(found, lambda r: can_view_report(user, r))
