"""State changes of the brand project (R-501, R-502): each checks that the person is on the brand team, validates
at the field, writes in one transaction with its audit row, and stores files only when their row is written."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.brand.approvals import KIND as PLAN_KIND
from apps.brand.models import BrandPlan, Channel, ChannelUse, MediaContact
from apps.brand.permissions import is_brand_team
from apps.campaigns.models import Programme
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, PDF, PNG, Slot, StoredFiles, check_into
from apps.core.links import is_web_link, url_key
from apps.orgs.models import User

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
        number = (BrandPlan.plain.filter(programme=programme).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
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
