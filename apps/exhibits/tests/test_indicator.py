"""The R-307 indicator: exhibits the province recommended to the centre (waiting, or accepted) against the rulebook's
minimum (exhibits_min, 1), due at the end of the programme's period, in Beijing dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.indicators import Status, indicator_for, registered_rules
from apps.campaigns.models import Rulebook
from apps.campaigns.selectors import rulebook_values
from apps.exhibits import services
from apps.exhibits.approvals import KIND, thread
from apps.exhibits.tests.conftest import propose

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def measure(w, day: str, hour: int = 12):
    return indicator_for(w.zhejiang_programme, "R-307",
                         now=dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING))


def test_r307_is_registered_and_its_minimum_is_a_rulebook_default(exhibit_world, system):
    assert "R-307" in registered_rules()
    assert rulebook_values(exhibit_world.zhejiang_programme)["exhibits_min"] == 1


def test_r307_without_a_recommended_exhibit_it_is_not_due_then_at_risk_then_failed(exhibit_world, system):
    w = exhibit_world
    propose(w)  # proposed only: not yet recommended
    end = w.zhejiang_programme.period_end
    early = measure(w, "2026-08-01")
    assert (early.value, early.target, early.status) == (0, 1, Status.NOT_DUE)
    assert "另有1件已申报，待省级推荐" in early.notes
    assert early.evidence[0].url == reverse("exhibits:exhibit_list")
    assert measure(w, (end - dt.timedelta(days=14)).isoformat()).status == Status.AT_RISK
    assert measure(w, end.isoformat(), hour=23).status == Status.AT_RISK
    assert measure(w, (end + dt.timedelta(days=1)).isoformat(), hour=0).status == Status.FAILED


def test_r307_a_shortlisted_exhibit_counts_while_the_centre_decides_and_an_accepted_one_stays(exhibit_world, system):
    w = exhibit_world
    exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    waiting = measure(w, "2026-08-01")
    assert (waiting.value, waiting.status, waiting.value_text) == (1, Status.MET, "1件")
    assert "1件待中心确定" in waiting.notes
    approval_approve(request=latest_of(KIND, thread(exhibit)), by=w.center_admin)
    accepted = measure(w, "2026-12-31")
    assert (accepted.value, accepted.status) == (1, Status.MET) and "中心确定参展1件" in accepted.notes


def test_r307_declined_exhibits_do_not_count(exhibit_world, system):
    w = exhibit_world
    services.exhibit_decline(exhibit=propose(w), by=w.zhejiang_admin, reason="同类展品已推荐")
    returned = services.exhibit_shortlist(exhibit=propose(w, name="光纤传感演示台"), by=w.zhejiang_admin)
    approval_return(request=latest_of(KIND, thread(returned)), by=w.center_admin, comment="未入选")
    assert measure(w, "2026-08-01").value == 0


def test_r307_the_minimum_is_the_provinces_rulebook_value(exhibit_world, system):
    w = exhibit_world
    book = Rulebook.plain.get(programme=w.zhejiang_programme)
    book.values = {**book.values, "exhibits_min": 2}
    book.save()
    services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    short = measure(w, "2026-08-01")
    assert (short.value, short.target, short.status, short.target_text) == (1, 2, Status.NOT_DUE, "≥ 2件")
    sichuan = indicator_for(w.sichuan_programme, "R-307")
    assert sichuan.value == 0  # another province's exhibits are not counted
