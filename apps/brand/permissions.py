"""Who works on the brand project (R-501, R-502): the brand team, that is everyone with a membership (any role) at
the centre, the brand programme's own org. They read and keep the plan, the media contacts and the channel log;
the contacts' details (person, phone, e-mail) are theirs alone. A province, a city, anyone else gets the same 404 as
for nothing. The plan is decided in the approvals by the centre's people, never by the person who submitted it
(apps/approvals/permissions.py)."""

from __future__ import annotations

from apps.brand.models import ChannelUse, Deliverable, MediaContact, OverviewReport
from apps.campaigns.models import Programme
from apps.core.errors import visible_or_404
from apps.orgs.models import Org
from apps.orgs.permissions import works_at


def is_brand_team(user, programme: Programme) -> bool:
    return programme.kind == Programme.Kind.BRAND and works_at(user, programme.org)


def acts_for_brand(user, org: Org | None) -> bool:
    """The person acts for the centre and belongs to it: the nav link and the brand home page."""
    return org is not None and org.kind == Org.Kind.CENTER and works_at(user, org)


def brand_programme_of(org: Org | None) -> Programme | None:
    """The newest brand programme of the centre."""
    if org is None or org.kind != Org.Kind.CENTER:
        return None
    return (Programme.plain.filter(kind=Programme.Kind.BRAND, org=org).select_related("campaign", "org")
            .order_by("-campaign__year").first())


def access_brand_programme(user, pk) -> Programme:
    found = Programme.plain.filter(pk=pk).select_related("campaign", "org").first()
    return visible_or_404(found, lambda p: is_brand_team(user, p))


def access_contact(user, pk) -> MediaContact:
    found = MediaContact.objects.filter(pk=pk).select_related("programme", "programme__org").first()
    return visible_or_404(found, lambda c: is_brand_team(user, c.programme))


def access_use(user, pk) -> ChannelUse:
    found = ChannelUse.objects.filter(pk=pk).select_related("programme", "programme__org").first()
    return visible_or_404(found, lambda u: is_brand_team(user, u.programme))


def access_deliverable(user, pk) -> Deliverable:
    found = (Deliverable.objects.filter(pk=pk).select_related("programme", "programme__org", "programme__campaign")
             .first())
    return visible_or_404(found, lambda d: is_brand_team(user, d.programme))


def access_report(user, pk) -> OverviewReport:
    found = (OverviewReport.objects.filter(pk=pk).select_related("programme", "programme__org", "programme__campaign")
             .first())
    return visible_or_404(found, lambda r: is_brand_team(user, r.programme))
