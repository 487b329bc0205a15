"""The notice cascade's part of the matrix world (R-102), and helpers the notice tests share.

`build(world)` issues a notice on 浙江省's programme with a file, and forwards it 杭州市 → 西湖区
(each with an addendum; 杭州市's has a file), so the matrix rows have objects in every state:
杭州市 and 西湖区 forwarded, 上城区 reached but not forwarded, 宁波市 not forwarded, the 西湖区
associations reached and not yet acknowledged. It also leaves a reminder in 杭州市's inbox.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.campaigns.models import Campaign, Programme
from apps.core.scoping import scopes_disabled
from apps.notices.models import NoticeAttachment, NoticeDelivery
from apps.notices.services import notice_delivery_forward, notice_issue
from apps.orgs.models import Message, Org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORLD_FILE = "notices/world/notice-cascade.pdf"
# The part that makes a ZIP archive an Office document, and the main part's content type.
OFFICE_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}


def pdf_upload(name: str = "通知.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image_bytes(fmt: str, size=(64, 48), colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def office_bytes(kind: str, content_type: str = "") -> bytes:
    """A minimal .docx / .xlsx / .pptx: its main part, and [Content_Types].xml naming that part's type."""
    part, main = OFFICE_MAIN[kind]
    types = (f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Override PartName="/{part}" ContentType="{content_type or main}"/></Types>')
    return zip_bytes({"[Content_Types].xml": types, "_rels/.rels": "<Relationships/>", part: "<x/>"})


def ensure_programme(world) -> Programme:
    """The programmes helper's world gives world.zhejiang_programme; without it, make one here."""
    programme = getattr(world, "zhejiang_programme", None)
    if programme is not None:
        return programme
    campaign = getattr(world, "campaign", None)
    if campaign is None:
        campaign, _ = Campaign.plain.get_or_create(year=2026, defaults={"name": "2026年企业典型创新案例征集及宣讲活动"})
        world.campaign = campaign
    programme, _ = Programme.plain.get_or_create(
        campaign=campaign, org=world.zhejiang, kind=Programme.Kind.PROVINCE,
        defaults=dict(budget=Decimal("200000.00"), period_start=dt.date(campaign.year, 7, 1),
                      period_end=dt.date(campaign.year, 11, 30), implementing_unit="浙江省科学技术协会"),
    )
    world.zhejiang_programme = programme
    return programme


def _world_attachment(notice, org: Org, name: str) -> NoticeAttachment:
    """One stored file shared by every matrix case, written once, so runs do not pile up files."""
    if not default_storage.exists(WORLD_FILE):
        default_storage.save(WORLD_FILE, ContentFile(PDF))
    return NoticeAttachment.plain.create(notice=notice, file=WORLD_FILE, name=name, size=len(PDF),
                                         content_type="application/pdf", added_by_org=org)


def delivery_of(notice, org: Org) -> NoticeDelivery:
    return NoticeDelivery.plain.select_related("org", "notice", "notice__issuer").get(notice=notice, org=org)


def build(world) -> None:
    programme = ensure_programme(world)
    world.notice = notice_issue(
        programme=programme, by=world.zhejiang_admin,
        title="关于开展2026年企业典型创新案例征集及宣讲活动的通知",
        body="各市科协：\n现就开展企业典型创新案例征集工作通知如下。",
        joint_issuers="浙江省科学技术厅、浙江省经济和信息化厅",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    world.notice_file = _world_attachment(world.notice, world.zhejiang, "征集通知.pdf")
    world.hangzhou_delivery = delivery_of(world.notice, world.hangzhou)
    world.ningbo_delivery = delivery_of(world.notice, world.ningbo)
    notice_delivery_forward(delivery=world.hangzhou_delivery, by=world.hangzhou_admin,
                            addendum="杭州市：请各区县于本月底前报送。")
    world.hangzhou_file = _world_attachment(world.notice, world.hangzhou, "杭州市补充通知.pdf")
    world.xihu_delivery = delivery_of(world.notice, world.xihu)
    world.shangcheng_delivery = delivery_of(world.notice, world.shangcheng)
    notice_delivery_forward(delivery=world.xihu_delivery, by=world.xihu_admin, addendum="西湖区：请各园区、企业科协做好宣传。")
    world.xihu_park_delivery = delivery_of(world.notice, world.xihu_park)
    world.xihu_ent_delivery = delivery_of(world.notice, world.xihu_ent)
    world.hangzhou_message = Message._base_manager.create(
        org=world.hangzhou, subject="提醒：请转发通知", body="请尽快转发。", sender=world.zhejiang_admin,
    )


# --- fixtures of the notice tests (made available in conftest.py) ----------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def notice_tree(tree, media):
    """The test tree with 浙江省's 2026 programme (and no notice yet)."""
    with scopes_disabled():
        ensure_programme(tree)
    return tree


@pytest.fixture
def cascade(tree, media):
    """The test tree with the notice of `build`: 杭州市 → 西湖区 forwarded, the rest waiting."""
    with scopes_disabled():
        build(tree)
    return tree
