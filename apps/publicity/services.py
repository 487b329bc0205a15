"""State changes of publicity records: each checks permission, validates at the field, writes in one transaction
with its audit row, and stores files only when their row is written."""

from __future__ import annotations

import datetime as dt
import tempfile
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.campaigns.permissions import is_admin_at
from apps.cases.videoprobe import probe
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, MP4, PDF, PNG, Slot, StoredFiles, check_into
from apps.core.links import url_key  # noqa: F401 (the media reports' duplicate check, also read from here)
from apps.core.numbering import next_number
from apps.events.models import Event
from apps.orgs.models import Org, User
from apps.publicity import permissions, stories
from apps.publicity.approvals import KIND as PLAN_KIND
from apps.publicity.models import CaseCollection, MediaReport, PublicityPlan, Story, StoryVersion, TopicVideo
from apps.publicity.selectors import province_list_cases
from apps.publicity.videos import spec_checks


def evidence_slot() -> Slot:
    return Slot(types=(PNG, JPEG, PDF), limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
                max_pixels=settings.CASE_IMAGE_MAX_PIXELS, expected=_("截图（PNG、JPEG）或PDF"),
                advice=_("请将报道页面截图或打印为PDF后上传"))


def media_report_add(*, org: Org, programme: Programme, by: User, outlet: str, level: str, kind: str,
                     published_on: dt.date | None, title: str, url: str, evidence=None,
                     event: Event | None = None) -> MediaReport:
    """Record a media report with its evidence (R-303). A link already recorded in the campaign is refused."""
    ensure(permissions.can_record(by, org) and org.is_under(programme.org), NotFound)
    errors: dict[str, list[str]] = {}
    outlet, title, url = (outlet or "").strip(), (title or "").strip(), (url or "").strip()
    if not outlet:
        errors["outlet"] = [_("请填写媒体名称")]
    elif len(outlet) > 100:
        errors["outlet"] = [_("媒体名称最多100字")]
    if not title:
        errors["title"] = [_("请填写报道标题")]
    elif len(title) > 200:
        errors["title"] = [_("报道标题最多200字")]
    if level not in MediaReport.Level.values:
        errors["level"] = [_("请选择媒体级别")]
    if kind not in MediaReport.Kind.values:
        errors["kind"] = [_("请选择报道类型")]
    if published_on is None:
        errors["published_on"] = [_("请填写发布日期")]
    elif published_on > timezone.localdate():
        errors["published_on"] = [_("发布日期不能晚于今天")]
    elif published_on.year < programme.campaign.year - 1:
        errors["published_on"] = [_("发布日期早于本年度活动，请核对")]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 500:
        errors["url"] = [_("请填写以http://或https://开头的报道链接")]
    else:
        found = MediaReport.plain.filter(campaign=programme.campaign, url_key=url_key(url)).select_related("org").first()
        if found is not None:
            errors["url"] = [_("该链接已登记（%(org)s，%(title)s），同一报道只能登记一次") % {
                "org": found.org.name, "title": found.title}]
    checked = check_into(evidence, evidence_slot(), "evidence", errors)
    if evidence is None:
        errors["evidence"] = [_("请上传报道截图或PDF作为佐证")]
    if event is not None and (event.programme_id != programme.pk or not event.org.is_under(programme.org)):
        errors["event"] = [_("所选活动不属于本项目")]
    if errors:
        raise ValidationError(errors)
    try:
        with StoredFiles() as stored, transaction.atomic():
            report = MediaReport(campaign=programme.campaign, programme=programme, org=org, event=event, outlet=outlet,
                                 level=level, kind=kind, published_on=published_on, title=title, url=url,
                                 url_key=url_key(url), evidence_name=checked.name,
                                 evidence_type=checked.content_type, created_by=by)
            stored.save(report.evidence, checked)
            report.save()
            audit_record(actor=by, action="media_report.add", target=report, org=org, data={
                "outlet": outlet, "level": level, "kind": kind, "url": url, "event": event.pk if event else None})
    except IntegrityError:  # the same link recorded a moment ago by someone else (its file is gone already)
        raise ValidationError({"url": [_("该链接已登记，同一报道只能登记一次")]})
    return report


def media_report_remove(*, report: MediaReport, by: User, reason: str) -> None:
    """Take back a report recorded by mistake, with a reason kept in the audit log."""
    ensure(permissions.can_record(by, report.org), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写删除理由")]})
    name = report.evidence.name
    with transaction.atomic():
        MediaReport.plain.filter(pk=report.pk).delete()
        audit_record(actor=by, action="media_report.remove", target=report, org=report.org,
                     data={"url": report.url, "title": report.title, "reason": reason})
    transaction.on_commit(lambda: default_storage.delete(name))


def unrecorded_coverage(org: Org, programme: Programme) -> list[tuple[Event, str]]:
    """(event, link) for each coverage link of the org's held events not yet recorded as a media report: the event
    report's links become media reports once the province records them with their evidence."""
    events = list(Event.plain.filter(programme=programme, org=org, state=Event.State.HELD).exclude(coverage=[])
                  .order_by("held_at", "id"))
    keys = set(MediaReport.plain.filter(campaign=programme.campaign_id).values_list("url_key", flat=True))
    return [(event, link) for event in events for link in event.coverage if url_key(link) not in keys]


# -- the publicity plan (R-302) ---------------------------------------------------------------------

def _clean_phases(programme: Programme, phases: dict) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    out: dict[str, dict] = {}
    channels_allowed = {key for key, _label in PublicityPlan.CHANNELS}
    start, end = programme.period_start, programme.period_end
    for key, label in PublicityPlan.PHASES:
        raw = phases.get(key) or {}
        first, last = raw.get("start"), raw.get("end")
        channels = [c for c in raw.get("channels") or [] if c in channels_allowed]
        content = str(raw.get("content") or "").strip()
        # Each problem at the field where it happened: "warmup_start", "warmup_channels", "warmup_content" …
        problems: dict[str, list[str]] = {}
        if not isinstance(first, dt.date) or not isinstance(last, dt.date):
            problems[f"{key}_start"] = [_("请填写%(phase)s的起止日期") % {"phase": label}]
        elif first > last:
            problems[f"{key}_end"] = [_("%(phase)s的结束日期不能早于开始日期") % {"phase": label}]
        elif not (start <= first and last <= end):
            problems[f"{key}_start"] = [_("%(phase)s应在项目实施期%(start)s至%(end)s之内") % {
                "phase": label, "start": start.isoformat(), "end": end.isoformat()}]
        if not channels:
            problems[f"{key}_channels"] = [_("请为%(phase)s选择至少一个宣传渠道") % {"phase": label}]
        if not content:
            problems[f"{key}_content"] = [_("请填写%(phase)s的宣传内容") % {"phase": label}]
        elif len(content) > 2000:
            problems[f"{key}_content"] = [_("%(phase)s的宣传内容最多2000字") % {"phase": label}]
        errors.update(problems)
        out[key] = {"start": first.isoformat() if isinstance(first, dt.date) else "",
                    "end": last.isoformat() if isinstance(last, dt.date) else "",
                    "channels": channels, "live": bool(raw.get("live")), "content": content}
    return out, errors


def publicity_plan_submit(*, programme: Programme, by: User, phases: dict) -> PublicityPlan:
    """The province sends its full-cycle publicity plan (R-302) to the centre as a new version."""
    ensure(permissions.can_record(by, programme.org) and programme.org.kind == Org.Kind.PROVINCE, NotFound)
    clean, errors = _clean_phases(programme, phases)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Programme.plain.select_for_update().get(pk=programme.pk)
        number = next_number(PublicityPlan.plain.filter(programme=programme))
        plan = PublicityPlan.plain.create(programme=programme, number=number, phases=clean, created_by=by)
        approval_submit(kind=PLAN_KIND, obj=plan, by=by, title=_("%(org)s宣传工作方案（第%(n)d版）") % {
            "org": programme.org.name, "n": number})
    return plan


# -- topic videos (R-304) ---------------------------------------------------------------------------

def video_slot() -> Slot:
    return Slot(types=(MP4,), limit=settings.CASE_VIDEO_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("MP4视频"), advice=_("请导出为MP4（H.264）后重新上传"))


def _probe_upload(upload) -> dict | None:
    """What PyAV reads of the upload, from a local copy (storage may be S3; the probe reads a path)."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as copy:
        upload.seek(0)
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        return probe(copy.name)


def topic_video_add(*, org: Org, programme: Programme, by: User, title: str, case_id: int, upload) -> TopicVideo:
    """Record a topic video about a case of the provincial list (R-304). The file is checked as an MP4 (refused when
    it is not one, or too large), then against the campaign's spec line by line; a video that fails the spec stays
    on record, marked as failing, and does not count."""
    ensure(permissions.can_record(by, org) and org.is_under(programme.org), NotFound)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写视频标题")]
    elif len(title) > 100:
        errors["title"] = [_("视频标题最多100字")]
    if int(case_id or 0) not in {c.pk for c in province_list_cases(programme)}:
        errors["case"] = [_("专题视频须对应省级遴选名单中的案例；省级名单锁定后才能登记")]
    checked = check_into(upload, video_slot(), "file", errors)
    if upload is None:
        errors["file"] = [_("请选择视频文件")]
    if checked is not None and TopicVideo.plain.filter(programme=programme, sha256=checked.sha256).exists():
        errors["file"] = [_("该视频文件已上传过")]
    if errors:
        raise ValidationError(errors)
    spec = programme.campaign.video_spec_values()
    lines = spec_checks(_probe_upload(checked.content), spec)
    try:
        with StoredFiles() as stored, transaction.atomic():
            video = TopicVideo(programme=programme, org=org, case_id=int(case_id), title=title, name=checked.name,
                               size=checked.size, sha256=checked.sha256, spec=spec,
                               checks=[line.as_dict() for line in lines], passes=all(line.ok for line in lines),
                               created_by=by)
            stored.save(video.file, checked)
            video.save()
            audit_record(actor=by, action="topic_video.add", target=video, org=org, data={
                "case": video.case_id, "sha256": video.sha256, "passes": video.passes,
                "failed": [line.key for line in lines if not line.ok]})
    except IntegrityError:  # the same file recorded a moment ago (its copy is gone already)
        raise ValidationError({"file": [_("该视频文件已上传过")]})
    return video


# -- written stories (R-305) ---------------------------------------------------------------------------

STORY_MAX = 20000  # characters of the sanitised body
MOVES = {Story.State.DRAFT: {Story.State.EDITED}, Story.State.EDITED: {Story.State.REVIEWED, Story.State.DRAFT},
         Story.State.REVIEWED: {Story.State.DRAFT}}


def story_save(*, programme: Programme, case_id: int, by: User, title: str, form: str, body: str,
               photo=None) -> Story:
    """Write or change the story of a case of the provincial list; every save is a version. A story changed after
    it was edited or reviewed goes back to draft (it must be looked at again)."""
    org = programme.org
    ensure(permissions.can_record(by, org), NotFound)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写故事标题")]
    elif len(title) > 100:
        errors["title"] = [_("故事标题最多100字")]
    if form not in Story.Form.values:
        errors["form"] = [_("请选择故事形式")]
    safe = stories.clean(body)
    if not stories.plain(safe):
        errors["body"] = [_("请填写故事正文")]
    elif len(safe) > STORY_MAX:
        errors["body"] = [_("故事正文过长，请精简到%(n)d字以内") % {"n": STORY_MAX // 2}]
    if int(case_id or 0) not in {c.pk for c in province_list_cases(programme)}:
        errors["case"] = [_("案例故事须对应省级遴选名单中的案例")]
    checked = check_into(photo, story_photo_slot(), "photo", errors)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        story = Story.plain.select_for_update().filter(programme=programme, case_id=int(case_id)).first()
        if story is None:
            story = Story(programme=programme, org=org, case_id=int(case_id), version=0)
        elif (story.title, story.form, story.body) == (title, form, safe) and checked is None:
            return story
        story.title, story.form, story.body = title, form, safe
        story.state, story.version, story.updated_by = Story.State.DRAFT, story.version + 1, by
        if checked is not None:
            stored.save(story.photo, checked)
        story.save()
        StoryVersion.plain.create(story=story, number=story.version, title=title, body=safe, state=story.state,
                                  saved_by=by)
        audit_record(actor=by, action="story.save", target=story, org=org,
                     data={"case": story.case_id, "version": story.version, "form": form})
    return story


def story_move(*, story: Story, by: User, to: str) -> Story:
    """draft → edited (the writer hands it to review), edited → reviewed (the province's admin approves it) or back
    to draft (returned for changes)."""
    ensure(permissions.can_record(by, story.org), NotFound)
    if to == Story.State.REVIEWED:
        ensure(is_admin_at(by, story.org), NotFound)
    with transaction.atomic():
        current = Story.plain.select_for_update().get(pk=story.pk)
        if to not in MOVES.get(current.state, set()):
            raise ValidationError(_("故事目前为“%(state)s”，不能改为“%(to)s”") % {
                "state": current.get_state_display(), "to": Story.State(to).label})
        current.state, current.updated_by = to, by
        current.save(update_fields=["state", "updated_by", "updated_at"])
        audit_record(actor=by, action="story.move", target=current, org=current.org,
                     data={"to": to, "version": current.version})
    story.refresh_from_db()
    return story


def story_photo_slot() -> Slot:
    return Slot(types=(JPEG, PNG), limit=settings.CASE_FILE_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("JPEG或PNG图片"), advice=_("请用看图或修图软件另存为JPEG或PNG后重新上传"))


# -- the case collection (R-306) ----------------------------------------------------------------------------

ABANDONED_AFTER = dt.timedelta(minutes=30)  # a build queued or running this long is taken as lost (its worker died)


def case_collection_request(*, programme: Programme, by: User) -> CaseCollection:
    """The province asks for a new build of its case collection from its reviewed stories. The build runs in the
    background (apps/publicity/tasks.py); the task is queued in the same transaction as its row, so a row always
    has its task and a failed request leaves neither. One build runs at a time."""
    from apps.publicity.collection import entries_of
    from apps.publicity.tasks import build_case_collection

    org = programme.org
    ensure(permissions.can_record(by, org) and org.kind == Org.Kind.PROVINCE and programme.org_id == org.pk,
           NotFound)
    if not entries_of(programme):
        raise ValidationError(_("尚无省级审核通过的案例故事；故事审核通过后才能生成案例集"))
    try:
        with transaction.atomic():
            Programme.plain.select_for_update().get(pk=programme.pk)
            cutoff = timezone.now() - ABANDONED_AFTER
            for stale in CaseCollection.plain.filter(programme=programme, state__in=CaseCollection.ACTIVE,
                                                     requested_at__lt=cutoff):
                CaseCollection.plain.filter(pk=stale.pk).update(
                    state=CaseCollection.State.FAILED, finished_at=timezone.now(),
                    problem=_("生成超时，已停止；请重新生成"))
            if CaseCollection.plain.filter(programme=programme, state__in=CaseCollection.ACTIVE).exists():
                raise ValidationError(_("案例集正在生成，请等待本次生成完成"))
            number = next_number(CaseCollection.plain.filter(programme=programme))
            collection = CaseCollection.plain.create(programme=programme, org=org, number=number, requested_by=by)
            audit_record(actor=by, action="case_collection.request", target=collection, org=org,
                         data={"number": number})
            result = build_case_collection.enqueue(collection.pk)
            CaseCollection.plain.filter(pk=collection.pk).update(task_id=str(result.id)[:64])
    except IntegrityError:  # a build asked for at the same moment by someone else won the race
        raise ValidationError(_("案例集正在生成，请等待本次生成完成"))
    collection.refresh_from_db()
    return collection
