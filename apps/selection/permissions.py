"""Who may do what with a round's list: the org running a scored round checks, proposes, edits, locks, answers
objections to and sends its list; offices above watch. The same predicates as the round's review
(apps.review.permissions), named for selection; locked lists and objections follow their round."""

from __future__ import annotations

from apps.core.errors import visible_or_404
from apps.review.permissions import access_review_round, can_run_review, can_view_review
from apps.selection.models import LockedList, Objection

can_run_selection = can_run_review
can_view_selection = can_view_review
access_selection_round = access_review_round

ROUND_FIELDS = ("org", "programme__campaign", "programme__org")


def access_locked_list(user, pk: int) -> LockedList:
    found = (LockedList.objects.select_related(*(f"round__{f}" for f in ROUND_FIELDS))
             .filter(pk=pk).first())
    return visible_or_404(found, lambda found: can_view_selection(user, found.round))


def access_objection(user, pk: int) -> Objection:
    found = (Objection.objects.select_related(*(f"locked_list__round__{f}" for f in ROUND_FIELDS))
             .filter(pk=pk).first())
    return visible_or_404(found, lambda found: can_view_selection(user, found.locked_list.round))
