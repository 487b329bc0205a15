"""Monthly progress reports (R-403) by hand: `--month YYYY-MM` drafts every project's report of that month now (a
draft or returned report has its figures drawn again); `--schedule` queues the daily background run (drafting on
the 1st and the reminders before the deadline) unless it is queued already; `--remind` sends today's reminders."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core.scoping import scopes_disabled
from apps.reports import tasks
from apps.reports.monthly_services import monthly_draft_all, monthly_remind


class Command(BaseCommand):
    help = "Draft the monthly progress reports of a month, or queue the daily run (R-403)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="the month to draft, YYYY-MM")
        parser.add_argument("--schedule", action="store_true", help="queue the daily background run")
        parser.add_argument("--remind", action="store_true", help="send today's reminders now")

    def handle(self, *args, month=None, schedule=False, remind=False, **options):
        if not (month or schedule or remind):
            raise CommandError("name --month YYYY-MM, --schedule or --remind")
        with scopes_disabled():
            if month:
                try:
                    first = dt.date.fromisoformat(f"{month}-01")
                except ValueError:
                    raise CommandError(f"not a month: {month!r} (YYYY-MM)")
                try:
                    reports = monthly_draft_all(first, refresh=True)
                except ValidationError as exc:
                    raise CommandError("; ".join(exc.messages))
                self.stdout.write(f"{len(reports)} reports of {month} drafted")
            if remind:
                self.stdout.write(f"{monthly_remind(site_url=settings.SITE_URL)} reminders sent")
            if schedule:
                queued = tasks.schedule()
                when = tasks.next_run().isoformat()
                self.stdout.write(f"daily run queued for {when}" if queued else "daily run already queued")
