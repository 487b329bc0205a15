"""Two clerks entering expenses against the last of a line's money at the same moment (R-401): the programme's row
is locked while the balance is read and the entry written, so one entry goes in and the other is refused with the
line's balance. PostgreSQL only: SQLite serialises writers, so there is no race to test there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from apps.core.scoping import scopes_disabled
from apps.finance import figures
from apps.finance.models import Expense
from apps.finance.tests.conftest import spend
from apps.orgs.models import Membership
from tests.concurrency import at_once
from tests.factories import admin_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_race_two_clerks_spending_the_last_of_a_line_at_once_cannot_overspend_it(ledger_world):
    w = ledger_world
    with scopes_disabled():
        second = admin_of(w.zhejiang, "clerk2-330000", role=Membership.Role.STAFF)
        spend(w, amount="18000")  # 2,000 left on 印刷费

    outcomes = at_once(lambda user: spend(w, by=user, amount="1500", purpose=user.username),
                       [w.clerk.username, second.username])
    assert sorted(outcomes.values()).count("ok") == 1
    refusal = next(o for o in outcomes.values() if o != "ok")
    assert "余额500.00元" in refusal
    with scopes_disabled():
        assert figures.spent_by_line(w.zhejiang_programme.pk)["30202"] == Decimal("19500.00")
        assert sorted(Expense.plain.values_list("number", flat=True)) == [1, 2]
