"""Load the demo campaign: `python manage.py seed_demo [--password PW]` (idempotent, deterministic)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core.scoping import scopes_disabled


def pad(text: str, width: int) -> str:
    """Left-align in a terminal, counting a Chinese character as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)




class Command(BaseCommand):
    help = ("Create the demo centre, 12 provinces (上海市 a municipality) with real cities, districts and counties, "
            "associations, people and campaign.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default="innocase-demo", help="password of every demo login")

    def handle(self, *args, password, **options):
        from importlib import import_module

        from apps.orgs.demo import demo_password_set

        logins = []
        with scopes_disabled():
            for dotted in settings.DEMO_SEEDERS:
                module, name = dotted.rsplit(".", 1)
                result = getattr(import_module(module), name)(password=password)
                logins.extend(result or [])
            demo_password_set(password)
        self.print_logins(logins, password)

    def print_logins(self, logins, password):
        featured = {"center-admin", "admin-330000", "staff-330000", "admin-510000", "admin-440000",
                    "admin-330100", "admin-330106", "admin-330106-p001", "admin-330106-e001", "admin-510100", "admin-440300",
                    "admin-310000", "admin-310113", "admin-320000"}
        shown = [row for row in logins if row[0] in featured or not row[0].startswith(("admin-", "staff-", "expert-"))
                 or row[0].endswith("-1")]
        self.stdout.write("")
        self.stdout.write(f"{pad('用户名 username', 22)}{pad('单位 org', 30)}角色 role")
        self.stdout.write("-" * 60)
        for username, org, role in shown:
            self.stdout.write(f"{pad(username, 22)}{pad(org, 30)}{role}")
        self.stdout.write("-" * 60)
        accounts = sum(1 for row in logins if not row[0].startswith("/"))  # vote pages are listed too
        self.stdout.write(
            f"{accounts} logins in all; every org's admin is admin-<code> "
            f"(e.g. admin-330106 西湖区, admin-330106-p001 an association). Password: {password}"
        )
