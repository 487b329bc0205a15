"""Two workers of one city deciding about the list at the same moment: the round's row lock puts them one after the
other, so a pin and the list always agree, and a confirmed proposal never silently undoes a change made while the
person was reading it. PostgreSQL only: SQLite serialises writers, so there is no race to test there."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round
from apps.selection import services
from apps.selection.models import ListPin
from apps.selection.tests.test_lock_races import hangzhou_clerk_li  # noqa: F401 (fixture)
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_a_pin_and_an_exclusion_of_one_case_at_once_leave_one_decision_the_list_agrees_with(
        small, entries, campaign, hangzhou_clerk_li):  # noqa: F811
    admin, case = campaign.hangzhou_admin, entries[2].case_id

    def act(user):
        kind = "include" if user.pk == admin.pk else "exclude"
        services.list_pin(round=Round.plain.get(pk=small.pk), by=user, case_id=case, kind=kind, reason="复核决定")

    outcomes = at_once(act, [admin.username, hangzhou_clerk_li.username])
    assert set(outcomes.values()) == {"ok"}
    with scopes_disabled():
        pin = ListPin.plain.get(round=small, case_id=case)
        assert (case in services.list_ids(small)) == (pin.kind == ListPin.Kind.INCLUDE)
        assert AuditEntry.plain.filter(action="selection.pin").count() == 2


def test_a_proposal_confirmed_while_another_worker_adds_a_case_never_drops_that_case(
        small, entries, campaign, hangzhou_clerk_li):  # noqa: F811
    admin, added = campaign.hangzhou_admin, entries[3].case_id
    with scopes_disabled():
        shown = services.list_propose(small)  # what the admin reads on the confirmation page
        before = services.list_ids(small)
    assert added not in shown.chosen

    def act(user):
        current = Round.plain.get(pk=small.pk)
        if user.pk == admin.pk:
            services.list_adopt(round=current, by=user, case_ids=shown.chosen, expected=before)
        else:
            services.list_set(round=current, by=user, add=[added])

    outcomes = at_once(act, [admin.username, hangzhou_clerk_li.username])
    assert outcomes[hangzhou_clerk_li.username] == "ok"
    with scopes_disabled():
        listed = set(services.list_ids(small))
    assert added in listed
    if outcomes[admin.username] == "ok":  # the proposal came first, the addition after it
        assert listed == set(shown.chosen) | {added}
    else:
        assert "名单已有改动" in outcomes[admin.username] and listed == {added}
