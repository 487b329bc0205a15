"""The indicators of presentation events: provincial events held in a tech park (R-202), plans approved by the
centre before the event (R-203) and the first provincial event by the deadline, 31 October by default (R-204).
Registered in EventsConfig.ready (apps/campaigns/indicators.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, Status, register, share_text
from apps.events.models import Event, EventPlan
from apps.events.selectors import plan_state

R204_WARN_DAYS = 30  # the 31 October deadline turns "at risk" a month ahead (issue 17)


def _held(m: Measuring) -> list[Event]:
    key = ("events.held",)
    if key not in m.cache:
        m.cache[key] = list(Event.plain.filter(programme=m.programme, org=m.programme.org, state=Event.State.HELD)
                            .order_by("held_at", "id"))
    return m.cache[key]


def _evidence(events: list[Event]) -> tuple[Evidence, ...]:
    return tuple(Evidence(e.title, reverse("events:event_detail", args=[e.pk])) for e in events[:6]) or (
        Evidence(_("宣讲活动"), reverse("events:event_list")),)


def provincial_events(m: Measuring) -> Indicator:
    """R-202: at least the rulebook's number of provincial events held, in a tech park."""
    need = m.values["provincial_events_min"]
    held = _held(m)
    in_park = [e for e in held if e.in_tech_park]
    notes = []
    if len(held) > len(in_park):
        notes.append(_("已举办%(n)d场未在科技园区举办，不计入") % {"n": len(held) - len(in_park)})
    return Indicator(
        rule="R-202", title=_("在科技园区举办的省级宣讲活动"), target=need, value=len(in_park),
        target_text=_("≥ %(n)d场") % {"n": need}, value_text=_("%(n)d场") % {"n": len(in_park)},
        status=m.status(len(in_park) >= need, m.programme.period_end), deadline=m.programme.period_end,
        evidence=_evidence(in_park or held), notes=tuple(notes))


def plans_approved(m: Measuring) -> Indicator:
    """R-203: every event of the province and its cities held with a plan the centre approved, and every event of
    the next 14 days approved already (else at risk)."""
    events = list(Event.plain.filter(programme=m.programme).exclude(state=Event.State.CANCELLED)
                  .select_related("org").order_by("starts_at", "id"))
    approved = set(EventPlan.plain.filter(event__in=events, status=EventPlan.Status.APPROVED)
                   .values_list("event_id", flat=True))
    held = [e for e in events if e.state == Event.State.HELD]
    unapproved = [e for e in held if e.pk not in approved]
    soon = timezone.now() + dt.timedelta(days=14)
    waiting = [e for e in events if e.state == Event.State.PLANNING and e.starts_at <= soon
               and not plan_state(e).approved]
    notes = []
    if waiting:
        notes.append(_("14天内举办、方案尚未审核通过：%(events)s") % {"events": "、".join(e.title for e in waiting)})
    status = m.status(bool(held) and not waiting, None, broken=bool(unapproved))
    if status == Status.NOT_DUE and waiting:
        status = Status.AT_RISK
    return Indicator(
        rule="R-203", title=_("活动方案和宣讲材料事先经中心审核"), target=len(held), value=len(held) - len(unapproved),
        target_text=_("每场活动举办前审核通过"), value_text=share_text(len(held) - len(unapproved), len(held)),
        status=status, deadline=None, evidence=_evidence(held + waiting), notes=tuple(notes))


def first_event_on_time(m: Measuring) -> Indicator:
    """R-204: a provincial event held on or before the deadline (Beijing date); at risk from 30 days before."""
    deadline = m.values["provincial_event_deadline"]
    on_time = [e for e in _held(m) if timezone.localtime(e.starts_at).date() <= deadline]
    first = on_time[0] if on_time else None
    return Indicator(
        rule="R-204", title=_("首场省级宣讲活动按期举办"), target=1, value=len(on_time),
        target_text=_("%(date)s前至少1场") % {"date": date_format(deadline, "Y年n月j日")},
        value_text=(_("已于%(date)s举办") % {"date": date_format(timezone.localtime(first.starts_at), "Y年n月j日")})
        if first else _("尚未举办"),
        status=m.status(first is not None, deadline, warn_days=R204_WARN_DAYS), deadline=deadline,
        evidence=_evidence(on_time), notes=())


register("R-202", provincial_events)
register("R-203", plans_approved)
register("R-204", first_event_on_time)
