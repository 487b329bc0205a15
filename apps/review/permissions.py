"""Who may do what in expert review. Plain predicates; views, services and the API call these.

- An org's admins and staff keep its expert pool and run review in its rounds (city, province, presenter
  and story rounds); offices above watch (read) but do not act for it.
- An expert sees only the cases assigned to them and only their own score sheets, and never a case they
  are conflicted with or declined.
"""

from __future__ import annotations

from apps.core.errors import NotFound, visible_or_404
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of
from apps.review.config import review_config
from apps.review.conflicts import conflicts_between
from apps.review.models import Assignment, Expert, PoolMember
from apps.rounds.kinds import SCORED_KINDS, keeps_pool
from apps.rounds.models import Round
from apps.rounds.permissions import works_at

def can_keep_pool(user, org: Org) -> bool:
    return keeps_pool(org) and works_at(user, org)


def can_view_pool(user, org: Org) -> bool:
    return keeps_pool(org) and is_member_of(user, org)


def can_run_review(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and works_at(user, round.org)


def can_view_review(user, round: Round) -> bool:
    return round.kind in SCORED_KINDS and is_member_of(user, round.org)


def expert_of(user) -> Expert | None:
    """The signed-in person's expert profile, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_innocase_expert", False)
    if cached is False:
        cached = Expert.plain.filter(user=user).first()
        user._innocase_expert = cached
    return cached


def can_score(user, assignment: Assignment) -> bool:
    """The assigned expert, while the assignment stands (not declined) and the round takes scores."""
    expert = expert_of(user)
    return (expert is not None and assignment.expert_id == expert.pk
            and assignment.state != Assignment.State.DECLINED
            and assignment.round.state in (Round.State.OPEN,))


def access_pool_org(user, org: Org) -> Org:
    if not can_view_pool(user, org):
        raise NotFound()
    return org


def access_pool_member(user, pk: int) -> PoolMember:
    member = PoolMember.objects.select_related("org", "expert__user").filter(pk=pk).first()
    return visible_or_404(member, lambda member: can_keep_pool(user, member.org))


def access_review_round(user, pk: int) -> Round:
    """A scored round the person may watch, else the same 404 as for no such round."""
    found = Round.objects.select_related("org", "programme__campaign", "programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_view_review(user, found))


def access_own_assignment(user, pk: int) -> Assignment:
    """The expert's own review assignment (not declined), else the same 404 as for no such assignment. The
    caller runs in the expert's scope (scope(expert_id=…)), so another expert's assignment is not found. Live
    (judge) assignments are scored on the judge page only, for the case on stage."""
    expert = expert_of(user)
    found = (Assignment.objects.select_related("round__org", "round__programme", "case__enterprise", "case__county",
                                               "case__recommender", "expert")
             .filter(pk=pk, method=Assignment.Method.REVIEW).first()) if expert is not None else None
    if found is None or found.expert_id != expert.pk or found.state == Assignment.State.DECLINED:
        raise NotFound()
    if found.state == Assignment.State.ACTIVE and _conflicted(found):
        raise NotFound()  # found conflicted after it was assigned: the expert no longer opens the case
    return found


def _conflicted(assignment: Assignment) -> bool:

    config = review_config(assignment.round)
    return bool(conflicts_between(assignment.round, [assignment.expert], [assignment.case],
                                  same_county=config.same_county_conflict))


def access_round_assignment(user, pk: int) -> Assignment:
    found = Assignment.objects.select_related("round__org", "case", "expert").filter(pk=pk).first()
    return visible_or_404(found, lambda found: can_run_review(user, found.round))
