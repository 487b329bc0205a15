"""Who may do what with a round's list: the org running the round checks and proposes lists (and, later,
locks and sends them); offices above watch. Plain predicates, as in every app."""

from __future__ import annotations

from apps.core.errors import NotFound
from apps.orgs.permissions import is_member_of
from apps.review.config import SCORED_KINDS
from apps.rounds.models import Round
from apps.rounds.permissions import works_at


def can_run_selection(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and works_at(user, round.org)


def can_view_selection(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and is_member_of(user, round.org)


def access_selection_round(user, pk) -> Round:
    found = Round.objects.select_related("org", "programme__campaign", "programme__org").filter(pk=pk).first()
    if found is None or not can_view_selection(user, found):
        raise NotFound()
    return found
