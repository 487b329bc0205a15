"""Reads of the enterprise registry and little-giant lists, shared by the pages and the API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from apps.campaigns.models import Campaign
from apps.core import creditcode
from apps.core.scoping import subtree_q
from apps.enterprises.models import Enterprise, LittleGiantList, LittleGiantRow
from apps.orgs.models import Org

QUALIFICATIONS = ("high_tech", "specialised", "little_giant", "none")


def enterprises_in_scope(campaign: Campaign | None = None) -> QuerySet[Enterprise]:
    """The enterprises the current scope sees, with what a list row shows."""
    qs = Enterprise.objects.select_related("county", "park")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("name", "id")


def enterprise_search(campaign: Campaign, *, q: str = "", county: str = "", section: str = "",
                      qualification: str = "", little_giant: str = "") -> QuerySet[Enterprise]:
    """Filter the registry: name or credit code, county (org code), 门类, qualification, little-giant batch.

    `little_giant` is "" (any), "yes", "no" or a batch year."""
    qs = enterprises_in_scope(campaign)
    q = (q or "").strip()
    if q:
        code = creditcode.normalise(q)
        match = Q(name__icontains=q)
        if code:
            match |= Q(credit_code__startswith=code)
        qs = qs.filter(match)
    if county:
        qs = qs.filter(county__code=county)
    if section:
        qs = qs.filter(industry_section=section)
    if qualification == "high_tech":
        qs = qs.filter(is_high_tech=True)
    elif qualification == "specialised":
        qs = qs.filter(is_specialised=True)
    elif qualification == "little_giant":
        qs = qs.filter(little_giant_batch__isnull=False)
    elif qualification == "none":
        qs = qs.filter(is_high_tech=False, is_specialised=False, little_giant_batch__isnull=True)
    if little_giant == "yes":
        qs = qs.filter(little_giant_batch__isnull=False)
    elif little_giant == "no":
        qs = qs.filter(little_giant_batch__isnull=True)
    elif little_giant.isdigit():
        qs = qs.filter(little_giant_batch=int(little_giant))
    return qs


def registry_counties(campaign: Campaign) -> QuerySet[Org]:
    """Counties in scope that have at least one registered enterprise (for the county filter)."""
    ids = Enterprise.objects.filter(campaign=campaign).values("county_id")
    return Org.plain.filter(pk__in=ids).order_by("path")


def parks_of(counties: list[Org]) -> QuerySet[Org]:
    return Org.plain.filter(kind=Org.Kind.PARK, parent__in=counties, is_active=True).order_by("path")


# Little-giant lists ------------------------------------------------------------------------

def little_giant_lists(campaign: Campaign, org: Org) -> QuerySet[LittleGiantList]:
    """The lists imported by `org` and the orgs below it, with their rows counted by status."""
    open_statuses = list(LittleGiantRow.OPEN)
    return (LittleGiantList.objects.filter(subtree_q(org.path, "org__path"), campaign=campaign)
            .select_related("org", "uploaded_by")
            .annotate(total=Count("rows"),
                      matched=Count("rows", filter=Q(rows__status=LittleGiantRow.Status.MATCHED)),
                      resolved=Count("rows", filter=Q(rows__status=LittleGiantRow.Status.RESOLVED)),
                      open=Count("rows", filter=Q(rows__status__in=open_statuses)))
            .order_by("-created_at", "-id"))


def little_giant_rows(lg_list: LittleGiantList, *, status: str = "") -> QuerySet[LittleGiantRow]:
    qs = LittleGiantRow.objects.filter(list=lg_list).select_related("enterprise", "enterprise__county")
    if status == "open":
        qs = qs.filter(status__in=list(LittleGiantRow.OPEN))
    elif status in LittleGiantRow.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("row_number", "id")


def row_status_counts(lg_list: LittleGiantList) -> dict[str, int]:
    counts = dict(LittleGiantRow.objects.filter(list=lg_list).values_list("status").annotate(n=Count("id")))
    return {s: counts.get(s, 0) for s in LittleGiantRow.Status.values}


def candidates_by_row(rows: list[LittleGiantRow]) -> dict[int, list[Enterprise]]:
    """The candidate enterprises of each row, in one query for the whole page."""
    ids = {pk for row in rows for pk in row.candidates}
    found = {e.pk: e for e in Enterprise.objects.filter(pk__in=ids).select_related("county")} if ids else {}
    return {row.pk: [found[pk] for pk in row.candidates if pk in found] for row in rows}
