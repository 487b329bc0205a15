"""Selection: check a list against the round's rules (one validator), propose the best valid one (one solver),
lock it, publicly notice it (公示) with objections and answers, and send it up. The same functions serve the
pages, the API and the commands; every decision is audited and runs under the round's row lock."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.core import captcha, ratelimit
from apps.core.errors import NotFound, ensure
from apps.core.numbering import next_number
from apps.orgs.models import User
from apps.rounds.models import Round, RoundEntry
from apps.rounds.rules import Violation
from apps.rounds.services import round_lock, round_row, round_send_list, round_unlock
from apps.selection import results
from apps.selection.context import RoundContext, round_context
from apps.selection.models import ListItem, ListPin, LockedList, Objection
from apps.selection.permissions import can_run_selection
from apps.selection.selectors import OUT_OF_LIST, Holds, holds_for
from apps.selection.solver import Proposal, propose
from apps.selection.validator import validate
from apps.voting.hashing import address_hashes

MAX_LIST = 100_000


def list_check(round: Round, case_ids: Iterable[int]) -> list[Violation]:
    """Every rule of the round the list breaks ([] when it is valid)."""
    context = round_context(round)
    return validate(context.rules, context.candidates, case_ids)


def list_ids(round: Round) -> list[int]:
    """The case ids on the round's list, in the order they were added."""
    return list(ListItem.plain.filter(round=round).order_by("added_at", "pk").values_list("case_id", flat=True))


def _editable(round: Round) -> None:
    if round.state not in (Round.State.OPEN, Round.State.CLOSED):
        raise ValidationError(_("%(round)s当前状态为“%(state)s”，名单不能修改") % {
            "round": round, "state": round.get_state_display()})


def _case_id(value) -> int:
    """The case a pin form names (its id, sent as text)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"case": _("请选择案例")})


def _titles(ids: Iterable[int]) -> str:
    titles = dict(Case.plain.filter(pk__in=list(ids)).values_list("pk", "title"))
    return "、".join(f"“{titles.get(c, c)}”" for c in ids)


def _held_back(holds: Holds, add: Iterable[int], remove: Iterable[int]) -> list[str]:
    """Why some of these changes would undo what a person decided (a pin, an exclusion, an upheld objection)."""
    problems = []
    excluded = [c for c in add if c in holds.exclude]
    upheld = [c for c in add if c in holds.upheld_out]
    pinned = [c for c in remove if c in holds.include]
    if excluded:
        problems.append(_("%(cases)s已被排除，如需列入名单，请先取消排除") % {"cases": _titles(excluded)})
    if upheld:
        problems.append(_("%(cases)s的异议已认定成立，不能列入名单；如经复核仍需列入，请写明理由后指定入选") % {
            "cases": _titles(upheld)})
    if pinned:
        problems.append(_("%(cases)s已指定入选，如需移出名单，请先取消指定") % {"cases": _titles(pinned)})
    return problems


def list_set(*, round: Round, by: User, add: Iterable[int] = (), remove: Iterable[int] = (),
             report: bool = True) -> list[Violation]:
    """Put cases on the round's list or take them off (only its candidates), audited; returns the list's
    violations after the change (not computed when `report` is False: a page that shows them anyway).

    What people pinned holds here too: an excluded case or one whose objection was upheld does not go on, a case
    pinned in does not come off, until the pin is taken away (list_unpin) or, for an upheld objection, the case
    is pinned back with a reason (list_pin)."""
    ensure(can_run_selection(by, round), NotFound)
    add, remove = [int(c) for c in add], [int(c) for c in remove]
    with transaction.atomic():
        current = round_row(round)
        _editable(current)
        _apply(current, by, add, remove, action="selection.list_set")
    return list_check(round, list_ids(round)) if report else []


def _apply(current: Round, by: User, add: list[int], remove: list[int], *, action: str,
           data: dict | None = None) -> tuple[list[int], list[int]]:
    """Change the list of a round whose row the caller holds locked; audited under `action` when it changed."""
    known = set(RoundEntry.plain.filter(round=current, case_id__in=add).values_list("case_id", flat=True))
    strangers = sorted(set(add) - known)
    if strangers:
        raise ValidationError(_("案例%(ids)s不在本轮候选名单中") % {"ids": "、".join(map(str, strangers))})
    on = set(list_ids(current))
    new = [c for c in dict.fromkeys(add) if c not in on]
    gone = [c for c in dict.fromkeys(remove) if c in on]
    problems = _held_back(holds_for(current), new, gone)
    if problems:
        raise ValidationError(problems)
    ListItem.plain.bulk_create([ListItem(round=current, case_id=c, added_by=by) for c in new])
    if gone:
        ListItem.plain.filter(round=current, case_id__in=gone).delete()
    if new or gone:
        audit_record(actor=by, action=action, target=current, org=current.org,
                     data={"added": new, "removed": gone, **(data or {})})
    return new, gone


def list_propose(round: Round, *, include: Iterable[int] = (), exclude: Iterable[int] = (),
                 context: RoundContext | None = None) -> Proposal:
    """The best-scoring list the round's rules allow, or why there is none; the province round aims at its target
    count (R-103) within its maximum.

    What people decided holds: the round's pins (list_pin) are added to `include` / `exclude` (a caller's own
    pins, for this proposal only), and a case whose objection was upheld stays out unless pinned back with a
    reason. A caller's pin that would bring such a case back is refused with that sentence."""
    holds = holds_for(round)
    include, exclude = {int(c) for c in include}, {int(c) for c in exclude}
    barred = sorted(include & holds.upheld_out)
    if barred:
        return Proposal(chosen=(), total=0.0, optimal=False, count=0, infeasible=True, rules=("R-106",),
                        status=_("指定的案例无法同时满足"), explanations=[_(
                            "%(cases)s的异议已认定成立，不进入建议名单；如经复核仍需入选，请在遴选名单页写明理由后指定入选"
                            "（R-106）") % {"cases": _titles(barred)}])
    context = context or round_context(round)
    return propose(context.rules, context.candidates, include=include | set(holds.include),
                   exclude=exclude | holds.kept_off, target=context.target)


@dataclass(frozen=True)
class Adopted:
    added: list[int]
    removed: list[int]
    violations: list[Violation]  # the list's, after the change ([] for a proposal of the solver)


def list_adopt(*, round: Round, by: User, case_ids: Iterable[int], expected: Iterable[int] | None = None
               ) -> Adopted:
    """Replace the round's list with `case_ids` (a proposal the person confirmed), audited as one change.

    `expected` is the list as the person saw it when confirming: if it changed since (someone else edited it),
    nothing is replaced and the person is asked to look again."""
    ensure(can_run_selection(by, round), NotFound)
    wanted = list(dict.fromkeys(int(c) for c in case_ids))
    with transaction.atomic():
        current = round_row(round)
        _editable(current)
        on = list_ids(current)
        if expected is not None and set(int(c) for c in expected) != set(on):
            raise ValidationError(_("您确认之前名单已有改动，未替换。请重新求最优名单，核对变化后再确认"))
        added, removed = _apply(current, by, [c for c in wanted if c not in set(on)],
                                [c for c in on if c not in set(wanted)], action="selection.list_adopt")
    return Adopted(added, removed, list_check(round, list_ids(round)))


PIN_REASON_MIN = 5


def pin_reason_missing() -> str:
    return _("异议已认定成立的案例，指定入选须写明复核理由（至少%(n)d个字）") % {"n": PIN_REASON_MIN}


def list_pin(*, round: Round, by: User, case_id, kind: str, reason: str = "") -> ListPin:
    """Pin a candidate on (include: it goes on the list and on every proposal) or off (exclude: it comes off the
    list and stays off proposals), with an optional reason; pinning back a case whose objection was upheld
    needs a written reason (R-106). The pin replaces an earlier one of the case; audited."""
    ensure(can_run_selection(by, round), NotFound)
    reason = _text(reason, "reason")
    if kind not in (ListPin.Kind.INCLUDE, ListPin.Kind.EXCLUDE):
        raise ValidationError({"kind": _("请选择指定入选或排除")})
    case = _case_id(case_id)
    with transaction.atomic():
        current = _round_row(round)
        _editable(current)
        entry = RoundEntry.plain.filter(round=current, case_id=case).values_list("decision", flat=True).first()
        if entry is None:
            raise ValidationError({"case": _("案例%(id)d不在本轮候选名单中") % {"id": case}})
        holds = holds_for(current)
        if kind == ListPin.Kind.INCLUDE:
            if entry in OUT_OF_LIST:
                raise ValidationError({"case": _("%(case)s未通过下级遴选，不能指定入选（R-107）") % {
                    "case": _titles([case])}})
            if case in holds.upheld and len(reason) < PIN_REASON_MIN:
                raise ValidationError({"reason": pin_reason_missing()})
        before = holds.include.get(case) or holds.exclude.get(case)
        pin, _created = ListPin.plain.update_or_create(round=current, case_id=case, defaults={
            "kind": kind, "reason": reason, "pinned_by": by})
        on = case in set(list_ids(current))
        if kind == ListPin.Kind.INCLUDE and not on:
            ListItem.plain.create(round=current, case_id=case, added_by=by)
        elif kind == ListPin.Kind.EXCLUDE and on:
            ListItem.plain.filter(round=current, case_id=case).delete()
        audit_record(actor=by, action="selection.pin", target=current, org=current.org, data={
            "case": case, "kind": kind, "reason": reason, "before": before.kind if before else None,
            "upheld_objection": holds.upheld[case].pk if case in holds.upheld else None,
            "added": [case] if kind == ListPin.Kind.INCLUDE and not on else [],
            "removed": [case] if kind == ListPin.Kind.EXCLUDE and on else []})
    return pin


def list_unpin(*, round: Round, by: User, case_id) -> None:
    """Take a pin away: the case is free again (the list itself does not change); audited. A case whose
    objection was upheld is then kept off again."""
    ensure(can_run_selection(by, round), NotFound)
    case = _case_id(case_id)
    with transaction.atomic():
        current = _round_row(round)
        _editable(current)
        pin = ListPin.plain.filter(round=current, case_id=case).first()
        if pin is None:
            return
        pin.delete()
        audit_record(actor=by, action="selection.unpin", target=current, org=current.org,
                     data={"case": case, "kind": pin.kind, "reason": pin.reason})


# -- lock, 公示, objections, send --------------------------------------------------------------------------------

def _round_row(round: Round) -> Round:
    """The round's row, locked to the end of the transaction (apps.rounds.services.round_row), with what the
    lock, the answers and the send read of it."""
    return round_row(round, "org", "programme__campaign")


TEXT_MAX = 2000  # a reason or an answer: a paragraph, not a document


def _text(value, field: str) -> str:
    """A reason or answer as written, without surrounding spaces; refused beyond TEXT_MAX characters."""
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("内容过长：最多%(n)d字，现有%(have)d字") % {"n": TEXT_MAX, "have": len(value)}})
    return value


def live_list(round: Round) -> LockedList | None:
    """The round's locked list in force (None while the list is open or after an unlock)."""
    return LockedList.plain.filter(round=round, withdrawn_at__isnull=True).first()


def _already_locked(current: Round) -> ValidationError:
    locked = LockedList.plain.filter(round=current).select_related("locked_by").order_by("-number").first()
    who = locked.locked_by.display_name if locked and locked.locked_by else _("系统")
    when = timezone.localtime(locked.locked_at).strftime("%Y-%m-%d %H:%M") if locked else ""
    return ValidationError(_("%(round)s的名单已由%(who)s于%(when)s锁定，不能重复锁定；如需修改，请先解锁") % {
        "round": current, "who": who, "when": when})


def list_lock(*, round: Round, by: User, reason: str = "") -> LockedList:
    """Lock the round's list and start its 公示 (R-106): from today (Beijing), for the rulebook's days.

    A list that breaks a rule is refused, unless the rulebook allows an override (R-105 `list_override`) and a
    reason is written; eligibility is never overridden. The result document and its SHA-256 are stored.
    """
    ensure(can_run_selection(by, round), NotFound)
    reason = _text(reason, "reason")
    with transaction.atomic():
        current = _round_row(round)
        if current.state == Round.State.LOCKED:
            raise _already_locked(current)
        _editable(current)
        if not ListItem.plain.filter(round=current).exists():
            raise ValidationError(_("名单为空，不能锁定；请先列入案例或求最优名单"))
        upheld = sorted(set(list_ids(current)) & holds_for(current).upheld_out)
        if upheld:  # still on the list from before the objection was answered
            raise ValidationError(_("%(cases)s的异议已认定成立，请移出名单；如经复核仍需列入，请写明理由后指定入选，再锁定")
                                  % {"cases": _titles(upheld)})
        context = round_context(current, with_rankings=True)
        document = results.result_document(current, list_ids(current), context)
        chosen = document["list"]
        broken = document["violations"]
        values = context.values
        if broken:
            if not values["list_override"] or any(v["kind"] == "eligibility" for v in broken):
                raise ValidationError([_("名单不符合以下规则，不能锁定：")]
                                      + [f"{v['rule']} {v['message']}" for v in broken])
            if len(reason) < 5:
                rules = "、".join(sorted({v["rule"] for v in broken}))
                raise ValidationError({"reason": _(
                    "名单不符合规则（%(rules)s），工作细则允许说明理由后锁定：请写明理由（至少5个字）") % {"rules": rules}})
        starts = timezone.localdate()
        number = next_number(LockedList.plain.filter(round=current))
        try:
            with transaction.atomic():
                locked = LockedList.plain.create(
                    round=current, number=number, slug=secrets.token_urlsafe(9)[:12], case_ids=chosen,
                    violations=[{"rule": v["rule"], "message": v["message"]} for v in broken],
                    override_reason=reason if broken else "", starts_on=starts,
                    ends_on=starts + dt.timedelta(days=values["publicity_days"] - 1),
                    result=document, sha256=results.digest(document), locked_by=by)
        except IntegrityError:  # a lock that did not go through the round's row lock (belt and braces)
            raise _already_locked(current)
        round_lock(current=current, by=by, reason=reason or _("锁定名单"))
        audit_record(actor=by, action="selection.lock", target=locked, org=current.org, data={
            "round": current.pk, "number": number, "cases": chosen, "sha256": locked.sha256,
            "violations": locked.violations, "override_reason": locked.override_reason,
            "publicity": [locked.starts_on, locked.ends_on]})
    round.refresh_from_db()
    return locked


def list_unlock(*, round: Round, by: User, reason: str) -> Round:
    """Unlock a locked list that was not sent (to act on an upheld objection, say): its 公示 is withdrawn, the
    list may change again and a new lock starts a new 公示. Needs a reason; audited."""
    ensure(can_run_selection(by, round), NotFound)
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("请写明解锁的原因（将记入审计日志，并在公示页注明名单已撤回）")})
    with transaction.atomic():
        current = _round_row(round)
        if current.state == Round.State.SENT:
            raise ValidationError(_("%(round)s的名单已上报，不能解锁") % {"round": current})
        if current.state != Round.State.LOCKED:
            raise ValidationError(_("%(round)s的名单未锁定") % {"round": current})
        locked = live_list(current)
        if locked is not None:
            locked.withdrawn_at, locked.withdrawn_by, locked.withdraw_reason = timezone.now(), by, reason
            locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        round_unlock(current=current, by=by, reason=reason)
        audit_record(actor=by, action="selection.unlock", target=current, org=current.org,
                     data={"locked_list": locked.pk if locked else None, "reason": reason})
    round.refresh_from_db()
    return round


def publicity_state(locked: LockedList, today: dt.date | None = None) -> str:
    """"withdrawn", "upcoming", "open" (objections taken) or "over"."""
    today = today or timezone.localdate()
    if locked.withdrawn_at is not None:
        return "withdrawn"
    if today < locked.starts_on:
        return "upcoming"
    return "open" if today <= locked.ends_on else "over"


# Objections per sender's address (hashed): a person with a real objection sends one or two; a script is stopped.
# From the OBJECTION_CAPTCHA_AFTER-th objection of an hour the address also answers the image captcha the vote
# uses. Requests whose address cannot be read all count as one address (apps.core.clientip).
OBJECTIONS_PER_HOUR = 5
OBJECTIONS_PER_DAY = 20
OBJECTION_CAPTCHA_AFTER = 2


def objection_captcha_needed(address: str) -> bool:
    return ratelimit.peek(f"objection-ip:{address_hashes(address)[0]}", 3600) >= OBJECTION_CAPTCHA_AFTER
CONTACT_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|[^@\s]+@[^@\s]+\.[^@\s]+)$")


def objection_submit(*, locked: LockedList, case_id, name: str, contact: str, reason: str,
                     address: str = "", challenge: str = "", answer: str = "") -> Objection:
    """An objection from the public page to a case on a list in 公示: name, contact, case and reason, each
    checked; refused outside the 公示 period and beyond the per-address limits; an image captcha (its key
    `challenge`, the typed `answer`) once the address has sent OBJECTION_CAPTCHA_AFTER in an hour."""
    name, contact, reason = (name or "").strip(), re.sub(r"\s", "", contact or ""), (reason or "").strip()
    errors = {}
    if not name or len(name) > 50:
        errors["name"] = _("请填写姓名（不超过50字）")
    if not CONTACT_RE.match(contact) or len(contact) > 100:
        errors["contact"] = _("请填写手机号码、固定电话（如010-12345678）或电子邮箱，以便答复")
    if len(reason) < 10 or len(reason) > 2000:
        errors["reason"] = _("请写明异议的事实和理由（10至2000字）")
    try:
        case = int(case_id)
    except (TypeError, ValueError):
        case = None
    if case not in set(locked.case_ids):
        errors["case"] = _("请选择公示名单中的案例")
    ip_hash = address_hashes(address)[0]
    if objection_captcha_needed(address) and not captcha.challenge_pass(challenge, answer):
        errors["answer"] = _("图片验证码不正确，请重新输入") if answer else _("请输入图片中的字符")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = LockedList.plain.select_for_update().get(pk=locked.pk)
        state = publicity_state(fresh)
        if state != "open":
            raise ValidationError({
                "withdrawn": _("该名单已撤回，公示已终止"),
                "upcoming": _("公示尚未开始（%(d)s起）") % {"d": fresh.starts_on.isoformat()},
                "over": _("公示期已于%(d)s结束，不再受理异议") % {"d": fresh.ends_on.isoformat()}}[state])
        if not (ratelimit.hit(f"objection-ip:{ip_hash}", OBJECTIONS_PER_HOUR, 3600)
                and ratelimit.hit(f"objection-ip-day:{ip_hash}", OBJECTIONS_PER_DAY, 86400)):
            raise ValidationError(_("提交过于频繁，请稍后再试；如有多项异议，可写在同一份异议中"))
        objection = Objection.plain.create(locked_list=fresh, case_id=case, name=name, contact=contact,
                                           reason=reason, address_hash=ip_hash)
        audit_record(actor=None, action="selection.objection", target=objection, org=fresh.round.org,
                     data={"locked_list": fresh.pk, "case": case})
    return objection


def objection_answer(*, objection: Objection, by: User, outcome: str, answer: str) -> Objection:
    """The round's answer to an objection: not founded, or founded (then the list must be unlocked and changed
    before it can be sent). May be corrected until the list is sent; every answer is audited."""
    answer = _text(answer, "answer")
    if outcome not in (Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD):
        raise ValidationError({"outcome": _("请选择处理结果")})
    if len(answer) < 5:
        raise ValidationError({"answer": _("请填写答复意见（至少5个字），异议人将据此了解处理结果")})
    with transaction.atomic():
        current = _round_row(objection.locked_list.round)
        ensure(can_run_selection(by, current), NotFound)
        if current.state == Round.State.SENT:
            raise ValidationError(_("名单已上报，异议答复不能再修改"))
        fresh = Objection.plain.select_for_update().get(pk=objection.pk)
        before = fresh.outcome
        fresh.outcome, fresh.answer, fresh.answered_by, fresh.answered_at = outcome, answer, by, timezone.now()
        fresh.save(update_fields=["outcome", "answer", "answered_by", "answered_at"])
        audit_record(actor=by, action="selection.objection_answer", target=fresh, org=current.org,
                     data={"from": before, "to": outcome, "answer": answer, "case": fresh.case_id})
    objection.refresh_from_db()
    return objection


def send_blockers(round: Round, locked: LockedList | None, today: dt.date | None = None) -> list[str]:
    """Why the round's list cannot be sent now, in sentences ([] when it can)."""
    if round.state == Round.State.SENT:
        return [_("名单已上报")]
    if round.state != Round.State.LOCKED or locked is None:
        return [_("名单尚未锁定；锁定后公示期满方可上报")]
    out = []
    state = publicity_state(locked, today)
    if state in ("upcoming", "open"):
        out.append(_("公示期至%(d)s，期满后方可上报") % {"d": locked.ends_on.isoformat()})
    outcomes = list(Objection.plain.filter(locked_list=locked).values_list("outcome", flat=True))
    pending = outcomes.count(Objection.Outcome.PENDING)
    upheld = outcomes.count(Objection.Outcome.UPHELD)
    if pending:
        out.append(_("还有%(n)d条异议未答复") % {"n": pending})
    if upheld:
        out.append(_("%(n)d条异议成立：请解锁名单，调整后重新锁定并公示") % {"n": upheld})
    return out


def list_send(*, round: Round, by: User) -> LockedList:
    """Send the locked list up once its 公示 is over and every objection is answered (none upheld): its cases
    enter the parent's next round (and, for a province, its presenter round). Audited."""
    ensure(can_run_selection(by, round), NotFound)
    with transaction.atomic():
        current = _round_row(round)
        if current.state == Round.State.SENT:
            when = timezone.localtime(current.sent_at).strftime("%Y-%m-%d %H:%M") if current.sent_at else ""
            raise ValidationError(_("%(round)s已于%(when)s%(action)s，不能重复操作") % {
                "round": current, "when": when, "action": current.send_label})
        locked = live_list(current)
        blockers = send_blockers(current, locked)
        if blockers:
            raise ValidationError(blockers)
        sent = round_send_list(current=current, by=by, case_ids=locked.case_ids)
        audit_record(actor=by, action="round.send", target=current, org=current.org,
                     data={"sent": len(locked.case_ids), "cases": locked.case_ids, "locked_list": locked.pk,
                           "sha256": locked.sha256, "entries": [e.pk for e in sent]})
    round.refresh_from_db()
    return locked


PER_PROVINCE_MAX = 100  # the whole collection is 100 stories


def national_configure(*, round: Round, by: User, per_province_min) -> Round:
    """Set the centre's minimum of stories per province in its national story round (0 for none), audited."""
    ensure(can_run_selection(by, round), NotFound)
    if round.kind != Round.Kind.NATIONAL_STORY:
        raise ValidationError(_("只有全国故事集遴选可以设置每省最少收录数"))
    try:
        least = int(str(per_province_min).strip() or 0)
    except ValueError:
        least = -1
    if not 0 <= least <= PER_PROVINCE_MAX:
        raise ValidationError({"per_province_min": _("每省最少收录数应为0至%(n)d之间的整数（0表示不设）") % {
            "n": PER_PROVINCE_MAX}})
    with transaction.atomic():
        current = _round_row(round)
        _editable(current)
        config = dict(current.config or {})
        before = (config.get("selection") or {}).get("per_province_min", 0)
        config["selection"] = {**(config.get("selection") or {}), "per_province_min": least}
        current.config = config
        current.save(update_fields=["config", "updated_at"])
        audit_record(actor=by, action="selection.configure", target=current, org=current.org,
                     data={"per_province_min": [before, least]})
    round.refresh_from_db()
    return round
