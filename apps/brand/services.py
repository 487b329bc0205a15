"""State changes of the brand project (R-501, R-502, R-504, R-505): each checks that the person is on the brand
team, validates at the field, writes in one transaction with its audit row, and stores files only when their row
is written."""

from __future__ import annotations

import datetime as dt
import re
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.brand import datapack
from apps.brand.approvals import DELIVERABLE_KIND
from apps.brand.approvals import KIND as PLAN_KIND
from apps.brand.models import BrandPlan, Channel, ChannelUse, Deliverable, MediaContact, OverviewReport
from apps.brand.permissions import is_brand_team
from apps.campaigns.models import Programme
from apps.campaigns.selectors import rulebook_values
from apps.cases.videoprobe import probe
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, MP4, PDF, PNG, Slot, StoredFiles, check_into
from apps.core.links import is_web_link, url_key
from apps.core.numbering import next_number
from apps.orgs.models import User
from apps.publicity.models import TopicVideo
from apps.publicity.videos import spec_checks

GOALS_MAX = 1000
OUTLET_MAX, PERSON_MAX, TITLE_MAX, URL_MAX, REASON_MAX = 100, 50, 200, 500, 500
# A mainland mobile number, or a landline with its area code and an optional extension (010-12345678-123).
PHONE = re.compile(r"(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)")
EARLIEST_CONTACT = dt.date(2000, 1, 1)


def _words(text) -> str:
    """Typed text with its spaces trimmed and runs of spaces made one (so "新华网 " and "新华网" are one outlet)."""
    return " ".join(str(text or "").split())


# -- the brand plan (R-501) -------------------------------------------------------------------------

def _clean_phases(programme: Programme, phases: dict) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    out: dict[str, dict] = {}
    start, end = programme.period_start, programme.period_end
    for key, label in BrandPlan.PHASES:
        raw = phases.get(key) or {}
        first, last = raw.get("start"), raw.get("end")
        channels = [c for c in Channel.values if c in (raw.get("channels") or [])]
        goals = str(raw.get("goals") or "").strip()
        # Each problem at the field where it happened: "warmup_start", "warmup_channels", "warmup_goals" …
        if not isinstance(first, dt.date) or not isinstance(last, dt.date):
            errors[f"{key}_start"] = [_("请填写%(phase)s的起止日期") % {"phase": label}]
        elif first > last:
            errors[f"{key}_end"] = [_("%(phase)s的结束日期不能早于开始日期") % {"phase": label}]
        elif not (start <= first and last <= end):
            errors[f"{key}_start"] = [_("%(phase)s应在品牌项目实施期%(start)s至%(end)s之内") % {
                "phase": label, "start": start.isoformat(), "end": end.isoformat()}]
        if not goals:
            errors[f"{key}_goals"] = [_("请填写%(phase)s的目标") % {"phase": label}]
        elif len(goals) > GOALS_MAX:
            errors[f"{key}_goals"] = [_("%(phase)s的目标最多%(n)d字") % {"phase": label, "n": GOALS_MAX}]
        if not channels:
            errors[f"{key}_channels"] = [_("请为%(phase)s选择至少一个传播渠道") % {"phase": label}]
        out[key] = {"start": first.isoformat() if isinstance(first, dt.date) else "",
                    "end": last.isoformat() if isinstance(last, dt.date) else "",
                    "goals": goals, "channels": channels}
    return out, errors


def brand_plan_submit(*, programme: Programme, by: User, phases: dict) -> BrandPlan:
    """The brand team sends a new version of the brand plan (R-501) to the centre's approval."""
    ensure(is_brand_team(by, programme), NotFound)
    clean, errors = _clean_phases(programme, phases)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Programme.plain.select_for_update().get(pk=programme.pk)
        number = next_number(BrandPlan.plain.filter(programme=programme))
        plan = BrandPlan.plain.create(programme=programme, number=number, phases=clean, created_by=by)
        approval_submit(kind=PLAN_KIND, obj=plan, by=by, title=_("%(year)s年品牌项目方案（第%(n)d版）") % {
            "year": programme.campaign.year, "n": number})
    return plan


# -- media contacts (R-502) -------------------------------------------------------------------------

def _clean_contact(programme: Programme, *, outlet, level, person, phone, email, last_contact_on,
                   exclude: int | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    outlet, person = _words(outlet), _words(person)
    phone = re.sub(r"[\s()（）]", "", str(phone or ""))
    email = str(email or "").strip()
    if not outlet:
        errors["outlet"] = [_("请填写媒体名称")]
    elif len(outlet) > OUTLET_MAX:
        errors["outlet"] = [_("媒体名称最多%(n)d字") % {"n": OUTLET_MAX}]
    if level not in MediaContact.Level.values:
        errors["level"] = [_("请选择媒体级别")]
    if not person:
        errors["person"] = [_("请填写联系人姓名")]
    elif len(person) > PERSON_MAX:
        errors["person"] = [_("联系人姓名最多%(n)d字") % {"n": PERSON_MAX}]
    if phone and not PHONE.fullmatch(phone):
        errors["phone"] = [_("电话号码格式不正确：手机号为11位，固定电话请带区号，如010-12345678")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确，例如 name@example.cn")]
        if len(email) > 254:
            errors["email"] = [_("电子邮箱最长254个字符")]
    if not phone and not email:
        errors["phone"] = [_("请至少填写电话或电子邮箱中的一项")]
    if last_contact_on is None:
        errors["last_contact_on"] = [_("请填写最近联系日期")]
    elif last_contact_on > timezone.localdate():
        errors["last_contact_on"] = [_("最近联系日期不能晚于今天")]
    elif last_contact_on < EARLIEST_CONTACT:
        errors["last_contact_on"] = [_("最近联系日期过早，请核对")]
    if "outlet" not in errors and "person" not in errors:
        same = MediaContact.plain.filter(programme=programme, outlet=outlet, person=person).exclude(pk=exclude)
        if same.exists():
            errors["person"] = [_("%(outlet)s的联系人%(person)s已登记，请修改已有记录") % {
                "outlet": outlet, "person": person}]
    if errors:
        raise ValidationError(errors)
    return {"outlet": outlet, "level": level, "person": person, "phone": phone, "email": email,
            "last_contact_on": last_contact_on}


def _duplicate_person(values: dict) -> ValidationError:
    return ValidationError({"person": [_("%(outlet)s的联系人%(person)s已登记，请修改已有记录") % {
        "outlet": values["outlet"], "person": values["person"]}]})


def media_contact_add(*, programme: Programme, by: User, outlet: str, level: str, person: str, phone: str = "",
                      email: str = "", last_contact_on: dt.date | None) -> MediaContact:
    """Record a person at a media outlet (R-502). The same outlet and person are recorded once."""
    ensure(is_brand_team(by, programme), NotFound)
    values = _clean_contact(programme, outlet=outlet, level=level, person=person, phone=phone, email=email,
                            last_contact_on=last_contact_on)
    try:
        with transaction.atomic():
            contact = MediaContact.plain.create(programme=programme, created_by=by, **values)
            # The details (phone, e-mail) stay out of the log: the log is read more widely than the registry.
            audit_record(actor=by, action="media_contact.add", target=contact, org=programme.org,
                         data={"outlet": contact.outlet, "level": contact.level})
    except IntegrityError:  # the same person recorded a moment ago by someone else
        raise _duplicate_person(values)
    return contact


def media_contact_update(*, contact: MediaContact, by: User, outlet: str, level: str, person: str, phone: str = "",
                         email: str = "", last_contact_on: dt.date | None) -> MediaContact:
    """Correct a contact or record a later contact date (R-502)."""
    programme = contact.programme
    ensure(is_brand_team(by, programme), NotFound)
    values = _clean_contact(programme, outlet=outlet, level=level, person=person, phone=phone, email=email,
                            last_contact_on=last_contact_on, exclude=contact.pk)
    changed = sorted(k for k, v in values.items() if getattr(contact, k) != v)
    if not changed:
        return contact
    try:
        with transaction.atomic():
            for key, value in values.items():
                setattr(contact, key, value)
            contact.save(update_fields=[*changed, "updated_at"])
            audit_record(actor=by, action="media_contact.update", target=contact, org=programme.org,
                         data={"outlet": contact.outlet, "changed": changed,
                               "last_contact_on": contact.last_contact_on})
    except IntegrityError:
        contact.refresh_from_db()
        raise _duplicate_person(values)
    return contact


def registry_outlets(programme: Programme) -> list[tuple[str, str]]:
    """(outlet, level) of each outlet in the registry, by name: the outlets a channel use may name."""
    outlets: dict[str, str] = {}
    for outlet, level in MediaContact.plain.filter(programme=programme).order_by("id").values_list("outlet", "level"):
        outlets.setdefault(outlet, level)  # the level of its first contact, should two differ
    return sorted(outlets.items())


# -- the channel-use log (R-502) --------------------------------------------------------------------

def evidence_slot() -> Slot:
    return Slot(types=(PNG, JPEG, PDF), limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
                max_pixels=settings.CASE_IMAGE_MAX_PIXELS, expected=_("截图（PNG、JPEG）或PDF"),
                advice=_("请将发布页面截图或打印为PDF后上传"))


def _link_taken(found: ChannelUse | None) -> ValidationError:
    if found is None:
        text = _("该链接已登记，同一次使用只计一次")
    else:
        text = _("该链接已登记（%(date)s，%(outlet)s：%(title)s），同一次使用只计一次") % {
            "date": found.used_on.isoformat(), "outlet": found.outlet, "title": found.title}
    return ValidationError({"url": [text]})


def channel_use_add(*, programme: Programme, by: User, outlet: str, channel: str, used_on: dt.date | None,
                    title: str, url: str, evidence=None) -> ChannelUse:
    """Log one use of a media channel (R-502) with its evidence. The outlet comes from the registry of media
    contacts; a link already logged for the programme is refused (it counts once)."""
    ensure(is_brand_team(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    outlet, title, url = _words(outlet), (title or "").strip(), (url or "").strip()
    levels = dict(registry_outlets(programme))
    if not outlet:
        errors["outlet"] = [_("请选择媒体")]
    elif outlet not in levels:
        errors["outlet"] = [_("请从媒体联系人名录中选择媒体；名录中没有的媒体，请先登记联系人")]
    if channel not in Channel.values:
        errors["channel"] = [_("请选择传播渠道")]
    # The campaign's year, and the year before it, when a campaign is prepared from August (apps/campaigns/demo.py
    # demo_year) and its brand work starts: the same window as a media report's.
    earliest = dt.date(programme.campaign.year - 1, 1, 1)
    if used_on is None:
        errors["used_on"] = [_("请填写发布日期")]
    elif used_on > timezone.localdate():
        errors["used_on"] = [_("发布日期不能晚于今天")]
    elif used_on < earliest or used_on.year > programme.campaign.year:
        errors["used_on"] = [_("发布日期应在%(start)s至%(end)s之间（本年度活动），请核对") % {
            "start": earliest.isoformat(), "end": dt.date(programme.campaign.year, 12, 31).isoformat()}]
    if not title:
        errors["title"] = [_("请填写发布内容的标题")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("发布内容的标题最多%(n)d字") % {"n": TITLE_MAX}]
    if not is_web_link(url, URL_MAX):
        errors["url"] = [_("请填写以http://或https://开头的链接（最长%(n)d个字符）") % {"n": URL_MAX}]
    else:
        found = ChannelUse.plain.filter(programme=programme, url_key=url_key(url)).first()
        if found is not None:
            errors.update(_link_taken(found).message_dict)
    checked = check_into(evidence, evidence_slot(), "evidence", errors)
    if evidence is None:
        errors["evidence"] = [_("请上传发布页面截图或PDF作为佐证")]
    if errors:
        raise ValidationError(errors)
    try:
        with StoredFiles() as stored, transaction.atomic():
            use = ChannelUse(programme=programme, outlet=outlet, level=levels[outlet], channel=channel,
                             used_on=used_on, title=title, url=url, url_key=url_key(url),
                             evidence_name=checked.name, evidence_type=checked.content_type, created_by=by)
            stored.save(use.evidence, checked)
            use.save()
            audit_record(actor=by, action="channel_use.add", target=use, org=programme.org, data={
                "outlet": outlet, "channel": channel, "used_on": used_on, "url": url})
    except IntegrityError:  # the same link logged a moment ago by someone else (its file is gone already)
        raise _link_taken(ChannelUse.plain.filter(programme=programme, url_key=url_key(url)).first())
    return use


def channel_use_remove(*, use: ChannelUse, by: User, reason: str) -> None:
    """Take back a use logged by mistake, with a reason kept in the audit log."""
    ensure(is_brand_team(by, use.programme), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写删除理由")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("删除理由最多%(n)d字") % {"n": REASON_MAX}]})
    name = use.evidence.name
    with transaction.atomic():
        ChannelUse.plain.filter(pk=use.pk).delete()
        audit_record(actor=by, action="channel_use.remove", target=use, org=use.programme.org,
                     data={"url": use.url, "title": use.title, "reason": reason})
    transaction.on_commit(lambda: default_storage.delete(name))


# -- deliverables (R-504) ---------------------------------------------------------------------------

DELIVERABLE_TITLE_MAX = 100
REPLACEABLE = (Deliverable.Status.RETURNED, Deliverable.Status.FAILING, Deliverable.Status.WITHDRAWN)


def deliverable_slot(kind: str) -> Slot:
    """What each kind takes: images or a PDF for the main visual and the posters, a PDF for the brochure, an MP4
    for the videos."""
    if kind in Deliverable.VIDEOS:
        return Slot(types=(MP4,), limit=settings.CASE_VIDEO_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                    expected=_("MP4视频"), advice=_("请导出为MP4（H.264）后重新上传"))
    if kind == Deliverable.Kind.BROCHURE:
        return Slot(types=(PDF,), limit=settings.CASE_VIDEO_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                    expected=_("PDF文件"), advice=_("请将宣传册导出为PDF后重新上传"))
    return Slot(types=(PNG, JPEG, PDF), limit=settings.CASE_VIDEO_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("JPEG、PNG图片或PDF"), advice=_("请导出为JPEG、PNG或PDF后重新上传"))


def video_spec(programme: Programme, kind: str) -> dict:
    """The spec a video deliverable is checked against: the campaign's topic-video spec (R-304; codec, resolution,
    aspect, sound), and for the promotional video the brand programme's length of about five minutes (R-504)."""
    spec = programme.campaign.video_spec_values()
    if kind == Deliverable.Kind.PROMO_VIDEO:
        values = rulebook_values(programme)
        spec = {**spec, "min_seconds": values["brand_promo_video_seconds_min"],
                "max_seconds": values["brand_promo_video_seconds_max"]}
    return spec


def _probe_upload(upload) -> dict | None:
    """What PyAV reads of the upload, from a local copy (storage may be S3; the probe reads a path)."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as copy:
        upload.seek(0)
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        return probe(copy.name)


def passing_sources(programme: Programme):
    """The provinces' topic videos of the campaign that pass the spec (R-304): what a short video may be cut from."""
    return (TopicVideo.plain.filter(programme__campaign=programme.campaign, programme__kind=Programme.Kind.PROVINCE,
                                    passes=True).select_related("org").order_by("org__code", "-created_at", "-id"))


def deliverable_add(*, programme: Programme, by: User, kind: str, title: str, upload, sources=(),
                    replaces: Deliverable | None = None) -> Deliverable:
    """Upload a deliverable (R-504), or a new version of a returned or failing one (`replaces`). A video is checked
    against its spec; one that passes, like every image and PDF, goes to the centre's approval; a failing one stays
    on record, marked failing. A short video names the provinces' passing topic videos it was cut from."""
    ensure(is_brand_team(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    if replaces is not None:
        ensure(replaces.programme_id == programme.pk, NotFound)
        kind = replaces.kind
    title = (title or "").strip()
    if kind not in Deliverable.Kind.values:
        errors["kind"] = [_("请选择成果类别")]
    if not title:
        errors["title"] = [_("请填写成果标题")]
    elif len(title) > DELIVERABLE_TITLE_MAX:
        errors["title"] = [_("成果标题最多%(n)d字") % {"n": DELIVERABLE_TITLE_MAX}]
    checked = check_into(upload, deliverable_slot(kind), "file", errors) if "kind" not in errors else None
    if upload is None:
        errors["file"] = [_("请选择要上传的文件")]
    if checked is not None and Deliverable.plain.filter(programme=programme, sha256=checked.sha256).exists():
        errors["file"] = [_("该文件已上传过")]
    source_ids = sorted({int(s) for s in (sources or []) if str(s).isdigit()})
    found = list(passing_sources(programme).filter(pk__in=source_ids))
    if kind == Deliverable.Kind.SHORT_VIDEO:
        if not source_ids:
            errors["sources"] = [_("请选择该短视频剪辑所用的各省专题视频")]
        elif len(found) != len(source_ids):
            errors["sources"] = [_("素材须为各省符合规格的专题视频，请重新选择")]
    elif source_ids:
        errors["sources"] = [_("只有全国短视频需要选择素材来源")]
    if errors:
        raise ValidationError(errors)
    lines = spec_checks(_probe_upload(checked.content), video_spec(programme, kind)) if kind in Deliverable.VIDEOS \
        else []
    passes = all(line.ok for line in lines)
    try:
        with StoredFiles() as stored, transaction.atomic():
            Programme.plain.select_for_update().get(pk=programme.pk)  # one slot number at a time
            if replaces is not None:
                replaces = Deliverable.plain.select_for_update().get(pk=replaces.pk)
                newest = (Deliverable.plain.filter(programme=programme, kind=kind, slot=replaces.slot)
                          .order_by("-version").first())
                if newest.pk != replaces.pk or replaces.status not in REPLACEABLE:
                    raise ValidationError({"file": [_("只有被退回、已撤回或不符合规格的最新一版才能上传新版本")]})
                slot, version = replaces.slot, replaces.version + 1
            else:
                slots = set(Deliverable.plain.filter(programme=programme, kind=kind).values_list("slot", flat=True))
                slot, version = (max(slots) + 1 if slots else 1), 1
                need = Deliverable.REQUIRED[kind]
                if kind != Deliverable.Kind.SHORT_VIDEO and slot > need:
                    raise ValidationError({"kind": [_("%(kind)s只需%(n)d件，已全部上传；被退回的请上传新版本") % {
                        "kind": Deliverable.Kind(kind).label, "n": need}]})
            item = Deliverable(programme=programme, kind=kind, slot=slot, version=version, title=title,
                               name=checked.name, content_type=checked.content_type, size=checked.size,
                               sha256=checked.sha256, checks=[line.as_dict() for line in lines], passes=passes,
                               status=Deliverable.Status.PENDING if passes else Deliverable.Status.FAILING,
                               created_by=by)
            stored.save(item.file, checked)
            item.save()
            if found:
                item.sources.set(found)
            if replaces is not None:
                replaces.status = Deliverable.Status.REPLACED
                replaces.save(update_fields=["status"])
            if passes:
                approval_submit(kind=DELIVERABLE_KIND, obj=item, by=by, title=str(item))
            audit_record(actor=by, action="brand_deliverable.add", target=item, org=programme.org, data={
                "kind": kind, "slot": slot, "version": version, "sha256": item.sha256, "passes": passes,
                "failed": [line.key for line in lines if not line.ok], "sources": [v.pk for v in found],
                "replaces": replaces.pk if replaces is not None else None})
    except IntegrityError:  # the same file, or the same place, recorded a moment ago (its copy is gone already)
        raise ValidationError({"file": [_("该文件已上传过，或该成果刚由他人上传，请刷新页面后核对")]})
    return item


def deliverables_counted(programme: Programme) -> dict[str, int]:
    """Approved deliverables (a video that passes its spec) by kind: what R-504 counts."""
    counts = dict.fromkeys(Deliverable.Kind.values, 0)
    for kind in Deliverable.plain.filter(programme=programme, status=Deliverable.Status.APPROVED,
                                         passes=True).values_list("kind", flat=True):
        counts[kind] += 1
    return counts


# -- overview reports (R-505) -----------------------------------------------------------------------

def _report_taken(found: OverviewReport | None) -> ValidationError:
    if found is None:
        return ValidationError({"url": [_("该链接已登记，同一篇综述报道只计一次")]})
    return ValidationError({"url": [_("该链接已登记（%(date)s，%(outlet)s：%(title)s），同一篇综述报道只计一次") % {
        "date": found.published_on.isoformat(), "outlet": found.outlet, "title": found.title}]})


def overview_report_add(*, programme: Programme, by: User, outlet: str, title: str, published_on: dt.date | None,
                        url: str) -> OverviewReport:
    """Record an overview report with mainstream media (R-505) and freeze its data pack, gathered across all provinces
    from the rule indicators (apps/brand/datapack.py). A link already recorded is refused (it counts once)."""
    ensure(is_brand_team(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    outlet, title, url = _words(outlet), (title or "").strip(), (url or "").strip()
    if not outlet:
        errors["outlet"] = [_("请选择媒体")]
    elif outlet not in dict(registry_outlets(programme)):
        errors["outlet"] = [_("请从媒体联系人名录中选择媒体；名录中没有的媒体，请先登记联系人")]
    if not title:
        errors["title"] = [_("请填写综述报道的标题")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("综述报道的标题最多%(n)d字") % {"n": TITLE_MAX}]
    earliest = dt.date(programme.campaign.year - 1, 1, 1)
    if published_on is None:
        errors["published_on"] = [_("请填写发布日期")]
    elif published_on > timezone.localdate():
        errors["published_on"] = [_("发布日期不能晚于今天")]
    elif published_on < earliest or published_on.year > programme.campaign.year + 1:
        errors["published_on"] = [_("发布日期应在%(start)s至%(end)s之间，请核对") % {
            "start": earliest.isoformat(), "end": dt.date(programme.campaign.year + 1, 12, 31).isoformat()}]
    if not is_web_link(url, URL_MAX):
        errors["url"] = [_("请填写以http://或https://开头的链接（最长%(n)d个字符）") % {"n": URL_MAX}]
    else:
        found = OverviewReport.plain.filter(programme=programme, url_key=url_key(url)).first()
        if found is not None:
            errors.update(_report_taken(found).message_dict)
    if errors:
        raise ValidationError(errors)
    data = datapack.gather(programme.campaign)
    try:
        with transaction.atomic():
            report = OverviewReport.plain.create(
                programme=programme, outlet=outlet, title=title, published_on=published_on, url=url,
                url_key=url_key(url), data=data, data_at=timezone.now(), created_by=by)
            audit_record(actor=by, action="overview_report.add", target=report, org=programme.org, data={
                "outlet": outlet, "published_on": published_on, "url": url})
    except IntegrityError:
        raise _report_taken(OverviewReport.plain.filter(programme=programme, url_key=url_key(url)).first())
    return report


def overview_report_refresh(*, report: OverviewReport, by: User) -> OverviewReport:
    """Gather the data pack again from today's indicators: the Excel and the PDF then show the new numbers."""
    ensure(is_brand_team(by, report.programme), NotFound)
    data = datapack.gather(report.programme.campaign)
    with transaction.atomic():
        before = report.data_at
        report.data, report.data_at = data, timezone.now()
        report.save(update_fields=["data", "data_at"])
        audit_record(actor=by, action="overview_report.refresh", target=report, org=report.programme.org,
                     data={"before": before.isoformat(), "totals": data["totals"]})
    return report
