"""The dashboards (issue 19, item 4): a project's rules with their status in crafted states, the centre's heat map
whose every number equals the project's own page, the national funnel, the trend rows, spending; a fixed number of
queries for the centre's view however many projects; exports to Excel and PDF; a province's home page leading with
its own card; and no province reading another's dashboard."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.campaigns.indicators import Status
from apps.campaigns.models import Programme
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.finance.tests.conftest import ledger_world, spend  # noqa: F401 (fixture)
from apps.orgs.models import Org
from apps.reports import dashboard
from apps.reports.models import IndicatorSnapshot
from tests.factories import make_org
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def cell(view, org_name, rule):
    row = next(r for r in view.rows if r.programme.org.name == org_name)
    return row.cells[[r for r, _t in view.rules].index(rule)]


def test_each_rule_s_status_in_crafted_states(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, line="30227", amount="25000", payee="杭州某传媒有限公司", purpose="视频拍摄",
              justification="技术服务，策划组织由本单位负责。")  # on the watch list
        view = dashboard.national_view(w.campaign)
    assert cell(view, "浙江省", "R-401").status == Status.MET  # budget in force
    assert cell(view, "四川省", "R-401").status != Status.MET  # no budget
    r402 = cell(view, "浙江省", "R-402")
    assert r402.status != Status.MET and r402.url == reverse("finance:ledger", args=[w.zhejiang_programme.pk]) + "?risk=1"
    assert cell(view, "中国科协企业创新服务中心", "R-106") is None  # a province's rule: not the brand project's
    assert cell(view, "中国科协企业创新服务中心", "R-501") is not None


def test_every_number_of_the_centre_s_view_equals_the_project_s_own_page(ledger_world):
    w = ledger_world
    with scopes_disabled():
        spend(w, amount="1234.56")
    province = Client()
    province.force_login(w.zhejiang_admin)
    page = province.get(reverse("reports:project_dashboard", args=[w.zhejiang_programme.pk]))
    assert page.status_code == 200
    own = {i.rule: (i.status, i.value_text) for i in page.context["view"].indicators}
    centre = Client()
    centre.force_login(w.center_admin)
    national = centre.get(reverse("reports:dashboard")).context["view"]
    row = next(r for r in national.rows if r.programme.pk == w.zhejiang_programme.pk)
    theirs = {c.rule: (c.status, c.value_text) for c in row.cells if c is not None}
    assert theirs == own and len(own) > 20
    assert row.execution.spent == page.context["view"].execution.spent
    funnel = dict(national.funnel)
    with scopes_disabled():
        snapshots = IndicatorSnapshot.plain.filter(programme__kind=Programme.Kind.PROVINCE, week=dashboard.this_week())
        assert funnel["推荐案例"] == sum(s.funnel[0]["value"] for s in snapshots)


def test_the_centre_s_view_is_a_fixed_number_of_queries_however_many_projects(ledger_world):
    w = ledger_world
    with scopes_disabled():
        dashboard.national_view(w.campaign)  # every project's row of the week, measured
        with CaptureQueriesContext(connection) as three:
            dashboard.national_view(w.campaign)
        for n, code in enumerate(("320000", "340000")):
            org = make_org(Org.Kind.PROVINCE, code, f"测试省{n}", w.center)
            Programme.plain.create(campaign=w.campaign, kind=Programme.Kind.PROVINCE, org=org, budget=200000,
                                   period_start=w.zhejiang_programme.period_start,
                                   period_end=w.zhejiang_programme.period_end)
        dashboard.national_view(w.campaign)
        with CaptureQueriesContext(connection) as five:
            view = dashboard.national_view(w.campaign)
    assert len(view.rows) == 5 and len(five) == len(three) <= 8


def test_the_weekly_rows_make_the_trend(ledger_world):
    w = ledger_world
    with scopes_disabled():
        dashboard.national_view(w.campaign)
        last_week = dashboard.this_week() - dt.timedelta(weeks=1)
        for snapshot in IndicatorSnapshot.plain.filter(week=dashboard.this_week()):
            IndicatorSnapshot.plain.create(programme=snapshot.programme, week=last_week,
                                           computed_at=snapshot.computed_at, funnel=snapshot.funnel,
                                           indicators=[{**i, "status": "not_due"} for i in snapshot.indicators],
                                           met=0, measured=snapshot.measured)
        weeks = {w_: (met, of) for w_, met, of, _spent in dashboard.national_view(w.campaign).weeks}
    assert weeks[last_week][0] == 0 and weeks[dashboard.this_week()][0] > 0
    assert weeks[last_week][1] == weeks[dashboard.this_week()][1]


def test_the_exports_hold_the_page_s_numbers(ledger_world):
    w = ledger_world
    centre = Client()
    centre.force_login(w.center_admin)
    xlsx = centre.get(reverse("reports:dashboard_export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    heat = book.worksheets[0]
    names = [row[0].value for row in heat.iter_rows(min_row=2)]
    assert "浙江省" in names and "四川省" in names
    zhejiang = next(row for row in heat.iter_rows(min_row=2) if row[0].value == "浙江省")
    header = [c.value for c in heat[1]]
    r401 = zhejiang[next(n for n, h in enumerate(header) if str(h).startswith("R-401"))].value
    assert r401.startswith("已达成：预算已批复")
    pdf = centre.get(reverse("reports:dashboard_export", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "全国看板" in text and "浙江省" in text and "200,000.00" in text
    assert centre.get(reverse("reports:dashboard_export", args=["doc"])).status_code == 404


def test_a_province_s_home_leads_with_its_own_card_and_reads_no_other_dashboard(ledger_world):
    w = ledger_world
    province = Client()
    province.force_login(w.zhejiang_admin)
    home = province.get("/").content.decode()
    assert home.index('id="home-dash-h"') < home.index("<h2>待办事项</h2>")  # the card leads the page
    assert 'id="units-title"' not in home or home.index('id="home-dash-h"') < home.index('id="units-title"')
    assert province.get(reverse("reports:dashboard"))["Location"] == reverse(
        "reports:project_dashboard", args=[w.zhejiang_programme.pk])
    assert province.get(reverse("reports:project_dashboard", args=[w.sichuan_programme.pk])).status_code == 404
    assert province.get(reverse("reports:dashboard_export", args=["xlsx"])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_stale_view_is_shown_while_the_worker_measures_it_again(ledger_world):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.tasks import run_queued_tasks

    w = ledger_world
    with scopes_disabled():
        dashboard.national_view(w.campaign)
        old = timezone.now() - dashboard.MAX_AGE - dt.timedelta(minutes=1)
        IndicatorSnapshot.plain.update(computed_at=old)
        spend(w, amount="3000")
        with CaptureQueriesContext(connection) as stale:
            view = dashboard.national_view(w.campaign)
        dashboard.national_view(w.campaign)  # a second look queues nothing more
        assert DBTaskResult.objects.filter(task_path=dashboard.refresh_snapshots.module_path,
                                           status="READY").count() == 1
        assert all(r.computed_at == old for r in view.rows)  # shown as they were, not measured on the page's path
        assert len(stale) < 20
    run_queued_tasks()
    with scopes_disabled():
        assert IndicatorSnapshot.plain.filter(computed_at=old).count() == 0
