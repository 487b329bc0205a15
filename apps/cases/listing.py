"""The case list every level shares: who sees which cases, the filters, keyset pages.

One list serves every org (ARCHITECTURE.md: levels differ by data, not by code):

- an association sees its own cases, drafts included;
- a county, a city, a province and the centre see the cases under them that were submitted
  (anything but a draft); another county's cases are outside their scope altogether.

Pages are keyset pages ordered by id, newest first (`?after=<id>` for older rows, `?before=<id>`
for newer ones): a page costs the same at row 50 and at row 50,000, since the database walks the
primary-key index from the cursor and stops after 51 rows. No OFFSET.

The page says how many cases match (「共 123 件」) with one more query, a count that stops at
COUNT_CAP rows (`total_of`), so a national list with every filter off costs the same as a
county's: past the cap it says 「超过 10000 件」.

The page, the Excel export and the API all read `cases_for` + `CaseFilterForm`, so a filter
means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.cases.levels import levels
from apps.cases.models import Case
from apps.cases.permissions import VISIBLE_ABOVE
from apps.core.creditcode import normalise
from apps.core.scoping import subtree_q
from apps.enterprises.industry import sections
from apps.orgs.models import Org

PAGE_SIZE = 50
# The list's total is counted up to this many rows; beyond, the page says "more than" (see total_of).
COUNT_CAP = 10_000
# Above this many counties under the viewer (the centre sees ~2,800), the county filter is a text box.
COUNTY_SELECT_MAX = 300

def industry_sections() -> list[tuple[str, str]]:
    """GB/T 4754-2017 门类 as (code, "C 制造业") choices."""

    return [(s.code, f"{s.code} {s.name}") for s in sections()]


def shows_decision(viewer: Org) -> bool:
    """The viewer's list has a column (and a filter) for the decision of its level (apps/cases/levels.py)."""
    return levels().decision_of(viewer) is not None


def decision_label(viewer: Org):
    if viewer.is_association:
        return _("区县筛查结果")
    return _("本级结果")


def cases_for(viewer: Org | None) -> QuerySet[Case]:
    """The cases the viewer's list holds, newest first, with `decision` at the viewer's level.

    Runs inside the viewer's scope (Case.objects): the scope keeps every other subtree out; this
    adds "own cases only" for an association and "submitted only" for the offices above it.
    """
    if viewer is None:
        return Case.objects.none()

    qs = Case.objects.all()
    if viewer.is_association:
        qs = qs.filter(recommender=viewer)
    else:
        # What the offices above may open (apps.cases.permissions.can_view_case): drafts and withdrawn
        # cases stay with their association.
        qs = qs.filter(status__in=VISIBLE_ABOVE)
    decision = levels().decision_of(viewer)
    if decision is not None:
        qs = qs.annotate(decision=decision)
    return qs.order_by("-id")


def with_list_columns(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Only what the list shows: one query for a page however many rows it holds, no body text."""
    return qs.select_related("enterprise", "county", "recommender").only(
        "id", "title", "type", "status", "channel", "version", "submitted_at", "campaign_id",
        "enterprise__name", "enterprise__credit_code", "enterprise__industry_section",
        "enterprise__little_giant_batch", "county__name", "county__code", "recommender__name",
        "recommender__code", "recommender__path",
    )


class CaseFilterForm(forms.Form):
    """The list's filters as GET parameters; an invalid value is reported and ignored."""

    q = forms.CharField(label=_("搜索"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("标题、企业名称或信用代码")}))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False)
    decision = forms.ChoiceField(label=_("结果"), required=False)
    type = forms.ChoiceField(label=_("案例类型"), required=False)
    industry = forms.ChoiceField(label=_("行业门类"), required=False)
    channel = forms.ChoiceField(label=_("推荐渠道"), required=False)
    little_giant = forms.ChoiceField(label=_("专精特新“小巨人”"), required=False, choices=[
        ("", _("不限")), ("1", _("是")), ("0", _("否"))])
    county = forms.CharField(label=_("区县"), max_length=32, required=False)

    # Parameters that are not filters: the cursor and the count switch.
    FILTERS = ("q", "year", "status", "decision", "type", "industry", "channel", "little_giant", "county")

    def __init__(self, data=None, *, viewer: Org, campaigns: list[tuple[int, int]], counties: list[Org] | None = None):
        super().__init__(data)
        self.viewer = viewer
        self.campaigns = campaigns  # [(id, year)], newest first
        self.counties = counties
        self.fields["year"].choices = [(year, str(year)) for _pk, year in campaigns]

        statuses = [(s.value, s.label) for s in Case.Status if viewer.is_association or s in VISIBLE_ABOVE]
        self.fields["status"].choices = [("", _("全部状态")), *statuses]
        self.fields["decision"].label = decision_label(viewer)
        self.fields["decision"].choices = [("", _("不限")), *levels().decision_choices()]
        self.fields["type"].choices = [("", _("全部类型")), *Case.Type.choices]
        self.fields["industry"].choices = [("", _("全部门类")), *industry_sections()]
        self.fields["channel"].choices = [("", _("全部渠道")), *Case.Channel.choices]
        if viewer.is_association or viewer.kind == Org.Kind.COUNTY:
            del self.fields["county"]
        if not shows_decision(viewer):
            del self.fields["decision"]

    def clean_county(self) -> Org | None:
        code = (self.cleaned_data.get("county") or "").strip().upper()
        if not code:
            return None
        # A city or county under the viewer: one indexed look-up inside the viewer's subtree.
        org = (Org.objects.filter(subtree_q(self.viewer.path), code=code, kind__in=(Org.Kind.CITY, Org.Kind.COUNTY))
               .exclude(pk=self.viewer.pk).first())
        if org is None:
            raise forms.ValidationError(_("区县代码“%(code)s”不在本单位范围内，请从列表中选择") % {"code": code})
        return org

    def valid_filters(self) -> dict[str, Any]:
        """The filters that passed validation (an invalid one is dropped, with its error on the form)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


@dataclass
class Filtered:
    qs: QuerySet[Case]
    campaign_id: int | None
    active: dict[str, Any] = field(default_factory=dict)  # filter name → the cleaned value


def apply_filters(qs: QuerySet[Case], form: CaseFilterForm) -> Filtered:
    values = form.valid_filters()
    campaign_id = None
    if form.campaigns:
        year = values.get("year")
        campaign_id = next((pk for pk, y in form.campaigns if y == year), form.campaigns[0][0])
        qs = qs.filter(campaign_id=campaign_id)
    else:
        qs = qs.none()
    if values.get("status"):
        qs = qs.filter(status=values["status"])
    if values.get("decision") and "decision" in form.fields:
        qs = qs.filter(decision=values["decision"])
    if values.get("type"):
        qs = qs.filter(type=values["type"])
    if values.get("industry"):
        qs = qs.filter(enterprise__industry_section=values["industry"])
    if values.get("channel"):
        qs = qs.filter(channel=values["channel"])
    if values.get("little_giant") == "1":
        qs = qs.filter(enterprise__little_giant_batch__isnull=False)
    elif values.get("little_giant") == "0":
        qs = qs.filter(enterprise__little_giant_batch__isnull=True)
    if values.get("county"):
        # The recommender's path is already joined for the scope: the same range scan, narrower.
        qs = qs.filter(subtree_q(values["county"].path, "recommender__path"))
    if values.get("q"):
        text = values["q"]
        match = Q(title__icontains=text) | Q(enterprise__name__icontains=text)
        code = normalise(text)
        if code.isalnum() and len(code) >= 6:
            match |= Q(enterprise__credit_code__startswith=code)
        qs = qs.filter(match)
    active = {k: v for k, v in values.items() if k != "year"}
    return Filtered(qs=qs, campaign_id=campaign_id, active=active)


def campaign_choices() -> list[tuple[int, int]]:
    return list(Campaign.objects.order_by("-year").values_list("pk", "year"))


def counties_under(viewer: Org) -> list[Org] | None:
    """The counties a viewer may filter by, for a select; None when there are too many for one."""
    if viewer.is_association or viewer.kind == Org.Kind.COUNTY:
        return []
    found = list(Org.objects.filter(subtree_q(viewer.path), kind=Org.Kind.COUNTY, is_active=True)
                 .only("id", "code", "name", "path").order_by("path")[:COUNTY_SELECT_MAX + 1])
    return None if len(found) > COUNTY_SELECT_MAX else found


def filter_form(data, viewer: Org) -> CaseFilterForm:
    return CaseFilterForm(data, viewer=viewer, campaigns=campaign_choices(), counties=counties_under(viewer))


@dataclass
class KeysetPage:
    rows: list
    newer: int | None  # ?before=<id> for the newer page, when there is one
    older: int | None  # ?after=<id> for the older page, when there is one


@dataclass(frozen=True)
class Total:
    count: int
    more: bool  # there are more than `count` (the count stopped at the cap)


def total_of(qs: QuerySet, cap: int | None = None) -> Total:
    """How many rows `qs` holds, counted in one query that reads at most cap + 1 rows. Only the ids are
    selected, so the per-row decision subquery is computed only when a filter needs it."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[: cap + 1].count()
    return Total(count=min(n, cap), more=n > cap)


def parse_cursor(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def keyset_page(qs: QuerySet, *, after: int | None = None, before: int | None = None,
                size: int = PAGE_SIZE) -> KeysetPage:
    """One page of `qs` by id, newest first. Fetches size + 1 rows to know whether more follow."""
    if before is not None and after is None:
        rows = list(qs.filter(pk__gt=before).order_by("pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size]
        rows.reverse()
        return KeysetPage(rows, newer=rows[0].pk if more_newer and rows else None,
                          older=rows[-1].pk if rows else before)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, newer=(rows[0].pk if rows else after) if after is not None else None,
                      older=rows[-1].pk if more_older else None)
