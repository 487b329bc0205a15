"""Where a case meets the levels above it: the rounds that screen and select it (apps.rounds).

Cases sits below rounds in the layers (docs/architecture.md) and never imports it. The rounds app plugs its
side in at start-up (apps.rounds.apps.ready → `register`) and this module hands over to it:

- a submitted case goes to its county's screening round, a withdrawn one comes back out of it (R-107);
- an Excel intake opens the county's round and hands it the imported cases in bulk;
- the case pages, the list, the export and the to-dos read what each level decided about a case.

Without a registered side a case cannot be submitted at all: `levels()` raises rather than let a submission
quietly reach no county.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class IntakeRound:
    """The round an Excel intake fills."""

    pk: int


class Levels(Protocol):
    def decision_choices(self) -> Sequence[tuple[str, str]]:
        """The decisions a level takes on a case, as (value, label) choices (通过, 未通过, 退回修改 …)."""

    def decision_of(self, viewer) -> Expression | None:
        """An expression over OuterRef("pk") for a Case queryset: the decision the viewer's level took on each
        case (an association reads its county's screening), or None when the viewer's level decides nothing."""

    def entries_of(self, case) -> QuerySet:
        """The rounds a case is in, lowest level first, with each one's decision, reason and comment."""

    def returned_comments(self, case_ids: Iterable[int]) -> dict[int, str]:
        """Case id → the latest comment of a level that returned the case for revision."""

    def receive(self, *, case, by) -> None:
        """A case (or its revision) was submitted: it enters its county's screening round, inside the
        caller's transaction; a ValidationError refuses the submission."""

    def withdraw(self, *, case, by) -> int | None:
        """The association took a submitted case back: it leaves its county's round (the round's id)."""

    def intake_refusal(self, *, programme, county) -> str | None:
        """Why the county's screening round takes no cases now (None when it does), read without writing."""

    def intake_open(self, *, programme, county, by) -> IntakeRound:
        """The county's screening round, made and opened if needed and row-locked to the end of the caller's
        transaction, for an Excel intake."""

    def receive_imported(self, *, round: IntakeRound, cases: Sequence[tuple[int, str]], by, at,
                         insert: Callable[[Any, list[dict]], list[int]]) -> None:
        """The intake's cases ((id, title), version 1) enter `round` in bulk, each audited; `insert(model, rows)`
        writes rows the way the intake does (COPY on PostgreSQL)."""


_levels: Levels | None = None


def register(side: Levels) -> None:
    global _levels
    _levels = side


def levels() -> Levels:
    if _levels is None:
        raise ImproperlyConfigured("No app handles submitted cases: apps.rounds must be installed.")
    return _levels
