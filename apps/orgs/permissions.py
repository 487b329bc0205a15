"""Who may do what to which org or membership. Plain predicates; views and services call these."""

from __future__ import annotations

from apps.core.errors import NotFound
from apps.orgs.acting import memberships_of
from apps.orgs.models import Membership, Org


def admin_orgs(user) -> list[Org]:
    return [m.org for m in memberships_of(user) if m.role == Membership.Role.ADMIN]


def is_admin_of(user, org: Org) -> bool:
    """An admin of an org administers it and every org below it."""
    return any(org.is_under(a) for a in admin_orgs(user))


def is_member_of(user, org: Org) -> bool:
    """Admins and staff of an org or of an org above it work on it."""
    return any(org.is_under(m.org) for m in memberships_of(user))


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
    if org is None or not can_view_org(user, org):
        raise NotFound()
    return org


def access_membership(user, pk: int) -> Membership:
    membership = Membership.objects.select_related("org", "user").filter(pk=pk).first()
    if membership is None or not can_manage_members(user, membership.org):
        raise NotFound()
    return membership


def covers_all_memberships(by, user) -> bool:
    """True when every active role of `user` lies in an org that `by` administers.

    Resetting someone's password hands over their whole account, so an admin may do it only
    when the account holds no role outside the admin's own subtree.
    """
    roles = Membership.tree.filter(user=user, is_active=True).select_related("org")
    return all(is_admin_of(by, m.org) for m in roles)


def access_import(user, code: str) -> Org:
    """The province whose tree the person may import into (R: issue 3 item 2), else 404."""
    org = access_org(user, code)
    if not can_import_tree(user, org):
        raise NotFound()
    return org


def access_members(user, code: str) -> Org:
    """The org whose members the person may manage, else 404."""
    org = access_org(user, code)
    if not can_manage_members(user, org):
        raise NotFound()
    return org
