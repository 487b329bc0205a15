"""The indicators of the selected lists, read from the locked lists as frozen (their case ids, each case's channel
and city, and the rule breaches recorded at the lock): the target (R-103), the surplus ratio (R-105), the city
lists (R-108), the provincial list (R-109) and the presenters (R-110). Registered in SelectionConfig.ready
(apps/campaigns/indicators.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns import rules as rulebook
from apps.campaigns.indicators import Evidence, Indicator, Measuring, register, share_text
from apps.campaigns.selectors import programme_quotas
from apps.rounds.kinds import Kind
from apps.rounds.models import Round
from apps.selection.models import LockedList

PARK = "park"


@dataclass(frozen=True)
class Listed:
    """A round with its live locked list (None while unlocked)."""

    round: Round
    locked: LockedList | None

    @property
    def sent(self) -> bool:
        return self.round.state == Round.State.SENT

    @property
    def size(self) -> int:
        return len(self.locked.case_ids) if self.locked else 0

    def broke(self, rule: str) -> list[str]:
        """The breaches of `rule` recorded when the list was locked (only with a written reason)."""
        return [v.get("message", "") for v in (self.locked.violations if self.locked else []) if v.get("rule") == rule]

    def park_share(self) -> Decimal:
        lines = self.locked.lines() if self.locked else []
        if not lines:
            return Decimal(0)
        return Decimal(sum(1 for line in lines if line.get("channel") == PARK)) / Decimal(len(lines))

    def per_city(self) -> Counter:
        return Counter(line.get("city", "") for line in (self.locked.lines() if self.locked else []))

    def evidence(self) -> tuple[Evidence, ...]:
        label = _("%(org)s · %(kind)s名单") % {"org": self.round.org.name, "kind": self.round.get_kind_display()}
        return (Evidence(label, reverse("selection:list", args=[self.round.pk])),)


def _listed(m: Measuring, kind: str) -> list[Listed]:
    """The programme's rounds of `kind` with their live locked lists, read once per measuring (two rules read the
    city lists, three the provincial ones)."""
    key = ("selection.listed", kind)
    if key not in m.cache:
        rounds = list(Round.plain.filter(programme=m.programme, kind=kind).select_related("org").order_by("org__code"))
        lists = {x.round_id: x for x in LockedList.plain.filter(round__in=rounds, withdrawn_at__isnull=True)}
        m.cache[key] = [Listed(r, lists.get(r.pk)) for r in rounds]
    return m.cache[key]


def _one(m: Measuring, kind: str) -> Listed | None:
    found = _listed(m, kind)
    return found[0] if found else None


def _pct(share: Decimal) -> str:
    return rulebook.spec("province_park_share_min").display(share.quantize(Decimal("0.001")))


def _names(names: list[str], most: int = 10) -> str:
    return "、".join(names[:most]) + (_("等%(n)d个") % {"n": len(names)} if len(names) > most else "")


def target_publicised(m: Measuring) -> Indicator:
    """R-103: the provincial list, once locked and publicly noticed (公示), holds the province's target count."""
    target, deadline = m.values["target"], m.values["provincial_selection_deadline"]
    listed = _one(m, Kind.PROVINCE_SELECTION)
    have = listed.size if listed else 0
    notes = () if listed and listed.locked else (_("省级名单尚未锁定公示"),)
    return Indicator(
        rule="R-103", title=_("省级公示宣传案例数"), target=target, value=have,
        target_text=_("%(n)d件") % {"n": target}, value_text=_("%(n)d件") % {"n": have},
        status=m.status(have >= target, deadline, broken=bool(listed and listed.sent and have < target)),
        deadline=deadline, evidence=listed.evidence() if listed else (), notes=notes)


def _city_lines(m: Measuring) -> list:
    key = ("selection.quotas",)
    if key not in m.cache:
        m.cache[key] = [q for q in programme_quotas(m.programme, m.values) if q.quota > 0]
    return m.cache[key]


def surplus_ratio(m: Measuring) -> Indicator:
    """R-105: each city's list holds at least ceil((1 + ratio) × quota) cases. The list is the city's list to the
    province by default; with the rulebook set to the counties' lists, the cases the counties reported to it."""
    values, deadline = m.values, m.values["city_recommendation_deadline"]
    applies_city = values["surplus_applies_to"] in (rulebook.SURPLUS_CITY_TO_PROVINCE, rulebook.SURPLUS_BOTH)
    applies_county = values["surplus_applies_to"] in (rulebook.SURPLUS_COUNTY_TO_CITY, rulebook.SURPLUS_BOTH)
    lines = _city_lines(m)
    listed = {x.round.org.code: x for x in _listed(m, Kind.CITY_SELECTION)}
    reported = {}
    if applies_county:
        reported = dict(Round.plain.filter(programme=m.programme, kind=Kind.CITY_SELECTION)
                        .annotate(n=Count("entries")).values_list("org__code", "n"))
    ok, short, broken = [], [], []
    for line in lines:
        city = listed.get(line.org_code)
        good = True
        if applies_city:
            good = bool(city and city.locked and city.size >= line.min_list_length)
            if city and city.broke("R-105"):
                broken.append(line.org_name)
        if applies_county:
            good = good and reported.get(line.org_code, 0) >= line.min_list_length
        (ok if good else short).append(line.org_name)
    notes = []
    if broken:
        notes.append(_("锁定时未达差额比例（已写明理由）：%(orgs)s") % {"orgs": _names(broken)})
    if short:
        notes.append(_("尚未形成达到差额比例的名单：%(orgs)s") % {"orgs": _names(short)})
    ratio = rulebook.spec("surplus_ratio").display(values["surplus_ratio"])
    return Indicator(
        rule="R-105", title=_("各地推荐名单达到差额比例"), target=len(lines), value=len(ok),
        target_text=_("差额比例 ≥ %(ratio)s，各地全部达到") % {"ratio": ratio},
        value_text=share_text(len(ok), len(lines)),
        status=m.status(bool(lines) and not short, deadline, broken=bool(broken)), deadline=deadline,
        evidence=tuple(e for x in listed.values() if x.locked for e in x.evidence())[:12], notes=tuple(notes))


def city_lists(m: Measuring) -> Indicator:
    """R-108: every city with a quota has sent its list to the province, with at most the rulebook's number of
    cases per enterprise; with the cases on the lists sent (`figures["cases"]`)."""
    deadline = m.values["city_recommendation_deadline"]
    lines = _city_lines(m)
    listed = {x.round.org.code: x for x in _listed(m, Kind.CITY_SELECTION)}
    sent = [line.org_name for line in lines if (x := listed.get(line.org_code)) and x.sent]
    missing = [line.org_name for line in lines if line.org_name not in sent]
    broken = [x.round.org.name for x in listed.values() if x.broke("R-108")]
    notes = []
    if broken:
        notes.append(_("锁定时违反市级遴选规则（已写明理由）：%(orgs)s") % {"orgs": _names(broken)})
    if missing:
        notes.append(_("尚未向省级推荐：%(orgs)s") % {"orgs": _names(missing)})
    per = m.values["city_per_enterprise_max"]
    return Indicator(
        rule="R-108", title=_("各地完成遴选并推荐至省级"), target=len(lines), value=len(sent),
        target_text=_("全部推荐，每家企业不超过%(n)d件") % {"n": per}, value_text=share_text(len(sent), len(lines)),
        status=m.status(bool(lines) and not missing, deadline, broken=bool(broken)), deadline=deadline,
        evidence=tuple(e for x in listed.values() if x.locked for e in x.evidence())[:12], notes=tuple(notes),
        figures={"cases": sum(x.size for x in listed.values() if x.sent)})


def provincial_list(m: Measuring) -> Indicator:
    """R-109: the provincial list is locked with at most the maximum number of cases and at least the share of
    park-recommended ones."""
    most, least = m.values["province_max"], m.values["province_park_share_min"]
    deadline = m.values["provincial_selection_deadline"]
    listed = _one(m, Kind.PROVINCE_SELECTION)
    locked = bool(listed and listed.locked)
    size = listed.size if listed else 0
    share = listed.park_share() if locked else Decimal(0)
    good = locked and size <= most and share >= least
    notes = [] if locked else [_("省级名单尚未锁定")]
    if locked and not good:
        notes.append(_("名单%(n)d件，园区科协推荐占%(share)s") % {"n": size, "share": _pct(share)})
    return Indicator(
        rule="R-109", title=_("省级遴选名单"), target=most, value=size,
        target_text=_("≤ %(n)d件，园区科协推荐 ≥ %(share)s") % {"n": most, "share": _pct(least)},
        value_text=(_("%(n)d件，园区科协推荐占%(share)s") % {"n": size, "share": _pct(share)})
        if locked else _("未锁定"),
        status=m.status(good, deadline, broken=locked and not good), deadline=deadline,
        evidence=listed.evidence() if listed else (), notes=tuple(notes))


def presenters(m: Measuring) -> Indicator:
    """R-110: the presenter list is locked with the set number of presenters, at most the maximum per city and at
    least the share of park-recommended cases."""
    n, per, least = m.values["presenters"], m.values["presenters_per_city_max"], m.values["presenters_park_share_min"]
    deadline = m.values["provincial_selection_deadline"]
    listed = _one(m, Kind.PRESENTER_SELECTION)
    locked = bool(listed and listed.locked)
    size = listed.size if listed else 0
    share = listed.park_share() if locked else Decimal(0)
    crowded = sorted(city for city, k in (listed.per_city() if locked else Counter()).items() if k > per)
    good = locked and size == n and not crowded and share >= least
    notes = [] if locked else [_("宣讲人名单尚未锁定")]
    if crowded:
        notes.append(_("超过每市上限：%(orgs)s") % {"orgs": _names(crowded)})
    if locked and not good and not crowded:
        notes.append(_("名单%(n)d名，园区科协推荐占%(share)s") % {"n": size, "share": _pct(share)})
    return Indicator(
        rule="R-110", title=_("宣讲人遴选"), target=n, value=size,
        target_text=_("%(n)d名，每市 ≤ %(per)d名，园区科协推荐 ≥ %(share)s") % {
            "n": n, "per": per, "share": _pct(least)},
        value_text=(_("%(n)d名，园区科协推荐占%(share)s") % {"n": size, "share": _pct(share)})
        if locked else _("未锁定"),
        status=m.status(good, deadline, broken=locked and not good), deadline=deadline,
        evidence=listed.evidence() if listed else (), notes=tuple(notes))


register("R-103", target_publicised)
register("R-105", surplus_ratio)
register("R-108", city_lists)
register("R-109", provincial_list)
register("R-110", presenters)
