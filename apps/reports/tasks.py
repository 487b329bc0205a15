"""The monthly reports' daily round (R-403), a background task (django-tasks) that schedules its own next run:
each day at 09:00 Beijing time it drafts the previous month's reports that are still missing (so on the 1st, or
on the first day the worker runs after it), reminds the projects whose deadline is near, and measures every project
of the newest campaign for the week's dashboard row (the dashboards' trend, apps/reports/dashboard.py). `manage.py
monthly_reports --schedule` queues the first run; `--month YYYY-MM` drafts a given month at once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from apps.campaigns.indicators import BEIJING
from apps.campaigns.models import Campaign, Programme
from apps.reports import dashboard, monthly
from apps.reports.monthly_services import monthly_draft_all, monthly_remind

RUN_AT = dt.time(9, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next 09:00 in Beijing after `now`."""
    local = timezone.localtime(now or timezone.now(), BEIJING)
    today = dt.datetime.combine(local.date(), RUN_AT, tzinfo=BEIJING)
    return today if local < today else today + dt.timedelta(days=1)


def is_scheduled() -> bool:
    return DBTaskResult.objects.filter(task_path=monthly_reports_daily.module_path, status="READY").exists()


def schedule() -> bool:
    """Queue the next daily run unless one is queued already (or the tasks backend runs each task at once and
    cannot wait: TASKS_BACKEND=immediate). True when it queued one."""
    if not monthly_reports_daily.get_backend().supports_defer or is_scheduled():
        return False
    monthly_reports_daily.using(run_after=next_run()).enqueue()
    return True


@task()
def monthly_reports_daily(today: str = "") -> dict:
    """One day's round; `today` (ISO) names the Beijing date where it is not the calendar's (the tests)."""
    today = dt.date.fromisoformat(today) if today else timezone.localdate()
    drafted = monthly_draft_all(monthly.previous_month(today))
    reminded = monthly_remind(today=today, site_url=settings.SITE_URL)
    measured = 0
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is not None:  # the week's row of every project for the dashboards' trend
        for programme in Programme.plain.filter(campaign=campaign).select_related("org", "campaign"):
            dashboard.measure(programme)
            measured += 1
    if monthly_reports_daily.get_backend().supports_defer:
        monthly_reports_daily.using(run_after=next_run(timezone.now() + dt.timedelta(minutes=1))).enqueue()
    return {"drafted": len(drafted), "reminded": reminded, "measured": measured}
