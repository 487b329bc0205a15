"""Who may do what to campaigns, programmes, rulebooks, work rules and quotas.

Reading: everyone working in the programme's part of the tree (the programme's own org,
the orgs above it, the orgs below it). Editing a programme and its rulebook, work rules
and quotas: an admin of the programme's own org, not an admin above it: the province
writes its rules, the centre only bounds them (R-101).
(Notice permissions live in apps/notices/permissions.py.)
"""

from __future__ import annotations

from apps.campaigns.models import Campaign, Programme
from apps.core.errors import NotFound, visible_or_404
from apps.orgs.acting import memberships_of
from apps.orgs.models import Membership, Org
from apps.orgs.permissions import is_center_admin, is_member_of


def is_admin_at(user, org: Org) -> bool:
    """An admin membership at this very org (not one above it)."""
    return any(m.org_id == org.pk and m.role == Membership.Role.ADMIN for m in memberships_of(user))


def works_within(user, org: Org) -> bool:
    """A member of `org`, of an org above it, or of an org below it."""
    return is_member_of(user, org) or any(m.org.is_under(org) for m in memberships_of(user))


def can_create_campaign(user) -> bool:
    return is_center_admin(user)


def can_view_campaign(user, campaign: Campaign) -> bool:
    return bool(memberships_of(user))


def can_set_rule_bounds(user, campaign: Campaign) -> bool:
    return is_center_admin(user)


def can_edit_campaign_settings(user, campaign: Campaign) -> bool:
    """Budgets, periods and the story book are the centre's to set (R-401, R-405, R-506)."""
    return is_center_admin(user)


def can_view_programme(user, programme: Programme) -> bool:
    return works_within(user, programme.org)


def can_view_indicators(user, programme: Programme) -> bool:
    """A programme's rule indicators measure the whole province (every city's list, every association's
    acknowledgement): its own org and the orgs above read them, a city does not."""
    return is_member_of(user, programme.org)


def can_edit_programme(user, programme: Programme) -> bool:
    return is_admin_at(user, programme.org)


def can_edit_rulebook(user, programme: Programme) -> bool:
    return programme.kind == Programme.Kind.PROVINCE and is_admin_at(user, programme.org)


can_edit_work_rules = can_edit_rulebook
can_set_quotas = can_edit_rulebook


def access_campaign(user, pk: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk).first()
    return visible_or_404(campaign, lambda campaign: can_view_campaign(user, campaign))


def access_programme(user, pk: int, *, province_only: bool = False) -> Programme:
    """The programme if the person may read it, else the same 404 as for no such programme.
    `province_only` for pages that exist only for province programmes (rulebook, quotas, work rules)."""
    programme = Programme.objects.select_related("campaign", "org").filter(pk=pk).first()
    if programme is None or not can_view_programme(user, programme):
        raise NotFound()
    if province_only and programme.kind != Programme.Kind.PROVINCE:
        raise NotFound()
    return programme
