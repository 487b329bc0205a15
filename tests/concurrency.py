"""Races in tests: people pressing the same button at the same moment (PostgreSQL only; SQLite serialises
writers). Each person acts in a thread of their own with their own connection, all released by one barrier."""

from __future__ import annotations

import threading
from typing import Callable

from django.core.exceptions import ValidationError
from django.db import connections

from apps.core.scoping import scopes_disabled
from apps.orgs.models import User


def at_once(action: Callable[[User], object], usernames: list[str], *, ok: str = "ok") -> dict[str, str]:
    """Run action(user) for every username at the same moment; username → `ok`, or the first message of the
    ValidationError the action raised (any other error fails the test in its thread and is re-raised here)."""
    barrier = threading.Barrier(len(usernames))
    outcomes: dict[str, str] = {}
    errors: list[BaseException] = []

    def run(username):
        try:
            with scopes_disabled():
                user = User.objects.get(username=username)
                barrier.wait(timeout=10)
                action(user)
            outcomes[username] = ok
        except ValidationError as exc:
            outcomes[username] = exc.messages[0]
        except BaseException as exc:  # noqa: BLE001 (handed to the test's thread below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(u,)) for u in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return outcomes
