"""The indicator of recommendation (R-106): enough cases recommended by the associations, through the county where
each enterprise is, for every city to draw up its 差额 list. Registered in CasesConfig.ready
(apps/campaigns/indicators.py)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.selectors import quota_table
from apps.cases.models import Case
from apps.core.scoping import subtree_q


def cases_recommended(m: Measuring) -> Indicator:
    """R-106: submitted cases, per city at least the city's minimum list length (R-104 quota × R-105 ratio), by the
    associations' submission deadline."""
    programme = m.programme
    table = quota_table(programme, m.values)
    rows = [r for r in table.rows() if r["min_list_length"] > 0]
    cases = Case.plain.filter(campaign=programme.campaign_id, status=Case.Status.SUBMITTED)
    counts = {}
    if rows:
        counts = cases.aggregate(**{f"c{r['city'].pk}": Count("pk", filter=subtree_q(r["city"].path, "county__path"))
                                    for r in rows})
    need = sum(r["min_list_length"] for r in rows)
    have = cases.filter(subtree_q(programme.org.path, "county__path")).count()
    short = [r["city"].name for r in rows if (counts.get(f"c{r['city'].pk}") or 0) < r["min_list_length"]]
    deadline = m.values["case_submission_deadline"]
    notes = (_("推荐案例数少于差额推荐所需的地区：%(cities)s") % {"cities": "、".join(short)},) if short else ()
    return Indicator(
        rule="R-106", title=_("园区和企业科协推荐案例数"), target=need, value=have,
        target_text=_("≥ %(n)d件，且各地不少于差额推荐所需") % {"n": need},
        value_text=_("%(n)d件") % {"n": have},
        status=m.status(bool(rows) and not short and have >= need, deadline), deadline=deadline,
        evidence=(Evidence(_("案例列表"), reverse("cases:list")),), notes=notes)


register("R-106", cases_recommended)
