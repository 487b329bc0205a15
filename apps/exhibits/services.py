"""State changes of exhibits (R-307): each checks permission, validates at the field (a refusal changes nothing),
writes in one transaction with its row locked and its audit row, and stores photos only when their rows are
written.

proposed ──shortlist (province)──▶ shortlisted ──approve (centre)──▶ accepted
    │                                  │ └──return (centre, comment = reason)──▶ declined
    └──decline (province, reason)──▶ declined      └──withdraw (province)──▶ proposed
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, PNG, Slot, StoredFiles, check_into
from apps.enterprises.models import Enterprise
from apps.exhibits import permissions, selectors
from apps.exhibits.models import Exhibit, ExhibitPhoto
from apps.orgs.models import Org, User

NAME_MAX = 60
TEXT_MAX = 1000
POWER_MAX = 100
REASON_MAX = 1000
SIDE_MAX_CM = 2000  # 20 m: a side longer than the museum's hall is a typing mistake
WEIGHT_MIN_KG, WEIGHT_MAX_KG = Decimal("0.1"), Decimal("50000")
PHOTOS_MIN, PHOTOS_MAX = 1, 5


def photo_slot() -> Slot:
    return Slot(types=(JPEG, PNG), limit=settings.CASE_FILE_MAX_BYTES, max_pixels=settings.CASE_IMAGE_MAX_PIXELS,
                expected=_("JPEG或PNG图片"), advice=_("请用看图或修图软件另存为JPEG或PNG后重新上传"))


def _text(errors: dict, field: str, value, *, empty: str, limit: int, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [empty]
    elif len(value) > limit:
        errors[field] = [too_long % {"n": limit}]
    return value


def _side(errors: dict, field: str, value, label: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("请填写%(side)s，以厘米为单位的整数") % {"side": label}]
        return None
    if not 1 <= number <= SIDE_MAX_CM:
        errors[field] = [_("%(side)s应在1至%(max)d厘米之间") % {"side": label, "max": SIDE_MAX_CM}]
        return None
    return number


def _weight(errors: dict, value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip()) if value is not None and str(value).strip() else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors["weight_kg"] = [_("请填写重量，以千克为单位，可保留1位小数")]
        return None
    if not WEIGHT_MIN_KG <= number <= WEIGHT_MAX_KG:
        errors["weight_kg"] = [_("重量应在%(min)s至%(max)s千克之间") % {"min": WEIGHT_MIN_KG, "max": WEIGHT_MAX_KG}]
        return None
    if number != number.quantize(Decimal("0.1")):
        errors["weight_kg"] = [_("重量最多保留1位小数")]
        return None
    return number.quantize(Decimal("0.1"))


def _clean(errors: dict, *, name, innovation, representative, interaction, length_cm, width_cm, height_cm,
           weight_kg, power) -> dict:
    """The exhibit's text and numbers, cleaned; each problem goes into `errors` at its field."""
    return {
        "name": _text(errors, "name", name, empty=_("请填写展品名称"), limit=NAME_MAX,
                      too_long=_("展品名称最多%(n)d字")),
        "innovation": _text(errors, "innovation", innovation, empty=_("请填写展品体现的创新点"), limit=TEXT_MAX,
                            too_long=_("创新点最多%(n)d字")),
        "representative": _text(errors, "representative", representative, empty=_("请说明展品为什么具有代表性"),
                                limit=TEXT_MAX, too_long=_("代表性说明最多%(n)d字")),
        "interaction": _text(errors, "interaction", interaction, empty=_("请说明观众如何与展品互动"),
                             limit=TEXT_MAX, too_long=_("互动方式最多%(n)d字")),
        "length_cm": _side(errors, "length_cm", length_cm, _("长")),
        "width_cm": _side(errors, "width_cm", width_cm, _("宽")),
        "height_cm": _side(errors, "height_cm", height_cm, _("高")),
        "weight_kg": _weight(errors, weight_kg),
        "power": _text(errors, "power", power, empty=_("请填写电力需求，如“220V，约500W”；不用电请填“无需用电”"),
                       limit=POWER_MAX, too_long=_("电力需求最多%(n)d字")),
    }


def _enterprise(errors: dict, by: User, org: Org, programme, enterprise_id) -> Enterprise | None:
    """The little giant the exhibit is proposed for: of the campaign's registry, in a county the person registers
    enterprises for (属地)."""
    try:
        pk = int(enterprise_id or 0)
    except (TypeError, ValueError):
        pk = 0
    enterprise = Enterprise.plain.select_related("county").filter(pk=pk, campaign=programme.campaign_id).first()
    if enterprise is None or not permissions.can_propose_for(by, org, enterprise):
        errors["enterprise"] = [_("请选择本区县登记的专精特新“小巨人”企业")]
        return None
    if enterprise.little_giant_batch is None:
        errors["enterprise"] = [_("%(name)s不在专精特新“小巨人”名单中，只有“小巨人”企业可以申报展品") % {
            "name": enterprise.name}]
        return None
    return enterprise


def _photos(errors: dict, uploads, keep: int) -> list:
    """Each new photo checked; together with the `keep` photos already there, between 1 and 5."""
    uploads = [u for u in (uploads or []) if u is not None]
    checked, problems = [], []
    for upload in uploads:
        found: dict[str, list[str]] = {}
        one = check_into(upload, photo_slot(), "photos", found)
        if one is None:
            problems.extend(found["photos"])
        else:
            checked.append(one)
    if problems:
        errors["photos"] = problems
    elif keep + len(uploads) < PHOTOS_MIN:
        errors["photos"] = [_("请上传至少%(n)d张展品照片（JPEG或PNG）") % {"n": PHOTOS_MIN}]
    elif keep + len(uploads) > PHOTOS_MAX:
        errors["photos"] = [_("展品照片最多%(n)d张，现有%(keep)d张，请少选几张") % {"n": PHOTOS_MAX, "keep": keep}]
    return checked


def _store_photos(stored: StoredFiles, exhibit: Exhibit, checked: list, by: User) -> None:
    for one in checked:
        photo = ExhibitPhoto(exhibit=exhibit, name=one.name, content_type=one.content_type, size=one.size,
                             sha256=one.sha256, added_by=by)
        stored.save(photo.file, one)
        photo.save()


def exhibit_propose(*, org: Org, by: User, enterprise_id, name: str, innovation: str, representative: str,
                    interaction: str, length_cm, width_cm, height_cm, weight_kg, power: str,
                    photos=()) -> Exhibit:
    """A county office or an association of the county proposes an exhibit of a little-giant enterprise (R-307)."""
    ensure(permissions.can_propose(by, org), NotFound)
    programme = selectors.programme_of(org)
    ensure(programme is not None, NotFound)
    errors: dict[str, list[str]] = {}
    enterprise = _enterprise(errors, by, org, programme, enterprise_id)
    fields = _clean(errors, name=name, innovation=innovation, representative=representative,
                    interaction=interaction, length_cm=length_cm, width_cm=width_cm, height_cm=height_cm,
                    weight_kg=weight_kg, power=power)
    checked = _photos(errors, photos, keep=0)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        exhibit = Exhibit.plain.create(campaign=programme.campaign, programme=programme, org=org,
                                       enterprise=enterprise, proposed_by=by, updated_by=by, **fields)
        _store_photos(stored, exhibit, checked, by)
        audit_record(actor=by, action="exhibit.propose", target=exhibit, org=org, data={
            "enterprise": enterprise.pk, "name": exhibit.name, "photos": len(checked)})
    return exhibit


def exhibit_update(*, exhibit: Exhibit, by: User, enterprise_id, name: str, innovation: str, representative: str,
                   interaction: str, length_cm, width_cm, height_cm, weight_kg, power: str, photos=(),
                   remove_photos=()) -> Exhibit:
    """The proposing org changes its exhibit while the province has not decided on it; photos may be added and
    removed (1–5 remain)."""
    ensure(permissions.can_edit_exhibit(by, exhibit), NotFound)
    errors: dict[str, list[str]] = {}
    enterprise = _enterprise(errors, by, exhibit.org, exhibit.programme, enterprise_id)
    fields = _clean(errors, name=name, innovation=innovation, representative=representative,
                    interaction=interaction, length_cm=length_cm, width_cm=width_cm, height_cm=height_cm,
                    weight_kg=weight_kg, power=power)
    existing = set(ExhibitPhoto.plain.filter(exhibit=exhibit).values_list("pk", flat=True))
    removed = {int(pk) for pk in remove_photos or () if str(pk).isdigit()} & existing
    checked = _photos(errors, photos, keep=len(existing - removed))
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        current = Exhibit.plain.select_for_update().get(pk=exhibit.pk)
        if current.state != Exhibit.State.PROPOSED:
            raise ValidationError(_("展品目前为“%(state)s”，不能再修改") % {"state": current.get_state_display()})
        changed = sorted(k for k, v in fields.items() if getattr(current, k) != v)
        if enterprise.pk != current.enterprise_id:
            changed.append("enterprise")
        for key, value in fields.items():
            setattr(current, key, value)
        current.enterprise, current.updated_by = enterprise, by
        current.save()
        gone = list(ExhibitPhoto.plain.filter(exhibit=current, pk__in=removed).values_list("file", flat=True))
        ExhibitPhoto.plain.filter(exhibit=current, pk__in=removed).delete()
        _store_photos(stored, current, checked, by)
        audit_record(actor=by, action="exhibit.update", target=current, org=current.org, data={
            "changed": changed, "photos_added": len(checked), "photos_removed": sorted(removed)})
        transaction.on_commit(lambda: [default_storage.delete(name) for name in gone])
    exhibit.refresh_from_db()
    return exhibit


def _locked_proposed(exhibit: Exhibit, verb: str) -> Exhibit:
    current = Exhibit.plain.select_for_update().select_related("programme__org", "enterprise").get(pk=exhibit.pk)
    if current.state != Exhibit.State.PROPOSED:
        raise ValidationError(_("展品目前为“%(state)s”，不能%(verb)s") % {
            "state": current.get_state_display(), "verb": verb})
    return current


def exhibit_shortlist(*, exhibit: Exhibit, by: User) -> Exhibit:
    """The province recommends the exhibit to the centre: it goes to the centre's approvals inbox in the same
    transaction; the centre's decision accepts or declines it (apps/exhibits/approvals.py)."""
    ensure(permissions.can_view_exhibit(by, exhibit) and permissions.can_decide_exhibit(by, exhibit), NotFound)
    with transaction.atomic():
        current = _locked_proposed(exhibit, _("推荐"))
        current.state, current.shortlisted_by, current.shortlisted_at = Exhibit.State.SHORTLISTED, by, timezone.now()
        current.save(update_fields=["state", "shortlisted_by", "shortlisted_at", "updated_at"])
        approval_submit(kind=Exhibit.APPROVAL_KIND, obj=current, by=by, title=_("展品：%(enterprise)s%(name)s") % {
            "enterprise": current.enterprise.name, "name": current.name})
        audit_record(actor=by, action="exhibit.shortlist", target=current, org=current.programme.org,
                     data={"enterprise": current.enterprise_id, "proposed_by_org": current.org_id})
    exhibit.refresh_from_db()
    return exhibit


def exhibit_decline(*, exhibit: Exhibit, by: User, reason: str) -> Exhibit:
    """The province does not recommend the exhibit, with a reason the proposing org reads."""
    ensure(permissions.can_view_exhibit(by, exhibit) and permissions.can_decide_exhibit(by, exhibit), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写未推荐的原因，申报单位将看到该原因")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("原因最多%(n)d字") % {"n": REASON_MAX}]})
    with transaction.atomic():
        current = _locked_proposed(exhibit, _("设为未推荐"))
        current.state, current.decline_reason = Exhibit.State.DECLINED, reason
        current.declined_by, current.decided_by, current.decided_at = current.programme.org, by, timezone.now()
        current.save(update_fields=["state", "decline_reason", "declined_by", "decided_by", "decided_at",
                                    "updated_at"])
        audit_record(actor=by, action="exhibit.decline", target=current, org=current.programme.org,
                     data={"reason": reason})
    exhibit.refresh_from_db()
    return exhibit
