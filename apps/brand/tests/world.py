"""Matrix-world builder of the brand project: world.center_staff (a staff member of the centre, on the brand team),
world.brand_plan (submitted by her, approved by the centre's admin: in force), world.media_contact and
world.channel_use (with a PNG screenshot), world.brand_deliverable (the main visual, a PNG she uploaded, waiting for the
centre's approval) and world.overview_report (with its data pack) of world.brand_programme."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def build(world) -> None:
    from apps.approvals.selectors import latest_of
    from apps.approvals.services import approval_approve
    from apps.brand.approvals import KIND, thread
    from apps.brand.datapack import gather
    from apps.brand.models import ChannelUse, MediaContact, OverviewReport
    from apps.brand.services import brand_plan_submit, deliverable_add
    from apps.cases.tests.attachment_world import png_bytes
    from apps.core.links import url_key
    from apps.orgs.models import Membership
    from tests.factories import admin_of

    world.center_staff = admin_of(world.center, "center-staff", role=Membership.Role.STAFF)
    programme = world.brand_programme
    world.brand_plan = brand_plan_submit(programme=programme, by=world.center_staff, phases=plan_phases(programme))
    approval_approve(request=latest_of(KIND, thread(programme.pk)), by=world.center_admin)
    world.brand_plan.refresh_from_db()
    world.media_contact = MediaContact.plain.create(
        programme=programme, outlet="科技日报", level=MediaContact.Level.NATIONAL, person="李记者",
        phone="13800001234", email="li@kjrb.example.cn", last_contact_on=dt.date(programme.campaign.year, 7, 1),
        created_by=world.center_staff)
    url = "https://www.kjrb.example.cn/brand/1"
    world.channel_use = ChannelUse(
        programme=programme, outlet="科技日报", level=MediaContact.Level.NATIONAL, channel="newspaper",
        used_on=dt.date(programme.campaign.year, 7, 2), title="企业典型创新案例征集活动启动", url=url,
        url_key=url_key(url), evidence_name="截图.png", evidence_type="image/png", created_by=world.center_staff)
    world.channel_use.evidence.save("shot.png", ContentFile(png_bytes(size=(40, 30))), save=False)
    world.channel_use.save()
    world.brand_deliverable = deliverable_add(
        programme=programme, by=world.center_staff, kind="main_visual", title="活动主视觉",
        upload=SimpleUploadedFile("主视觉.png", png_bytes(size=(60, 40)), content_type="image/png"))
    report_url = "https://www.kjrb.example.cn/brand/overview-1"
    world.overview_report = OverviewReport.plain.create(
        programme=programme, outlet="科技日报", title="企业创新案例征集活动综述", published_on=dt.date(
            programme.campaign.year, 7, 3), url=report_url, url_key=url_key(report_url),
        data=gather(programme.campaign), data_at=timezone.now(), created_by=world.center_staff)


def plan_phases(programme) -> dict:
    """Four phases inside the brand programme's period, each with goals and channels."""
    start, end = programme.period_start, programme.period_end
    days = (end - start).days
    cuts = [start + dt.timedelta(days=days * i // 4) for i in range(5)]
    goals = {"warmup": "发布主视觉和预热海报", "collection": "发布征集动态", "presentations": "区域宣讲全程报道",
             "summary": "发布综述报道"}
    return {key: {"start": cuts[i] + dt.timedelta(days=1 if i else 0), "end": cuts[i + 1], "goals": goals[key],
                  "channels": ["website", "wechat"]} for i, key in enumerate(goals)}
