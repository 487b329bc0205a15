"""Fixtures of the events tests: 浙江省's presenter list locked with three cases, and a team of two presenters."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled


@pytest.fixture
def team(campaign_world):  # noqa: F811
    from apps.campaigns.models import Rulebook
    from apps.events.services import presenter_add
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList

    w = campaign_world
    with scopes_disabled():
        cases = [submit(w).case for _n in range(3)]
        w.presenter_round = Round.plain.create(programme=w.zhejiang_programme, org=w.zhejiang,
                                               kind="presenter_selection", state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=w.presenter_round, number=1, slug="evtteam00001", case_ids=[c.pk for c in cases],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
        w.cases = cases
        w.presenters = [presenter_add(org=w.zhejiang, programme=w.zhejiang_programme, case_id=c.pk,
                                      by=w.zhejiang_admin, name=f"宣讲人{n}", title="总经理", organisation="某公司",
                                      phone="13900000000", bio="长期从事技术创新工作。") for n, c in enumerate(cases[:2])]
        # The programme runs this year, so that events can be dated around now.
        year = timezone.localdate().year
        programme = w.zhejiang_programme
        programme.period_start, programme.period_end = timezone.datetime(year, 1, 1).date(), \
            timezone.datetime(year, 12, 31).date()
        programme.save()
        book = Rulebook.plain.get(programme=programme)
        book.values = {**book.values, "provincial_event_deadline": f"{year}-10-31"}
        book.save()
    return w
