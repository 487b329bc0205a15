"""Register and edit enterprises of a campaign's registry (R-106). Every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.models import Campaign
from apps.campaigns.permissions import can_view_campaign
from apps.core import creditcode
from apps.core.errors import NotFound, ensure
from apps.enterprises import industry
from apps.enterprises.models import Enterprise
from apps.enterprises.permissions import can_edit_enterprise, can_register_enterprise, registers_enterprises
from apps.orgs.models import Org

NAME_MAX = 100
RD_SPEND_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
FIRST_LITTLE_GIANT_BATCH = 2019
# MIIT's published batches by year and size (DOMAIN.md); later years are accepted up to the campaign's year.
LITTLE_GIANT_BATCHES = {2019: 248, 2020: 1584, 2021: 2930, 2022: 4357, 2023: 3671, 2024: 3012, 2025: 3482}
BATCH_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

# The fields a person sets; everything else (campaign, creator, times) the service sets.
FIELDS = ("name", "credit_code", "county", "park", "industry_section", "industry_division", "size",
          "rd_staff", "rd_spend", "is_high_tech", "is_specialised", "little_giant_batch")


def little_giant_batch_years(campaign: Campaign | None = None) -> list[int]:
    last = max(max(LITTLE_GIANT_BATCHES), campaign.year if campaign is not None else 0)
    return list(range(FIRST_LITTLE_GIANT_BATCH, last + 1))


def little_giant_batch_label(year: int) -> str:
    number = year - FIRST_LITTLE_GIANT_BATCH
    ordinal = BATCH_ORDINALS[number] if 0 <= number < len(BATCH_ORDINALS) else str(number + 1)
    size = LITTLE_GIANT_BATCHES.get(year)
    if size:
        return _("第%(n)s批（%(year)d年，%(size)d家）") % {"n": ordinal, "year": year, "size": size}
    return _("第%(n)s批（%(year)d年）") % {"n": ordinal, "year": year}


def duplicate_message(existing: Enterprise) -> str:
    return _("统一社会信用代码%(code)s已登记为“%(name)s”（%(county)s），同一活动中每个代码只能登记一家企业") % {
        "code": existing.credit_code, "name": existing.name, "county": existing.county.name}


def _clean(*, campaign: Campaign, data: dict[str, Any], instance: Enterprise | None,
           county_refusal: Callable[[Org], str | None]) -> dict[str, Any]:
    """Check every field; raise one ValidationError naming every problem by field.

    `county_refusal(county)` says why the person may not register in that county, or None."""
    errors: dict[str, list[str]] = {}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    clean: dict[str, Any] = {}
    name = " ".join((data.get("name") or "").split())
    if not name:
        bad("name", _("请填写企业名称（与营业执照一致）"))
    elif len(name) > NAME_MAX:
        bad("name", _("企业名称不能超过%(max)d个字") % {"max": NAME_MAX})
    clean["name"] = name

    code_problems = creditcode.problems(data.get("credit_code") or "")
    for problem in code_problems:
        bad("credit_code", problem)
    code = creditcode.normalise(data.get("credit_code") or "")
    clean["credit_code"] = code
    if not code_problems:
        existing = (Enterprise.plain.select_related("county")
                    .filter(campaign=campaign, credit_code=code)
                    .exclude(pk=getattr(instance, "pk", None)).first())
        if existing is not None:
            bad("credit_code", duplicate_message(existing))

    county = data.get("county")
    if not isinstance(county, Org) or county.kind != Org.Kind.COUNTY:
        bad("county", _("请选择企业所属区县"))
        county = None
    else:
        refusal = county_refusal(county)
        if refusal:
            bad("county", refusal)
    clean["county"] = county

    park = data.get("park") or None
    if park is not None:
        if not isinstance(park, Org) or park.kind != Org.Kind.PARK:
            bad("park", _("所在园区应为园区科协，请从列表中选择"))
        elif county is not None and park.parent_id != county.pk:
            bad("park", _("园区“%(park)s”不属于%(county)s，请选择本区县的园区或留空")
                % {"park": park.name, "county": county.name})
    clean["park"] = park

    section = (data.get("industry_section") or "").strip().upper()
    division = (data.get("industry_division") or "").strip()
    if section and industry.section(section) is None:
        bad("industry_section", _("行业门类“%(code)s”不在GB/T 4754-2017中，请从列表中选择") % {"code": section})
    if division:
        found = industry.division(division)
        if found is None:
            bad("industry_division", _("行业大类“%(code)s”不在GB/T 4754-2017中，请从列表中选择") % {"code": division})
        elif not section:
            section = found.section
        elif found.section != section:
            bad("industry_division", _("行业大类“%(division)s”不属于门类“%(section)s”，请重新选择")
                % {"division": industry.division_label(division), "section": industry.section_label(section)})
    clean["industry_section"], clean["industry_division"] = section, division

    size = data.get("size") or ""
    if size and size not in Enterprise.Size.values:
        bad("size", _("请从列表中选择企业规模"))
    clean["size"] = size

    rd_staff = data.get("rd_staff")
    if rd_staff in ("", None):
        rd_staff = None
    else:
        try:
            rd_staff = int(rd_staff)
        except (TypeError, ValueError):
            bad("rd_staff", _("研发人员数应为整数"))
            rd_staff = None
        else:
            if rd_staff < 0:
                bad("rd_staff", _("研发人员数不能为负数"))
    clean["rd_staff"] = rd_staff

    rd_spend = data.get("rd_spend")
    if rd_spend in ("", None):
        rd_spend = None
    else:
        try:
            rd_spend = Decimal(str(rd_spend)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            bad("rd_spend", _("研发投入应为数字（单位：万元，最多两位小数）"))
            rd_spend = None
        else:
            if rd_spend < 0:
                bad("rd_spend", _("研发投入不能为负数"))
            elif rd_spend > RD_SPEND_MAX:
                bad("rd_spend", _("研发投入数额过大，请核对单位（万元）"))
    clean["rd_spend"] = rd_spend

    clean["is_high_tech"] = bool(data.get("is_high_tech"))
    clean["is_specialised"] = bool(data.get("is_specialised"))
    batch = data.get("little_giant_batch")
    if batch in ("", None):
        batch = None
    else:
        try:
            batch = int(batch)
        except (TypeError, ValueError):
            batch = -1
        if batch not in little_giant_batch_years(campaign):
            bad("little_giant_batch", _("专精特新“小巨人”批次应为%(first)d至%(last)d年之间的批次") % {
                "first": FIRST_LITTLE_GIANT_BATCH, "last": little_giant_batch_years(campaign)[-1]})
            batch = None
    clean["little_giant_batch"] = batch

    if errors:
        raise ValidationError(errors)
    return clean


def _save(enterprise: Enterprise, *, update_fields: list[str] | None = None) -> None:
    """Save; a concurrent registration of the same code answers like the duplicate check does."""
    try:
        with transaction.atomic():
            enterprise.save(update_fields=update_fields)
    except IntegrityError:
        existing = (Enterprise.plain.select_related("county")
                    .filter(campaign_id=enterprise.campaign_id, credit_code=enterprise.credit_code)
                    .exclude(pk=enterprise.pk).first())
        if existing is None:
            raise
        raise ValidationError({"credit_code": [duplicate_message(existing)]}) from None


def _audit_data(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.code if isinstance(v, Org) else v) for k, v in values.items()}


def enterprise_create(*, campaign: Campaign, by, **data) -> Enterprise:
    """Register an enterprise of `data["county"]` in the campaign's registry (R-106 属地)."""
    ensure(can_view_campaign(by, campaign) and registers_enterprises(by), NotFound)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    clean = _clean(campaign=campaign, data=data, instance=None, county_refusal=lambda county: None if (
        can_register_enterprise(by, county)) else _(
        "您不能为%(county)s登记企业：区县科协和本区县的园区、企业科协只能登记本区县的企业") % {"county": county.name})
    with transaction.atomic():
        enterprise = Enterprise(campaign=campaign, created_by=by, **clean)
        _save(enterprise)
        audit_record(actor=by, action="enterprise.create", target=enterprise, org=enterprise.county,
                     data=_audit_data(clean))
    return enterprise


def enterprise_update(*, enterprise: Enterprise, by, **data) -> Enterprise:
    """Change an enterprise's details; the audit row names the old and new value of each changed field."""
    ensure(can_edit_enterprise(by, enterprise), NotFound)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    current = {f: getattr(enterprise, f) for f in FIELDS}
    clean = _clean(campaign=enterprise.campaign, data={**current, **data}, instance=enterprise,
                   county_refusal=lambda county: None if (
                       county.pk == enterprise.county_id or can_register_enterprise(by, county)) else _(
                       "您不能把企业改到%(county)s：只能登记本区县的企业") % {"county": county.name})
    changed = {f: (current[f], v) for f, v in clean.items() if current[f] != v}
    if not changed:
        return enterprise
    with transaction.atomic():
        for field, (_old, new) in changed.items():
            setattr(enterprise, field, new)
        _save(enterprise, update_fields=[*changed, "updated_at"])
        audit_record(actor=by, action="enterprise.update", target=enterprise, org=enterprise.county, data={
            f: [_audit_data({f: old})[f], _audit_data({f: new})[f]] for f, (old, new) in changed.items()})
    return enterprise


def enterprise_set_little_giant_batch(*, enterprise: Enterprise, batch: int, by, source: str = "") -> Enterprise:
    """Record the enterprise's little-giant batch (from a matched or resolved list row); audited."""
    old = enterprise.little_giant_batch
    if old == batch:
        return enterprise
    with transaction.atomic():
        enterprise.little_giant_batch = batch
        enterprise.save(update_fields=["little_giant_batch", "updated_at"])
        audit_record(actor=by, action="enterprise.little_giant", target=enterprise, org=enterprise.county,
                     data={"batch": [old, batch], "source": source})
    return enterprise
