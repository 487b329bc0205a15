"""What a monthly progress report (R-403) says, drawn from the data when it is drafted: every rule indicator of the
project (target, value, status), the selection funnel (apps/reports/funnel.py), the events held and planned in the
month, the publicity of the month and in all (media reports, topic videos, stories), and the spending of the month
and so far by line (apps/finance/figures.py). JSON, so the report keeps the figures it was sent with."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from apps.campaigns.indicators import BEIJING, indicators_for
from apps.campaigns.models import Programme
from apps.events.models import Event
from apps.finance import figures
from apps.finance.lines import label_of
from apps.publicity.models import MediaReport, Story, TopicVideo
from apps.reports.funnel import funnel


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(today: dt.date) -> dt.date:
    return month_start(month_start(today) - dt.timedelta(days=1))


def next_month(month: dt.date) -> dt.date:
    return month_start(month_end(month) + dt.timedelta(days=1))


def due_on(month: dt.date, due_day: int) -> dt.date:
    """The report of `month` is due on the rulebook's day of the month after."""
    return next_month(month).replace(day=due_day)


def _window(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(month, dt.time.min, tzinfo=BEIJING)
    return start, dt.datetime.combine(next_month(month), dt.time.min, tzinfo=BEIJING)


def gather(programme: Programme, month: dt.date) -> dict:
    """The report's figures for `month`, measured now (the indicators at the end of the month when it is over)."""
    start, end = _window(month)
    measured = min(timezone.now(), end - dt.timedelta(seconds=1))
    indicators = indicators_for(programme, now=measured)
    events = Event.plain.filter(programme=programme).exclude(state=Event.State.CANCELLED)
    in_month = events.filter(starts_at__gte=start, starts_at__lt=end)
    reports = MediaReport.plain.filter(programme=programme)
    videos = TopicVideo.plain.filter(programme=programme, passes=True)
    stories = Story.plain.filter(programme=programme, state=Story.State.REVIEWED)
    run = figures.execution(programme, until=month_end(month))
    this_month = next((by_line for key, by_line, _total in run.months if key == month.strftime("%Y-%m")), {})
    return {
        "month": month.strftime("%Y-%m"),
        "measured_at": timezone.localtime(measured).isoformat(),
        "indicators": [{"rule": i.rule, "title": str(i.title), "target_text": str(i.target_text),
                        "value_text": str(i.value_text), "status": i.status, "status_label": i.status_label,
                        "notes": [str(n) for n in i.notes]} for i in indicators],
        "funnel": [{"key": s.key, "label": s.label, "rule": s.rule, "value": s.value} for s in funnel(indicators)],
        "events": {
            "held_in_month": in_month.filter(state=Event.State.HELD).count(),
            "planned_in_month": in_month.exclude(state=Event.State.HELD).count(),
            "held_in_all": events.filter(state=Event.State.HELD).count(),
            "list": [{"title": e.title, "when": timezone.localtime(e.starts_at).strftime("%Y-%m-%d"),
                      "state": e.state, "state_label": str(e.get_state_display())}
                     for e in in_month.order_by("starts_at")[:30]],
        },
        "publicity": {
            "media_reports_in_month": reports.filter(published_on__gte=month,
                                                     published_on__lte=month_end(month)).count(),
            "media_reports_in_all": reports.count(),
            "videos_in_month": videos.filter(created_at__gte=start, created_at__lt=end).count(),
            "videos_in_all": videos.count(),
            "stories_reviewed": stories.count(),
        },
        "spending": {
            "budget": format(programme.budget, "f"),
            "in_force": run.budget.number if run.budget else None,
            "month_total": format(sum(this_month.values(), figures.ZERO), "f"),
            "to_date": format(run.spent, "f"),
            "rate": format(run.rate, "f") if run.rate is not None else None,
            "lines": [{"code": line.code, "label": label_of(line.code), "planned": format(line.planned, "f"),
                       "month": format(this_month.get(line.code, figures.ZERO), "f"),
                       "to_date": format(line.spent, "f")} for line in run.lines],
        },
    }
