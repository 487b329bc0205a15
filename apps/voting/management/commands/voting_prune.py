"""`python manage.py voting_prune`: delete what voting keeps only for a short while: answered image captchas
whose keys have expired and rate-limit windows that have ended (run it daily, e.g. from cron). Votes and SMS
code records stay: they are the record and the anomaly report's evidence."""

from django.core.management.base import BaseCommand

from apps.core import captcha, ratelimit


class Command(BaseCommand):
    help = "Delete spent image captchas and ended rate-limit windows."

    def handle(self, *args, **options):
        challenges = captcha.prune()
        windows = ratelimit.prune()
        self.stdout.write(f"deleted {challenges} captchas and {windows} rate-limit windows")
