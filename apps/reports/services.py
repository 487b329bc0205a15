"""Reminding a late unit (催办): an in-app message to the unit and an e-mail to each of its people with an
address, one a day per unit, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.selectors import current_campaign
from apps.core.errors import NotFound, ensure
from apps.orgs.models import Membership, Message, Org, User
from apps.reports.models import Reminder
from apps.reports.overview import STATES, units_below
from apps.reports.permissions import can_remind_unit


def unit_remind(*, unit: Org, by: User, site_url: str = "") -> Reminder:
    """Remind `unit` of its round's deadline. Only the office directly above does it, only while the unit's
    round is not yet sent, and once a day per unit (Asia/Shanghai): a second click the same day is refused."""
    ensure(can_remind_unit(by, unit), NotFound)
    row = next((r for r in units_below(unit.parent, current_campaign()) if r.org.pk == unit.pk), None)
    if row is None or row.round is None:
        raise ValidationError(_("%(unit)s当前没有需要办理的环节，无需催办") % {"unit": unit.name})
    if row.state == "sent":
        raise ValidationError(_("%(unit)s已上报，无需催办") % {"unit": unit.name})
    link = reverse("rounds:round_detail", args=[row.round.pk])
    deadline = (_("截止日期为%(date)s") % {"date": row.deadline.isoformat()}) if row.deadline else _("请尽快办理")
    subject = _("催办：请抓紧办理%(round)s") % {"round": row.round.get_kind_display()}
    text = _("%(office)s提醒：贵单位的%(round)s目前为“%(state)s”，%(deadline)s。请登录平台办理：%(link)s")
    words = {"office": unit.parent.name, "round": row.round.get_kind_display(), "state": STATES[row.state],
             "deadline": deadline}
    addresses = sorted(set(Membership.plain.filter(org=unit, is_active=True, user__is_active=True)
                           .exclude(user__email="").values_list("user__email", flat=True)))
    today = timezone.localdate()
    with transaction.atomic():
        Org.plain.select_for_update().filter(pk=unit.pk).first()  # one reminder at a time per unit
        if Reminder.plain.filter(org=unit, sent_at__date=today).exists():
            raise ValidationError(_("今天已经催办过%(unit)s，请明天再催办") % {"unit": unit.name})
        Message._base_manager.create(org=unit, subject=subject, body=text % {**words, "link": link}, link=link,
                                     sender=by)
        reminder = Reminder.plain.create(org=unit, round=row.round, sent_by=by, sent_at=timezone.now(),
                                         emails=len(addresses))
        audit_record(actor=by, action="unit.remind", target=unit, org=unit.parent,
                     data={"round": row.round.pk, "state": row.state, "overdue": row.overdue, "emails": len(addresses)})
    if addresses:  # one e-mail per person, after the message is saved, so nobody sees another's address
        mail = text % {**words, "link": site_url + link}
        send_mass_mail([(subject, mail, None, [address]) for address in addresses], fail_silently=True)
    return reminder
