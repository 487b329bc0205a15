"""The indicator of exhibits (R-307): exhibits the province recommended to the centre (waiting for the centre, or
accepted) against the rulebook's minimum (`exhibits_min`, 1). Registered in ExhibitsConfig.ready."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.exhibits.models import Exhibit
from apps.exhibits.selectors import state_counts


def exhibits(m: Measuring) -> Indicator:
    need = m.values["exhibits_min"]
    counts = state_counts(Exhibit.plain.filter(programme=m.programme))
    S = Exhibit.State
    have = counts[S.SHORTLISTED] + counts[S.ACCEPTED]
    notes = [_("中心确定参展%(n)d件") % {"n": counts[S.ACCEPTED]}]
    if counts[S.SHORTLISTED]:
        notes.append(_("%(n)d件待中心确定") % {"n": counts[S.SHORTLISTED]})
    if counts[S.PROPOSED]:
        notes.append(_("另有%(n)d件已申报，待省级推荐") % {"n": counts[S.PROPOSED]})
    return Indicator(
        rule="R-307", title=_("向中心推荐的专精特新“小巨人”企业展品"), target=need, value=have,
        target_text=_("≥ %(n)d件") % {"n": need}, value_text=_("%(n)d件") % {"n": have},
        status=m.status(have >= need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("展品"), reverse("exhibits:exhibit_list")),), notes=tuple(notes))


register("R-307", exhibits)
