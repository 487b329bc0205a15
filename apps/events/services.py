"""State changes of teams and events. Each checks permission, validates (a ValidationError in Chinese at the field
where it can), writes in one transaction with its audit row, and stores files only when their row is written."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.core.canonical import digest
from apps.core.errors import NotFound, ensure
from apps.core.files import DOCX, JPEG, MP4, PDF, PNG, PPTX, Slot, StoredFiles, check_file, check_into
from apps.events import permissions
from apps.events.approvals import KIND as PLAN_KIND
from apps.events.models import Event, EventFile, EventPlan, Presenter
from apps.events.selectors import plan_content, plan_snapshot, plan_state, team_cases
from apps.orgs.models import PHONE_RE, Org, User

LIST_MAX = 50  # guests, media, agenda items, coverage links
TEXT_MAX = 200


# -- the team (R-201) ----------------------------------------------------------------------------

def photo_slot() -> Slot:
    return Slot(types=(JPEG, PNG), limit=settings.CASE_FILE_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("JPEG或PNG图片"), advice=_("请用看图或修图软件另存为JPEG或PNG后重新上传"))


def _presenter_fields(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    clean = {k: str(data.get(k) or "").strip() for k in ("name", "title", "organisation", "phone", "bio")}
    clean["phone"] = clean["phone"].replace(" ", "")
    errors: dict[str, list[str]] = {}
    for field, label, most in (("name", _("姓名"), 50), ("title", _("职务"), 50),
                               ("organisation", _("单位"), 100), ("bio", _("简介"), 500)):
        if not clean[field]:
            errors[field] = [_("请填写%(label)s") % {"label": label}]
        elif len(clean[field]) > most:
            errors[field] = [_("%(label)s最多%(n)d字") % {"label": label, "n": most}]
    if not re.match(PHONE_RE, clean["phone"]):
        errors["phone"] = [_("手机号码应为以1开头的11位数字")]
    return clean, errors


def presenter_add(*, org: Org, programme: Programme, case_id: int, by: User, photo=None, **data) -> Presenter:
    """Name a presenter of a case on the org's locked list (R-201): the province's presenter list, or a city's own
    list for its city events."""
    ensure(permissions.can_manage_team(by, org), NotFound)
    clean, errors = _presenter_fields(data)
    if int(case_id or 0) not in {c.pk for c in team_cases(org, programme)}:
        errors["case"] = [_("只能为本级已锁定名单中的案例确定宣讲人")]
    checked = check_into(photo, photo_slot(), "photo", errors)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        presenter = Presenter(programme=programme, org=org, case_id=int(case_id), created_by=by, **clean)
        if checked is not None:
            stored.save(presenter.photo, checked)
        presenter.save()
        audit_record(actor=by, action="presenter.add", target=presenter, org=org,
                     data={"case": presenter.case_id, "name": presenter.name})
    return presenter


def presenter_replace(*, presenter: Presenter, by: User, reason: str, photo=None, **data) -> Presenter:
    """Replace a presenter, with a reason (R-201): the new one takes the case and the events of the old one,
    which stays on record, inactive, with the reason."""
    ensure(permissions.can_manage_team(by, presenter.org), NotFound)
    reason = (reason or "").strip()
    clean, errors = _presenter_fields(data)
    if not reason:
        errors["reason"] = [_("请填写更换理由")]
    checked = check_into(photo, photo_slot(), "photo", errors)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        old = Presenter.plain.select_for_update().get(pk=presenter.pk)
        if not old.active:
            raise ValidationError(_("该宣讲人已被更换，请刷新页面"))
        new = Presenter(programme_id=old.programme_id, org_id=old.org_id, case_id=old.case_id, created_by=by, **clean)
        if checked is not None:
            stored.save(new.photo, checked)
        new.save()
        old.active, old.replaced_by, old.replace_reason, old.replaced_at = False, new, reason, timezone.now()
        old.save(update_fields=["active", "replaced_by", "replace_reason", "replaced_at"])
        for event in Event.plain.filter(presenters=old).exclude(state=Event.State.HELD):
            event.presenters.remove(old)
            event.presenters.add(new)
        audit_record(actor=by, action="presenter.replace", target=new, org=old.org,
                     data={"old": old.pk, "old_name": old.name, "new_name": new.name, "reason": reason})
    return new


# -- events (R-202, R-203) ------------------------------------------------------------------------

def _lines(value: Any, field: str, label: str, errors: dict) -> list[str]:
    items = [str(x).strip() for x in (value or []) if str(x).strip()]
    if len(items) > LIST_MAX:
        errors[field] = [_("%(label)s最多%(n)d项") % {"label": label, "n": LIST_MAX}]
    if any(len(x) > TEXT_MAX for x in items):
        errors[field] = [_("%(label)s每项最多%(n)d字") % {"label": label, "n": TEXT_MAX}]
    return items


def _event_fields(org: Org, programme: Programme, data: dict[str, Any]) -> tuple[dict, list, dict]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    out["title"] = str(data.get("title") or "").strip()
    if not out["title"]:
        errors["title"] = [_("请填写活动名称")]
    elif len(out["title"]) > 100:
        errors["title"] = [_("活动名称最多100字")]
    out["mode"] = data.get("mode") or Event.Mode.BOTH
    if out["mode"] not in Event.Mode.values:
        errors["mode"] = [_("请选择活动形式")]
    out["venue"] = str(data.get("venue") or "").strip()[:200]
    if out["mode"] != Event.Mode.ONLINE and not out["venue"]:
        errors["venue"] = [_("线下活动请填写地点")]
    out["in_tech_park"] = bool(data.get("in_tech_park"))
    out["park_name"] = str(data.get("park_name") or "").strip()[:100]
    if out["in_tech_park"] and not out["park_name"]:
        errors["park_name"] = [_("在科技园区举办时请填写园区名称")]
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, dt.datetime):
        errors["starts_at"] = [_("请填写开始时间")]
    if not isinstance(ends, dt.datetime):
        errors["ends_at"] = [_("请填写结束时间")]
    elif isinstance(starts, dt.datetime) and ends <= starts:
        errors["ends_at"] = [_("结束时间应晚于开始时间")]
    elif isinstance(starts, dt.datetime) and timezone.localtime(starts).date() != timezone.localtime(ends).date():
        errors["ends_at"] = [_("活动应在同一天内开始和结束；多日活动请分场登记")]
    out["starts_at"], out["ends_at"] = starts, ends
    if isinstance(starts, dt.datetime):
        start, end = programme.period_start, programme.period_end
        if not start <= timezone.localtime(starts).date() <= end:
            errors["starts_at"] = [_("活动日期应在项目实施期%(start)s至%(end)s之内") % {
                "start": start.isoformat(), "end": end.isoformat()}]
    out["schedule"] = str(data.get("schedule") or "").strip()[:5000]
    agenda = []
    for row in (data.get("agenda") or [])[:LIST_MAX + 1]:
        item = {k: str(row.get(k) or "").strip()[:TEXT_MAX] for k in ("time", "item", "who")}
        if item["item"]:
            agenda.append(item)
    if len(agenda) > LIST_MAX:
        errors["agenda"] = [_("议程最多%(n)d项") % {"n": LIST_MAX}]
    out["agenda"] = agenda
    out["guests"] = _lines(data.get("guests"), "guests", _("嘉宾名单"), errors)
    out["media"] = _lines(data.get("media"), "media", _("邀请媒体"), errors)
    ids = {int(x) for x in (data.get("presenters") or [])}
    team = {p.pk: p for p in Presenter.plain.filter(org=org, programme=programme, active=True, pk__in=ids)}
    if len(team) != len(ids):
        errors["presenters"] = [_("宣讲人须从本级宣讲团中选择")]
    return out, list(team.values()), errors


def event_create(*, org: Org, programme: Programme, by: User, **data) -> Event:
    """A province or a city registers an event and drafts its plan (R-202, R-203)."""
    ensure(permissions.can_manage_team(by, org) and programme.kind == Programme.Kind.PROVINCE
           and org.is_under(programme.org), NotFound)
    fields, presenters, errors = _event_fields(org, programme, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = Event.plain.create(programme=programme, org=org, created_by=by, **fields)
        event.presenters.set(presenters)
        audit_record(actor=by, action="event.create", target=event, org=org,
                     data={"title": event.title, "starts_at": event.starts_at})
    return event


def _editable(event: Event) -> Event:
    """The event's row, locked; refused once held, cancelled or while its plan waits for the centre."""
    current = Event.plain.select_for_update().select_related("org", "programme").get(pk=event.pk)
    if current.state != Event.State.PLANNING:
        raise ValidationError(_("活动%(state)s，不能再修改方案") % {"state": current.get_state_display()})
    if plan_state(current).pending:
        raise ValidationError(_("活动方案正在中心审核，不能修改；如需修改，请先在审核页面撤回"))
    return current


def event_update(*, event: Event, by: User, **data) -> Event:
    """Change the plan. After the centre approved a version, a changed plan must be sent again before the event
    can be held (the approved version no longer matches)."""
    ensure(permissions.can_edit_event(by, event), NotFound)
    fields, presenters, errors = _event_fields(event.org, event.programme, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _editable(event)
        for key, value in fields.items():
            setattr(current, key, value)
        current.save()
        current.presenters.set(presenters)
        audit_record(actor=by, action="event.update", target=current, org=current.org,
                     data={"title": current.title, "starts_at": current.starts_at})
    event.refresh_from_db()
    return event


def material_slot(kind: str) -> Slot:
    if kind == EventFile.Kind.VIDEO:
        return Slot(types=(MP4,), limit=settings.CASE_VIDEO_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                    expected=_("MP4视频"), advice=_("请导出为MP4（H.264）后重新上传"))
    if kind == EventFile.Kind.PHOTO:
        return photo_slot()
    return Slot(types=(PDF, PPTX, DOCX), limit=settings.CASE_FILE_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("PDF、PowerPoint（.pptx）或Word（.docx）文件"),
                advice=_("请另存为PDF、.pptx或.docx后重新上传"))


def event_file_add(*, event: Event, by: User, kind: str, upload) -> EventFile:
    """A presentation material of the plan (slides, script, video), or a photo of the held event's report."""
    ensure(permissions.can_edit_event(by, event), NotFound)
    if kind not in EventFile.Kind.values:
        raise ValidationError({"kind": [_("请选择文件类型")]})
    try:
        checked = check_file(upload, material_slot(kind))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages})
    with StoredFiles() as stored, transaction.atomic():
        if kind == EventFile.Kind.PHOTO:
            current = Event.plain.select_for_update().get(pk=event.pk)
            if current.state != Event.State.HELD:
                raise ValidationError({"file": [_("活动举办后才能上传活动照片")]})
        else:
            current = _editable(event)
        row = EventFile(event=current, kind=kind, name=checked.name, size=checked.size,
                        content_type=checked.content_type, sha256=checked.sha256, added_by=by)
        stored.save(row.file, checked)
        row.save()
        audit_record(actor=by, action="event.file_add", target=current, org=current.org,
                     data={"file": row.pk, "kind": kind, "name": row.name, "sha256": row.sha256})
    return row


def event_file_remove(*, file: EventFile, by: User) -> None:
    ensure(permissions.can_edit_event(by, file.event), NotFound)
    with transaction.atomic():
        if file.kind == EventFile.Kind.PHOTO:
            current = Event.plain.select_for_update().get(pk=file.event_id)
        else:
            current = _editable(file.event)
        name = file.file.name
        EventFile.plain.filter(pk=file.pk).delete()
        audit_record(actor=by, action="event.file_remove", target=current, org=current.org,
                     data={"file": file.pk, "kind": file.kind, "name": file.name})
    transaction.on_commit(lambda: default_storage.delete(name))


def plan_problems(event: Event) -> list[str]:
    """What a plan must hold before it goes to the centre (R-203)."""
    problems = []
    if not event.presenters.exists():
        problems.append(_("请从宣讲团中选择宣讲人"))
    if not event.agenda:
        problems.append(_("请填写活动议程"))
    if not EventFile.plain.filter(event=event, kind__in=EventFile.MATERIALS).exists():
        problems.append(_("请上传宣讲材料（演示文稿、宣讲稿或视频）"))
    return problems


def event_plan_submit(*, event: Event, by: User) -> EventPlan:
    """Send the plan as it stands, with its materials, to the centre as a new version (R-203)."""
    ensure(permissions.can_edit_event(by, event), NotFound)
    with transaction.atomic():
        current = _editable(event)
        problems = plan_problems(current)
        if problems:
            raise ValidationError(problems)
        state = plan_state(current)
        if state.approved:
            raise ValidationError(_("该方案已经中心审核通过，无需重复报送"))
        content = plan_content(current)
        number = (state.latest.number if state.latest else 0) + 1
        plan = EventPlan.plain.create(event=current, number=number, snapshot=plan_snapshot(current, content),
                                      digest=digest(content), created_by=by)
        approval_submit(kind=PLAN_KIND, obj=plan, by=by,
                        title=_("%(org)s · %(event)s（方案第%(n)d版）") % {
                            "org": current.org.name, "event": current.title, "n": number})
    return plan


def event_mark_held(*, event: Event, by: User) -> Event:
    """The event took place: refused until the centre has approved the plan as it stands (R-203), and before its
    start time."""
    ensure(permissions.can_edit_event(by, event), NotFound)
    with transaction.atomic():
        current = Event.plain.select_for_update().select_related("org").get(pk=event.pk)
        if current.state != Event.State.PLANNING:
            raise ValidationError(_("活动%(state)s，不能再标记为已举办") % {"state": current.get_state_display()})
        state = plan_state(current)
        if not state.approved:
            raise ValidationError(_("活动方案须经中心审核通过后，活动才能标记为已举办；方案目前：%(state)s") % {
                "state": state.label})
        if timezone.now() < current.starts_at:
            raise ValidationError(_("活动尚未开始（%(when)s），举办后再标记") % {
                "when": timezone.localtime(current.starts_at).strftime("%Y-%m-%d %H:%M")})
        current.state, current.held_at, current.held_by = Event.State.HELD, timezone.now(), by
        current.save(update_fields=["state", "held_at", "held_by", "updated_at"])
        audit_record(actor=by, action="event.held", target=current, org=current.org,
                     data={"plan": state.latest.number})
    event.refresh_from_db()
    return event


URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def event_report(*, event: Event, by: User, attendance_onsite=None, attendance_online=None, stream_views=None,
                 stream_platforms: str = "", coverage=()) -> Event:
    """After the event: attendance, live-stream views and platforms, links to media coverage."""
    ensure(permissions.can_edit_event(by, event), NotFound)
    errors: dict[str, list[str]] = {}
    numbers = {"attendance_onsite": attendance_onsite, "attendance_online": attendance_online,
               "stream_views": stream_views}
    for field, value in numbers.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[field] = [_("请填写不小于0的整数")]
    links = [str(x).strip() for x in coverage or () if str(x).strip()]
    bad = [x for x in links if not URL_RE.match(x) or len(x) > 500]
    if bad:
        errors["coverage"] = [_("以下链接不是有效的网址（应以http://或https://开头）：%(links)s") % {
            "links": "、".join(bad[:3])}]
    if len(links) > LIST_MAX:
        errors["coverage"] = [_("媒体报道链接最多%(n)d条") % {"n": LIST_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Event.plain.select_for_update().get(pk=event.pk)
        if current.state != Event.State.HELD:
            raise ValidationError(_("活动举办后才能填写活动报告"))
        for field, value in numbers.items():
            setattr(current, field, value)
        current.stream_platforms = (stream_platforms or "").strip()[:200]
        current.coverage = list(dict.fromkeys(links))
        current.save()
        audit_record(actor=by, action="event.report", target=current, org=current.org,
                     data={**numbers, "platforms": current.stream_platforms, "coverage": current.coverage})
    event.refresh_from_db()
    return event
