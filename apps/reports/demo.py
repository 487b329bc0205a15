"""Demo monthly progress reports (R-403) for July to October, in every state: each demo province with an approved
budget has July and August accepted by the centre, September sent and waiting, October a draft; 四川省's August
report was returned with the centre's comments and is being corrected; the brand project reports the same way. The
demo campaign runs ahead of the calendar, so the reports are drafted "as of" the end of the month after. Runs
after seed_ledgers; idempotent. The final reports: 浙江省's three reports accepted and its acceptance recorded (passed
with conditions), 四川省's and 广东省's drafted from the data."""

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
from apps.reports.approvals import FINAL_KIND, KIND, final_thread, thread
from apps.reports.final_services import acceptance_record, final_draft, final_save, final_submit
from apps.reports.models import FinalReport, MonthlyReport
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


FINAL_TEXTS = {
    "execution": {"overview": "本项目由省级科协组织实施，覆盖全省各市、区县和科技园区。",
                  "tasks": "完成案例征集、逐级遴选、网络投票、宣讲人遴选和省级宣讲活动。",
                  "funds": "经费按批复的预算专账核算，各科目支出未超过预算。", "issues": "部分地区推荐进度偏慢，经费执行率有待提高。"},
    "summary": {"approach": "制定工作细则，逐级转发通知，组织专家评审和网络投票。", "results": "征集案例数超过目标，形成一批可复制推广的创新案例。",
                "lessons": "依托园区科协和企业科协组织推荐，效率明显提高。", "next": "持续开展案例宣传，建立案例库。"},
    "performance": {"goals": "完成100件案例征集、省级遴选和10名宣讲人遴选，举办省级宣讲活动。",
                    "analysis": "产出指标基本完成，时效指标按期完成，经费执行正常。", "improvement": "进一步加快经费执行，扩大宣传覆盖面。"},
}
ENTERED = {"social": {"score": "13", "evidence": "省级以上媒体报道23篇，活动专栏阅读量12万次"},
           "sustained": {"score": "12.5", "evidence": "建成省级企业创新案例库，纳入年度工作计划"},
           "satisfaction": {"score": "9", "evidence": "面向参与企业的问卷调查，满意率94%"}}
FINAL_DONE = "330000"  # 浙江省: all three reports accepted and the acceptance recorded
FINAL_DRAFTS = ("510000", "440000")  # 四川省, 广东省: drafts


def seed_final_reports(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or FinalReport.plain.filter(programme__campaign=campaign).exists():
        return []
    for programme in reportable(campaign, dt.date(campaign.year, 10, 1)):
        code = programme.org.code
        if code not in (FINAL_DONE, *FINAL_DRAFTS):
            continue
        writer, centre = _writer(programme), demo_admin(centre_of(programme.org))
        if writer is None or centre is None:
            continue
        with transaction.atomic():
            for kind in FinalReport.Kind.values:
                report = final_draft(programme=programme, kind=kind, by=writer)
                if code != FINAL_DONE:
                    continue
                report = final_save(report=report, by=writer, sections=FINAL_TEXTS[kind],
                                    entered=ENTERED if kind == "performance" else None)
                report = final_submit(report=report, by=writer)
                approval_approve(request=latest_of(FINAL_KIND, final_thread(report)), by=centre)
            if code == FINAL_DONE:
                acceptance_record(programme=programme, by=centre, result="conditional",
                                  comments="项目任务基本完成，案例征集和宣讲成效明显；经费执行率偏低。",
                                  conditions="12月底前完成经费结算，报送经费决算表。", reviewers="王建国、李红、张明")
    return []
