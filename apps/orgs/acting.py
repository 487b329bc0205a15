"""Which org a signed-in person acts for. A person with several memberships picks one."""

from __future__ import annotations

from apps.orgs.models import Membership, Org

SESSION_KEY = "acting_org_id"


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_innocase_memberships", None)
    if cached is None:
        cached = list(
            Membership.plain.filter(user=user, is_active=True, org__is_active=True)
            .select_related("org")
            .order_by("org__depth", "org__path", "role")
        )
        user._innocase_memberships = cached
    return cached


def acting_org(user, session=None) -> Org | None:
    """The org chosen in the session, else the highest one the person belongs to."""
    memberships = memberships_of(user)
    if not memberships:
        return None
    wanted = session.get(SESSION_KEY) if session is not None else None
    for m in memberships:
        if m.org_id == wanted:
            return m.org
    return memberships[0].org
