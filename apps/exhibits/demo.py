"""Demo exhibits (R-307): in each full demo province, exhibits of little-giant enterprises in every state: proposed
(waiting for the province), shortlisted (waiting for the centre), accepted by the centre, declined by the province
and declined by the centre, each with a generated photo. Where a province's registry has too few little giants, a
few enterprises are marked as such. Runs last (after the registry and the approvals exist); idempotent; needs
neither ffmpeg nor a browser."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign, Programme
from apps.core.scoping import subtree_q
from apps.enterprises.models import Enterprise
from apps.exhibits.approvals import KIND, thread
from apps.exhibits.models import Exhibit
from apps.exhibits.services import exhibit_decline, exhibit_propose, exhibit_shortlist
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.orgs.models import Org

# (exhibit name, innovation, representativeness, interaction, size in cm, weight in kg, power), one per state.
EXHIBITS = [
    ("智能协作机械臂", "七轴力控协作机械臂，关节模组全部自主研制，重复定位精度±0.02毫米。",
     "国产协作机器人核心部件突破的代表，已在汽车零部件和3C装配产线批量应用。",
     "观众用手牵引机械臂示教，机械臂随即复现动作并完成积木搭建。", (120, 80, 160), "85.0", "220V，约800W"),
    ("高精度光纤传感演示台", "分布式光纤传感，一根光纤可测量数十公里范围内的温度与振动。",
     "用于电网、油气管线和桥梁安全监测，体现“专精特新”企业在细分领域的领先技术。",
     "观众敲击演示台上的管道模型，屏幕实时显示振动位置和强度。", (150, 60, 110), "46.5", "220V，约300W"),
    ("新能源汽车电驱系统剖面模型", "扁线电机与碳化硅控制器一体化设计，功率密度提升三成。",
     "代表新能源汽车核心零部件国产化的成果，配套多家整车企业。",
     "转动手轮带动剖面模型，灯带依次点亮电流路径，讲解电驱工作原理。", (180, 90, 120), "210.0", "220V，约200W"),
    ("可降解生物材料展示柜", "以秸秆纤维制备可降解餐具和包装，降解周期不超过180天。",
     "绿色低碳新材料的代表，产品出口二十余个国家。",
     "观众触摸不同降解阶段的样品，扫码查看降解过程延时影像。", (100, 50, 180), "60.0", "无需用电"),
    ("数控机床微缩产线", "五轴联动数控系统自主可控，内置加工参数自学习算法。",
     "工业母机关键技术突破的代表，服务航空航天精密零件加工。",
     "观众在触摸屏上选择零件，微缩产线现场演示加工过程。", (240, 120, 150), "520.0", "380V，约3kW"),
]
COLOURS = [(46, 104, 160), (60, 140, 110), (170, 90, 60), (110, 80, 150), (80, 120, 140)]


def _photo(name: str, n: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 150, 600, 450), outline=(255, 255, 255), width=8)
    draw.ellipse((330, 230, 470, 370), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _proposers(province: Org) -> list[tuple[Org, Enterprise]]:
    """(an association or county with an admin, a little giant of its county) pairs, one per county, under the
    province; enterprises of the registry are marked as little giants where a county has none."""
    found = []
    counties = Org.plain.filter(subtree_q(province.path), kind=Org.Kind.COUNTY).order_by("path")
    for county in counties:
        enterprises = Enterprise.plain.filter(county=county).order_by("id")
        if not enterprises.exists():
            continue
        giant = enterprises.filter(little_giant_batch__isnull=False).first()
        if giant is None:
            giant = enterprises.first()
            Enterprise.plain.filter(pk=giant.pk).update(little_giant_batch=2024)
            giant.little_giant_batch = 2024
        proposer = next((o for o in Org.plain.filter(parent=county, kind__in=Org.ASSOCIATIONS).order_by("code")
                         if demo_admin(o) is not None), county)
        if demo_admin(proposer) is not None:
            found.append((proposer, giant))
        if len(found) == len(EXHIBITS):
            break
    return found


def seed_exhibits(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Exhibit.plain.filter(campaign=campaign).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org", "campaign").first()
        admin = demo_admin(programme.org) if programme else None
        centre_admin = demo_admin(centre_of(programme.org)) if programme else None
        if admin is None or centre_admin is None:
            continue
        proposers = _proposers(programme.org)
        if not proposers:
            continue
        with transaction.atomic():
            for n, (name, innovation, representative, interaction, size, weight, power) in enumerate(EXHIBITS):
                org, enterprise = proposers[n % len(proposers)]
                exhibit = exhibit_propose(
                    org=org, by=demo_admin(org), enterprise_id=enterprise.pk, name=name, innovation=innovation,
                    representative=representative, interaction=interaction, length_cm=size[0], width_cm=size[1],
                    height_cm=size[2], weight_kg=weight, power=power, photos=[_photo(name, n)])
                if n == 0:
                    continue  # proposed: waiting for the province
                if n == 3:
                    exhibit_decline(exhibit=exhibit, by=admin, reason="与已推荐展品同属一类，本次不再推荐。")
                    continue
                exhibit_shortlist(exhibit=exhibit, by=admin)
                request = latest_of(KIND, thread(exhibit))
                if n == 2:
                    approval_approve(request=request, by=centre_admin, comment="同意参展。")
                elif n == 4:
                    approval_return(request=request, by=centre_admin,
                                    comment="展品重量和用电超出展厅承载条件，本次未入选。")
                # n == 1: shortlisted, waiting for the centre
    return []
