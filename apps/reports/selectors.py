"""Which projects' reports an org lists: the pages and the API read the same."""

from __future__ import annotations

from apps.campaigns.models import Programme
from apps.core.scoping import subtree_q
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of


def report_programmes(user, org: Org | None):
    """The centre every project (the brand project too), a province its own; a city, a county or an expert
    none."""
    if org is None or org.kind not in (Org.Kind.PROVINCE, Org.Kind.CENTER) or not is_member_of(user, org):
        return Programme.plain.none()
    if org.kind == Org.Kind.CENTER:
        return Programme.objects.filter(subtree_q(org.path, "org__path"))
    return Programme.objects.filter(org=org)
