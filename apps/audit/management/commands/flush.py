"""flush that can still empty the audit tables on PostgreSQL, where migration 0003's triggers reject TRUNCATE.

The test runner flushes the database after every transactional test, so without this every such test would fail
on PostgreSQL. The triggers are disabled and enabled again around the one TRUNCATE statement, inside flush's own
transaction: no other session ever sees them off, and a role that may not ALTER the tables (the one that could
drop the triggers anyway) is refused."""

from django.core.management.commands import flush
from django.db import connections

TRUNCATE_GUARDS = {"audit_auditentry": "audit_entry_no_truncate", "audit_audithead": "audit_head_no_truncate"}


def _lift_truncate_guards(execute, sql, params, many, context):
    if not sql.lstrip().upper().startswith("TRUNCATE"):
        return execute(sql, params, many, context)
    guarded = [(table, trigger) for table, trigger in TRUNCATE_GUARDS.items() if f'"{table}"' in sql]
    for table, trigger in guarded:
        execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}", None, False, context)
    result = execute(sql, params, many, context)
    for table, trigger in guarded:
        execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}", None, False, context)
    return result


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.execute_wrapper(_lift_truncate_guards):
            return super().handle(**options)
