"""A round's selection problem as data: its rules (from the rulebook and the quota table, by the round's kind)
and its candidates (the round's entries with their composite scores). One machinery for every level:
only the rules differ (R-104, R-105, R-108, R-109, R-110, R-506)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.campaigns import rules as rulebook
from apps.campaigns.models import Programme
from apps.campaigns.selectors import programme_quotas, province_cities, rulebook_values
from apps.orgs.models import Org
from apps.rounds.models import Round, RoundEntry
from apps.selection.composite import Composite, composite_of
from apps.selection.models import ListPin, LockedList, Objection
from apps.selection.rules import Candidate, Count, Eligibility, PerGroup, Quota, Rule, Share

OUT_OF_LIST = (RoundEntry.Decision.OUT, RoundEntry.Decision.RETURNED)
STORIES = 100  # the national story collection


def _share(value: Decimal) -> str:
    return rulebook.spec("province_park_share_min").display(value)


def city_quota(round: Round):
    """The quota in force for the round's city (R-104) and its minimum list length (R-105), or None."""
    for line in programme_quotas(round.programme):
        if line.org_code == round.org.code:
            return line
    return None


def rules_for(round: Round) -> list[Rule]:
    values = rulebook_values(round.programme)
    eligible = Eligibility("R-107", _("只有通过下级筛查或遴选的案例可以列入名单"))
    if round.kind == Round.Kind.CITY_SELECTION:
        out: list[Rule] = [eligible]
        per = values["city_per_enterprise_max"]
        out.append(PerGroup("R-108", "enterprise", per, _("同一企业最多推荐%(n)d件") % {"n": per}))
        line = city_quota(round)
        applies = values["surplus_applies_to"] in (rulebook.SURPLUS_CITY_TO_PROVINCE, rulebook.SURPLUS_BOTH)
        if line is not None and line.quota > 0:
            if applies:
                out.append(Count("R-105", ">=", line.min_list_length, _(
                    "%(city)s名额%(q)d件，按差额比例%(ratio)s至少推荐%(n)d件") % {
                    "city": round.org.name, "q": line.quota, "ratio": _share(values["surplus_ratio"]),
                    "n": line.min_list_length}))
            else:
                out.append(Count("R-104", ">=", line.quota, _("%(city)s名额%(q)d件") % {
                    "city": round.org.name, "q": line.quota}))
        return out
    if round.kind == Round.Kind.PROVINCE_SELECTION:
        most, park = values["province_max"], values["province_park_share_min"]
        return [eligible,
                Count("R-109", "<=", most, _("省级遴选案例不超过%(n)d件") % {"n": most}),
                Share("R-109", "channel", "park", float(park),
                      _("园区科协推荐的案例占比不低于%(share)s") % {"share": _share(park)})]
    if round.kind == Round.Kind.PRESENTER_SELECTION:
        n, per, park = values["presenters"], values["presenters_per_city_max"], values["presenters_park_share_min"]
        return [eligible,
                Count("R-110", "==", n, _("宣讲人%(n)d名") % {"n": n}),
                PerGroup("R-110", "city", per, _("每市宣讲人不超过%(n)d名") % {"n": per},
                         names=dict(province_cities(round.org).values_list("pk", "name"))),
                Share("R-110", "channel", "park", float(park),
                      _("园区科协推荐的宣讲案例占比不低于%(share)s") % {"share": _share(park)})]
    if round.kind == Round.Kind.NATIONAL_STORY:
        out = [eligible, Count("R-506", "==", STORIES, _("全国故事集收录%(n)d件") % {"n": STORIES})]
        least = per_province_min(round)
        if least:
            provinces = dict(Org.plain.filter(programmes__campaign=round.programme.campaign_id,
                                             programmes__kind=Programme.Kind.PROVINCE)
                             .order_by("code").values_list("pk", "name"))
            out.append(Quota("R-506", "province", ">=", {p: least for p in provinces},
                             _("每省至少收录%(n)d件") % {"n": least}, names=provinces))
        return out
    return [eligible]


def per_province_min(round: Round) -> int:
    """The centre's optional minimum of stories per province (national story round; 0 = none)."""
    return int(((round.config or {}).get("selection") or {}).get("per_province_min") or 0)


def target_for(round: Round) -> int | None:
    """The count the province round aims at within its maximum (R-103), else None."""
    if round.kind == Round.Kind.PROVINCE_SELECTION:
        values = rulebook_values(round.programme)
        return min(values["target"], values["province_max"])
    return None


def candidates_for(round: Round, composite: Composite | None = None) -> list[Candidate]:
    """Every entry of the round as a candidate, with its composite score (computed unless given); entries taken
    out of the list are candidates that are not eligible (the validator names them if someone lists them)."""
    scores = {row.case_id: row.total for row in (composite or composite_of(round)).rows}
    rows = (RoundEntry.plain.filter(round=round).order_by()
            .values_list("case_id", "decision", "case__enterprise_id", "case__channel", "case__title",
                         "case__county__parent_id", "case__county__parent__parent_id"))
    return [Candidate(id=case, score=scores.get(case, 0.0), enterprise=enterprise, city=city, province=province,
                      channel=channel, eligible=decision not in OUT_OF_LIST, label=title)
            for case, decision, enterprise, channel, title, city, province in rows]


@dataclass(frozen=True)
class Holds:
    """What people decided about a round's candidates that every proposal must respect: their pins (case id →
    ListPin) and the cases whose objection was upheld on any of the round's locks (case id → the objection)."""

    include: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)
    upheld: dict = field(default_factory=dict)

    @property
    def upheld_out(self) -> set[int]:
        """Upheld cases no one pinned back: kept off every proposal and every list (R-106)."""
        return set(self.upheld) - set(self.include)

    @property
    def kept_off(self) -> set[int]:
        return set(self.exclude) | self.upheld_out


def holds_for(round: Round) -> Holds:
    pins = {"include": {}, "exclude": {}}
    for pin in ListPin.plain.filter(round=round).select_related("pinned_by").order_by("pinned_at", "pk"):
        pins[pin.kind][pin.case_id] = pin
    upheld = {}
    for objection in (Objection.plain.filter(locked_list__round=round, outcome=Objection.Outcome.UPHELD)
                      .order_by("answered_at", "pk")):
        upheld[objection.case_id] = objection  # the latest answer speaks for the case
    return Holds(include=pins["include"], exclude=pins["exclude"], upheld=upheld)


def notice_slug(round: Round) -> str | None:
    """The round's one public 公示 address (/gs/<slug>/): its first lock's slug (None before any lock)."""
    return LockedList.plain.filter(round=round).order_by("number").values_list("slug", flat=True).first()
