"""Who may do what with a round's public vote. Plain predicates; views, services and the API call these.

- The org running the round (its admins and staff) sets the poll up, reads the tally and the anomaly report,
  invalidates votes and certifies the result; offices above watch (read) but do not act for it.
- The public sees a published poll's page and cases; nobody else's data.
"""

from __future__ import annotations

from apps.core.errors import visible_or_404
from apps.review.permissions import access_review_round, can_run_review, can_view_review
from apps.voting.models import Invalidation, Poll, Vote

# A poll belongs to a scored round: who runs or watches the round's review runs or watches its vote.
can_run_poll = can_run_review
can_view_poll = can_view_review
access_voting_round = access_review_round


def access_poll(user, pk: int) -> Poll:
    found = Poll.objects.select_related("round__org", "round__programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_view_poll(user, found.round))


def access_vote(user, pk: int) -> Vote:
    found = Vote.objects.select_related("poll__round__org").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_view_poll(user, found.poll.round))


def access_invalidation(user, pk: int) -> Invalidation:
    found = Invalidation.objects.select_related("poll__round__org").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_view_poll(user, found.poll.round))
