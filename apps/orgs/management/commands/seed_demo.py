"""Load the demo campaign: `python manage.py seed_demo [--password PW]` (idempotent, deterministic)."""

from django.core.management.base import BaseCommand

from apps.orgs.scoping import scopes_disabled

DEMO_SEEDERS = [
    "apps.orgs.demo.seed_tree",
]


class Command(BaseCommand):
    help = "Create the demo centre, 3 provinces with real cities and counties, associations, people and campaign."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="innocase-demo", help="password of every demo login")

    def handle(self, *args, password, **options):
        from importlib import import_module

        logins = []
        with scopes_disabled():
            for dotted in DEMO_SEEDERS:
                module, name = dotted.rsplit(".", 1)
                result = getattr(import_module(module), name)(password=password)
                logins.extend(result or [])
        self.print_logins(logins, password)

    def print_logins(self, logins, password):
        shown = [row for row in logins if not row[0].startswith("admin-") or len(row[0]) <= 12 and row[0][-2:] == "00"]
        self.stdout.write("")
        self.stdout.write(f"{'用户名 username':<22}{'单位 org':<22}角色 role")
        self.stdout.write("-" * 60)
        for username, org, role in shown:
            self.stdout.write(f"{username:<22}{org:<22}{role}")
        self.stdout.write("-" * 60)
        self.stdout.write(
            f"{len(logins)} logins in all; every org's admin is admin-<code> "
            f"(e.g. admin-330106 西湖区, admin-330106-p001 an association). Password: {password}"
        )
