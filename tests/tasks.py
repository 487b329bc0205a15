"""Running the background tasks a test queued, with the real worker of the database backend (`db_worker --batch`:
every queued task, then it stops). The worker closes database connections between tasks as a long-running process
must, so a test that runs it uses a transactional database (`pytest.mark.django_db(transaction=True)` or
live_server): on PostgreSQL a closed connection would end a test wrapped in one transaction."""

from __future__ import annotations

from django.core.management import call_command


def run_queued_tasks() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
