"""State changes of rounds. Every level's round goes through these same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.models import AuditEntry
from apps.audit.services import audit_record, audit_record_many
from apps.campaigns.models import Programme
from apps.campaigns.selectors import rulebook_values
from apps.cases.models import Case
from apps.core.errors import NotFound, ensure
from apps.orgs.models import Org
from apps.rounds.checklist import Outcome, failed_checks
from apps.rounds.kinds import Kind, kind_of, runner_for, runs
from apps.rounds.models import Round, RoundEntry
from apps.rounds.permissions import (
    can_decide_round,
    can_send_round,
    can_set_round_deadline,
    can_transition_round,
)

Decision = RoundEntry.Decision


def round_for(*, programme: Programme, org: Org, kind: str, deadline=None) -> Round:
    """The org's round of this kind in the programme, made (in draft) the first time it is needed.

    A new round's deadline is the rulebook's date for its level (e.g. county_report_deadline) unless given.
    """
    if not runs(org, kind):
        raise ValidationError(_("%(org)s不能组织%(kind)s") % {"org": org.name, "kind": Round.Kind(kind).label})
    found = Round.plain.filter(programme=programme, org=org, kind=kind).first()
    if found is not None:
        return found
    if deadline is None:
        deadline = _default_deadline(programme, kind)
    try:
        with transaction.atomic():
            found = Round.plain.create(programme=programme, org=org, kind=kind, deadline=deadline)
            audit_record(actor=None, action="round.create", target=found, org=org,
                         data={"kind": kind, "programme": programme.pk, "deadline": deadline})
    except IntegrityError:  # made by a concurrent request a moment ago
        found = Round.plain.get(programme=programme, org=org, kind=kind)
    return found


def _default_deadline(programme: Programme, kind: str) -> dt.date | None:
    key = kind_of(kind).deadline_rule
    if key is None or programme.kind != Programme.Kind.PROVINCE:
        return None
    return rulebook_values(programme).get(key)


def _check_move(current: Round, target: Round.State) -> None:
    if target not in Round.TRANSITIONS[Round.State(current.state)]:
        raise ValidationError(
            _("%(round)s当前为“%(state)s”，不能改为“%(to)s”")
            % {"round": current, "state": current.get_state_display(), "to": target.label})


def _move(current: Round, target: Round.State, by, reason: str) -> None:
    """The one place a round's state is written (the caller holds the round's row lock, see round_row). The
    audit row is the record of who moved it when (a lock too: apps.rounds.selectors.round_lock_record)."""
    fields = ["state", "updated_at"]
    if target == Round.State.SENT:
        current.sent_at, current.sent_by = timezone.now(), by
        fields += ["sent_at", "sent_by"]
    before = current.state
    current.state = target
    current.save(update_fields=fields)
    audit_record(actor=by, action="round.transition", target=current, org=current.org,
                 data={"from": before, "to": target.value, "reason": reason})


def round_row(round: Round | int, *related: str) -> Round:
    """The round's row, locked until the end of the transaction, with `related` joined: every decision,
    receipt, list change and move of a round takes this lock first, so they happen one after another (two
    admins locking at once: the second reads the first's lock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("round_row must run inside a transaction")
    query = Round.plain.select_for_update()
    if related:
        query = query.select_related(*related)
    return query.get(pk=getattr(round, "pk", round))


def round_lock(*, current: Round, by, reason: str = "") -> None:
    """Lock the round's list (apps.selection.services.list_lock, which holds the row and stored the list)."""
    _check_move(current, Round.State.LOCKED)
    _move(current, Round.State.LOCKED, by, reason)


def round_unlock(*, current: Round, by, reason: str) -> None:
    """Open a locked list that was not sent again (apps.selection.services.list_unlock holds the row)."""
    _check_move(current, Round.State.OPEN)
    _move(current, Round.State.OPEN, by, reason)


def round_open(*, current: Round, by, reason: str) -> None:
    """Open a round in draft as its first cases arrive (the caller holds the row)."""
    if current.state == Round.State.DRAFT:
        _move(current, Round.State.OPEN, by, reason)


def round_transition(*, round: Round, to: str, by, reason: str = "", check: bool = True) -> Round:
    """Move a round along draft → open → closed → locked → sent, refusing any other move.

    Sending forwards the passed entries to the parent's next round (see round_report, which locks and
    sends in one step). `check=False` is for the system (demo data, commands), never for a request.
    """
    try:
        target = Round.State(to)
    except ValueError:
        raise ValidationError(_("未知的状态“%(to)s”") % {"to": to})
    with transaction.atomic():
        current = round_row(round)
        if check:
            ensure(can_transition_round(by, current), NotFound)
            if current.has_list and (target in (Round.State.LOCKED, Round.State.SENT)
                                     or current.state == Round.State.LOCKED):
                raise ValidationError(_("%(round)s的名单请在“遴选名单”页锁定、解锁和上报") % {"round": current})
        _check_move(current, target)
        if target == Round.State.SENT:
            _forward(current, by)
        _move(current, target, by, reason)
    round.refresh_from_db()
    return round


def round_report(*, round: Round, by) -> Round:
    """Send the round's list up (a county's 「上报市级」, R-107): lock and send in one transaction.

    Refused while any entry is pending. Passed cases enter the parent's next round as pending entries;
    cases screened out or returned for revision stay behind. Two clerks pressing at once: the second
    waits on the round's row lock, then reads that the list was already sent.
    """
    with transaction.atomic():
        current = round_row(round)
        ensure(can_send_round(by, current), NotFound)
        if current.has_list:
            raise ValidationError(_("%(round)s的名单请在“遴选名单”页锁定、公示后上报") % {"round": current})
        if current.state == Round.State.SENT:
            raise ValidationError(_("%(round)s已于%(when)s%(action)s，不能重复操作") % {
                "round": current, "when": timezone.localtime(current.sent_at).strftime("%Y-%m-%d %H:%M"),
                "action": current.send_label})
        if current.state == Round.State.DRAFT:
            raise ValidationError(_("%(round)s尚未开始接收案例，没有可上报的名单") % {"round": current})
        sent = _forward(current, by)
        if current.state != Round.State.LOCKED:
            _move(current, Round.State.LOCKED, by, reason=current.send_label)
        _move(current, Round.State.SENT, by, reason=current.send_label)
        audit_record(actor=by, action="round.send", target=current, org=current.org,
                     data={"sent": len(sent), "cases": [e.case_id for e in sent]})
    round.refresh_from_db()
    return round


def _forward(current: Round, by) -> list[RoundEntry]:
    """Put the round's passed entries into the parent's next round (inside the caller's transaction)."""
    pending = RoundEntry.plain.filter(round=current, decision=Decision.PENDING).count()
    if pending:
        raise ValidationError(_("还有%(n)d件案例待处理，请全部处理（通过、未通过或退回修改）后再%(action)s") % {
            "n": pending, "action": current.send_label})
    passed = list(RoundEntry.plain.filter(round=current, decision=Decision.PASSED).order_by("id"))
    created: list[RoundEntry] = []
    for target in _next_rounds(current, by):
        created += _receive_entries(target, passed, by)
    return created


def round_send_list(*, current: Round, by, case_ids: list[int]) -> list[RoundEntry]:
    """Send a locked list up (apps.selection.services.list_send, which holds the round's row lock and has
    checked who sends and that the 公示 is over): its cases enter the next rounds and the round is sent."""
    if current.state != Round.State.LOCKED:
        raise ValidationError(_("%(round)s的名单尚未锁定") % {"round": current})
    entries = list(RoundEntry.plain.filter(round=current, case_id__in=case_ids).order_by("id"))
    if len(entries) != len(set(case_ids)):
        raise ValidationError(_("名单中有不在本轮的案例，请解锁后检查名单"))
    created: list[RoundEntry] = []
    for target in _next_rounds(current, by):
        created += _receive_entries(target, entries, by)
    _move(current, Round.State.SENT, by, reason=current.send_label)
    return created


def _next_rounds(current: Round, by) -> list[Round]:
    """The rounds a sent list enters, each locked and opened on first use: the parent's next round (the
    centre's story round for a province), and for a province also its own presenter round (R-110)."""
    rounds = []
    spec = kind_of(current)
    if spec.feeds is not None and spec.feeds_centre:
        brand = Programme.plain.filter(campaign=current.programme.campaign_id, kind=Programme.Kind.BRAND).first()
        if brand is None:
            raise ValidationError(_("本年度活动尚未设立品牌建设项目，中心无法接收名单"))
        rounds.append(round_for(programme=brand, org=brand.org, kind=spec.feeds))
    elif spec.feeds is not None:
        runner = runner_for(current.org, spec.feeds)
        if runner is None:
            raise ValidationError(_("%(org)s没有上级单位接收%(kind)s名单") % {
                "org": current.org.name, "kind": Round.Kind(spec.feeds).label})
        rounds.append(round_for(programme=current.programme, org=runner, kind=spec.feeds))
    if spec.also_feeds is not None:
        rounds.append(round_for(programme=current.programme, org=current.org, kind=spec.also_feeds))
    locked = []
    for found in rounds:
        target = round_row(found)
        round_open(current=target, by=by, reason="first list received")
        if target.state in (Round.State.LOCKED, Round.State.SENT):
            raise ValidationError(_("%(org)s已锁定%(kind)s名单，不再接收下级上报；请联系%(org)s") % {
                "org": target.org.name, "kind": target.get_kind_display()})
        locked.append(target)
    return locked


def _receive_entries(target: Round, entries: list[RoundEntry], by) -> list[RoundEntry]:
    already = set(RoundEntry.plain.filter(round=target, case_id__in=[e.case_id for e in entries])
                  .values_list("case_id", flat=True))
    created = []
    for entry in entries:
        if entry.case_id in already:
            continue
        new = RoundEntry.plain.create(round=target, case_id=entry.case_id, source=entry,
                                      case_version=entry.case_version)
        audit_record(actor=by, action="round.receive", target=new, org=target.org,
                     data={"case": entry.case_id, "version": entry.case_version, "round": target.pk,
                           "source": entry.pk})
        created.append(new)
    return created


# -- decisions on entries -------------------------------------------------------------------------

class NeedsConfirmation(ValidationError):
    """Passing cases whose checklist found problems the person has not confirmed (R-107).

    `findings` is {entry id: the failed checks}; the page lists them and asks again with a confirm flag.
    """

    def __init__(self, message: str, findings: dict[int, list[Outcome]]):
        super().__init__(message)
        self.findings = findings


def _check_decision(current: Round, decision: str, reason: str, comment: str) -> None:
    allowed = kind_of(current).decisions
    if decision not in allowed:
        raise ValidationError(_("%(round)s不能作出这个决定") % {"round": current})
    if current.state == Round.State.LOCKED:
        raise ValidationError(_("%(round)s的名单已锁定，不能再修改结果；如需修改，请先解锁") % {"round": current})
    if current.state == Round.State.SENT:
        raise ValidationError(_("%(round)s的名单已上报，结果不能再修改") % {"round": current})
    if current.state == Round.State.DRAFT:
        raise ValidationError(_("%(round)s尚未开始接收案例") % {"round": current})
    if decision == Decision.OUT and not reason.strip():
        raise ValidationError({"reason": _("请填写未通过的原因，推荐单位会看到这段说明")})
    if decision == Decision.RETURNED and not comment.strip():
        raise ValidationError({"comment": _("请填写修改意见，推荐单位将按意见修改后重新提交")})


def _pass_findings(current: Round, entries: list[RoundEntry], decision: str,
                   despite: Mapping[int, Collection[str]]) -> dict[int, list[Outcome]]:
    """{entry id: failed checks} of the entries being passed, read now (not from the page the person saw).

    A failed check not confirmed in `despite` for that entry stops the decision with NeedsConfirmation: the
    page then names what is missing and asks again."""
    if decision != Decision.PASSED:
        return {}
    by_case = failed_checks(current, [e.case for e in entries])
    found = {e.pk: by_case[e.case_id] for e in entries if e.case_id in by_case}
    # An entry with any finding not confirmed is asked about again with all its findings, so that the next
    # confirmation covers every one of them.
    unconfirmed = {pk: outcomes for pk, outcomes in found.items()
                   if {o.check.id for o in outcomes} - set(despite.get(pk, ()))}
    if unconfirmed:
        titles = {e.pk: str(e.case) for e in entries}
        if len(entries) == 1:
            pk, outcomes = next(iter(unconfirmed.items()))
            message = _("《%(title)s》的资格检查发现：%(found)s。请确认后再通过") % {
                "title": titles[pk], "found": "、".join(o.finding for o in outcomes)}
        else:
            message = _("所选案例中有%(n)d个资格检查发现问题，请确认后再通过") % {"n": len(unconfirmed)}
        raise NeedsConfirmation(message, unconfirmed)
    return found


def _apply(entry: RoundEntry, current: Round, by, decision: str, reason: str, comment: str, now,
           findings: list[Outcome] = (), confirmed: bool = False) -> None:
    if entry.decision == Decision.RETURNED:
        raise ValidationError(_("《%(title)s》已退回修改，请待推荐单位修改并重新提交后再处理") % {"title": entry.case})
    case = entry.case
    if decision == Decision.RETURNED and case.status != Case.Status.SUBMITTED:
        raise ValidationError(_("《%(title)s》当前为“%(status)s”，只能退回已提交的案例") % {
            "title": case, "status": case.get_status_display()})
    before = entry.decision
    entry.decision = decision
    entry.reason = reason.strip() if decision == Decision.OUT else ""
    entry.comment = comment.strip() if decision == Decision.RETURNED else ""
    entry.case_version = case.version
    entry.decided_by, entry.decided_at = by, now
    entry.save(update_fields=["decision", "reason", "comment", "case_version", "decided_by", "decided_at"])
    if decision == Decision.RETURNED:
        # The association edits and resubmits; round_receive makes the entry pending again.
        case.status = Case.Status.RETURNED
        case.save(update_fields=["status", "updated_at"])
    data = {"case": case.pk, "version": case.version, "from": before, "to": decision,
            "reason": entry.reason, "comment": entry.comment}
    if findings:
        # Passed although its checklist found these: what the person confirmed, in the words they saw.
        data["despite"] = [{"check": o.check.id, "rule": o.check.rule, "finding": o.finding} for o in findings]
        data["confirmed"] = confirmed
    audit_record(actor=by, action="round_entry.decide", target=entry, org=current.org, data=data)


def round_entry_decide(*, entry: RoundEntry, by, decision: str, reason: str = "", comment: str = "",
                       despite: Collection[str] = ()) -> RoundEntry:
    """Pass, screen out (with a reason the submitter sees) or return for revision (with comments), R-107.

    Passing a case whose checklist finds problems (say 「缺4项必备附件」) is allowed, but a person deciding on
    a page must confirm it: `despite` holds the ids of the failed checks they were shown and accepted
    (empty on the first press). A failed check not among them raises NeedsConfirmation, naming the findings.
    The audit row lists the findings the case was passed despite.
    """
    with transaction.atomic():
        current = round_row(entry.round_id)
        ensure(can_decide_round(by, current), NotFound)
        _check_decision(current, decision, reason or "", comment or "")
        fresh = RoundEntry.plain.select_related("case__enterprise__county", "case__county").get(pk=entry.pk)
        findings = _pass_findings(current, [fresh], decision, {fresh.pk: despite})
        _apply(fresh, current, by, decision, reason or "", comment or "", timezone.now(),
               findings=findings.get(fresh.pk, []), confirmed=bool(despite))
    entry.refresh_from_db()
    return entry


def round_entries_decide(*, round: Round, entry_ids: Iterable[int], by, decision: str, reason: str = "",
                         comment: str = "", despite: Mapping[int, Collection[str]] | None = None) -> int:
    """Pass, screen out with one reason, or return with one comment several entries at once: all or
    none, each audited. `despite` is {entry id: confirmed failed checks}, as for round_entry_decide."""
    despite = despite or {}
    ids = {int(x) for x in entry_ids}
    with transaction.atomic():
        current = round_row(round)
        ensure(can_decide_round(by, current), NotFound)
        if not ids:
            raise ValidationError(_("请先勾选要处理的案例"))
        _check_decision(current, decision, reason or "", comment or "")
        entries = list(RoundEntry.plain.filter(round=current, pk__in=ids)
                       .select_related("case__enterprise__county", "case__county").order_by("id"))
        if len(entries) != len(ids):
            raise ValidationError(_("所选案例中有不在本轮名单中的，请刷新页面后重试"))
        returned = [e for e in entries if e.decision == Decision.RETURNED]
        if returned:
            raise ValidationError(_("以下案例已退回修改，不能批量处理：%(titles)s") % {
                "titles": "、".join(f"《{e.case}》" for e in returned)})
        findings = _pass_findings(current, entries, decision, despite)
        now = timezone.now()
        for entry in entries:
            _apply(entry, current, by, decision, reason or "", comment or "", now,
                   findings=findings.get(entry.pk, []), confirmed=bool(despite.get(entry.pk)))
    return len(entries)


def round_deadline_set(*, round: Round, by, deadline: dt.date | None) -> Round:
    with transaction.atomic():
        current = round_row(round)
        ensure(can_set_round_deadline(by, current), NotFound)
        if current.state == Round.State.SENT:
            raise ValidationError(_("%(round)s的名单已上报，截止日期不能再修改") % {"round": current})
        before = current.deadline
        current.deadline = deadline
        current.save(update_fields=["deadline", "updated_at"])
        audit_record(actor=by, action="round.deadline", target=current, org=current.org,
                     data={"from": before, "to": deadline})
    round.refresh_from_db()
    return round


def round_receive(*, case: Case, by) -> RoundEntry:
    """A submitted case (or its revision) enters its county's screening round as pending (R-107), inside the
    transaction of the submission. The county's round is made and opened on first use; a county that has
    locked or sent its list takes no more cases."""
    with transaction.atomic():  # usually nested in the submission's own transaction
        programme = Programme.plain.get(campaign=case.campaign_id, org__kind=Org.Kind.PROVINCE,
                                        org__path=_province_path(case.county))
        screening = round_row(round_for(programme=programme, org=case.county, kind=Kind.COUNTY_SCREENING))
        round_open(current=screening, by=by, reason="first case received")
        if screening.state in (Round.State.LOCKED, Round.State.SENT):
            raise ValidationError(_("%(county)s已锁定并上报推荐名单，不再接收案例") % {"county": case.county.name})
        entry, created = RoundEntry.plain.get_or_create(round=screening, case=case,
                                                        defaults={"case_version": case.version})
        if not created:
            entry.decision = RoundEntry.Decision.PENDING
            entry.case_version = case.version
            entry.decided_by = None
            entry.decided_at = None
            entry.save(update_fields=["decision", "case_version", "decided_by", "decided_at"])
        audit_record(actor=by, action="round.receive", target=entry, org=screening.org,
                     data={"case": case.pk, "version": case.version, "round": screening.pk})
    return entry


def round_withdraw(*, case: Case, by) -> int | None:
    """Take a case out of its county's screening list while the county has not decided on it (the
    association withdrew it). Returns the round's id, or None if the case was in no county list.
    A later submission enters the list afresh through round_receive."""
    entry = (RoundEntry.plain.select_for_update().select_related("round")
             .filter(case=case, round__kind=Kind.COUNTY_SCREENING).first())
    if entry is None:
        return None
    if entry.decision != RoundEntry.Decision.PENDING or not entry.round.is_editable:
        raise ValidationError(_("区县科协已处理该案例，不能撤回；如需修改，请联系区县科协退回"))
    entry.delete()
    audit_record(actor=by, action="round.withdraw", target=entry.round, org=entry.round.org,
                 data={"case": case.pk, "version": case.version})
    return entry.round_id


def _intake_closed(screening: Round, county: Org) -> None:
    if screening.state in (Round.State.LOCKED, Round.State.SENT):
        raise ValidationError(_("%(county)s已锁定并上报推荐名单，不再接收案例") % {"county": county.name})


def round_intake_refusal(*, programme: Programme, county: Org) -> str | None:
    """Why the county's screening round takes no cases now, read without making anything (None: it does)."""
    existing = Round.plain.filter(programme=programme, org=county, kind=Kind.COUNTY_SCREENING).first()
    try:
        if existing is not None:
            _intake_closed(existing, county)
    except ValidationError as refusal:
        return refusal.messages[0]
    return None


def round_intake_open(*, programme: Programme, county: Org, by) -> Round:
    """The county's screening round for an Excel intake: made, row-locked and opened (inside the intake's
    transaction), refused when its list is locked or sent."""
    screening = round_row(round_for(programme=programme, org=county, kind=Kind.COUNTY_SCREENING))
    _intake_closed(screening, county)
    round_open(current=screening, by=by, reason="cases imported")
    return screening


def round_receive_imported(*, round_id: int, cases: list[tuple[int, str]], by, at, insert) -> list[int]:
    """The intake's cases (id, title), version 1, enter the round whose row the caller holds, in bulk: one
    `round.receive` audit row per case as round_receive writes, appended in one go. `insert(model, rows)`
    writes the rows (COPY on PostgreSQL) and returns their ids."""
    screening = Round.plain.select_related("org").get(pk=round_id)
    entry_ids = insert(RoundEntry, [dict(round_id=round_id, case_id=pk, case_version=1, received_at=at)
                                    for pk, _title in cases])
    label = str(screening)  # RoundEntry.__str__ is "<round> · <case>"
    audit_record_many(
        actor=by, action="round.receive", org=screening.org, insert=lambda rows: insert(AuditEntry, rows),
        items=[("rounds.RoundEntry", entry_id, f"{label} · {title}",
                {"case": case_id, "version": 1, "round": round_id, "import": True})
               for entry_id, (case_id, title) in zip(entry_ids, cases)])
    return entry_ids


def _province_path(org: Org) -> str:
    codes = org.ancestor_codes()
    return "/".join(codes[:2]) + "/"
