"""`python manage.py voting_prune`: delete what voting keeps only for a short while: image captchas past their
10 minutes and rate-limit windows that have ended (run it daily, e.g. from cron). Votes and SMS code records
stay: they are the record and the anomaly report's evidence."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.core import ratelimit
from apps.voting.models import Challenge
from apps.voting.services import CHALLENGE_SECONDS


class Command(BaseCommand):
    help = "Delete spent image captchas and ended rate-limit windows."

    def handle(self, *args, **options):
        cutoff = timezone.now() - dt.timedelta(seconds=CHALLENGE_SECONDS)
        challenges, _by_model = Challenge.objects.filter(created_at__lt=cutoff).delete()
        windows = ratelimit.prune()
        self.stdout.write(f"deleted {challenges} captchas and {windows} rate-limit windows")
