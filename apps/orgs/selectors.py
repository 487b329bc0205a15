"""Reads of the org tree that several callers share. Each returns a queryset inside the scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scoping import subtree_q
from apps.core.todos import Todo
from apps.orgs.models import Membership, MembershipInvitation, Org, User
from apps.orgs.permissions import can_view_org


def orgs_under(org: Org, *, kinds=None, include_self: bool = False) -> QuerySet[Org]:
    """Every org below `org` (one indexed range scan on the path)."""
    qs = Org.objects.filter(subtree_q(org.path))
    if not include_self:
        qs = qs.exclude(pk=org.pk)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def members_of(org: Org) -> QuerySet[Membership]:
    return Membership.objects.filter(org=org, is_active=True).select_related("user").order_by("role", "user__username")


def ancestors_of(org: Org) -> list[Org]:
    codes = org.ancestor_codes()[:-1]
    by_code = {o.code: o for o in Org.plain.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def breadcrumb(user, org: Org) -> list[tuple[Org, bool]]:
    """The orgs above `org`, each with whether this person may open its page."""

    return [(a, can_view_org(user, a)) for a in ancestors_of(org)]


def children_with_counts(org: Org) -> list[Org]:
    """The active orgs directly below `org`, each with `n_parks`, `n_enterprises` and `n_associations`
    counted over its whole subtree. Two queries however many children there are: the children,
    and the active associations below `org` grouped by their county's path."""
    children = list(org.children.filter(is_active=True).order_by("kind", "code"))
    per_county = (
        Org.objects.filter(subtree_q(org.path), kind__in=Org.ASSOCIATIONS, is_active=True)
        .exclude(pk=org.pk)
        .values("parent__path", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Each county's path starts with the path of the child it lies under: cut it to that depth.
    cut = org.depth + 2
    counts: dict[str, dict[str, int]] = {}
    for row in per_county:
        child_path = "/".join(row["parent__path"].split("/")[:cut]) + "/"
        by_kind = counts.setdefault(child_path, {})
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
    for child in children:
        by_kind = {} if child.is_association else counts.get(child.path, {})
        child.n_parks = by_kind.get(Org.Kind.PARK, 0)
        child.n_enterprises = by_kind.get(Org.Kind.ENTERPRISE, 0)
        child.n_associations = child.n_parks + child.n_enterprises
    return children


def orgs_search(org: Org, *, within: Org, q: str = "", kind: str = "") -> QuerySet[Org]:
    """Orgs below `org` and inside `within` (the acting org's subtree) whose name or code
    contains `q`, of `kind`."""
    qs = orgs_under(org).filter(subtree_q(within.path)).select_related("parent")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def user_find(who: str):
    """An account by exact username or phone number, or None."""
    who = who.strip()
    if not who:
        return None
    return User.objects.filter(Q(username=who) | Q(phone=who)).order_by("pk").first()


def pending_invitations_for(user) -> QuerySet[MembershipInvitation]:
    """Open offers of a role addressed to this person (read across the tree: they are the person's own)."""
    return (MembershipInvitation.plain.filter(user=user, state=MembershipInvitation.State.PENDING,
                                             expires_at__gt=timezone.now())
            .select_related("org", "invited_by").order_by("-created_at"))


def pending_invitations_of(org: Org) -> QuerySet[MembershipInvitation]:
    """Open offers an org has made, for its members page."""
    return (MembershipInvitation.objects.filter(org=org, state=MembershipInvitation.State.PENDING,
                                                expires_at__gt=timezone.now())
            .select_related("user", "invited_by").order_by("-created_at"))


def invitation_todos(user, org):
    """Home-page to-dos (apps/core/todos.py): each open invitation waits for the person's answer."""
    if not getattr(user, "is_authenticated", False):
        return []
    url = reverse("account") + "#invitations"
    return [Todo(text=_("%(org)s邀请您担任%(role)s，请确认是否接受") % {"org": i.org.name, "role": i.get_role_display()},
                 url=url, urgent=True, due=timezone.localdate(i.expires_at))
            for i in pending_invitations_for(user)]
