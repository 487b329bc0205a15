"""Who may propose, change, shortlist and read exhibits (R-307).

- Proposing: there are no enterprise accounts. The people who register enterprises propose on their behalf (R-106
  属地): a member of the county office, or of a park or enterprise association of that county, acting for it, for a
  little-giant enterprise of that county.
- Changing: the proposing org's own people, while the exhibit is only proposed.
- Shortlisting and declining: an admin of the province (at the province itself, not above it).
- Reading: the proposing org and every office above it; a sibling or another province gets the same 404 as for
  nothing.
"""

from __future__ import annotations

from apps.campaigns.permissions import is_admin_at
from apps.core.errors import visible_or_404
from apps.enterprises.models import Enterprise
from apps.enterprises.permissions import can_edit_enterprise, registering_counties
from apps.exhibits.models import Exhibit, ExhibitPhoto
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of, works_at


def proposing_counties(user, org: Org | None) -> list[Org]:
    """The counties whose enterprises the person may propose exhibits for while acting for `org`."""
    if org is None or not works_at(user, org):
        return []
    return registering_counties(user, org)


def can_propose(user, org: Org | None) -> bool:
    return bool(proposing_counties(user, org))


def can_propose_for(user, org: Org, enterprise: Enterprise) -> bool:
    return (enterprise.county_id in {c.pk for c in proposing_counties(user, org)}
            and can_edit_enterprise(user, enterprise))


def can_view_exhibit(user, exhibit: Exhibit) -> bool:
    return is_member_of(user, exhibit.org)


def can_edit_exhibit(user, exhibit: Exhibit) -> bool:
    return works_at(user, exhibit.org)


def can_decide_exhibit(user, exhibit: Exhibit) -> bool:
    """The province's admin shortlists (sends to the centre) or declines."""
    return is_admin_at(user, exhibit.programme.org) and exhibit.org.is_under(exhibit.programme.org)


def access_exhibit(user, pk: int) -> Exhibit:
    found = (Exhibit.objects.select_related("org", "enterprise", "programme", "programme__org", "declined_by")
             .filter(pk=pk).first())
    return visible_or_404(found, lambda e: can_view_exhibit(user, e))


def access_photo(user, exhibit_pk: int, photo_pk: int) -> ExhibitPhoto:
    exhibit = access_exhibit(user, exhibit_pk)
    return visible_or_404(ExhibitPhoto.plain.filter(pk=photo_pk, exhibit=exhibit).first(), lambda p: True)
