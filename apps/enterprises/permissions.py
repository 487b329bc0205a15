"""Who may read and register enterprises, and import and resolve little-giant lists.

- Registering and editing (R-106 属地): a member of the county office, or of a park or
  enterprise association of that county. An association registers its own county's
  enterprises only; a city, a province and the centre read.
- Reading: everyone in the enterprise's county chain (the county, the offices above it)
  and the county's associations.
- Little-giant lists: an admin of a province or of the centre imports them, against the
  enterprises of its own subtree, and resolves their rows.
"""

from __future__ import annotations

from apps.campaigns.models import Campaign
from apps.campaigns.permissions import can_view_campaign
from apps.core.errors import visible_or_404
from apps.enterprises.models import Enterprise, LittleGiantList, LittleGiantRow
from apps.orgs.acting import memberships_of
from apps.orgs.models import Org
from apps.orgs.permissions import is_admin_of, is_member_of


def _works_for_county(user, county: Org) -> bool:
    """A membership at the county itself or at one of its associations (not above it)."""
    for m in memberships_of(user):
        if m.org_id == county.pk or (m.org.kind in Org.ASSOCIATIONS and m.org.parent_id == county.pk):
            return True
    return False


def can_register_enterprise(user, county: Org) -> bool:
    return county.kind == Org.Kind.COUNTY and _works_for_county(user, county)


def registers_enterprises(user) -> bool:
    """Works for a county office or an association: may register somewhere (the county is checked apart)."""
    return any(m.org.kind == Org.Kind.COUNTY or m.org.kind in Org.ASSOCIATIONS for m in memberships_of(user))


def can_view_enterprise(user, enterprise: Enterprise) -> bool:
    return is_member_of(user, enterprise.county) or _works_for_county(user, enterprise.county)


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    return can_register_enterprise(user, enterprise.county)


def registering_counties(user, acting: Org | None) -> list[Org]:
    """The counties the person may register enterprises in while acting for `acting`:
    the county itself, or an association's own county; none for a city, province or the centre."""
    if acting is None:
        return []
    if acting.kind == Org.Kind.COUNTY:
        county = acting
    elif acting.kind in Org.ASSOCIATIONS:
        county = Org.plain.filter(pk=acting.parent_id).first()
    else:
        return []
    return [county] if county is not None and can_register_enterprise(user, county) else []


def access_campaign_registry(user, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return visible_or_404(campaign, lambda campaign: can_view_campaign(user, campaign))


def access_enterprise(user, pk: int) -> Enterprise:
    """The enterprise if the person may read it in the current scope, else the same 404 as for none."""
    enterprise = (Enterprise.objects.select_related("campaign", "county", "county__parent", "park")
                  .filter(pk=pk).first())
    return visible_or_404(enterprise, lambda enterprise: can_view_enterprise(user, enterprise))


def access_enterprise_for_edit(user, pk: int) -> Enterprise:
    return visible_or_404(access_enterprise(user, pk), lambda enterprise: can_edit_enterprise(user, enterprise))


# Little-giant lists -------------------------------------------------------------------------

LITTLE_GIANT_IMPORTERS = (Org.Kind.PROVINCE, Org.Kind.CENTER)


def can_import_little_giants(user, org: Org | None) -> bool:
    return org is not None and org.kind in LITTLE_GIANT_IMPORTERS and is_admin_of(user, org)


def can_manage_little_giant_list(user, lg_list: LittleGiantList) -> bool:
    return is_admin_of(user, lg_list.org)


def access_little_giant_list(user, pk: int) -> LittleGiantList:
    lg_list = LittleGiantList.objects.select_related("campaign", "org", "uploaded_by").filter(pk=pk).first()
    return visible_or_404(lg_list, lambda lg_list: can_manage_little_giant_list(user, lg_list))


def access_little_giant_row(user, pk: int) -> LittleGiantRow:
    row = (LittleGiantRow.objects.select_related("list", "list__org", "list__campaign", "enterprise")
           .filter(pk=pk).first())
    return visible_or_404(row, lambda row: can_manage_little_giant_list(user, row.list))
