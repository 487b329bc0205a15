"""Who may do what with a round's public vote. Plain predicates; views, services and the API call these.

- The org running the round (its admins and staff) sets the poll up, reads the tally and the anomaly report,
  invalidates votes and certifies the result; offices above watch (read) but do not act for it.
- The public sees a published poll's page and cases; nobody else's data.
"""

from __future__ import annotations

from apps.core.errors import NotFound
from apps.orgs.permissions import is_member_of
from apps.review.config import SCORED_KINDS
from apps.rounds.models import Round
from apps.rounds.permissions import works_at
from apps.voting.models import Invalidation, Poll, Vote


def can_run_poll(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and works_at(user, round.org)


def can_view_poll(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and is_member_of(user, round.org)


def access_voting_round(user, pk: int) -> Round:
    """A scored round whose vote the person may watch, else the same 404 as for no such round."""
    found = Round.objects.select_related("org", "programme__campaign", "programme__org").filter(pk=pk).first()
    if found is None or not can_view_poll(user, found):
        raise NotFound()
    return found


def access_poll(user, pk: int) -> Poll:
    found = Poll.objects.select_related("round__org", "round__programme__org").filter(pk=pk).first()
    if found is None or not can_view_poll(user, found.round):
        raise NotFound()
    return found


def access_vote(user, pk: int) -> Vote:
    found = Vote.objects.select_related("poll__round__org").filter(pk=pk).first()
    if found is None or not can_view_poll(user, found.poll.round):
        raise NotFound()
    return found


def access_invalidation(user, pk: int) -> Invalidation:
    found = Invalidation.objects.select_related("poll__round__org").filter(pk=pk).first()
    if found is None or not can_view_poll(user, found.poll.round):
        raise NotFound()
    return found
