"""The daily background run of the monthly reports (R-403), by the real worker of the database backend: it drafts
the previous month's missing reports, reminds, and queues its next run for 09:00 Beijing time the next day; the
command queues the first run once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.finance.tests.conftest import ledger_world  # noqa: F401 (fixture)
from apps.reports import tasks
from apps.reports.models import MonthlyReport
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_r403_the_daily_run_drafts_the_month_before_and_queues_the_next_day(ledger_world):
    w = ledger_world
    year = w.zhejiang_programme.campaign.year
    tasks.monthly_reports_daily.enqueue(today=f"{year}-09-01")
    run_queued_tasks()
    with scopes_disabled():
        reports = MonthlyReport.plain.filter(month=dt.date(year, 8, 1))
        assert sorted(r.programme.org.name for r in reports) == sorted(
            [w.zhejiang.name, w.sichuan.name, w.center.name])
        queued = DBTaskResult.objects.filter(task_path=tasks.monthly_reports_daily.module_path, status="READY")
        assert queued.count() == 1 and queued.get().run_after == tasks.next_run(queued.get().enqueued_at)
    call_command("monthly_reports", schedule=True)  # already queued: nothing more
    assert DBTaskResult.objects.filter(task_path=tasks.monthly_reports_daily.module_path, status="READY").count() == 1


def test_the_next_run_is_nine_in_the_morning_in_beijing():
    before = dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.UTC)  # 07:00 on 1 November in Beijing
    after = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
    assert tasks.next_run(before).isoformat() == "2026-11-01T09:00:00+08:00"
    assert tasks.next_run(after).isoformat() == "2026-11-02T09:00:00+08:00"
