"""Each office's home page leads with the units below it: cases submitted, screened and passed, where the
unit's list stands, its deadline, whether it is late, and a reminder (催办) that reaches its inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases.tests.list_world import build_list_cases
from apps.core.scoping import scope, scopes_disabled
from apps.orgs.models import Message
from apps.reports.models import Reminder
from apps.reports.overview import units_below
from apps.reports.services import unit_remind
from apps.rounds.models import Round
from apps.rounds.services import round_for


@pytest.fixture
def listed(tree):
    with scopes_disabled():
        return build_list_cases(tree)


def county_round(listed, county, **fields) -> Round:
    with scopes_disabled():
        r = round_for(programme=listed.zhejiang_programme, org=county, kind=Round.Kind.COUNTY_SCREENING)
        Round.plain.filter(pk=r.pk).update(**fields)
        return Round.plain.get(pk=r.pk)


def rows_of(org, listed, today=None):
    with scope(org=org):
        return {row.org.name: row for row in units_below(org, listed.campaign, today=today)}


def test_a_city_sees_per_county_what_was_submitted_screened_and_passed(listed):
    rows = rows_of(listed.hangzhou, listed)
    assert (rows["西湖区"].submitted, rows["西湖区"].screened, rows["西湖区"].passed) == (2, 1, 1)
    assert (rows["上城区"].submitted, rows["上城区"].screened, rows["上城区"].passed) == (1, 0, 0)


def test_a_province_sees_each_citys_totals(listed):
    rows = rows_of(listed.zhejiang, listed)
    assert (rows["杭州市"].submitted, rows["杭州市"].passed) == (3, 1)
    assert rows["宁波市"].submitted == 2  # a case returned for revision was submitted all the same


def test_a_late_unit_is_flagged_and_a_sent_one_is_not(listed):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    county_round(listed, listed.xihu, state=Round.State.OPEN, deadline=yesterday)
    county_round(listed, listed.shangcheng, state=Round.State.SENT, deadline=yesterday)
    rows = rows_of(listed.hangzhou, listed)
    assert rows["西湖区"].overdue and rows["西湖区"].state_label == "筛查中"
    assert not rows["上城区"].overdue and rows["上城区"].state_label == "已上报"


def test_the_overview_costs_the_same_few_queries_for_any_number_of_units(listed, django_assert_max_num_queries):
    with scope(org=listed.zhejiang), django_assert_max_num_queries(8):
        units_below(listed.zhejiang, listed.campaign)


def test_a_reminder_reaches_the_late_units_inbox_and_mail_once_a_day(listed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scopes_disabled():
        listed.xihu_admin.email = "xihu@example.cn"
        listed.xihu_admin.save(update_fields=["email"])
    county_round(listed, listed.xihu, state=Round.State.OPEN, deadline=timezone.localdate() - dt.timedelta(days=2))
    with scope(org=listed.hangzhou):
        reminder = unit_remind(unit=listed.xihu, by=listed.hangzhou_admin)
        with pytest.raises(ValidationError, match="今天已经催办过西湖区"):
            unit_remind(unit=listed.xihu, by=listed.hangzhou_admin)
    with scopes_disabled():
        message = Message._base_manager.get(org=listed.xihu)
        assert "杭州市提醒" in message.body and "筛查中" in message.body and message.link.startswith("/rounds/")
        assert Reminder.plain.count() == 1 and reminder.emails == 1
        assert AuditEntry.plain.filter(action="unit.remind", target_id=str(listed.xihu.pk)).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xihu@example.cn"]


def test_a_sent_unit_is_not_reminded(listed):
    county_round(listed, listed.shangcheng, state=Round.State.SENT, deadline=timezone.localdate())
    with scope(org=listed.hangzhou), pytest.raises(ValidationError, match="已上报，无需催办"):
        unit_remind(unit=listed.shangcheng, by=listed.hangzhou_admin)


@pytest.mark.parametrize("who", ["zhejiang_admin", "ningbo_admin", "xihu_admin", "shangcheng_admin"])
def test_only_the_office_directly_above_reminds(listed, who):
    county_round(listed, listed.xihu, state=Round.State.OPEN, deadline=timezone.localdate())
    with scopes_disabled(), pytest.raises(Http404):
        unit_remind(unit=listed.xihu, by=getattr(listed, who))


def test_the_home_page_leads_with_the_units_and_offers_a_reminder_to_a_late_one(client, listed):
    county_round(listed, listed.xihu, state=Round.State.OPEN, deadline=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(listed.hangzhou_admin)
    county_round(listed, listed.shangcheng, state=Round.State.SENT)
    page = client.get(reverse("home")).content.decode()
    assert page.index("下级单位进度") < page.index("待办事项")
    assert "1个单位已逾期" in page and reverse("reports:unit_remind", args=[listed.xihu.code]) in page
    assert reverse("reports:unit_remind", args=[listed.shangcheng.code]) not in page
    sent = client.post(reverse("reports:unit_remind", args=[listed.xihu.code]), {"next": "/"}, follow=True)
    assert "已向西湖区发送催办消息" in sent.content.decode()


def test_an_association_home_page_has_no_units_table(client, listed):
    client.force_login(listed.xihu_park_admin)
    assert "下级单位进度" not in client.get(reverse("home")).content.decode()
