"""Selection: check a list against the round's rules (one validator) and propose the best valid one (one
solver). The same functions serve the pages, the API and the commands."""

from __future__ import annotations

from collections.abc import Iterable

from apps.rounds.models import Round
from apps.selection.rules import Violation
from apps.selection.selectors import candidates_for, rules_for
from apps.selection.validator import validate

MAX_LIST = 100_000


def list_check(round: Round, case_ids: Iterable[int]) -> list[Violation]:
    """Every rule of the round the list breaks ([] when it is valid)."""
    return validate(rules_for(round), candidates_for(round), case_ids)
