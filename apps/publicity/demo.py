"""Demo media reports (R-303): each full demo province has recorded reports with screenshots; 浙江省 and 广东省
meet their targets (5 reports and 1 overview in authoritative media), 四川省 and 上海市 are short of them. 浙江省's
held warm-up event has one coverage link recorded and one waiting. Runs after seed_events; idempotent."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from apps.campaigns.models import Campaign, Programme
from apps.events.models import Event
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.publicity.models import MediaReport
from apps.publicity.services import media_report_add

# (reports, national overviews) per province.
PLAN = {"330000": (6, 1), "510000": (3, 0), "440000": (5, 1), "310000": (2, 0)}
OUTLETS = ("日报", "电视台", "广播电视台新闻频道", "科技报", "新闻网", "经济报")
HEADLINES = ("企业典型创新案例征集活动启动", "园区科协踊跃推荐创新案例", "市级遴选工作有序推进", "专家评审聚焦创新成效",
             "网络投票吸引数万人参与", "省级宣讲活动走进科技园区")


def _shot(n: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (240 - 10 * n, 244, 250)).save(buffer, "PNG")
    return SimpleUploadedFile(f"报道截图{n + 1}.png", buffer.getvalue(), content_type="image/png")


def seed_media_reports(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or MediaReport.plain.filter(campaign=campaign).exists():
        return []
    today = timezone.localdate()
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org", "campaign").first()
        admin = demo_admin(programme.org) if programme else None
        if admin is None:
            continue
        reports, overviews = PLAN.get(code, (0, 0))
        held = Event.plain.filter(programme=programme, org=programme.org, state=Event.State.HELD).first()
        with transaction.atomic():
            for n in range(reports):
                event = held if n == 0 and held is not None and held.coverage else None
                url = event.coverage[0] if event else f"https://news.example.cn/{code}/{n + 1}"
                media_report_add(org=programme.org, programme=programme, by=admin,
                                 outlet=programme.org.name.rstrip("省市") + OUTLETS[n % len(OUTLETS)],
                                 level=MediaReport.Level.PROVINCIAL, kind=MediaReport.Kind.REPORT,
                                 published_on=today - dt.timedelta(days=30 - 4 * n),
                                 title=f"{programme.org.name}{HEADLINES[n % len(HEADLINES)]}", url=url,
                                 evidence=_shot(n), event=event)
            for n in range(overviews):
                media_report_add(org=programme.org, programme=programme, by=admin, outlet="新华网",
                                 level=MediaReport.Level.NATIONAL, kind=MediaReport.Kind.OVERVIEW,
                                 published_on=today - dt.timedelta(days=2),
                                 title=f"创新案例讲好企业故事——{programme.org.name}企业典型创新案例征集活动综述",
                                 url=f"https://www.news.example.cn/overview/{code}", evidence=_shot(9))
            if held is not None and code == "330000":
                Event.plain.filter(pk=held.pk).update(coverage=[*held.coverage, f"https://tv.example.cn/{code}/live"])
    return []
