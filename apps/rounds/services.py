"""State changes of rounds. Every level's round goes through these same functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.cases.models import Case
from apps.orgs.models import Org
from apps.rounds.models import Round, RoundEntry


def round_for(*, programme: Programme, org: Org, kind: str, deadline=None) -> Round:
    """The org's round of this kind in the programme, made (in draft) the first time it is needed."""
    if Round.RUN_BY[Round.Kind(kind)] != org.kind:
        raise ValidationError(_("%(org)s不能组织%(kind)s") % {"org": org.name, "kind": Round.Kind(kind).label})
    try:
        with transaction.atomic():
            found, created = Round.plain.get_or_create(programme=programme, org=org, kind=kind,
                                                      defaults={"deadline": deadline})
            if created:
                audit_record(actor=None, action="round.create", target=found, org=org,
                             data={"kind": kind, "programme": programme.pk})
    except IntegrityError:  # made by a concurrent request a moment ago
        found = Round.plain.get(programme=programme, org=org, kind=kind)
    return found


def round_transition(*, round: Round, to: str, by, reason: str = "") -> Round:
    """Move a round along draft → open → closed → locked → sent, refusing any other move."""
    with transaction.atomic():
        current = Round.plain.select_for_update().get(pk=round.pk)
        target = Round.State(to)
        if target not in Round.TRANSITIONS[Round.State(current.state)]:
            raise ValidationError(
                _("%(round)s当前为“%(state)s”，不能改为“%(to)s”")
                % {"round": current, "state": current.get_state_display(), "to": target.label})
        now = timezone.now()
        fields = ["state", "updated_at"]
        if target == Round.State.LOCKED:
            current.locked_at, current.locked_by = now, by
            fields += ["locked_at", "locked_by"]
        if target == Round.State.SENT:
            current.sent_at, current.sent_by = now, by
            fields += ["sent_at", "sent_by"]
        before = current.state
        current.state = target
        current.save(update_fields=fields)
        audit_record(actor=by, action="round.transition", target=current, org=current.org,
                     data={"from": before, "to": target.value, "reason": reason})
    round.refresh_from_db()
    return round


def county_round_receive(*, case: Case, by) -> RoundEntry:
    """A submitted case (or its revision) enters its county's screening round as pending (R-107).

    Called inside the transaction of the submission. The county's round is opened on first use.
    """
    programme = Programme.plain.get(campaign=case.campaign_id, org__kind=Org.Kind.PROVINCE,
                                    org__path=_province_path(case.county))
    screening = round_for(programme=programme, org=case.county, kind=Round.Kind.COUNTY_SCREENING)
    screening = Round.plain.select_for_update().get(pk=screening.pk)
    if screening.state == Round.State.DRAFT:
        screening.state = Round.State.OPEN
        screening.save(update_fields=["state", "updated_at"])
        audit_record(actor=by, action="round.transition", target=screening, org=screening.org,
                     data={"from": "draft", "to": "open", "reason": "first case received"})
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


def _province_path(org: Org) -> str:
    codes = org.ancestor_codes()
    return "/".join(codes[:2]) + "/"
