"""Fixtures of the ledger: the 2026 campaign on the test tree with 浙江省's budget in force (200,000 yuan over seven
lines, apps/finance/tests/world.py), and a staff member of 浙江省 who keeps the books."""

from __future__ import annotations

import pytest

from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.finance import services
from apps.finance.tests.world import LINES, approve_budget, pdf
from apps.orgs.models import Membership
from tests.factories import admin_of


@pytest.fixture
def ledger_world(campaign_world):  # noqa: F811
    w = campaign_world
    with scopes_disabled():
        w.clerk = admin_of(w.zhejiang, "clerk-330000", role=Membership.Role.STAFF)
        w.budget = services.budget_submit(programme=w.zhejiang_programme, by=w.clerk, amounts=LINES)
        approve_budget(w, w.budget)
    return w


def day(w, n: int = 10):
    import datetime as dt

    return w.zhejiang_programme.period_start + dt.timedelta(days=n)


def spend(w, *, by=None, line="30202", amount="1000", payee="杭州印务有限公司", purpose="资料印制", **kw):
    kw.setdefault("spent_on", day(w))
    kw.setdefault("vouchers", [pdf()])
    return services.expense_add(programme=w.zhejiang_programme, by=by or w.clerk, line=line, amount=amount,
                                payee=payee, purpose=purpose, **kw)
