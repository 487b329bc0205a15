"""State changes of the notice cascade (R-102): issue, forward, acknowledge, remind.

Each function checks permission, validates, writes inside one transaction and audits there.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.core.errors import NotFound, ensure
from apps.core.files import DOCX, JPEG, PDF, PNG, XLSX, CheckedFile, Slot, StoredFiles, check_file
from apps.notices import permissions as perms
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.notices.selectors import notice_cascade
from apps.orgs.models import Membership, Message, Org, User

# --- attachments -----------------------------------------------------------------------------

# The platform's checks of every upload (apps/core/files.py), as for a case's files: the type is read from the
# content and names the stored extension, images are re-encoded without their metadata, names are cleaned.
ATTACHMENT_TYPES = (PDF, DOCX, XLSX, JPEG, PNG)


def attachment_slot() -> Slot:
    return Slot(
        types=ATTACHMENT_TYPES, limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
        # One pixel limit for every image the platform decodes (the setting is named after the case files).
        max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
        expected=_("PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG文件"),
        advice=_("请另存为PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG后重新上传"),
    )


def check_attachment(upload) -> CheckedFile:
    """Refuse a file that is too large, empty, not PDF / Word / Excel / JPEG / PNG by its content, or hostile."""
    return check_file(upload, attachment_slot())


def _store(checked: CheckedFile, *, notice: Notice, org: Org, stored: StoredFiles) -> NoticeAttachment:
    attachment = NoticeAttachment(notice=notice, name=checked.name, size=checked.size,
                                  content_type=checked.content_type, added_by_org=org)
    stored.save(attachment.file, checked)
    attachment.save()
    return attachment


# --- issue, forward, acknowledge --------------------------------------------------------------

def _today() -> dt.date:
    return timezone.localdate()


def notice_issue(*, programme: Programme, by: User, title: str, body: str, joint_issuers: str = "",
                 deadline: dt.date | None = None, attachments=()) -> Notice:
    """A province issues a notice on its programme to every active city under it (R-102)."""
    ensure(perms.can_issue_notice(by, programme), NotFound)
    title, body, joint_issuers = title.strip(), body.strip(), joint_issuers.strip()
    if not title:
        raise ValidationError(_("请填写通知标题"))
    if not body:
        raise ValidationError(_("请填写通知正文"))
    if deadline is not None and deadline < _today():
        raise ValidationError(_("截止日期%(date)s已过，请选择今天或以后的日期") % {"date": deadline.isoformat()})
    checked = [check_attachment(f) for f in attachments]
    province = programme.org
    # The province's cities, or a municipality's (直辖市) districts, which take the city's role.
    cities = list(Org.plain.filter(parent=province, kind__in=Org.CITY_ROLE, is_active=True).order_by("code"))
    if not cities:
        raise ValidationError(_("%(org)s下没有启用的市级单位，无法下发通知；请先导入或启用市级单位") % {"org": province.name})
    with StoredFiles() as stored, transaction.atomic():
        notice = Notice.plain.create(programme=programme, issuer=province, title=title, body=body,
                                     joint_issuers=joint_issuers, deadline=deadline, created_by=by)
        NoticeDelivery.plain.bulk_create(
            [NoticeDelivery(notice=notice, org=city, sender=province) for city in cities]
        )
        names = [_store(c, notice=notice, org=province, stored=stored).name for c in checked]
        audit_record(actor=by, action="notice.issue", target=notice, org=province, data={
            "title": title, "joint_issuers": joint_issuers, "deadline": deadline,
            "cities": [c.code for c in cities], "attachments": names,
        })
    return notice


def notice_delivery_acknowledge(*, delivery: NoticeDelivery, by: User) -> NoticeDelivery:
    """The receiving org confirms it has the notice (R-102: each association received it)."""
    ensure(perms.can_acknowledge_delivery(by, delivery), NotFound)
    with transaction.atomic():
        locked = NoticeDelivery.plain.select_for_update().get(pk=delivery.pk)
        if locked.received_at is not None:
            raise ValidationError(
                _("该通知已于%(time)s确认收到，无需重复确认") % {"time": _when(locked.received_at)}
            )
        locked.received_at, locked.received_by = timezone.now(), by
        locked.save(update_fields=["received_at", "received_by"])
        audit_record(actor=by, action="notice_delivery.acknowledge", target=locked, org=delivery.org,
                     data={"notice": locked.notice_id, "org": delivery.org.code})
    delivery.received_at, delivery.received_by = locked.received_at, by
    return delivery


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def notice_delivery_forward(*, delivery: NoticeDelivery, by: User, addendum: str = "",
                            attachment=None) -> list[NoticeDelivery]:
    """A city forwards to its active counties, a county to its active associations, once (R-102).

    Forwarding also acknowledges receipt. The row lock makes a second, concurrent forward wait and
    then see the first; the unique (notice, org) constraint stops any other path to a duplicate.
    """
    ensure(perms.can_forward_delivery(by, delivery), NotFound)
    addendum = addendum.strip()
    checked = check_attachment(attachment) if attachment else None
    org = delivery.org
    kinds = NoticeDelivery.FORWARDS_TO[org.kind]
    children = list(Org.plain.filter(parent=org, kind__in=kinds, is_active=True).order_by("code"))
    if not children:
        raise ValidationError(
            _("%(org)s下没有启用的%(kind)s，无法转发；请先在组织与人员中添加下级单位")
            % {"org": org.name, "kind": "、".join(str(Org.Kind(k).label) for k in kinds)}
        )
    try:
        with StoredFiles() as stored, transaction.atomic():
            locked = NoticeDelivery.plain.select_for_update().get(pk=delivery.pk)
            if locked.forwarded_at is not None:
                raise ValidationError(
                    _("该通知已于%(time)s转发，不能重复转发") % {"time": _when(locked.forwarded_at)}
                )
            now = timezone.now()
            created = NoticeDelivery.plain.bulk_create(
                [NoticeDelivery(notice_id=locked.notice_id, org=child, sender=org) for child in children]
            )
            if locked.received_at is None:
                locked.received_at, locked.received_by = now, by
            locked.forwarded_at, locked.forwarded_by, locked.addendum = now, by, addendum
            locked.save(update_fields=["received_at", "received_by", "forwarded_at", "forwarded_by", "addendum"])
            file_name = _store(checked, notice=delivery.notice, org=org, stored=stored).name if checked else None
            audit_record(actor=by, action="notice_delivery.forward", target=locked, org=org, data={
                "notice": locked.notice_id, "org": org.code, "to": [c.code for c in children],
                "addendum": addendum, "attachment": file_name,
            })
    except IntegrityError as exc:
        # Only reachable if a delivery below was written some other way than this function.
        raise ValidationError(_("该通知已转发至下级单位，不能重复转发")) from exc
    for field in ("received_at", "received_by", "forwarded_at", "forwarded_by", "addendum"):
        setattr(delivery, field, getattr(locked, field))
    return created


# --- reminders -------------------------------------------------------------------------------

def notice_remind(*, notice: Notice, by: User, org: Org, level: str, site_url: str = "") -> tuple[list[Org], int]:
    """Remind the orgs of one level that have the notice but have not acted: an in-app message to
    each, and an e-mail to each of their active members with an address. Returns (orgs, e-mails sent).
    `site_url` ("https://host") makes the e-mail's link absolute; the in-app link stays relative."""
    ensure(perms.can_remind(by, notice, org), NotFound)
    cascade = notice_cascade(notice=notice, root=notice.issuer, scoped=False)
    row = next((r for r in cascade.levels if r.kind == level), None)
    if row is None:
        raise ValidationError(_("请选择要提醒的层级"))
    targets = row.to_remind
    if not targets:
        raise ValidationError(_("%(level)s没有需要提醒的单位") % {"level": row.label})
    link = reverse("notices:notice_detail", kwargs={"pk": notice.pk})
    deadline = (_("，截止日期%(date)s") % {"date": notice.deadline.isoformat()}) if notice.deadline else ""
    action = _("转发") if NoticeDelivery.forwards(level) else _("确认收到")
    subject = _("提醒：请%(action)s通知《%(title)s》") % {"action": action, "title": notice.title}
    text = _("%(issuer)s提醒：贵单位尚未%(action)s通知《%(title)s》%(deadline)s。请登录平台处理：%(link)s")
    words = {"issuer": notice.issuer.name, "action": action, "title": notice.title, "deadline": deadline}
    body = text % {**words, "link": link}
    mail_body = text % {**words, "link": site_url + link}
    members = (Membership.plain.filter(org__in=targets, is_active=True, user__is_active=True)
               .exclude(user__email="").values_list("user__email", flat=True).distinct())
    with transaction.atomic():
        # Message has only its scoped manager; writing needs no scope, so use the base manager.
        Message._base_manager.bulk_create(
            [Message(org=target, subject=subject, body=body, link=link, sender=by) for target in targets]
        )
        addresses = sorted(set(members))
        audit_record(actor=by, action="notice.remind", target=notice, org=org, data={
            "level": level, "orgs": [t.code for t in targets], "emails": len(addresses),
        })
    # One e-mail per person, so no one sees another's address; sent after the messages are saved.
    sent = send_mass_mail(
        [(subject, mail_body, None, [address]) for address in addresses], fail_silently=True
    ) if addresses else 0
    return targets, sent


def message_mark_read(*, message: Message, by: User) -> Message:
    """Mark a message of the acting org's inbox as read (once)."""
    ensure(perms.holds_role_at(by, message.org), NotFound)
    if message.read_at is not None:
        return message
    with transaction.atomic():
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
        audit_record(actor=by, action="message.read", target=message, org=message.org, data={})
    return message
