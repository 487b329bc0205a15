"""The kinds of approvable object (ARCHITECTURE: one approvals mechanism).

A kind declares only who approves one of its objects and what approval unlocks: `approver(obj)` names the org
that decides, `on_approve(obj, by)` does what approval unlocks (a manual quota table goes in force), and
`on_return(obj, by, comment)` marks the object returned. Everything else (versions, deadlines, the inbox, the
audit rows, the API) is the mechanism's, in apps/approvals/services.py.

The app that owns a kind registers it in its AppConfig.ready (apps.campaigns registers manual quota tables,
R-104); approvals sits below every app that uses it and imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.functional import Promise


@dataclass(frozen=True)
class ApprovableKind:
    key: str  # stored on each request, e.g. "quota_table"
    label: Promise  # what the object is called (手工名额表)
    rule: str  # the rule that asks for the approval
    model: type[Model]  # each version of the thing is one row of this model
    submitter: Callable[[Any], Any]  # the org that submits the object (an Org)
    approver: Callable[[Any], Any]  # the org that decides on it (an Org above the submitter)
    thread: Callable[[Any], str]  # what the versions have in common ("programme:12"): one request pending at a time
    on_approve: Callable[[Any, Any], None]  # (obj, by): what approval unlocks
    on_return: Callable[[Any, Any, str], None]  # (obj, by, comment)
    on_withdraw: Callable[[Any, Any], None]  # (obj, by): the submitter took the version back
    url: Callable[[Any], str]  # the object's page
    summary: Callable[[Any], list[str]]  # the lines the approver reads before deciding
    decide_days: int = 7  # the approver decides within this many days of a submission (Beijing dates)
    resubmit_days: int = 14  # the submitter resubmits within this many days of a return
    # A return is the approver's final no (an exhibit the centre does not take): no resubmission is due, so no
    # deadline and no to-do follow it.
    final_return: bool = False


_kinds: dict[str, ApprovableKind] = {}


def register(kind: ApprovableKind) -> ApprovableKind:
    _kinds[kind.key] = kind
    return kind


def kind_of(key: str) -> ApprovableKind:
    try:
        return _kinds[key]
    except KeyError:
        raise ImproperlyConfigured(f"No approvable kind {key!r} is registered.")


def kinds() -> dict[str, ApprovableKind]:
    return dict(_kinds)
