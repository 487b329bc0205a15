"""Who may see and work on which round. Plain predicates; views and services call these."""

from __future__ import annotations

from apps.core.errors import visible_or_404
from apps.orgs.permissions import (
    is_admin_of,
    is_member_of,
    works_at,
)
from apps.rounds.models import Round, RoundEntry


def can_view_round(user, round: Round) -> bool:
    """The org running the round and every office above it see its whole list; the associations below
    see only their own cases' outcomes (selectors.case_outcomes)."""
    return is_member_of(user, round.org)


def can_transition_round(user, round: Round) -> bool:
    return works_at(user, round.org)


def can_decide_round(user, round: Round) -> bool:
    return works_at(user, round.org) and bool(round.spec.decisions)


def can_send_round(user, round: Round) -> bool:
    return works_at(user, round.org)


def can_set_round_deadline(user, round: Round) -> bool:
    """The round's own admins, or an admin above (a city extending its counties' deadline)."""
    return is_admin_of(user, round.org)


def access_round(user, pk: int) -> Round:
    """A round the person may see, else the same 404 as for no such round."""
    found = Round.objects.select_related("org", "programme__campaign", "programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_view_round(user, found))


def access_entry(user, pk: int) -> RoundEntry:
    entry = (RoundEntry.objects
             .select_related("round__org", "round__programme__campaign", "round__programme__org",
                             "case__enterprise__county", "case__recommender", "case__county", "decided_by",
                             "source__round__org")
             .filter(pk=pk).first())
    return visible_or_404(entry, lambda entry: can_view_round(user, entry.round))
