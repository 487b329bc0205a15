"""Reads of campaigns, programmes, rulebooks and quotas that pages, services and the API share."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from apps.approvals.models import ApprovalRequest
from apps.approvals.selectors import latest_of
from apps.campaigns import rules
from apps.campaigns.models import Campaign, Programme, QuotaPlan, QuotaRow, Rulebook, WorkRules
from apps.campaigns.quota import ApportionmentError, City, QuotaLine, apportion, min_list_length
from apps.core.scoping import ancestor_paths, subtree_q
from apps.orgs.models import Org


def campaigns_visible() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-year")


def programme_of(org: Org) -> Programme | None:
    """The newest province programme the org works in (its own province's): the one its events, publicity records
    and exhibits belong to."""
    return (Programme.plain.filter(kind=Programme.Kind.PROVINCE, org__path__in=ancestor_paths(org.path))
            .select_related("campaign", "org").order_by("-campaign__year").first())


def own_programme(org: Org | None) -> Programme | None:
    """The programme an org acts for as a project: a province's own, or the centre's brand programme (its topic-page
    items and deliverables, its ledger, its monthly reports)."""
    if org is None or org.kind not in (Org.Kind.PROVINCE, Org.Kind.CENTER):
        return None
    kind = Programme.Kind.PROVINCE if org.kind == Org.Kind.PROVINCE else Programme.Kind.BRAND
    return (Programme.plain.filter(org=org, kind=kind).select_related("campaign", "org")
            .order_by("-campaign__year").first())


def programmes_of(campaign: Campaign) -> QuerySet[Programme]:
    """The campaign's programmes the current scope may see: the brand project first, then provinces by code."""
    return (Programme.objects.filter(campaign=campaign).select_related("org")
            .order_by("-kind", "org__code"))


@dataclass(frozen=True)
class Funding:
    """The campaign's money at a glance (R-401): each kind's programmes, their total and the grand total, summed
    from the programmes' own budgets."""

    provinces: int
    province_total: Decimal
    brand_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.province_total + self.brand_total


def funding_of(campaign: Campaign) -> Funding:
    rows = {row["kind"]: row for row in Programme.plain.filter(campaign=campaign).order_by()
            .values("kind").annotate(n=Count("pk"), total=Sum("budget"))}
    province, brand = rows.get(Programme.Kind.PROVINCE, {}), rows.get(Programme.Kind.BRAND, {})
    return Funding(provinces=province.get("n", 0), province_total=province.get("total") or Decimal(0),
                   brand_total=brand.get("total") or Decimal(0))


# -- rulebook -----------------------------------------------------------------------------

def campaign_bounds(campaign: Campaign) -> dict[str, dict[str, Any]]:
    return rules.load_bounds(campaign.rule_bounds or {}, campaign.year)


def rulebook_of(programme: Programme) -> Rulebook:
    """The province programme's rulebook (campaign_create makes it; a programme made otherwise gets defaults)."""
    rulebook, _created = Rulebook.plain.get_or_create(
        programme=programme, defaults={"values": rules.default_values(programme.campaign.year)})
    return rulebook


def work_rules_of(programme: Programme) -> WorkRules:
    work_rules, _created = WorkRules.plain.get_or_create(programme=programme)
    return work_rules


def rulebook_values(programme: Programme) -> dict[str, Any]:
    """Every rule parameter of a province programme as a Python value (defaults where unset)."""
    rulebook = Rulebook.plain.filter(programme=programme).first()
    return rules.load_values(rulebook.values if rulebook else {}, programme.campaign.year)


def rulebook_rows(programme: Programme) -> list[rules.RuleRow]:
    """One row per parameter: value, the centre's bound and, where the value breaks it, why."""
    values = rulebook_values(programme)
    bounds = campaign_bounds(programme.campaign)
    breaches = {b.key: b.message for b in rules.bound_breaches(values, bounds)}
    return [
        rules.RuleRow(spec=s, value=values[s.key],
                      bound=bounds.get(s.key, {}).get(s.bound) if s.bound else None,
                      breach=breaches.get(s.key, ""))
        for s in rules.province_specs()
    ]


# -- quotas -------------------------------------------------------------------------------

def province_cities(province: Org) -> QuerySet[Org]:
    """The orgs that take the city's role in a province: its active cities, or a municipality's (直辖市) districts.
    Quotas are apportioned among them (R-104), each draws up a list (R-105, R-108), and presenters are counted per
    each (R-110). Structural: the same list for every reader in the province."""
    return Org.plain.filter(parent=province, kind__in=Org.CITY_ROLE, is_active=True).order_by("code")


def association_counts(province: Org, cities: list[Org] | None = None) -> dict[int, int]:
    """{city id: active park + enterprise associations under it}, in one query for the whole province.

    A structural count (Org.plain, not the scoped manager): a county reading its province's
    quota page must see the same numbers as the province, although it may not list the
    associations of other cities.
    """
    cities = list(province_cities(province)) if cities is None else cities
    if not cities:
        return {}
    counts = (Org.plain.filter(subtree_q(province.path), kind__in=Org.ASSOCIATIONS, is_active=True)
              .aggregate(**{f"c{c.pk}": Count("pk", filter=subtree_q(c.path)) for c in cities}))
    return {c.pk: counts[f"c{c.pk}"] or 0 for c in cities}


@dataclass
class QuotaTable:
    """What the quota page shows: the computed split, and the manual table when one is in force."""

    programme: Programme
    target: int
    surplus: Any
    guarantee_one: bool
    cities: list[Org]
    counts: dict[int, int]
    computed: list[QuotaLine] = field(default_factory=list)
    error: str = ""
    plan: QuotaPlan | None = None
    manual: dict[int, int] = field(default_factory=dict)  # {city id: quota} of the plan in force

    @property
    def is_manual(self) -> bool:
        return self.plan is not None

    @property
    def surplus_display(self) -> str:
        return rules.spec("surplus_ratio").display(self.surplus)

    @property
    def total_associations(self) -> int:
        return sum(self.counts.values())

    @property
    def computed_total(self) -> int:
        return sum(line.quota for line in self.computed)

    def rows(self) -> list[dict]:
        """Per city: the maths of the computed split, and the quota in force with its minimum list length."""
        by_code = {line.code: line for line in self.computed}
        out = []
        for city in self.cities:
            line = by_code.get(city.code)
            quota = self.manual.get(city.pk, 0) if self.is_manual else (line.quota if line else 0)
            out.append({
                "city": city, "associations": self.counts.get(city.pk, 0), "line": line,
                "quota": quota, "min_list_length": min_list_length(quota, self.surplus),
            })
        return out

    @property
    def total_quota(self) -> int:
        return sum(r["quota"] for r in self.rows())

    @property
    def total_min_list_length(self) -> int:
        return sum(r["min_list_length"] for r in self.rows())


def quota_approval(programme: Programme) -> ApprovalRequest | None:
    """The latest manual quota table sent to the centre (pending, returned, approved …), None if none ever was."""
    return latest_of(QuotaPlan.APPROVAL_KIND, f"programme:{programme.pk}")


def in_force_plan(programme: Programme) -> QuotaPlan | None:
    return QuotaPlan.plain.filter(programme=programme, status=QuotaPlan.Status.IN_FORCE).first()


def quota_table(programme: Programme, values: dict[str, Any] | None = None) -> QuotaTable:
    """The computed split (R-104) with its maths, and the manual table in force if any."""
    values = rulebook_values(programme) if values is None else values
    cities = list(province_cities(programme.org))
    counts = association_counts(programme.org, cities)
    table = QuotaTable(programme=programme, target=values["target"], surplus=values["surplus_ratio"],
                       guarantee_one=values["quota_guarantee_one"], cities=cities, counts=counts)
    try:
        table.computed = apportion(
            values["target"], [City(c.code, c.name, counts[c.pk]) for c in cities],
            guarantee_one=values["quota_guarantee_one"], surplus=values["surplus_ratio"])
    except ApportionmentError as exc:
        table.error = str(exc)
    table.plan = in_force_plan(programme)
    if table.plan is not None:
        table.manual = dict(QuotaRow.plain.filter(plan=table.plan).values_list("city_id", "quota"))
    return table


@dataclass(frozen=True)
class CityQuota:
    """One city's quota as the API shows it."""

    org_code: str
    org_name: str
    associations: int
    quota: int
    min_list_length: int


def programme_quotas(programme: Programme, values: dict[str, Any] | None = None) -> list[CityQuota]:
    """Per city of a province programme: the quota in force (manual table, else computed) and the
    minimum list length of R-105. Empty when the split cannot be computed (QuotaTable.error says why).
    `values` are the programme's rulebook values when the caller has read them already."""
    if programme.kind != Programme.Kind.PROVINCE:
        return []
    table = quota_table(programme, values)
    if table.error and not table.is_manual:
        return []
    return [CityQuota(org_code=r["city"].code, org_name=r["city"].name, associations=r["associations"],
                      quota=r["quota"], min_list_length=r["min_list_length"]) for r in table.rows()]
