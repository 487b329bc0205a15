"""State changes of publication (R-404): a province sends an item for publication, the centre approves several at
once or takes a published one down. Each checks permission, writes in one transaction with its audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.models import ApprovalRequest
from apps.approvals.permissions import can_decide_approval
from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_submit
from apps.audit.services import audit_record
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Programme
from apps.core.errors import NotFound, ensure
from apps.core.files import StoredFiles, check_into
from apps.core.numbering import next_number
from apps.orgs.models import User
from apps.orgs.permissions import works_at
from apps.publication.approvals import KIND, thread
from apps.publication.models import Publication, TopicItem
from apps.publication.sources import source_of
from apps.publicity import stories
from apps.publicity.services import story_photo_slot

State = Publication.State
REASON_MAX = 1000


def can_send(user, programme: Programme) -> bool:
    """The programme's own people send its items for publication: a province's, or the centre's (its brand
    programme, whose topic-page items the centre's admins then approve, never the sender)."""
    return works_at(user, programme.org)


ITEM_TITLE_MAX, ITEM_BODY_MAX = 100, 20000


def topic_item_save(*, programme: Programme, by: User, title: str, body: str, image=None,
                    item: TopicItem | None = None) -> TopicItem:
    """Write or change a topic-page item (R-301); it is published only once sent and approved."""
    ensure(can_send(by, programme) and (item is None or item.programme_id == programme.pk), NotFound)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写标题")]
    elif len(title) > ITEM_TITLE_MAX:
        errors["title"] = [_("标题最多%(n)d字") % {"n": ITEM_TITLE_MAX}]
    safe = stories.clean(body)
    if not stories.plain(safe):
        errors["body"] = [_("请填写正文")]
    elif len(safe) > ITEM_BODY_MAX:
        errors["body"] = [_("正文过长，请精简到%(n)d字以内") % {"n": ITEM_BODY_MAX // 2}]
    checked = check_into(image, story_photo_slot(), "image", errors)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        if item is None:
            item = TopicItem(campaign=programme.campaign, programme=programme, org=programme.org)
        else:
            item = TopicItem.plain.select_for_update().get(pk=item.pk)
        item.title, item.body, item.updated_by = title, safe, by
        if checked is not None:
            stored.save(item.image, checked)
        item.save()
        audit_record(actor=by, action="topic_item.save", target=item, org=programme.org, data={"title": title})
    return item


def publication_submit(*, programme: Programme, kind: str, object_id: int, by: User) -> Publication:
    """Send one item of the programme (a province's, or the centre's brand programme) to the centre for publication, its content frozen as it is now.
    Refused while a version of it waits, or when the item may not be published yet (the reason says why)."""
    ensure(can_send(by, programme) and kind in Publication.Kind.values, NotFound)
    source = source_of(kind)
    ensure(programme.kind in source.programmes, NotFound)
    item = source.candidates(programme).filter(pk=int(object_id or 0)).first()
    ensure(item is not None, NotFound)
    problem = source.problem(item)
    if problem:
        raise ValidationError(problem)
    title, content, media = source.snapshot(item)
    try:
        with transaction.atomic():
            Programme.plain.select_for_update().get(pk=programme.pk)
            versions = Publication.plain.filter(kind=kind, object_id=item.pk)
            if versions.filter(state=State.PENDING).exists():
                raise ValidationError(_("该内容已报送，正在等待中心审核"))
            live = versions.filter(state=State.PUBLISHED).first()
            if live is not None and (live.title, live.content, live.media) == (title[:200], content, media):
                raise ValidationError(_("该内容已发布，且报送后未修改，无需再次报送"))
            number = next_number(versions)
            publication = Publication.plain.create(
                campaign=programme.campaign, programme=programme, org=programme.org, kind=kind, object_id=item.pk,
                number=number, title=title[:200], content=content, media=media, submitted_by=by)
            approval_submit(kind=KIND, obj=publication, by=by, title=_("发布：%(title)s") % {"title": title})
            audit_record(actor=by, action="publication.submit", target=publication, org=programme.org,
                         data={"kind": kind, "object": item.pk, "number": number,
                               "media": [m["sha256"] for m in media]})
    except IntegrityError:  # the same item sent a moment ago by someone else
        raise ValidationError(_("该内容已报送，正在等待中心审核"))
    return publication


def publication_approve_many(*, requests: list[ApprovalRequest], by: User) -> tuple[list, list]:
    """The centre approves several waiting items, each in its own transaction: one that cannot be approved (decided
    a moment ago by someone else) does not hold back the others. (approved, [(request, reason)])."""
    approved, refused = [], []
    for request in requests:
        ensure(request.kind == KIND and can_decide_approval(by, request), NotFound)
        try:
            approved.append(approval_approve(request=request, by=by))
        except ValidationError as exc:
            refused.append((request, exc.messages[0]))
    return approved, refused


def publication_take_down(*, publication: Publication, by: User, reason: str) -> Publication:
    """The centre takes a published item down: it leaves the topic page, the feed, the export and the public API
    at once (they all read `Publication.public()`)."""
    ensure(works_at(by, centre_of(publication.org)), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤下原因")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("撤下原因最多%(n)d字") % {"n": REASON_MAX}]})
    with transaction.atomic():
        current = Publication.plain.select_for_update().get(pk=publication.pk)
        if current.state != State.PUBLISHED:
            raise ValidationError(_("该内容目前为“%(state)s”，不能撤下") % {"state": current.get_state_display()})
        current.state, current.taken_down_at, current.taken_down_by = State.TAKEN_DOWN, timezone.now(), by
        current.take_down_reason = reason
        current.save(update_fields=["state", "taken_down_at", "taken_down_by", "take_down_reason", "changed_at"])
        audit_record(actor=by, action="publication.take_down", target=current, org=current.org,
                     data={"kind": current.kind, "object": current.object_id, "reason": reason})
    return current


def latest_request(publication: Publication):
    return latest_of(KIND, thread(publication))
