"""State changes of a project's ledger (R-401, R-402). Each checks permission, validates at the field (a refusal
changes nothing), writes in one transaction with its audit row, and stores voucher files only when their rows are
written.

- `budget_submit`: a version of the budget by line, summing to the programme's budget, to the centre's approval;
  a later version is an adjustment and says why.
- `expense_add`: one entry, against the budget in force. The programme's row is locked while the line's balance is
  read and the entry written, so two clerks entering against the last of a line's money cannot overspend it.
  Checked as data (the rulebook): expert fees per person-day within the range, meeting costs per person-day under
  the cap, and 委托业务费 to one party above the threshold only with a written justification, which puts the entry
  on the centre's subcontracting-risk list (R-402).
- `expense_reverse`: a counter-entry with a reason; entries are never deleted or changed.
- `risk_clear`: the centre has checked a watched entry and records why it is not subcontracting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.campaigns.selectors import rulebook_values
from apps.core.errors import NotFound, ensure
from apps.core.files import JPEG, PDF, PNG, Slot, StoredFiles, check_into
from apps.core.numbering import next_number
from apps.finance import figures, permissions
from apps.finance.approvals import KIND
from apps.finance.lines import CODES, COMMISSIONED, EXPERT_FEES, MEETINGS, line_text
from apps.finance.models import Budget, BudgetLine, Expense, Voucher
from apps.orgs.models import User

CENT = Decimal("0.01")
AMOUNT_MAX = Decimal("9999999999.99")
PAYEE_MAX, PURPOSE_MAX, TEXT_MAX = 100, 200, 2000
VOUCHERS_MIN, VOUCHERS_MAX = 1, 10
PERSON_DAYS_MAX = Decimal("100000")


def voucher_slot() -> Slot:
    return Slot(types=(PDF, JPEG, PNG), limit=settings.NOTICE_ATTACHMENT_MAX_BYTES,
                max_pixels=settings.CASE_IMAGE_MAX_PIXELS, expected=_("PDF文件或JPEG、PNG图片"),
                advice=_("请将发票、收据等凭证扫描或拍照，保存为PDF、JPEG或PNG后重新上传"))


def parse_yuan(value, *, allow_zero: bool = False) -> Decimal | None:
    """A sum in yuan with at most two decimals (fen); None when it is not one."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero) or number > AMOUNT_MAX:
        return None
    if number != number.quantize(CENT):
        return None
    return number.quantize(CENT)


def _text(errors: dict, field: str, value, *, empty: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [empty]
    elif len(value) > limit:
        errors[field] = [_("最多%(n)d字") % {"n": limit}]
    return value


# -- the budget and its adjustments ------------------------------------------------------------------------------

def budget_submit(*, programme: Programme, by: User, amounts: dict[str, object], reason: str = "") -> Budget:
    """A version of the budget by line (`amounts`: code → yuan, blank for none). The lines must sum to the
    programme's budget; an adjustment (a version after the first approved one) gives its reason and leaves no line
    below what it already spent."""
    ensure(permissions.can_keep_ledger(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    lines: dict[str, Decimal] = {}
    for code in CODES:
        raw = amounts.get(code)
        if raw is None or not str(raw).strip():
            continue
        amount = parse_yuan(raw, allow_zero=True)
        if amount is None:
            errors[f"line_{code}"] = [_("请填写金额，单位为元，最多保留两位小数")]
        elif amount:
            lines[code] = amount
    unknown = sorted(set(amounts) - set(CODES))
    if unknown:
        errors["__all__"] = [_("支出科目不在政府支出经济分类的可选范围内：%(codes)s") % {"codes": "、".join(unknown)}]
    total = sum(lines.values(), Decimal("0.00"))
    if not errors and total != programme.budget:
        errors["__all__"] = [_("各科目合计%(total)s元，应等于项目经费%(budget)s元（相差%(diff)s元）") % {
            "total": f"{total:,.2f}", "budget": f"{programme.budget:,.2f}",
            "diff": f"{abs(total - programme.budget):,.2f}"}]
    current = figures.in_force(programme.pk)
    reason = (reason or "").strip()
    if current is not None:
        if not reason:
            errors["reason"] = [_("请写明预算调整的理由")]
        elif len(reason) > TEXT_MAX:
            errors["reason"] = [_("调整理由最多%(n)d字") % {"n": TEXT_MAX}]
        spent = figures.spent_by_line(programme.pk)
        for code, amount in spent.items():
            if amount > lines.get(code, Decimal("0")):
                errors.setdefault(f"line_{code}", []).append(
                    _("该科目已支出%(spent)s元，调整后的金额不能低于已支出金额") % {"spent": f"{amount:,.2f}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Programme.plain.select_for_update().get(pk=programme.pk)  # one version at a time per project
        if Budget.plain.filter(programme=programme, status=Budget.Status.PENDING).exists():
            raise ValidationError(_("已有一版预算在等待中心审核，请待审核后再报送，或先撤回待审核的一版"))
        budget = Budget.plain.create(programme=programme, number=next_number(Budget.plain.filter(programme=programme)),
                                     reason=reason if current is not None else "", submitted_by=by)
        BudgetLine.plain.bulk_create(BudgetLine(budget=budget, code=code, amount=amount)
                                     for code, amount in sorted(lines.items()))
        title = (_("%(org)s预算调整（第%(n)d版）") if current is not None else _("%(org)s项目预算")) % {
            "org": programme.org.name, "n": budget.number}
        approval_submit(kind=KIND, obj=budget, by=by, title=title)
        audit_record(actor=by, action="budget.submit", target=budget, org=programme.org, data={
            "number": budget.number, "lines": {c: format(a, "f") for c, a in sorted(lines.items())},
            "reason": budget.reason})
    return budget


# -- expenses ----------------------------------------------------------------------------------------------------

def _person_days(errors: dict, value) -> Decimal | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0 or number > PERSON_DAYS_MAX \
            or number != number.quantize(Decimal("0.1")):
        errors["person_days"] = [_("人天数应为正数，最多保留1位小数（半天记0.5）")]
        return None
    return number.quantize(Decimal("0.1"))


def _line_rules(errors: dict, values: dict, line: str, amount: Decimal, person_days: Decimal | None) -> None:
    """The rulebook's per-person-day rules of 咨询费 (expert fees) and 会议费 (meetings)."""
    if line not in (EXPERT_FEES, MEETINGS) or "amount" in errors:
        return
    if person_days is None:
        if "person_days" not in errors:
            errors["person_days"] = [_("%(line)s须填写人天数（人数×天数），用于核对开支标准")
                                     % {"line": line_text(line)}]
        return
    per_day = (amount / person_days).quantize(CENT)
    if line == EXPERT_FEES:
        low, high = values["expert_fee_day_min"], values["expert_fee_day_max"]
        if not low <= per_day <= high:
            errors["amount"] = [_("专家咨询费折合每人每天%(per)s元，不在%(low)d至%(high)d元的标准范围内")
                                % {"per": f"{per_day:,.2f}", "low": low, "high": high}]
    else:
        cap = values["meeting_cost_day_max"]
        if per_day > cap:
            errors["amount"] = [_("会议费折合每人每天%(per)s元，超过%(cap)d元的综合定额")
                                % {"per": f"{per_day:,.2f}", "cap": cap}]


def _vouchers(errors: dict, uploads) -> list:
    checked, problems = [], []
    for upload in uploads or ():
        found: dict[str, list[str]] = {}
        one = check_into(upload, voucher_slot(), "vouchers", found)
        if one is None:
            problems.extend(found["vouchers"])
        else:
            checked.append(one)
    if problems:
        errors["vouchers"] = problems
    elif len(checked) < VOUCHERS_MIN:
        errors["vouchers"] = [_("请上传发票、收据等支出凭证")]
    elif len(checked) > VOUCHERS_MAX:
        errors["vouchers"] = [_("凭证最多%(n)d个文件，请合并后上传") % {"n": VOUCHERS_MAX}]
    return checked


def _spent_on(errors: dict, programme: Programme, value, today: dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            errors["spent_on"] = [_("请填写支出日期（年-月-日）")]
            return None
    if not programme.period_start <= day <= programme.period_end:
        errors["spent_on"] = [_("支出日期应在项目实施期内（%(start)s至%(end)s）")
                              % {"start": programme.period_start.isoformat(), "end": programme.period_end.isoformat()}]
    elif day > today:
        errors["spent_on"] = [_("支出日期不能晚于今天")]
    return day


def expense_add(*, programme: Programme, by: User, spent_on, payee: str, line: str, amount, purpose: str,
                person_days=None, justification: str = "", vouchers=(), today: dt.date | None = None) -> Expense:
    """One entry of the ledger, dated no later than `today` (the Beijing date; the demo, which seeds a campaign
    ahead of the calendar, names the day its entries are made)."""
    ensure(permissions.can_keep_ledger(by, programme), NotFound)
    errors: dict[str, list[str]] = {}
    day = _spent_on(errors, programme, spent_on, today or timezone.localdate())
    payee = _text(errors, "payee", payee, empty=_("请填写收款方"), limit=PAYEE_MAX)
    purpose = _text(errors, "purpose", purpose, empty=_("请填写用途"), limit=PURPOSE_MAX)
    if line not in CODES:
        errors["line"] = [_("请选择支出科目")]
    value = parse_yuan(amount)
    if value is None:
        errors["amount"] = [_("请填写金额，单位为元，大于0，最多保留两位小数")]
    days = _person_days(errors, person_days)
    justification = (justification or "").strip()
    if len(justification) > TEXT_MAX:
        errors["justification"] = [_("委托说明最多%(n)d字") % {"n": TEXT_MAX}]
    values = rulebook_values(programme)
    if line in CODES and value is not None:
        _line_rules(errors, values, line, value, days)
    checked = _vouchers(errors, vouchers)
    if errors:
        raise ValidationError(errors)
    with StoredFiles() as stored, transaction.atomic():
        # One entry at a time per project: the balance read below stays true until this entry is written.
        Programme.plain.select_for_update().get(pk=programme.pk)
        budget = figures.in_force(programme.pk)
        if budget is None:
            raise ValidationError(_("项目预算经中心批复后才能记账"))
        planned = figures.planned_by_line(budget).get(line, Decimal("0"))
        spent = figures.spent_by_line(programme.pk).get(line, Decimal("0"))
        if spent + value > planned:
            raise ValidationError({"amount": [
                _("超出%(line)s预算：预算%(planned)s元，已支出%(spent)s元，余额%(left)s元。如确需支出，请先报送预算调整，"
                  "经中心批复后再记账") % {"line": line_text(line), "planned": f"{planned:,.2f}",
                                      "spent": f"{spent:,.2f}", "left": f"{planned - spent:,.2f}"}]})
        at_risk = False
        if line == COMMISSIONED:
            paid = figures.fen(Expense.plain.filter(programme=programme, line=COMMISSIONED, payee=payee)
                               .aggregate(total=Sum("amount"))["total"])
            threshold = values["commission_payee_threshold"]
            if paid + value > threshold:
                if not justification:
                    raise ValidationError({"justification": [
                        _("委托业务费支付“%(payee)s”累计将达%(total)s元，超过%(threshold)d元：请写明委托内容和不属于转包、"
                          "分包的理由（该笔支出将列入中心关注清单）")
                        % {"payee": payee, "total": f"{paid + value:,.2f}", "threshold": threshold}]})
                at_risk = True
        expense = Expense.plain.create(
            programme=programme, number=next_number(Expense.plain.filter(programme=programme)), spent_on=day,
            payee=payee, line=line, amount=value, purpose=purpose, person_days=days,
            justification=justification if line == COMMISSIONED else "", at_risk=at_risk, created_by=by)
        for one in checked:
            voucher = Voucher(expense=expense, name=one.name, content_type=one.content_type, size=one.size,
                              sha256=one.sha256)
            stored.save(voucher.file, one)
            voucher.save()
        audit_record(actor=by, action="expense.add", target=expense, org=programme.org, data={
            "number": expense.number, "line": line, "amount": format(value, "f"), "payee": payee,
            "spent_on": day, "at_risk": at_risk, "vouchers": [c.sha256 for c in checked]})
    return expense


def expense_reverse(*, expense: Expense, by: User, reason: str) -> Expense:
    """A counter-entry for a wrong entry, with the reason: the same line and payee, the negative amount, dated
    today (within the project's period) or the entry's own date when the period is over."""
    programme = expense.programme
    ensure(permissions.can_keep_ledger(by, programme), NotFound)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明冲销理由")]})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": [_("冲销理由最多%(n)d字") % {"n": TEXT_MAX}]})
    with transaction.atomic():
        Programme.plain.select_for_update().get(pk=programme.pk)
        current = Expense.plain.select_for_update().get(pk=expense.pk)
        if current.is_reversal:
            raise ValidationError(_("冲销分录不能再冲销"))
        if Expense.plain.filter(reverses=current).exists():
            raise ValidationError(_("该笔支出已冲销"))
        today = timezone.localdate()
        day = today if programme.period_start <= today <= programme.period_end else current.spent_on
        counter = Expense.plain.create(
            programme=programme, number=next_number(Expense.plain.filter(programme=programme)), spent_on=day,
            payee=current.payee, line=current.line, amount=-current.amount,
            purpose=(_("冲销第%(n)d号：%(purpose)s") % {"n": current.number, "purpose": current.purpose})[:PURPOSE_MAX],
            reverses=current, reason=reason, created_by=by)
        if current.risk_open:  # a reversed entry no longer pays anyone: it leaves the watch list
            current.cleared_at, current.cleared_by = timezone.now(), by
            current.cleared_note = _("已冲销")
            current.save(update_fields=["cleared_at", "cleared_by", "cleared_note"])
        audit_record(actor=by, action="expense.reverse", target=counter, org=programme.org, data={
            "reverses": current.number, "amount": format(counter.amount, "f"), "reason": reason})
    return counter


def risk_clear(*, expense: Expense, by: User, note: str) -> Expense:
    """The centre checked a watched 委托业务费 entry (R-402) and records why it is not subcontracting."""
    ensure(permissions.can_clear_risk(by, expense.programme), NotFound)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明核实情况")]})
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": [_("核实情况最多%(n)d字") % {"n": TEXT_MAX}]})
    with transaction.atomic():
        current = Expense.plain.select_for_update().get(pk=expense.pk)
        if not current.risk_open:
            raise ValidationError(_("该笔支出不在关注清单中"))
        current.cleared_at, current.cleared_by, current.cleared_note = timezone.now(), by, note
        current.save(update_fields=["cleared_at", "cleared_by", "cleared_note"])
        audit_record(actor=by, action="expense.clear_risk", target=current, org=current.programme.org,
                     data={"number": current.number, "note": note})
    return current
