"""Which ledgers a person reads: the ledger home page and the API list the same projects."""

from __future__ import annotations

from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import own_programme
from apps.finance import permissions
from apps.orgs.models import Org


def ledgers_of(user, org: Org | None) -> list[Programme]:
    """A province its own project; the centre every project of the newest campaign (the brand project first);
    anyone else none."""
    if org is not None and org.kind == Org.Kind.CENTER:
        campaign = Campaign.plain.order_by("-year").first()
        rows = list(Programme.plain.filter(campaign=campaign).select_related("org", "campaign")
                    .order_by("-kind", "org__code")) if campaign else []
    else:
        own = own_programme(org)
        rows = [own] if own is not None else []
    return [p for p in rows if permissions.can_read_ledger(user, p)]
