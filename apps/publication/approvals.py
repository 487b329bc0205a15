"""Publication as an approvable kind (R-404): a province sends an item; the centre approves it (it is published,
replacing the item's earlier published version) or returns it with comments (it is not published; the province may
send it again)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.campaigns.approvals import centre_of
from apps.publication.models import Publication

KIND = Publication.APPROVAL_KIND
State = Publication.State


def thread(publication: Publication) -> str:
    return f"publication:{publication.kind}:{publication.object_id}"


def _publish(publication: Publication, by) -> None:
    (Publication.plain.select_for_update()
     .filter(kind=publication.kind, object_id=publication.object_id, state=State.PUBLISHED)
     .exclude(pk=publication.pk).update(state=State.REPLACED, changed_at=timezone.now()))
    publication.state, publication.published_at = State.PUBLISHED, timezone.now()
    publication.save(update_fields=["state", "published_at", "changed_at"])


def _set(state: str):
    def apply(publication: Publication, by, *comment) -> None:
        publication.state = state
        publication.save(update_fields=["state", "changed_at"])
    return apply


def summary(publication: Publication) -> list[str]:
    content = publication.content
    lines = [_("类型：%(kind)s") % {"kind": publication.get_kind_display()},
             _("报送单位：%(org)s") % {"org": publication.org.name}]
    for key, label in (("enterprise", _("企业")), ("region", _("地区")), ("outlet", _("媒体")), ("url", _("链接")),
                       ("venue", _("地点")), ("starts_at", _("时间")), ("gs_url", _("公示页面"))):
        if content.get(key):
            lines.append(f"{label}：{content[key]}")
    if publication.media:
        lines.append(_("附带文件%(n)d个") % {"n": len(publication.media)})
    lines.append(_("全文见发布审核页面"))
    return lines


PUBLICATION = ApprovableKind(
    key=KIND, label=gettext_lazy("发布申请"), rule="R-404", model=Publication,
    submitter=lambda p: p.programme.org,
    approver=lambda p: centre_of(p.programme.org),
    thread=thread,
    on_approve=_publish, on_return=_set(State.RETURNED), on_withdraw=_set(State.WITHDRAWN),
    url=lambda p: reverse("publication:detail", args=[p.pk]),
    summary=summary,
)
