"""Demo monthly progress reports (R-403) for July to October, in every state: each demo province with an approved
budget has July and August accepted by the centre, September sent and waiting, October a draft; 四川省's August
report was returned with the centre's comments and is being corrected; the brand project reports the same way. The
demo campaign runs ahead of the calendar, so the reports are drafted "as of" the end of the month after. Runs
after seed_ledgers; idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign
from apps.finance.figures import in_force
from apps.orgs.demo import demo_admin
from apps.orgs.models import Membership
from apps.reports import monthly
from apps.reports.approvals import KIND, thread
from apps.reports.models import MonthlyReport
from apps.reports.monthly_services import monthly_draft, monthly_save, monthly_submit, reportable

RETURNED = "510000"
TEXTS = {
    7: ("完成工作细则定稿和通知转发，召开全省动员部署会，各园区和企业科协开始组织推荐。", "部分企业科协对推荐要求理解不一，已逐一电话说明。",
        "8月底前完成园区和企业科协推荐，启动区县筛查。"),
    8: ("园区和企业科协推荐案例截止，区县科协完成筛查并上报。", "个别区县上报略有延迟。", "9月完成市级遴选和网络投票。"),
    9: ("各市完成遴选并推荐至省级，网络投票顺利结束，省级评审启动。", "", "10月完成省级遴选和宣讲人遴选，举办首场省级宣讲活动。"),
}


def _writer(programme):
    if programme.kind == programme.Kind.BRAND:
        staff = (Membership.plain.filter(org=programme.org, role=Membership.Role.STAFF, is_active=True)
                 .select_related("user").first())
        return staff.user if staff else None
    return demo_admin(programme.org)


def seed_monthly_reports(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or MonthlyReport.plain.filter(programme__campaign=campaign).exists():
        return []
    for month_number in (7, 8, 9, 10):
        month = dt.date(campaign.year, month_number, 1)
        as_of = monthly.next_month(month).replace(day=2)
        for programme in reportable(campaign, month):
            writer, centre = _writer(programme), demo_admin(centre_of(programme.org))
            if writer is None or centre is None or in_force(programme.pk) is None:
                continue
            with transaction.atomic():
                report = monthly_draft(programme=programme, month=month, today=as_of)
                if month_number == 10:
                    continue  # October: a draft, its account still to write
                progress, problems, plans = TEXTS[month_number]
                report = monthly_save(report=report, by=writer, progress=progress, problems=problems, plans=plans)
                report = monthly_submit(report=report, by=writer)
                if month_number == 9:
                    continue  # September: waiting for the centre
                request = latest_of(KIND, thread(report))
                if month_number == 8 and programme.org.code == RETURNED:
                    approval_return(request=request, by=centre, comment="请补充本月经费支出情况和区县筛查的具体数据。")
                    continue
                approval_approve(request=request, by=centre)
    return []
