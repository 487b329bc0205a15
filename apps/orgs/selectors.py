"""Reads of the org tree that several callers share. Each returns a queryset inside the scope."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.orgs.models import Membership, Org
from apps.orgs.scoping import subtree_q


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
    by_code = {o.code: o for o in Org.tree.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]
