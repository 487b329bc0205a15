"""The demo brand project (R-501, R-502): a brand-team member at the centre (staff-brand) who keeps the records, the
brand plan she submitted and the centre's admin approved, 22 media contacts and 105 channel uses with screenshots,
so the brand programme meets R-502. Runs after seed_campaign; idempotent; a few seconds."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.brand.approvals import KIND, thread
from apps.brand.models import BrandPlan
from apps.brand.services import brand_plan_submit, channel_use_add, media_contact_add
from apps.campaigns.models import Campaign, Programme
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
    if BrandPlan.plain.filter(programme=programme).exists():
        return logins
    year = campaign.year
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
        return logins
    span = (last - first).days
    for n in range(USES):
        outlet, _level, channels = OUTLETS[n % len(OUTLETS)]
        channel_use_add(programme=programme, by=team, outlet=outlet, channel=channels[n % len(channels)],
                        used_on=first + dt.timedelta(days=span * n // USES),
                        title=f"{TOPICS[n % len(TOPICS)]}（{n + 1}）",
                        url=f"https://media.example.cn/brand/{year}/{n + 1}", evidence=_shot(n))
    return logins
