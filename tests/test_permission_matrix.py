"""Every URL × relation answers as its row says; a URL pattern without a row fails."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import apps
from apps.core.scoping import scopes_disabled
from tests.matrix import RELATIVES, Row

# Patterns served by libraries, outside the matrix: static files and language switching.
EXEMPT = {"set_language"}


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for info in pkgutil.iter_modules(apps.__path__):
        try:
            module = importlib.import_module(f"apps.{info.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROWS)
    return rows


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            if entry.name:
                names.add(prefix + entry.name)
            else:
                names.add(f"{prefix}<unnamed {entry.pattern}>")
    return names


def test_every_url_pattern_has_a_row_in_the_matrix():
    covered = {row.url_name for row in all_rows()}
    missing = sorted(n for n in url_names() - covered - EXEMPT if "format" not in n)
    assert not missing, f"URL patterns without a permission-matrix row: {missing}"


CASES = [(row, relation) for row in all_rows() for relation in row.expect]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, _media_root):
    """The matrix world (conftest's `world`), built once per test worker inside an outer transaction that is
    rolled back at the end. Every row runs in a savepoint of it (the `db` fixture, as Django's TestCase does
    with setUpTestData), so what a row writes is undone and the next row sees the same world: 1,340 rows no
    longer build 1,340 worlds."""
    from django.db import transaction
    from django.test import override_settings

    from tests.factories import build_tree
    from tests.world import build_world

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(_media_root)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with scopes_disabled():
                yield build_world(build_tree())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("row,relation", CASES, ids=[f"{r.id()}-{rel}" for r, rel in CASES])
def test_permission_matrix(client, db, shared_world, row: Row, relation: str):
    world = shared_world
    with scopes_disabled():
        kwargs, org_attr = row.make(world)
        data = row.data(world) if callable(row.data) else row.data
    if relation != "anon":
        relatives = RELATIVES[org_attr] if org_attr else {"own": "hangzhou_admin"}
        user_attr = relatives.get(relation)
        if user_attr is None:
            pytest.fail(f"{row.id()}: the test tree has no '{relation}' person for {org_attr}; drop that column")
        client.force_login(getattr(world, user_attr))
    url = reverse(row.url_name, kwargs=kwargs)
    response = getattr(client, row.method.lower())(url, data=data or {})
    assert response.status_code == row.expect[relation], (
        f"{row.method} {url} as {relation}: {response.status_code}, expected {row.expect[relation]}"
    )


ANONYMOUS_READS = [row for row in all_rows() if row.method == "GET" and "anon" in row.expect]


def _row_counts() -> dict[str, int]:
    from django.apps import apps as registry

    return {m._meta.label: m._base_manager.count() for m in registry.get_models() if not m._meta.proxy}


@pytest.mark.parametrize("row", ANONYMOUS_READS, ids=[r.id() for r in ANONYMOUS_READS])
def test_a_get_without_a_login_writes_no_row(client, db, shared_world, row: Row):
    """Opening a page is not a decision: a public page, a judge's QR link or a captcha writes nothing (no
    audit row, no session, no captcha record), so nobody can fill the database by following links."""
    with scopes_disabled():
        kwargs, _org = row.make(shared_world)
        data = row.data(shared_world) if callable(row.data) else row.data
        before = _row_counts()
    client.get(reverse(row.url_name, kwargs=kwargs), data=data or {})
    with scopes_disabled():
        after = _row_counts()
    assert {k: (before[k], v) for k, v in after.items() if v != before[k]} == {}
