"""Who may do what to which org or membership. Plain predicates; views and services call these."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import visible_or_404
from apps.orgs.acting import memberships_of
from apps.orgs.holdings import holdings_of
from apps.orgs.models import Membership, MembershipInvitation, Org


def admin_orgs(user) -> list[Org]:
    return [m.org for m in memberships_of(user) if m.role == Membership.Role.ADMIN]


def is_admin_of(user, org: Org) -> bool:
    """An admin of an org administers it and every org below it."""
    return any(org.is_under(a) for a in admin_orgs(user))


def is_member_of(user, org: Org) -> bool:
    """Admins and staff of an org or of an org above it work on it."""
    return any(org.is_under(m.org) for m in memberships_of(user))


def works_at(user, org: Org) -> bool:
    """An admin or staff member of this very org: an office above watches it, but does not act for it."""
    return any(m.org_id == org.pk for m in memberships_of(user))


def is_center_admin(user) -> bool:
    return any(o.kind == Org.Kind.CENTER for o in admin_orgs(user))


def can_view_org(user, org: Org) -> bool:
    return is_member_of(user, org)


def can_manage_members(user, org: Org) -> bool:
    return is_admin_of(user, org)


def can_import_tree(user, org: Org) -> bool:
    return org.kind == Org.Kind.PROVINCE and is_admin_of(user, org)


def access_org(user, code: str) -> Org:
    """The org with this code if the person may see it, else the same 404 as for no such org."""
    org = Org.objects.filter(code=code).first()
    return visible_or_404(org, lambda org: can_view_org(user, org))


def access_membership(user, pk: int) -> Membership:
    membership = Membership.objects.select_related("org", "user").filter(pk=pk).first()
    return visible_or_404(membership, lambda membership: can_manage_members(user, membership.org))


def roles_outside(by, user) -> list[Membership]:
    """The active roles of `user` in orgs that `by` does not administer."""
    roles = Membership.plain.filter(user=user, is_active=True).select_related("org")
    return [m for m in roles if not is_admin_of(by, m.org)]


def grants_outside(by, user) -> list[str]:
    """What `user` holds that `by` did not grant: roles in other orgs, and whatever the apps above register
    (apps.orgs.holdings: an expert profile, pool places). Resetting someone's password hands over the whole
    account, so an admin may do it only when this list is empty."""
    found = [_("%(org)s的%(role)s") % {"org": m.org.name, "role": m.get_role_display()} for m in roles_outside(by, user)]
    return found + holdings_of(user)


def access_import(user, code: str) -> Org:
    """The province whose tree the person may import into (R: issue 3 item 2), else 404."""
    return visible_or_404(access_org(user, code), lambda org: can_import_tree(user, org))


def access_members(user, code: str) -> Org:
    """The org whose members the person may manage, else 404."""
    return visible_or_404(access_org(user, code), lambda org: can_manage_members(user, org))


def can_answer_invitation(user, invitation: MembershipInvitation) -> bool:
    """Only the invited person, signed in as themself, accepts or declines."""
    return invitation.user_id == getattr(user, "pk", None)


def access_my_invitation(user, pk: int) -> MembershipInvitation:
    """An invitation addressed to the signed-in person, else 404."""
    invitation = MembershipInvitation.plain.select_related("org", "invited_by").filter(pk=pk).first()
    return visible_or_404(invitation, lambda invitation: can_answer_invitation(user, invitation))


def access_org_invitation(user, pk: int) -> MembershipInvitation:
    """An invitation of an org whose members the person manages (to withdraw it), else 404."""
    invitation = MembershipInvitation.objects.select_related("org", "user").filter(pk=pk).first()
    return visible_or_404(invitation, lambda invitation: can_manage_members(user, invitation.org))
