"""State changes of campaigns, programmes, rulebooks, work rules and quota tables.

Each function checks permission, validates (a ValidationError in Chinese saying what to
do), writes inside one transaction and records its audit row in that transaction.
Notice services live in apps/notices/services.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns import permissions, rules
from apps.campaigns.approvals import KIND as QUOTA_KIND
from apps.campaigns.models import Campaign, Programme, QuotaPlan, QuotaRow, Rulebook, WorkRules
from apps.campaigns.selectors import association_counts, in_force_plan, province_cities, quota_table, rulebook_values
from apps.core import creditcode
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, PDF, PNG, Slot, StoredFiles, check_into
from apps.orgs.models import PHONE_RE, Org, User
from apps.orgs.permissions import admin_orgs

TEAM_MAX = 50
SECTION_MAX_CHARS = 20000
BUDGET_MAX = Decimal("100000000.00")  # a hundred million yuan: far above any programme, below the column's limit
STORIES_MAX = 1000
COPIES_MAX = 1000000


def _centre_of(user: User) -> Org:
    return next(o for o in admin_orgs(user) if o.kind == Org.Kind.CENTER)


def _province(value: Org | str) -> Org:
    org = value if isinstance(value, Org) else Org.plain.filter(code=str(value).strip()).first()
    if org is None or org.kind != Org.Kind.PROVINCE:
        raise ValidationError(_("%(code)s不是省级单位，请从列表中选择省份") % {"code": getattr(value, "code", value)})
    return org


# -- campaign and programmes ----------------------------------------------------------------

def campaign_create(*, year: int, name: str, by: User, provinces: Iterable[Org | str]) -> Campaign:
    """The centre opens a year's campaign: one programme per chosen province (R-401 budget 200,000,
    R-405 July–November) with a rulebook of default values and empty work rules, and the brand
    project at the centre (400,000, July–December)."""
    ensure(permissions.can_create_campaign(by), NotFound)
    name = (name or "").strip()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("请填写年度，例如2026"))
    if not 2020 <= year <= 2100:
        raise ValidationError(_("年度应在2020至2100之间"))
    if not name:
        raise ValidationError(_("请填写活动名称"))
    chosen = []
    for p in provinces:
        org = _province(p)
        if org not in chosen:
            chosen.append(org)
    if not chosen:
        raise ValidationError(_("请至少选择一个省份"))
    centre = _centre_of(by)
    with transaction.atomic():
        if Campaign.plain.filter(year=year).exists():
            raise ValidationError(_("%(year)s年度的活动已存在，每年只能创建一个活动") % {"year": year})
        # The campaign's settings start at DOMAIN.md's values; the centre edits them later.
        campaign = Campaign.plain.create(year=year, name=name, created_by=by, rule_bounds=rules.default_bounds(year))
        start, end = campaign.period_of(Programme.Kind.PROVINCE)
        for org in sorted(chosen, key=lambda o: o.code):
            programme = Programme.plain.create(
                campaign=campaign, kind=Programme.Kind.PROVINCE, org=org,
                budget=campaign.budget_of(Programme.Kind.PROVINCE), period_start=start, period_end=end)
            Rulebook.plain.create(programme=programme, values=rules.default_values(year), updated_by=by)
            WorkRules.plain.create(programme=programme, updated_by=by)
        start, end = campaign.period_of(Programme.Kind.BRAND)
        Programme.plain.create(campaign=campaign, kind=Programme.Kind.BRAND, org=centre,
                               budget=campaign.budget_of(Programme.Kind.BRAND), period_start=start, period_end=end)
        audit_record(actor=by, action="campaign.create", target=campaign, org=centre,
                     data={"year": year, "name": name, "provinces": [o.code for o in chosen]})
    return campaign


SETTINGS = ("province_budget", "brand_budget", "province_start", "province_end", "brand_start", "brand_end",
            "stories", "print_copies", "video_spec")
ASPECTS = ("16:9", "9:16", "4:3")


def _settings_errors(campaign: Campaign, new: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with the new settings, by field (each message says what to do)."""
    errors: dict[str, list[str]] = {}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("province_budget", "brand_budget"):
        amount = new[field]
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
            bad(field, _("经费应为不小于0的金额（元）"))
        elif amount > BUDGET_MAX or amount != amount.quantize(Decimal("0.01")):
            bad(field, _("经费应不超过1亿元，精确到分"))
    year = campaign.year
    for start, end, label in (("province_start", "province_end", _("省级项目")),
                              ("brand_start", "brand_end", _("品牌建设项目"))):
        for field in (start, end):
            if new[field].year != year:
                bad(field, _("实施期应在%(year)s年之内") % {"year": year})
        if new[start] > new[end]:
            bad(end, _("%(what)s的实施结束日期不能早于开始日期") % {"what": label})
    if not 1 <= new["stories"] <= STORIES_MAX:
        bad("stories", _("故事集收录案例数应在1至%(n)d件之间") % {"n": STORIES_MAX})
    if not 1 <= new["print_copies"] <= COPIES_MAX:
        bad("print_copies", _("故事集印数应在1至%(n)d册之间") % {"n": COPIES_MAX})
    spec = {**Campaign.VIDEO_SPEC_DEFAULTS, **(new["video_spec"] or {})}
    if set(spec) != set(Campaign.VIDEO_SPEC_DEFAULTS):
        bad("video_spec", _("专题视频规格的项目不正确"))
    elif not (isinstance(spec["min_seconds"], int) and isinstance(spec["max_seconds"], int)
              and 10 <= spec["min_seconds"] < spec["max_seconds"] <= 3600):
        bad("video_min_seconds", _("专题视频时长范围应在10秒至1小时之间，且下限小于上限"))
    elif not (isinstance(spec["min_width"], int) and isinstance(spec["min_height"], int)
              and 16 <= spec["min_width"] <= 7680 and 16 <= spec["min_height"] <= 4320):
        bad("video_min_width", _("专题视频最低分辨率应在16×16至7680×4320之间"))
    elif spec["aspect"] not in ASPECTS or spec["codec"] != "h264" or not isinstance(spec["audio"], bool):
        bad("video_aspect", _("请从可选项中选择画面比例"))
    return errors


def campaign_settings_update(*, campaign: Campaign, by: User, **values: Any) -> Campaign:
    """The centre changes the campaign's settings: budgets (R-401), periods (R-405), the story book (R-506).
    Every programme takes its kind's new budget and period. A period that would leave a province's rulebook
    dates outside it is refused, naming the province; nothing is changed then. One audit row with what changed."""
    ensure(permissions.can_edit_campaign_settings(by, campaign), NotFound)
    unknown = sorted(set(values) - set(SETTINGS))
    if unknown:
        raise ValueError(f"unknown campaign settings: {unknown}")
    with transaction.atomic():
        current = Campaign.plain.select_for_update().get(pk=campaign.pk)
        before = {f: getattr(current, f) for f in SETTINGS}
        new = {**before, **values}
        errors = _settings_errors(current, new)
        if errors:
            raise ValidationError(errors)
        new["video_spec"] = {**Campaign.VIDEO_SPEC_DEFAULTS, **(new["video_spec"] or {})}
        before["video_spec"] = {**Campaign.VIDEO_SPEC_DEFAULTS, **(before["video_spec"] or {})}
        changed = {f: [before[f], new[f]] if f == "video_spec" else [str(before[f]), str(new[f])]
                   for f in SETTINGS if before[f] != new[f]}
        if not changed:
            return current
        for field in SETTINGS:
            setattr(current, field, new[field])
        programmes = list(Programme.plain.select_for_update().filter(campaign=current).select_related("org"))
        books = {b.programme_id: b for b in Rulebook.plain.filter(programme__in=programmes)}
        period_errors = []
        for programme in programmes:
            start, end = current.period_of(programme.kind)
            if programme.kind == Programme.Kind.PROVINCE:
                book = books.get(programme.pk)
                values_now = rules.load_values(book.values if book else {}, current.year)
                period_errors += [_("%(province)s：%(problem)s") % {"province": programme.org.name, "problem": e}
                                  for e in rules.period_errors(values_now, (start, end))]
            programme.budget, programme.period_start, programme.period_end = (
                current.budget_of(programme.kind), start, end)
            programme.updated_at = timezone.now()
        if period_errors:
            raise ValidationError({"province_end" if "province_end" in changed else "province_start": period_errors})
        current.save(update_fields=list(SETTINGS))
        Programme.plain.bulk_update(programmes, ["budget", "period_start", "period_end", "updated_at"])
        audit_record(actor=by, action="campaign.settings", target=current, org=_centre_of(by), data=changed)
    campaign.refresh_from_db()
    return campaign


def _clean_team(team: Any) -> list[dict[str, str]]:
    if not isinstance(team, (list, tuple)):
        raise ValidationError(_("专项工作团队应为成员列表"))
    out = []
    for i, member in enumerate(team, start=1):
        if not isinstance(member, dict):
            raise ValidationError(_("第%(n)s位团队成员的格式不正确，应包含姓名和分工") % {"n": i})
        name = str(member.get("name", "")).strip()
        role = str(member.get("role", "")).strip()
        if not name:
            raise ValidationError(_("第%(n)s位团队成员缺少姓名") % {"n": i})
        if len(name) > 50 or len(role) > 50:
            raise ValidationError(_("第%(n)s位团队成员的姓名或分工超过50个字") % {"n": i})
        out.append({"name": name, "role": role})
    if len(out) > TEAM_MAX:
        raise ValidationError(_("专项工作团队最多%(n)s人") % {"n": TEAM_MAX})
    return out


def support_letter_slot() -> Slot:
    """The provincial association's letter of support (支持函): a scan or a PDF, checked like every upload."""
    return Slot(types=(PDF, JPEG, PNG), limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
                max_pixels=settings.CASE_IMAGE_MAX_PIXELS, expected=_("PDF、JPEG或PNG文件"),
                advice=_("请将盖章的支持函扫描或另存为PDF、JPEG或PNG后重新上传"))


def programme_application_update(*, programme: Programme, by: User, legal_person: bool, credit_code: str,
                                 letter=None) -> Programme:
    """The province records what its application showed (申报条件): the implementing unit's legal-person status, its
    unified social credit code (checked as GB 32100-2015 says) and, when given, a new letter of support. Every
    problem is reported at its field and nothing changes; the file is stored only when the row is written."""
    ensure(permissions.can_edit_programme(by, programme) and programme.kind == Programme.Kind.PROVINCE, NotFound)
    errors: dict[str, list[str]] = {}
    code = creditcode.normalise(credit_code or "")
    if code:
        found = creditcode.problems(code)
        if found:
            errors["credit_code"] = found
    checked = check_into(letter, support_letter_slot(), "letter", errors)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        current = Programme.plain.select_for_update().get(pk=programme.pk)
        changes = {}
        if current.unit_legal_person != bool(legal_person):
            changes["legal_person"] = [current.unit_legal_person, bool(legal_person)]
        if current.unit_credit_code != code:
            changes["credit_code"] = [current.unit_credit_code, code]
        current.unit_legal_person, current.unit_credit_code = bool(legal_person), code
        if checked is not None:
            stored.save(current.support_letter, checked)
            current.support_letter_name, current.support_letter_type = checked.name, checked.content_type
            changes["support_letter"] = checked.name
        if not changes:
            return current
        current.save(update_fields=["unit_legal_person", "unit_credit_code", "support_letter",
                                    "support_letter_name", "support_letter_type", "updated_at"])
        audit_record(actor=by, action="programme.application", target=current, data=changes)
    programme.refresh_from_db()
    return programme


def programme_update(*, programme: Programme, by: User, implementing_unit: str, project_lead: str,
                     project_lead_phone: str, team: list[dict]) -> Programme:
    """The programme's own admins name the implementing unit, the one project lead and the team (R-402)."""
    ensure(permissions.can_edit_programme(by, programme), NotFound)
    new = {
        "implementing_unit": (implementing_unit or "").strip(),
        "project_lead": (project_lead or "").strip(),
        "project_lead_phone": (project_lead_phone or "").strip().replace(" ", ""),
        "team": _clean_team(team or []),
    }
    if len(new["implementing_unit"]) > 100:
        raise ValidationError(_("实施单位名称不能超过100个字"))
    if len(new["project_lead"]) > 50:
        raise ValidationError(_("项目负责人姓名不能超过50个字"))
    if "、" in new["project_lead"] or "," in new["project_lead"] or "，" in new["project_lead"]:
        raise ValidationError(_("每个项目只设一名项目负责人（R-402），其他人员请列入专项工作团队"))
    if new["project_lead_phone"] and not re.match(PHONE_RE, new["project_lead_phone"]):
        raise ValidationError(_("项目负责人手机号码应为以1开头的11位数字"))
    if new["project_lead"] and not new["project_lead_phone"]:
        raise ValidationError(_("请填写项目负责人的手机号码"))
    with transaction.atomic():
        old = {k: getattr(programme, k) for k in new}
        changes = {k: {"old": old[k], "new": v} for k, v in new.items() if old[k] != v}
        if not changes:
            return programme
        for k, v in new.items():
            setattr(programme, k, v)
        programme.save(update_fields=[*new, "updated_at"])
        audit_record(actor=by, action="programme.update", target=programme, data={"changes": changes})
    return programme


# -- rulebook -----------------------------------------------------------------------------

def _guarantee_feasible(programme: Programme, values: dict[str, Any]) -> None:
    if not values["quota_guarantee_one"]:
        return
    with_assoc = sum(1 for n in association_counts(programme.org).values() if n > 0)
    if values["target"] < with_assoc:
        raise ValidationError(
            _("目标数%(target)s小于有科协的市的数量%(n)s，无法保证每市至少1个名额（R-104）；请提高目标数或取消该设置")
            % {"target": values["target"], "n": with_assoc})


def rulebook_update(*, rulebook: Rulebook, by: User, values: dict[str, Any]) -> Rulebook:
    """The province edits its rulebook inside the centre's bounds (R-101). Only changed keys are audited,
    each with its old and new value."""
    programme = rulebook.programme
    ensure(permissions.can_edit_rulebook(by, programme), NotFound)
    unknown = sorted(set(values) - set(rules.SPEC_BY_KEY))
    if unknown:
        raise ValidationError(_("未知的规则参数：%(keys)s") % {"keys": "、".join(unknown)})
    year = programme.campaign.year
    with transaction.atomic():
        rulebook = Rulebook.plain.select_for_update().get(pk=rulebook.pk)
        current = rules.load_values(rulebook.values, year)
        new = dict(current)
        errors: list[str] = []
        for key, raw in values.items():
            try:
                new[key] = rules.spec(key).coerce(raw)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        bounds = rules.load_bounds(programme.campaign.rule_bounds or {}, year)
        errors = [b.message for b in rules.bound_breaches(new, bounds)]
        errors += rules.consistency_errors(new, (programme.period_start, programme.period_end))
        if errors:
            raise ValidationError(errors)
        changes = {s.key: {"old": s.dump(current[s.key]), "new": s.dump(new[s.key])}
                   for s in rules.SPECS if current[s.key] != new[s.key]}
        if not changes:
            return rulebook
        if "target" in changes or "quota_guarantee_one" in changes:
            _guarantee_feasible(programme, new)
            plan = in_force_plan(programme)
            if plan is not None and "target" in changes and plan.target != new["target"]:
                raise ValidationError(
                    _("现行手工名额表按目标%(old)s分配，与新目标%(new)s不一致；请先恢复按比例计算的名额，再修改目标数（R-104）")
                    % {"old": plan.target, "new": new["target"]})
        rulebook.values = {s.key: s.dump(new[s.key]) for s in rules.SPECS}
        rulebook.updated_by = by
        rulebook.save(update_fields=["values", "updated_by", "updated_at"])
        audit_record(actor=by, action="rulebook.update", target=rulebook, data={"changes": changes})
    return rulebook


def rule_bounds_update(*, campaign: Campaign, by: User, bounds: dict[str, dict[str, Any]]) -> Campaign:
    """The centre bounds what every province may set, e.g. the park share never below 30% (R-109).
    A value of None lifts that bound. Rulebooks already outside a new bound are flagged on their pages."""
    ensure(permissions.can_set_rule_bounds(by, campaign), NotFound)
    year = campaign.year
    errors = []
    parsed: dict[str, Any] = {}
    for key, entry in bounds.items():
        s = rules.SPEC_BY_KEY.get(key)
        if s is None or not s.bound or not isinstance(entry, dict) or set(entry) - {s.bound}:
            errors.append(_("参数%(key)s不能由中心设定该边界") % {"key": key})
            continue
        raw = entry.get(s.bound)
        try:
            parsed[key] = None if raw in (None, "") else s.coerce(raw)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.plain.select_for_update().get(pk=campaign.pk)
        current = rules.load_bounds(campaign.rule_bounds or {}, year)
        changes = {}
        for key, value in parsed.items():
            s = rules.spec(key)
            old = current[key][s.bound]
            if old != value:
                changes[key] = {"side": s.bound, "old": None if old is None else s.dump(old),
                                "new": None if value is None else s.dump(value)}
                current[key][s.bound] = value
        if not changes:
            return campaign
        campaign.rule_bounds = {
            key: {side: None if v is None else rules.spec(key).dump(v) for side, v in entry.items()}
            for key, entry in current.items()
        }
        campaign.save(update_fields=["rule_bounds"])
        audit_record(actor=by, action="campaign.bounds_update", target=campaign, org=_centre_of(by),
                     data={"changes": changes})
    return campaign


# -- work rules ---------------------------------------------------------------------------

def work_rules_update(*, work_rules: WorkRules, by: User, sections: dict[str, str]) -> WorkRules:
    """The province writes the seven sections of its 工作细则 (R-101); changed sections are audited in full."""
    ensure(permissions.can_edit_work_rules(by, work_rules.programme), NotFound)
    names = dict(WorkRules.SECTIONS)
    unknown = sorted(set(sections) - set(names))
    if unknown:
        raise ValidationError(_("未知的工作细则章节：%(keys)s") % {"keys": "、".join(unknown)})
    cleaned = {}
    for key, text in sections.items():
        text = (text or "").replace("\r\n", "\n").strip()
        if len(text) > SECTION_MAX_CHARS:
            raise ValidationError(_("“%(title)s”超过%(n)s字，请精简") % {"title": names[key], "n": SECTION_MAX_CHARS})
        cleaned[key] = text
    with transaction.atomic():
        work_rules = WorkRules.plain.select_for_update().get(pk=work_rules.pk)
        changes = {k: {"old": getattr(work_rules, k), "new": v} for k, v in cleaned.items() if getattr(work_rules, k) != v}
        if not changes:
            return work_rules
        for k in changes:
            setattr(work_rules, k, cleaned[k])
        work_rules.updated_by = by
        work_rules.save(update_fields=[*changes, "updated_by", "updated_at"])
        audit_record(actor=by, action="work_rules.update", target=work_rules, data={"changes": changes})
    return work_rules


# -- quotas -------------------------------------------------------------------------------

def quota_manual_set(*, programme: Programme, by: User, quotas: dict[str, int], reason: str) -> QuotaPlan:
    """The province proposes its own table instead of the computed split (R-104): every city listed, the sum
    equal to the target, a reason. It goes to the centre for approval (apps/campaigns/approvals.py) and
    replaces the table in force only once approved; until then the table in force stands."""
    ensure(permissions.can_set_quotas(by, programme), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整名额的理由"))
    values = rulebook_values(programme)
    cities = list(province_cities(programme.org))
    by_code = {c.code: c for c in cities}
    unknown = sorted(set(map(str, quotas)) - set(by_code))
    if unknown:
        raise ValidationError(_("%(codes)s不是本省的市，请刷新页面后重试") % {"codes": "、".join(unknown)})
    parsed: dict[str, int] = {}
    for city in cities:
        raw = quotas.get(city.code)
        try:
            n = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("请填写%(city)s的名额（整数）") % {"city": city.name})
        if n < 0:
            raise ValidationError(_("%(city)s的名额不能为负数") % {"city": city.name})
        parsed[city.code] = n
    total, target = sum(parsed.values()), values["target"]
    if total != target:
        raise ValidationError(_("各市名额合计%(total)s，与目标%(target)s相差%(diff)s，请调整") % {
            "total": total, "target": target, "diff": abs(target - total)})
    computed = {line.code: line.quota for line in quota_table(programme, values).computed}
    with transaction.atomic():
        plan = QuotaPlan.plain.create(programme=programme, reason=reason, target=target, created_by=by,
                                      status=QuotaPlan.Status.PENDING)
        QuotaRow.plain.bulk_create([QuotaRow(plan=plan, city=by_code[code], quota=n) for code, n in parsed.items()])
        audit_record(actor=by, action="quota.manual_set", target=plan, data={
            "reason": reason, "target": target, "status": plan.status, "quotas": parsed, "computed": computed})
        approval_submit(kind=QUOTA_KIND, obj=plan, by=by,
                        title=_("%(org)s手工名额表") % {"org": programme.org.name})
    return plan


def quota_manual_clear(*, programme: Programme, by: User) -> QuotaPlan:
    """Return to the computed split: the manual table in force is retired (kept for the record)."""
    ensure(permissions.can_set_quotas(by, programme), NotFound)
    with transaction.atomic():
        plan = QuotaPlan.plain.select_for_update().filter(programme=programme, status=QuotaPlan.Status.IN_FORCE).first()
        if plan is None:
            raise ValidationError(_("当前已按比例计算名额，没有需要停用的手工名额表"))
        plan.status, plan.retired_at = QuotaPlan.Status.RETIRED, timezone.now()
        plan.save(update_fields=["status", "retired_at"])
        audit_record(actor=by, action="quota.manual_clear", target=plan, data={"plan": plan.pk})
    return plan
