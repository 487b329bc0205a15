"""Exhibits (R-307) as an approvable kind: the province sends a shortlisted exhibit to the centre, which decides
in its approvals inbox whether it goes to the show at the China Science and Technology Museum. Approval accepts
it; a return declines it, the centre's comment being the reason (a return is final here: the exhibit is not
revised and resubmitted); a withdrawal by the province puts it back to proposed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.exhibits.models import Exhibit, ExhibitPhoto

KIND = Exhibit.APPROVAL_KIND


def thread(exhibit: Exhibit) -> str:
    return f"exhibit:{exhibit.pk}"


def _accept(exhibit: Exhibit, by) -> None:
    exhibit.state, exhibit.decided_by, exhibit.decided_at = Exhibit.State.ACCEPTED, by, timezone.now()
    exhibit.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])


def _decline(exhibit: Exhibit, by, comment: str) -> None:
    exhibit.state, exhibit.decline_reason = Exhibit.State.DECLINED, comment
    exhibit.declined_by = centre_of(exhibit.programme.org)
    exhibit.decided_by, exhibit.decided_at = by, timezone.now()
    exhibit.save(update_fields=["state", "decline_reason", "declined_by", "decided_by", "decided_at", "updated_at"])


def _back_to_proposed(exhibit: Exhibit, by) -> None:
    exhibit.state, exhibit.shortlisted_by, exhibit.shortlisted_at = Exhibit.State.PROPOSED, None, None
    exhibit.save(update_fields=["state", "shortlisted_by", "shortlisted_at", "updated_at"])


def summary(exhibit: Exhibit) -> list[str]:
    """What the centre reads before deciding."""
    enterprise = exhibit.enterprise
    return [
        _("企业：%(name)s（%(county)s）") % {"name": enterprise.name, "county": enterprise.county.name},
        _("专精特新“小巨人”批次：%(batch)s年") % {"batch": enterprise.little_giant_batch or "—"},
        _("申报单位：%(org)s") % {"org": exhibit.org.name},
        _("展品名称：%(name)s") % {"name": exhibit.name},
        _("创新点：%(text)s") % {"text": exhibit.innovation},
        _("代表性：%(text)s") % {"text": exhibit.representative},
        _("互动方式：%(text)s") % {"text": exhibit.interaction},
        _("尺寸（长×宽×高）：%(size)s；重量：%(weight)s千克；电力需求：%(power)s") % {
            "size": exhibit.size_text, "weight": exhibit.weight_kg, "power": exhibit.power},
        _("照片%(n)d张，见展品详情页") % {"n": ExhibitPhoto.plain.filter(exhibit=exhibit).count()},
        _("通过即确定参展；不予采纳即为未入选，审核意见将作为原因告知申报单位"),
    ]


EXHIBIT = ApprovableKind(
    key=KIND, label=gettext_lazy("展品"), rule="R-307", model=Exhibit,
    submitter=lambda exhibit: exhibit.programme.org,
    approver=lambda exhibit: centre_of(exhibit.programme.org),
    thread=thread,
    on_approve=_accept, on_return=_decline, on_withdraw=_back_to_proposed,
    url=lambda exhibit: reverse("exhibits:exhibit_detail", args=[exhibit.pk]),
    summary=summary,
    final_return=True,
)
