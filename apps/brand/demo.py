"""The demo brand project (R-501, R-502, R-504, R-505): a brand-team member at the centre (staff-brand) who keeps the
records, the brand plan she submitted and the centre's admin approved, 22 media contacts and 105 channel uses with
screenshots, so the brand programme meets R-502; deliverables in every state (approved, pending, returned, a failing
promotional video where ffmpeg is present) and three overview reports with their data packs. Runs after the other
seeders; idempotent; a few seconds."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.brand.approvals import DELIVERABLE_KIND, KIND, deliverable_thread, thread
from apps.brand.models import BrandPlan, Deliverable, OverviewReport
from apps.brand.services import (
    brand_plan_submit,
    channel_use_add,
    deliverable_add,
    media_contact_add,
    overview_report_add,
    passing_sources,
    registry_outlets,
)
from apps.campaigns.models import Campaign, Programme
from apps.core.pdf import pdf_unavailable
from apps.orgs.demo import demo_admin
from apps.orgs.models import Membership, User

TEAM_LOGIN = "staff-brand"
PHASES = {
    "warmup": ((7, 1), (7, 31), "发布活动主视觉和预热海报，联系中央和行业媒体，建立媒体联系人名录。",
               ["wechat", "weibo", "website"]),
    "collection": ((8, 1), (9, 15), "配合各省征集进度，发布征集动态和优秀案例预告。", ["website", "app", "wechat"]),
    "presentations": ((9, 16), (11, 15), "区域宣讲活动全程报道，重点场次电视和客户端直播。",
                      ["tv", "app", "video", "wechat"]),
    "summary": ((11, 16), (12, 31), "发布综述报道和《企业创新故事集》，总结品牌传播成效。",
                ["newspaper", "website", "wechat"]),
}
# (outlet, level, channels it publishes on)
OUTLETS = [
    ("人民日报", "national", ["newspaper", "app", "wechat"]),
    ("新华社", "national", ["website", "app", "weibo"]),
    ("中央广播电视总台", "national", ["tv", "video", "app"]),
    ("光明日报", "national", ["newspaper", "website"]),
    ("经济日报", "national", ["newspaper", "wechat"]), ("科技日报", "national", ["newspaper", "website", "wechat"]),
    ("中国青年报", "national", ["newspaper", "app"]), ("中国新闻网", "national", ["website", "weibo"]),
    ("央广网", "national", ["website", "radio"]), ("人民网", "national", ["website", "wechat"]),
    ("新华网", "national", ["website", "video"]), ("中国科学报", "industry", ["newspaper", "wechat"]),
    ("中国工业报", "industry", ["newspaper", "website"]), ("科普时报", "industry", ["newspaper", "wechat"]),
    ("中国高新技术产业导报", "industry", ["newspaper", "website"]), ("中国企业报", "industry", ["newspaper", "app"]),
    ("浙江日报", "provincial", ["newspaper", "app"]), ("四川日报", "provincial", ["newspaper", "wechat"]),
    ("南方日报", "provincial", ["newspaper", "app"]), ("解放日报", "provincial", ["newspaper", "website"]),
    ("澎湃新闻", "provincial", ["app", "weibo", "video"]), ("学习强国", "national", ["app", "video"]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋"
TOPICS = ("企业典型创新案例征集活动启动", "园区科协推荐创新案例", "创新故事：从实验室到生产线", "专精特新企业的创新之路",
          "区域宣讲走进科技园区", "科技工作者讲述创新经历", "企业创新案例专家评审", "创新案例网络投票开启", "宣讲活动直播回顾",
          "企业创新故事集编纂进展")
USES = 105


def _shot(n: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (230 - n % 40, 236, 246 - n % 30)).save(buffer, "PNG")
    return SimpleUploadedFile(f"发布截图{n + 1}.png", buffer.getvalue(), content_type="image/png")


def _team_member(programme: Programme, password: str) -> tuple[User, list]:
    user = User.objects.filter(username=TEAM_LOGIN).first()
    logins = []
    if user is None:
        user = User.objects.create(username=TEAM_LOGIN, full_name="品牌项目团队成员",
                                   password=make_password(password) if password else "!")
    Membership.plain.get_or_create(user=user, org=programme.org, role=Membership.Role.STAFF)
    logins.append((TEAM_LOGIN, programme.org.name, str(Membership.Role.STAFF.label)))
    return user, logins


@transaction.atomic
def seed_brand(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    programme = (Programme.plain.filter(campaign=campaign, kind=Programme.Kind.BRAND).select_related("org", "campaign")
                 .first() if campaign else None)
    admin = demo_admin(programme.org) if programme else None
    if programme is None or admin is None:
        return []
    team, logins = _team_member(programme, password)
    if not BrandPlan.plain.filter(programme=programme).exists():
        _seed_records(programme, team, admin)
    if not Deliverable.plain.filter(programme=programme).exists():
        _seed_deliverables(programme, team, admin)
    if not OverviewReport.plain.filter(programme=programme).exists():
        _seed_reports(programme, team)
    return logins


def _seed_records(programme: Programme, team: User, admin: User) -> None:
    """The plan (R-501), the media contacts and the channel uses (R-502)."""
    year = programme.campaign.year
    phases = {key: {"start": dt.date(year, *first), "end": dt.date(year, *last), "goals": goals, "channels": channels}
              for key, (first, last, goals, channels) in PHASES.items()}
    for key, phase in phases.items():  # a campaign whose brand period was changed keeps its phases inside it
        phase["start"] = min(max(phase["start"], programme.period_start), programme.period_end)
        phase["end"] = max(min(phase["end"], programme.period_end), phase["start"])
    brand_plan_submit(programme=programme, by=team, phases=phases)
    approval_approve(request=latest_of(KIND, thread(programme.pk)), by=admin, comment="同意，按方案实施。")

    today = timezone.localdate()
    for n, (outlet, level, _channels) in enumerate(OUTLETS):
        media_contact_add(programme=programme, by=team, outlet=outlet, level=level,
                          person=f"{SURNAMES[n % len(SURNAMES)]}记者", phone=f"1380000{n:04d}",
                          email=f"reporter{n + 1}@media.example.cn",
                          last_contact_on=min(today, dt.date(year, 12, 31)) - dt.timedelta(days=3 * n))
    # Over the 150 days up to today (or the campaign year's end), inside the window a use may be dated in.
    last = min(today, dt.date(year, 12, 31))
    first = max(last - dt.timedelta(days=150), dt.date(year - 1, 1, 1))
    if last < first:  # a demo campaign more than a year ahead: no use can be dated for it yet
        return
    span = (last - first).days
    for n in range(USES):
        outlet, _level, channels = OUTLETS[n % len(OUTLETS)]
        channel_use_add(programme=programme, by=team, outlet=outlet, channel=channels[n % len(channels)],
                        used_on=first + dt.timedelta(days=span * n // USES),
                        title=f"{TOPICS[n % len(TOPICS)]}（{n + 1}）",
                        url=f"https://media.example.cn/brand/{year}/{n + 1}", evidence=_shot(n))


def _picture(title: str, size: tuple[int, int], colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A plain design in the brand's colours: a band and a block, enough to tell the pictures apart."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, h * 2 // 3, w, h), fill=(255, 255, 255))
    draw.rectangle((w // 10, h // 6, w // 2, h // 2), fill=(250, 200, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{title}.png", buffer.getvalue(), content_type="image/png")


def _brochure() -> SimpleUploadedFile:
    """A short PDF brochure: by WeasyPrint where the server can (Chinese fonts), else a page drawn by Pillow."""
    if pdf_unavailable() is None:
        from weasyprint import HTML

        pdf = HTML(string=(
            "<html lang='zh-Hans'><body style='font-family: \"Noto Sans CJK SC\", sans-serif'>"
            "<h1>企业典型创新案例征集及宣讲活动</h1><p>活动宣传册：征集、遴选、宣讲、传播。</p></body></html>"
        )).write_pdf()
    else:
        buffer = io.BytesIO()
        Image.new("RGB", (595, 842), (240, 244, 250)).save(buffer, "PDF")
        pdf = buffer.getvalue()
    return SimpleUploadedFile("活动宣传册.pdf", pdf, content_type="application/pdf")


def _clip(ffmpeg: str, folder: Path, seconds: int, tone: int) -> SimpleUploadedFile:
    out = folder / f"clip{seconds}.mp4"
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=1280x720:rate=1", "-f", "lavfi", "-i", f"sine=frequency={tone}:duration={seconds}",
                    "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a",
                    "aac", str(out)], check=True, timeout=300)
    return SimpleUploadedFile(f"视频{seconds}秒.mp4", out.read_bytes(), content_type="video/mp4")


def _decide(item: Deliverable, admin: User, *, approve: bool) -> None:
    request = latest_of(DELIVERABLE_KIND, deliverable_thread(item))
    if approve:
        approval_approve(request=request, by=admin, comment="同意使用。")
    else:
        approval_return(request=request, by=admin, comment="请在画面下方加上主办单位名称后重新报送。")


def _seed_deliverables(programme: Programme, team: User, admin: User) -> None:
    """R-504 in every state: the main visual and two posters approved, a third poster returned, the brochure waiting,
    and where ffmpeg is present a promotional video too short for its spec (failing, uncounted) and a national short
    video cut from a province's passing topic video, approved."""
    def add(kind, title, upload, **kw):
        return deliverable_add(programme=programme, by=team, kind=kind, title=title, upload=upload, **kw)

    _decide(add("main_visual", "活动主视觉", _picture("主视觉", (1600, 900), (31, 78, 140))), admin, approve=True)
    for n, colour in enumerate(((180, 40, 50), (30, 120, 90), (110, 70, 150))):
        poster = add("poster", f"活动海报{n + 1}", _picture(f"海报{n + 1}", (900, 1280), colour))
        _decide(poster, admin, approve=n < 2)
    add("brochure", "活动宣传册", _brochure())
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        add("promo_video", "活动宣传片（初剪）", _clip(ffmpeg, Path(folder), 60, 392))
        sources = list(passing_sources(programme)[:2])
        if sources:
            short = add("short_video", "全国短视频：创新在身边", _clip(ffmpeg, Path(folder), 100, 587),
                        sources=[v.pk for v in sources])
            _decide(short, admin, approve=True)


REPORTS = (("人民日报", "企业典型创新案例征集活动全面启动", 60), ("新华社", "各省企业创新案例遴选工作综述", 30),
           ("科技日报", "企业创新故事走进科技园区", 5))


def _seed_reports(programme: Programme, team: User) -> None:
    """Three overview reports (R-505), each with the data pack of the day it was recorded."""
    outlets = dict(registry_outlets(programme))
    year = programme.campaign.year
    last = min(timezone.localdate(), dt.date(year, 12, 31))
    first = dt.date(year - 1, 1, 1)
    for n, (outlet, title, days) in enumerate(REPORTS):
        published = max(first, last - dt.timedelta(days=days))
        if outlet not in outlets or published > last:
            continue
        overview_report_add(programme=programme, by=team, outlet=outlet, title=title, published_on=published,
                            url=f"https://media.example.cn/overview/{year}/{n + 1}")
