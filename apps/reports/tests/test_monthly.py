"""Monthly progress reports (issue 19, item 2; R-403): drafted from the data with the right numbers for a known
state, edited and submitted by the province by the rulebook's day, returned by the centre with comments and sent
again, reminded before the deadline (an in-app message and e-mail, once a day), and drafted by the daily
background task, which schedules its next run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.audit.models import AuditEntry
from apps.campaigns.models import Rulebook
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.events.models import Event
from apps.finance.tests.conftest import ledger_world, spend  # noqa: F401 (fixture)
from apps.orgs.models import Message
from apps.publicity.models import MediaReport
from apps.reports.approvals import KIND, thread
from apps.reports.models import MonthlyReport
from apps.reports.monthly_services import monthly_draft, monthly_remind, monthly_save, monthly_submit

pytestmark = pytest.mark.django_db
State = MonthlyReport.State


def known_state(w):
    """July: two printing bills (1,000.50 and 2,000) and a travel claim (500); an event held on 20 July and one
    planned for 28 July; a media report of 15 July and one of 2 August."""
    year = w.zhejiang_programme.campaign.year
    july = dt.date(year, 7, 1)
    spend(w, amount="1000.50", spent_on=dt.date(year, 7, 5))
    spend(w, amount="2000", spent_on=dt.date(year, 7, 18))
    spend(w, line="30211", amount="500", payee="差旅报销", spent_on=dt.date(year, 7, 30))
    spend(w, amount="700", spent_on=dt.date(year, 8, 3))  # August: not July's
    at = timezone.make_aware(dt.datetime(year, 7, 20, 9))
    Event.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, title="宣讲会", venue="杭州", starts_at=at,
                       ends_at=at + dt.timedelta(hours=2), state="held", held_at=at)
    later = at + dt.timedelta(days=8)
    Event.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, title="座谈会", venue="宁波", starts_at=later,
                       ends_at=later + dt.timedelta(hours=2))
    for n, day in enumerate((dt.date(year, 7, 15), dt.date(year, 8, 2))):
        MediaReport.plain.create(campaign=w.campaign, programme=w.zhejiang_programme, org=w.zhejiang, outlet="浙江日报",
                                 level="provincial", kind="report", published_on=day, title=f"报道{n}",
                                 url=f"https://zjrb.example.cn/{n}", url_key=f"https://zjrb.example.cn/{n}",
                                 evidence="x.png", evidence_name="x.png", evidence_type="image/png")
    return july


def test_r403_a_draft_holds_the_right_numbers_of_its_month(ledger_world, monkeypatch):
    w = ledger_world
    with scopes_disabled():
        july = known_state(w)
        report = monthly_draft(programme=w.zhejiang_programme, month=dt.date(july.year, 7, 17))
    data = report.data
    assert (report.month, report.state, report.due_on) == (july, State.DRAFT, dt.date(july.year, 8, 5))
    spending = data["spending"]
    assert (spending["month_total"], spending["to_date"], spending["in_force"]) == ("3500.50", "3500.50", 1)
    printing = next(line for line in spending["lines"] if line["code"] == "30202")
    assert (printing["planned"], printing["month"], printing["to_date"]) == ("20000.00", "3000.50", "3000.50")
    assert data["events"]["held_in_month"] == 1 and data["events"]["planned_in_month"] == 1
    assert (data["publicity"]["media_reports_in_month"], data["publicity"]["media_reports_in_all"]) == (1, 2)
    rules = [i["rule"] for i in data["indicators"]]
    assert {"R-106", "R-401", "R-402"} <= set(rules)
    assert [s["key"] for s in data["funnel"]] == ["submitted", "screened", "city_lists", "province_list",
                                                  "presenters", "stories"]
    with scopes_disabled():
        assert AuditEntry.plain.filter(action="monthly_report.draft").count() == 1
        # In mid-September, September is not over: no report of it yet.
        monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(july.year, 9, 15))
        with pytest.raises(ValidationError, match="月份结束后"):
            monthly_draft(programme=w.zhejiang_programme, month=dt.date(july.year, 9, 1))


def test_r403_the_province_submits_the_centre_returns_and_accepts(ledger_world):
    w = ledger_world
    with scopes_disabled():
        year = w.zhejiang_programme.campaign.year
        report = monthly_draft(programme=w.zhejiang_programme, month=dt.date(year, 8, 1))
        with pytest.raises(ValidationError) as empty:
            monthly_submit(report=report, by=w.clerk)
        assert "progress" in empty.value.message_dict
        for outsider in (w.sichuan_admin, w.hangzhou_admin, w.center_admin):
            with pytest.raises(NotFound):
                monthly_save(report=report, by=outsider, progress="x", problems="", plans="")
        monthly_save(report=report, by=w.clerk, progress="完成市级遴选。", problems="", plans="举办省级宣讲。")
        sent = monthly_submit(report=report, by=w.clerk)
        assert sent.state == State.SUBMITTED and not sent.editable
        with pytest.raises(ValidationError, match="不能再修改"):
            monthly_save(report=sent, by=w.clerk, progress="改", problems="", plans="")
        approval_return(request=latest_of(KIND, thread(sent)), by=w.center_admin, comment="请补充经费使用情况")
        sent.refresh_from_db()
        assert sent.state == State.RETURNED and sent.editable
        monthly_save(report=sent, by=w.clerk, progress="完成市级遴选；印刷费支出3,000元。", problems="", plans="")
        again = monthly_submit(report=sent, by=w.clerk)
        approval_approve(request=latest_of(KIND, thread(again)), by=w.center_admin)
        again.refresh_from_db()
        assert again.state == State.ACCEPTED and "印刷费" in again.progress


def test_r403_reminders_come_before_the_deadline_once_a_day_and_stop_when_sent(ledger_world):
    w = ledger_world
    with scopes_disabled():
        w.clerk.email = "clerk@zj.example.cn"
        w.clerk.save()
        year = w.zhejiang_programme.campaign.year
        book = Rulebook.plain.get(programme=w.zhejiang_programme)
        book.values = {**book.values, "monthly_report_due_day": 10}
        book.save()
        report = monthly_draft(programme=w.zhejiang_programme, month=dt.date(year, 9, 1))
        assert report.due_on == dt.date(year, 10, 10)
        assert monthly_remind(today=dt.date(year, 10, 6)) == 0  # four days before: not yet
        assert monthly_remind(today=dt.date(year, 10, 7)) == 1
        assert monthly_remind(today=dt.date(year, 10, 7)) == 0  # once a day
        assert Message._base_manager.filter(org=w.zhejiang, subject__contains="月度进展报告").count() == 1
        assert [m.to for m in mail.outbox if "月度进展报告" in m.subject] == [["clerk@zj.example.cn"]]
        monthly_save(report=report, by=w.clerk, progress="进展顺利。", problems="", plans="")
        monthly_submit(report=report, by=w.clerk)
        assert monthly_remind(today=dt.date(year, 10, 8)) == 0  # sent: no more reminders
        assert monthly_remind(today=dt.date(year, 10, 11)) == 0


def test_r403_the_pages_keep_what_was_typed_and_the_centre_sees_who_has_not_sent(ledger_world):
    w = ledger_world
    with scopes_disabled():
        year = w.zhejiang_programme.campaign.year
        report = monthly_draft(programme=w.zhejiang_programme, month=dt.date(year, 10, 1))
    clerk = Client()
    clerk.force_login(w.clerk)
    url = reverse("reports:monthly_detail", args=[report.pk])
    refused = clerk.post(url, {"progress": "", "problems": "经费执行偏慢", "submit": "1"})
    assert refused.status_code == 400 and "请填写本月工作进展" in refused.content.decode()
    assert "经费执行偏慢" in refused.content.decode()
    sent = clerk.post(url, {"progress": "十月举办两场宣讲。", "problems": "", "plans": "", "submit": "1"})
    assert sent.status_code == 302
    centre = Client()
    centre.force_login(w.center_admin)
    grid = centre.get(reverse("reports:monthly") + f"?month={year}-10").content.decode()
    assert "浙江省" in grid and "四川省" in grid and "待中心审阅" in grid and "尚未生成" in grid
    sichuan = Client()
    sichuan.force_login(w.sichuan_admin)
    assert sichuan.get(url).status_code == 404


def test_r403_the_indicator_counts_the_reports_owed_and_fails_while_one_is_late(ledger_world):
    from apps.campaigns.indicators import Status, indicator_for

    w = ledger_world
    programme = w.zhejiang_programme
    year = programme.campaign.year
    before = timezone.make_aware(dt.datetime(year, 8, 1, 12))
    mid_september = timezone.make_aware(dt.datetime(year, 9, 10, 12))
    with scopes_disabled():
        nothing_due = indicator_for(programme, "R-403", now=before)
        assert (nothing_due.target, nothing_due.status) == (0, Status.NOT_DUE)
        late = indicator_for(programme, "R-403", now=mid_september)  # July's (due 5 August) and August's (5 Sept)
        assert (late.value, late.target, late.status) == (0, 2, Status.FAILED)
        assert late.notes == (f"尚未报送：{year}-07、{year}-08",) and late.deadline == dt.date(year, 8, 5)
        for month in (7, 8):
            report = monthly_draft(programme=programme, month=dt.date(year, month, 1))
            monthly_save(report=report, by=w.clerk, progress="完成。", problems="", plans="")
            monthly_submit(report=report, by=w.clerk)
        sent = indicator_for(programme, "R-403", now=mid_september)
        assert (sent.value, sent.target, sent.status) == (2, 2, Status.MET)
        approval_return(request=latest_of(KIND, thread(MonthlyReport.plain.get(programme=programme,
                                                                              month=dt.date(year, 8, 1)))),
                        by=w.center_admin, comment="请补充")
        assert indicator_for(programme, "R-403", now=mid_september).value == 1  # returned: owed again
        after = timezone.make_aware(dt.datetime(year, 12, 20, 12))  # the period is over: three final reports owed
        assert indicator_for(programme, "R-403", now=after).target == 5 + 3
