"""Demo media reports (R-303): each full demo province has recorded reports with screenshots; 浙江省 and 广东省
meet their targets (5 reports and 1 overview in authoritative media), 四川省 and 上海市 are short of them. 浙江省's
held warm-up event has one coverage link recorded and one waiting. Runs after seed_events; idempotent."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign, Programme
from apps.events.models import Event
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.publicity.approvals import KIND as PLAN_KIND
from apps.publicity.collection import collection_build
from apps.publicity.models import CaseCollection, MediaReport, PublicityPlan, Story, TopicVideo
from apps.publicity.services import (
    case_collection_request,
    media_report_add,
    province_list_cases,
    publicity_plan_submit,
    story_move,
    story_save,
    topic_video_add,
)

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


# The publicity plan (R-302): 浙江省's approved, 四川省's waiting for the centre, 广东省's returned; 上海市 has none yet.
PLAN_OUTCOME = {"330000": "approve", "510000": "wait", "440000": "return"}
PHASE_CONTENT = {
    "warmup": "在省级主要媒体发布活动启动消息，新媒体平台推出系列预告。",
    "collection": "报道园区科协和企业科协推荐案例情况，新媒体开设案例展示专栏。",
    "presentations": "省级宣讲活动全程网络直播，电视新闻报道，各市同步转发。",
    "summary": "发布活动综述报道和优秀案例集，电视专题片回顾活动成果。",
}


def seed_publicity_plans(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or PublicityPlan.plain.filter(programme__campaign=campaign).exists():
        return []
    for code, outcome in PLAN_OUTCOME.items():
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org", "campaign").first()
        admin = demo_admin(programme.org) if programme else None
        if admin is None:
            continue
        year = campaign.year
        spans = {"warmup": ((7, 1), (7, 31)), "collection": ((8, 1), (8, 31)), "presentations": ((9, 1), (10, 31)),
                 "summary": ((11, 1), (11, 30))}
        phases = {key: {"start": dt.date(year, *first), "end": dt.date(year, *last),
                        "channels": ["tv", "web", "new_media"] if key in ("presentations", "summary") else
                        ["web", "new_media"], "live": key == "presentations", "content": PHASE_CONTENT[key]}
                  for key, (first, last) in spans.items()}
        with transaction.atomic():
            publicity_plan_submit(programme=programme, by=admin, phases=phases)
            request = latest_of(PLAN_KIND, f"publicity_plan:{programme.pk}")
            centre = demo_admin(centre_of(programme.org))
            if outcome == "approve":
                approval_approve(request=request, by=centre, comment="同意。")
            elif outcome == "return":
                approval_return(request=request, by=centre, comment="请补充各市宣传工作安排和直播平台。")
    return []


def seed_topic_videos(password: str = "") -> list:
    """Topic videos (R-304) where ffmpeg is present (a machine without it skips them: the demo needs no system
    binary): for 浙江省 and 广东省, two clips that meet the spec and one too short to count."""
    ffmpeg = shutil.which("ffmpeg")
    campaign = Campaign.plain.order_by("-year").first()
    if ffmpeg is None or campaign is None or TopicVideo.plain.filter(programme__campaign=campaign).exists():
        return []
    with tempfile.TemporaryDirectory() as folder:
        clips = {}
        for name, seconds, tone in (("ok", 120, 440), ("ok2", 120, 523), ("short", 40, 660)):
            out = Path(folder) / f"{name}.mp4"
            subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc=size=1280x720:rate=1", "-f", "lavfi", "-i",
                            f"sine=frequency={tone}:duration={seconds}", "-t", str(seconds), "-c:v", "libx264",
                            "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out)],
                           check=True, timeout=120)
            clips[name] = out.read_bytes()
        for code in ("330000", "440000"):
            programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
            admin = demo_admin(programme.org) if programme else None
            cases = province_list_cases(programme) if admin else []
            for n, (case, name) in enumerate(zip(cases, ("ok", "ok2", "short"))):
                topic_video_add(org=programme.org, programme=programme, by=admin, title=f"{case.title}（专题片）",
                                case_id=case.pk, upload=SimpleUploadedFile(f"专题视频{n + 1}.mp4", clips[name],
                                                                           content_type="video/mp4"))
    return []


def _photo(n: int) -> SimpleUploadedFile:
    """A landscape JPEG with a horizon and a sun, in a colour of its own."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (1200, 800), (90 + 25 * n % 120, 140, 200 - 15 * n % 100))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=(70, 110 + 10 * n % 60, 80))
    draw.ellipse((880, 120, 1040, 280), fill=(250, 220, 120))
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"故事照片{n + 1}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_stories(password: str = "") -> list:
    """Written stories (R-305) for the first cases of each full province's provincial list, in every state: reviewed,
    edited (waiting for the province's review), and a draft saved twice (its page shows the change)."""
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Story.plain.filter(programme__campaign=campaign).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
        admin = demo_admin(programme.org) if programme else None
        cases = province_list_cases(programme) if admin else []
        with transaction.atomic():
            for n, case in enumerate(cases[:12]):
                body = (f"<h3>背景</h3><p>{case.enterprise.name}所在行业竞争激烈，企业亟需通过创新突破瓶颈。</p>"
                        f"<h3>主要做法</h3><p>企业围绕“{case.title}”组建攻关团队，<strong>分阶段推进</strong>技术改造。</p>"
                        "<h3>成效</h3><p>项目实施后生产效率明显提升，带动上下游企业共同发展。</p>")
                story = story_save(programme=programme, case_id=case.pk, by=admin, title=case.title,
                                   form="interview" if n % 3 == 2 else "introduction", body=body, photo=_photo(n))
                if n % 3 == 2:  # a draft saved twice
                    story_save(programme=programme, case_id=case.pk, by=admin, title=case.title, form="interview",
                               body=body + "<p>记者：下一步有什么打算？</p><p>负责人：继续扩大应用范围。</p>")
                    continue
                story = story_move(story=story, by=admin, to="edited")
                if n % 3 == 0:
                    story_move(story=story, by=admin, to="reviewed")
    return []


def seed_case_collections(password: str = "") -> list:
    """A built case collection (R-306) for each full province with reviewed stories, built here rather than by the
    worker so that the demo opens with its files (the queued task then finds the build done and does nothing). The
    PDF is made where this machine can (apps/core/pdf.py); the build says why when it cannot."""
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or CaseCollection.plain.filter(programme__campaign=campaign).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
        admin = demo_admin(programme.org) if programme else None
        if admin is None or not Story.plain.filter(programme=programme, state=Story.State.REVIEWED).exists():
            continue
        collection_build(case_collection_request(programme=programme, by=admin).pk)
    return []
