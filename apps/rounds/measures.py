"""The indicator of county screening (R-107): every county that received cases has screened them and reported
to the level above. Registered in RoundsConfig.ready (apps/campaigns/indicators.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register, share_text
from apps.rounds.kinds import Kind
from apps.rounds.models import Round, RoundEntry


def counties_reported(m: Measuring) -> Indicator:
    """R-107: the screening rounds of the programme (one per county that received a case) that are sent up; with
    the cases that passed screening (`figures["passed"]`)."""
    programme = m.programme
    rounds = list(Round.plain.filter(programme=programme, kind=Kind.COUNTY_SCREENING)
                  .select_related("org").order_by("org__code"))
    sent = [r for r in rounds if r.state == Round.State.SENT]
    passed = RoundEntry.plain.filter(round__in=rounds, decision=RoundEntry.Decision.PASSED).count()
    waiting = [r.org.name for r in rounds if r.state != Round.State.SENT]
    deadline = m.values["county_report_deadline"]
    notes = ()
    if waiting:
        notes = (_("尚未上报：%(orgs)s") % {"orgs": "、".join(waiting[:10]) + ("等" if len(waiting) > 10 else "")},)
    elif not rounds:
        notes = (_("尚无区县收到推荐案例"),)
    return Indicator(
        rule="R-107", title=_("区县完成筛查并上报"), target=len(rounds), value=len(sent),
        target_text=_("收到案例的区县全部上报"), value_text=share_text(len(sent), len(rounds)),
        status=m.status(bool(rounds) and not waiting, deadline), deadline=deadline,
        evidence=(Evidence(_("筛查与遴选"), reverse("rounds:round_list")),), notes=notes,
        figures={"passed": passed})


register("R-107", counties_reported)
