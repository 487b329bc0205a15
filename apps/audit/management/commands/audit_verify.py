from django.core.management.base import BaseCommand, CommandError

from apps.audit.services import audit_verify


class Command(BaseCommand):
    help = ("Verify the audit log's keyed hash chain up to the head row read at the start; exit non-zero naming "
            "the first bad row.")

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            where = f"at row {result.bad_id}" if result.bad_id is not None else "at its head"
            raise CommandError(f"audit log broken {where}: {result.reason} ({result.checked} rows verified before it)")
        self.stdout.write(f"audit log intact: {result.checked} rows verified")
