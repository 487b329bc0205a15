"""Reads of exhibits the pages, the API, the indicator and the demo share."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from apps.campaigns.models import Programme
from apps.campaigns.selectors import programme_of  # noqa: F401 (read here by the app's modules)
from apps.enterprises.models import Enterprise
from apps.exhibits.models import Exhibit
from apps.orgs.models import Org


def little_giants(programme: Programme, counties: list[Org]) -> QuerySet[Enterprise]:
    """The little-giant enterprises of the programme's campaign registry in these counties: those an exhibit may
    be proposed for."""
    return (Enterprise.plain.filter(campaign=programme.campaign_id, county__in=counties,
                                    little_giant_batch__isnull=False).order_by("name", "id"))


def state_counts(rows: QuerySet[Exhibit]) -> dict[str, int]:
    """{state: count} over `rows`, every state present (0 where none), in one query."""
    found = rows.aggregate(**{s: Count("pk", filter=Q(state=s)) for s in Exhibit.State.values})
    return {s: found[s] or 0 for s in Exhibit.State.values}
