"""Who may do what along a notice's cascade (R-102). Plain predicates; views and services call these.

The cascade records what each org did, so acting on an org's delivery (acknowledge, forward)
takes a membership *of that org*: a city admin does not forward on behalf of its county.
Reading follows the tree: the issuer and the orgs above it (the centre) read the whole
notice; an org that received it reads it, and the addenda of the orgs above it.
"""

from __future__ import annotations

from apps.campaigns.models import Programme
from apps.core.errors import NotFound, visible_or_404
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.orgs.acting import memberships_of
from apps.orgs.models import Membership, Message, Org


def holds_role_at(user, org: Org, roles=(Membership.Role.ADMIN, Membership.Role.STAFF)) -> bool:
    """A membership of this very org (not of an org above it)."""
    return any(m.org_id == org.pk and m.role in roles for m in memberships_of(user))


def _delivered_org_ids(user, notice: Notice) -> set[int]:
    """The orgs the person belongs to that received this notice (one query)."""
    org_ids = [m.org_id for m in memberships_of(user)]
    if not org_ids:
        return set()
    return set(NoticeDelivery.plain.filter(notice=notice, org_id__in=org_ids).values_list("org_id", flat=True))


def participant_orgs(user, notice: Notice) -> list[Org]:
    """The person's orgs that stand on the notice's chain: the issuer or above it, or a receiver."""
    delivered = _delivered_org_ids(user, notice)
    return [m.org for m in memberships_of(user) if notice.issuer.is_under(m.org) or m.org_id in delivered]


def can_issue_notice(user, programme: Programme) -> bool:
    """A province admin issues its programme's notices (R-102)."""
    return (programme.kind == Programme.Kind.PROVINCE and programme.org.kind == Org.Kind.PROVINCE
            and holds_role_at(user, programme.org, roles=(Membership.Role.ADMIN,)))


def can_view_notice(user, notice: Notice) -> bool:
    return bool(participant_orgs(user, notice))


def can_view_notice_as(user, notice: Notice, org: Org | None) -> bool:
    """The same, for the org the person acts for on a page."""
    if org is None or not holds_role_at(user, org):
        return False
    return notice.issuer.is_under(org) or org.pk in _delivered_org_ids(user, notice)


def can_acknowledge_delivery(user, delivery: NoticeDelivery) -> bool:
    return holds_role_at(user, delivery.org)


def can_forward_delivery(user, delivery: NoticeDelivery) -> bool:
    """A city forwards to its counties, a county to its associations; admins and staff of that org."""
    return NoticeDelivery.forwards(delivery.org.kind) and holds_role_at(user, delivery.org)


def can_view_cascade(user, notice: Notice, org: Org | None) -> bool:
    """The issuer and the orgs above it see the whole cascade; a city or county sees its own part."""
    if org is None or org.is_association:
        return False
    return can_view_notice_as(user, notice, org)


def can_remind(user, notice: Notice, org: Org | None) -> bool:
    """Reminders come from the issuing province; the centre and the cities read the cascade only."""
    return org is not None and org.pk == notice.issuer_id and holds_role_at(user, org)


def can_download_attachment(user, attachment: NoticeAttachment) -> bool:
    """The issuer's files go to everyone on the chain; an addendum's files go down from the org that
    added them (and up to the orgs that oversee it), never sideways to a sibling."""
    notice = attachment.notice
    added_by = attachment.added_by_org
    for org in participant_orgs(user, notice):
        if added_by.pk == notice.issuer_id or org.is_under(added_by) or added_by.is_under(org):
            return True
    return False


def access_notice(user, pk, org: Org | None) -> Notice:
    """The notice if the acting org stands on its chain, else the same 404 as for no such notice."""
    notice = Notice.objects.select_related("issuer", "programme", "programme__campaign").filter(pk=pk).first()
    return visible_or_404(notice, lambda notice: can_view_notice_as(user, notice, org))


def access_delivery(user, pk) -> NoticeDelivery:
    """A delivery the person may act on (a member of the receiving org), else 404."""
    delivery = NoticeDelivery.objects.select_related("notice", "notice__issuer", "org").filter(pk=pk).first()
    return visible_or_404(delivery, lambda delivery: holds_role_at(user, delivery.org))


def access_attachment(user, pk) -> NoticeAttachment:
    attachment = NoticeAttachment.objects.select_related("notice", "notice__issuer", "added_by_org").filter(pk=pk).first()
    return visible_or_404(attachment, lambda attachment: can_download_attachment(user, attachment))


def access_message(user, pk, org: Org | None) -> Message:
    """A message of the acting org's inbox; an ancestor does not read a child's inbox."""
    message = Message.objects.filter(pk=pk).first()
    if message is None or org is None or message.org_id != org.pk or not holds_role_at(user, org):
        raise NotFound()
    return message
