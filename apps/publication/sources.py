"""What can be published, kind by kind (R-404): for each kind the model it comes from, when an item may be sent (a
story once the province reviewed it, a video that passes the spec, an event whose plan the centre approved …), and
the frozen content and media the public will read. The content is taken when the item is sent: a story edited after
its approval stays as approved until a new version is sent and approved.

Media are named by their stored file and SHA-256, not copied: stored files are never overwritten (a new photo is a
new file), so the name stays valid, and the checksum proves it is the file that was approved."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image

from apps.brand.models import Deliverable
from apps.campaigns.models import Programme
from apps.events.models import Event
from apps.events.selectors import plan_state
from apps.publication.models import Publication, TopicItem
from apps.publicity.models import MediaReport, Story, TopicVideo
from apps.publicity.selectors import province_list_cases
from apps.rounds.models import Round
from apps.selection.models import LockedList
from apps.selection.selectors import notice_slug

Kind = Publication.Kind


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[Model]
    candidates: Callable[[Programme], QuerySet]  # the programme's items of this kind, newest first
    problem: Callable[[Any], str | None]  # why the item may not be sent now (None: it may)
    snapshot: Callable[[Any], tuple[str, dict, list[dict]]]  # (title, content, media)
    page: Callable[[Any], str]  # the item's own (internal) page
    programmes: tuple[str, ...] = (Programme.Kind.PROVINCE,)  # the kinds of programme that send it


def _sha256(name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _region(case) -> str:
    county = case.county
    return f"{county.parent.name}{county.name}" if county.parent_id else county.name


def _story_snapshot(story: Story):
    case = story.case
    media = []
    if story.photo:
        media = _image_media(story.photo.name)
    return story.title, {"form": story.form, "form_label": str(story.get_form_display()), "body": story.body,
                         "case": case.title, "enterprise": case.enterprise.name, "region": _region(case),
                         "version": story.version}, media


def _video_snapshot(video: TopicVideo):
    case = video.case
    media = [{"name": video.file.name, "type": "video/mp4", "size": video.size, "sha256": video.sha256}]
    return video.title, {"case": case.title, "enterprise": case.enterprise.name, "region": _region(case)}, media


def _report_snapshot(report: MediaReport):
    return report.title, {"outlet": report.outlet, "url": report.url, "published_on": report.published_on.isoformat(),
                          "level": report.level, "level_label": str(report.get_level_display()),
                          "report_kind": report.kind}, []


def _event_snapshot(event: Event):
    local = timezone.localtime
    return event.title, {"org": event.org.name, "mode": event.mode, "mode_label": str(event.get_mode_display()),
                         "venue": event.venue, "park": event.park_name if event.in_tech_park else "",
                         "starts_at": local(event.starts_at).isoformat(), "ends_at": local(event.ends_at).isoformat(),
                         "when": date_format(local(event.starts_at), "Y-m-d H:i"),
                         "held": event.state == Event.State.HELD}, []


def _list_snapshot(locked: LockedList):
    round = locked.round
    title = _("%(org)s%(kind)s名单") % {"org": round.org.name, "kind": round.get_kind_display()}
    return title, {"org": round.org.name, "round_kind": round.kind, "cases": len(locked.case_ids),
                   "starts_on": locked.starts_on.isoformat(), "ends_on": locked.ends_on.isoformat(),
                   "gs_url": reverse("gs:list", args=[notice_slug(round)])}, []


def _image_media(name: str) -> list[dict]:
    sha, size = _sha256(name)
    kind = "image/png" if name.lower().endswith(".png") else "image/jpeg"
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        width, height = image.size  # the page gives the image its size before it loads
    return [{"name": name, "type": kind, "size": size, "sha256": sha, "width": width, "height": height}]


def _item_snapshot(item: TopicItem):
    return item.title, {"body": item.body, "org": item.org.name}, _image_media(item.image.name) if item.image else []


def _deliverable_snapshot(item: Deliverable):
    """A brand deliverable (R-504) as approved: its file, an image with its size (the page sizes it before it
    loads); short videos name the provinces' videos they were cut from."""
    if item.content_type.startswith("image/"):
        media = _image_media(item.file.name)
    else:
        media = [{"name": item.file.name, "type": item.content_type, "size": item.size, "sha256": item.sha256}]
    sources = [{"title": v.title, "province": v.org.name} for v in item.sources.select_related("org").order_by("pk")]
    return item.title, {"deliverable_kind": item.kind, "kind_label": str(item.get_kind_display()),
                        "org": item.programme.org.name, "sources": sources}, media


def _deliverable_problem(item: Deliverable) -> str | None:
    return None if item.status == Deliverable.Status.APPROVED else _("宣传品经中心审核通过后才能报送发布")


def _story_problem(story: Story) -> str | None:
    if story.state != Story.State.REVIEWED:
        return _("故事经省级审核后才能报送发布")
    if story.case_id not in {c.pk for c in province_list_cases(story.programme)}:
        return _("该案例已不在省级遴选名单中")
    return None


def _video_problem(video: TopicVideo) -> str | None:
    return None if video.passes else _("视频不符合规格，不能报送发布")


def _event_problem(event: Event) -> str | None:
    if event.state == Event.State.HELD or plan_state(event).approved:
        return None
    return _("活动方案经中心审核通过后才能报送发布")


def _list_problem(locked: LockedList) -> str | None:
    return None if locked.is_live else _("该名单已撤回，不能报送发布")


SOURCES: dict[str, Source] = {s.kind: s for s in (
    Source(Kind.STORY, Story,
           lambda p: Story.plain.filter(programme=p)
           .select_related("case__enterprise", "case__county__parent", "org").order_by("-updated_at", "-id"),
           _story_problem, _story_snapshot, lambda s: reverse("publicity:story_detail", args=[s.pk])),
    Source(Kind.VIDEO, TopicVideo,
           lambda p: TopicVideo.plain.filter(programme=p)
           .select_related("case__enterprise", "case__county__parent", "org").order_by("-created_at", "-id"),
           _video_problem, _video_snapshot, lambda v: reverse("publicity:video_list")),
    Source(Kind.MEDIA_REPORT, MediaReport,
           lambda p: MediaReport.plain.filter(programme=p).select_related("org").order_by("-published_on", "-id"),
           lambda r: None, _report_snapshot, lambda r: reverse("publicity:report_list")),
    Source(Kind.EVENT, Event,
           lambda p: Event.plain.filter(programme=p).exclude(state=Event.State.CANCELLED)
           .select_related("org").order_by("-starts_at", "-id"),
           _event_problem, _event_snapshot, lambda e: reverse("events:event_detail", args=[e.pk])),
    Source(Kind.TOPIC_ITEM, TopicItem,
           lambda p: TopicItem.plain.filter(programme=p).select_related("org").order_by("-updated_at", "-id"),
           lambda i: None, _item_snapshot, lambda i: reverse("publication:item_edit", args=[i.pk]),
           programmes=(Programme.Kind.PROVINCE, Programme.Kind.BRAND)),
    Source(Kind.BRAND_DELIVERABLE, Deliverable,
           lambda p: Deliverable.plain.filter(programme=p).exclude(status=Deliverable.Status.REPLACED)
           .select_related("programme__org").order_by("kind", "slot", "-version"),
           _deliverable_problem, _deliverable_snapshot,
           lambda d: reverse("brand:deliverable_list", args=[d.programme_id]), programmes=(Programme.Kind.BRAND,)),
    Source(Kind.SELECTED_LIST, LockedList,
           lambda p: LockedList.plain.filter(round__in=Round.plain.filter(programme=p), withdrawn_at__isnull=True)
           .select_related("round__org").order_by("-locked_at", "-id"),
           _list_problem, _list_snapshot, lambda x: reverse("gs:list", args=[notice_slug(x.round)])),
)}


def source_of(kind: str) -> Source:
    return SOURCES[kind]


def sources_for(programme: Programme) -> list[Source]:
    """The kinds a programme sends: a province its stories, videos, reports, events, lists and items; the centre's
    brand programme its items and brand deliverables."""
    return [s for s in SOURCES.values() if programme.kind in s.programmes]
