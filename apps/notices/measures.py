"""The indicator of the notice cascade (R-102): the share of the province's park and enterprise associations that
acknowledged the province's notice. Registered in NoticesConfig.ready (apps/campaigns/indicators.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register, share_text
from apps.core.scoping import subtree_q
from apps.notices.models import Notice, NoticeDelivery
from apps.orgs.models import Org


def notice_acknowledged(m: Measuring) -> Indicator:
    """R-102: every active association under the province has acknowledged the province's mobilisation notice
    (its first notice of the programme) by the mobilisation date."""
    programme = m.programme
    province = programme.org
    deadline = m.values["mobilisation_deadline"]
    associations = Org.plain.filter(subtree_q(province.path), kind__in=Org.ASSOCIATIONS, is_active=True)
    total = associations.count()
    notice = (Notice.plain.filter(programme=programme, issuer=province).order_by("created_at", "id").first())
    if notice is None:
        return Indicator(
            rule="R-102", title=_("园区和企业科协确认收到动员通知"), target=total, value=0,
            target_text=_("全部%(n)d家") % {"n": total}, value_text=share_text(0, total),
            status=m.status(False, deadline), deadline=deadline,
            evidence=(Evidence(_("通知"), reverse("notices:notice_list")),),
            notes=(_("省级尚未发布动员通知"),))
    have = (NoticeDelivery.plain.filter(notice=notice, received_at__isnull=False, org__in=associations)
            .values("org").distinct().count())
    notes = ()
    if have < total:
        notes = (_("尚有%(n)d家未确认收到") % {"n": total - have},)
    return Indicator(
        rule="R-102", title=_("园区和企业科协确认收到动员通知"), target=total, value=have,
        target_text=_("全部%(n)d家") % {"n": total}, value_text=share_text(have, total),
        status=m.status(total > 0 and have == total, deadline), deadline=deadline,
        evidence=(Evidence(notice.title, reverse("notices:notice_cascade", args=[notice.pk])),),
        notes=notes)


register("R-102", notice_acknowledged)
