"""Query scoping: every query of campaign data runs inside a scope.

We follow the pattern of pretalx's django-scopes (a scoped manager that refuses to
query outside a scope) but do not use the package itself: its scopes filter by
equality (`field=value` / `field__in=values`) and treat a `None` value as "no filter",
while our visibility is "this org's subtree, plus the chain of its ancestors" and a
missing scope must never widen a query. Each scoped model says what a scope may see:
the org path its rows sit under (`scope_path`), or one classmethod, `scope_filter(scope) -> Q`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from apps.orgs.models import Org

PATH_END = "~"  # sorts after every character a path may hold (digits, A-Z, '-', '/')


class ScopeError(RuntimeError):
    """A scoped model was queried outside a scope."""


@dataclass(frozen=True)
class Scope:
    """What the code now running may see: an org's subtree (`org`), one expert's assignments (`expert_id`,
    for the review pages), the public (neither), or everything (`system`, for commands and set-up)."""

    org: "Org | None" = None
    system: bool = False
    expert_id: int | None = None

    @property
    def path(self) -> str:
        if self.org is None:
            # The public scope sees no org's data; an empty range matches nothing.
            return PATH_END
        return self.org.path

    def subtree(self, field: str = "path") -> Q:
        """Rows whose `field` path lies under the scope's org (the org included)."""
        if self.org is None:
            return Q(pk__in=[])
        return subtree_q(self.org.path, field)

    def chain(self, field: str = "path") -> Q:
        """Rows whose `field` path is an ancestor of the scope's org (the org included)."""
        if self.org is None:
            return Q(pk__in=[])
        return Q(**{f"{field}__in": ancestor_paths(self.org.path)})

    def expert(self, field: str = "expert_id") -> Q:
        """Rows whose `field` is the scope's expert (nothing when the scope is not an expert's)."""
        if self.expert_id is None:
            return Q(pk__in=[])
        return Q(**{field: self.expert_id})


def subtree_q(path: str, field: str = "path") -> Q:
    """One indexed range scan: every path that starts with `path`."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})


def ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


_current: ContextVar[Scope | None] = ContextVar("innocase_scope", default=None)


def current_scope() -> Scope:
    value = _current.get()
    if value is None:
        raise ScopeError("A scoped model was queried outside a scope; wrap the code in scope(org=…).")
    return value


@contextmanager
def scope(*, org: "Org | None" = None, expert_id: int | None = None):
    """Act as `org`: scoped queries see its subtree (and what each model allows); or as an expert
    (`expert_id`): the review models show that expert's assignments and the cases in them. Neither is the
    public."""
    token = _current.set(Scope(org=org, expert_id=expert_id))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def scopes_disabled():
    """For management commands, migrations and tests that set data up: see everything."""
    token = _current.set(Scope(system=True))
    try:
        yield
    finally:
        _current.reset(token)


class ScopedQuerySet(models.QuerySet):
    pass


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of scoped models: filters by the current scope, raises without one."""

    def get_queryset(self):
        active = current_scope()
        qs = super().get_queryset()
        if active.system:
            return qs
        return qs.filter(self.model.scope_filter(active))


class ScopedModel(models.Model):
    """Base of campaign data: `objects` filters by the current scope (and raises outside one), `plain` is
    the unfiltered manager for structural look-ups and the base manager of related-object access.
    Each model states what a scope may see: the org path its rows sit under (`scope_path`, e.g.
    "round__org__path": a scope sees the rows under its org; with `scope_chain`, also the rows of the orgs
    above it, which the orgs below read), or, for any other rule, a classmethod `scope_filter(scope) -> Q`."""

    scope_path: str | None = None
    scope_chain = False

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "plain"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        if cls.scope_path is None:  # fail closed: a model that states no rule is not queried at all
            raise NotImplementedError(f"{cls.__name__} states neither scope_path nor scope_filter")
        seen = scope.subtree(cls.scope_path)
        return (seen | scope.chain(cls.scope_path)) if cls.scope_chain else seen
