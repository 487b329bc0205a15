"""A lock, a proposal and a result document read the round once (apps/selection/context.py): the rulebook table
once and the round's review settings once, however many parts (rules, target, composite, candidates, the
formula) use them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.scoping import scopes_disabled
from apps.review import config as review_config_module
from apps.selection import results, services


@pytest.fixture
def parses(monkeypatch):
    """How often the round's stored review settings are parsed (review_config → parse_config)."""
    calls = []
    original = review_config_module.parse_config

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(review_config_module, "parse_config", counting)
    return calls


def _rulebook_reads(queries) -> int:
    return sum(1 for q in queries if 'FROM "campaigns_rulebook"' in q["sql"])


def test_a_lock_reads_the_rulebook_and_the_review_settings_once(listed, campaign, parses):
    with scopes_disabled(), CaptureQueriesContext(connection) as sql:
        services.list_lock(round=listed, by=campaign.hangzhou_admin)
    assert _rulebook_reads(sql.captured_queries) == 1
    assert len(parses) == 1


def test_a_proposal_reads_them_once(listed, parses):
    with scopes_disabled(), CaptureQueriesContext(connection) as sql:
        services.list_propose(listed)
    assert _rulebook_reads(sql.captured_queries) == 1
    assert len(parses) == 1


def test_a_result_document_reads_them_once(listed, entries, parses):
    with scopes_disabled(), CaptureQueriesContext(connection) as sql:
        document = results.result_document(listed, [entries[0].case_id])
    assert document["list"] == [entries[0].case_id]
    assert _rulebook_reads(sql.captured_queries) == 1
    assert len(parses) == 1
