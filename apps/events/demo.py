"""Demo presentation teams and events (R-201…R-204): each full demo province whose presenter list is locked names a
presenter for each case on it, and holds five events, one in each state: a plan being drafted, a plan waiting for
the centre, a plan the centre returned with a comment, a plan approved for an event still ahead, and a warm-up event
already held (before the programme's period, so that it can be held today) with its report. Everything goes through
the services and the approvals, so the audit log tells the story. Runs after seed_selection; idempotent."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign, Programme
from apps.events import services
from apps.events.approvals import KIND
from apps.events.models import Event, Presenter
from apps.events.selectors import team_cases
from apps.orgs.demo import FULL_PROVINCES, demo_admin

SLIDES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
          b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 842 595]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TITLES = ("企业创新案例宣讲会（筹备中）", "科技园区专场宣讲会", "高校院所对接宣讲会", "省级宣讲活动（主会场）")
SURNAMES = "王李张刘陈杨黄赵吴周"


def seed_events(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Event.plain.filter(programme__campaign=campaign).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org", "campaign").first()
        if programme is not None:
            with transaction.atomic():
                _seed_province(programme)
    return []


def _seed_province(programme: Programme) -> None:
    org, admin = programme.org, demo_admin(programme.org)
    cases = team_cases(org, programme)
    if admin is None or not cases:
        return
    for n, case in enumerate(cases[:4]):
        services.presenter_add(
            org=org, programme=programme, case_id=case.pk, by=admin,
            name=f"{SURNAMES[n % len(SURNAMES)]}{('晓东', '丽华', '建国', '雅琴')[n]}", title="技术总监",
            organisation=case.enterprise.name[:100], phone=f"1391{org.code[:2]}{n:05d}",
            bio=f"负责“{case.title}”项目的技术攻关和推广应用，多次在行业会议上分享经验。")
    team = list(Presenter.plain.filter(org=org, programme=programme, active=True).order_by("pk"))
    centre = demo_admin(centre_of(org))
    year = programme.campaign.year
    for n, title in enumerate(TITLES):
        start = timezone.make_aware(dt.datetime(year, 9, 10, 9, 30) + dt.timedelta(days=7 * n))
        event = _event(programme, admin, team, f"{org.name}{title}", start)
        if n == 0:
            continue  # the plan is still being drafted
        services.event_plan_submit(event=event, by=admin)
        if n == 2:
            approval_return(request=latest_of(KIND, f"event:{event.pk}"), by=centre,
                            comment="请补充到会媒体名单，并上传宣讲稿。")
        elif n == 3:
            approval_approve(request=latest_of(KIND, f"event:{event.pk}"), by=centre, comment="同意。")
    # A warm-up event already held, with its report.
    start = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) - dt.timedelta(days=3)
    held = Event.plain.create(programme=programme, org=org, title=f"{org.name}活动预热宣讲会", mode=Event.Mode.BOTH,
                              venue=f"{org.name}科技馆报告厅", in_tech_park=True, park_name=f"{org.name}高新技术产业园区",
                              starts_at=start, ends_at=start + dt.timedelta(hours=2),
                              agenda=[{"time": "09:30", "item": "开幕致辞", "who": f"{org.name}科协"},
                                      {"time": "09:45", "item": "案例宣讲", "who": team[0].name}],
                              guests=["省科技厅领导", "园区管委会负责人"], media=["省电视台", "省日报"], created_by=admin)
    held.presenters.set(team[:2])
    _slides(held, admin)
    services.event_plan_submit(event=held, by=admin)
    approval_approve(request=latest_of(KIND, f"event:{held.pk}"), by=centre, comment="同意，注意做好直播保障。")
    services.event_mark_held(event=held, by=admin)
    services.event_report(event=held, by=admin, attendance_onsite=260, attendance_online=4800, stream_views=15600,
                          stream_platforms="新华网、学习强国、抖音",
                          coverage=[f"https://news.example.cn/{org.code}/warmup"])


def _event(programme, admin, team, title, start) -> Event:
    event = services.event_create(
        org=programme.org, programme=programme, by=admin, title=title, mode=Event.Mode.BOTH,
        venue=f"{programme.org.name}未来科技城会议中心", in_tech_park=True, park_name=f"{programme.org.name}未来科技城",
        starts_at=start, ends_at=start + dt.timedelta(hours=3),
        agenda=[{"time": "09:30", "item": "开幕致辞", "who": "省科协领导"},
                {"time": "09:45", "item": "企业创新案例宣讲", "who": "、".join(p.name for p in team[:3])},
                {"time": "11:30", "item": "交流互动", "who": "主持人"}],
        guests=["省科技厅副厅长", "省经信厅处长"], media=["省日报", "省电视台"], presenters=[p.pk for p in team[:3]])
    _slides(event, admin)
    return event


def _slides(event, admin) -> None:
    services.event_file_add(event=event, by=admin, kind="slides",
                            upload=SimpleUploadedFile("宣讲演示文稿.pdf", SLIDES, content_type="application/pdf"))
