"""State changes of cases (R-106): create, save a draft, invite the enterprise's contact, submit, withdraw.

Each function checks permission, validates, writes inside one transaction and audits there.
Attachments have their own services (attachment_services.py); the enterprise registry is apps/enterprises.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases import permissions as perms
from apps.cases.levels import levels
from apps.cases.models import Case, CaseInvite, CaseVersion
from apps.cases.selectors import (
    TEXT_FIELDS,
    case_snapshot,
    draft_limit_problems,
    draft_values,
    invite_token_hash,
    submission_problems_by_field,
    territory_problems,
)
from apps.core.errors import NotFound, ensure
from apps.enterprises.models import Enterprise
from apps.orgs.models import Org


class DraftConflict(ValidationError):
    """The draft changed since the page was loaded: refuse rather than overwrite someone's work."""


@dataclass(frozen=True)
class InvitedContact:
    """The audit actor for saves through an invitation link: a person without an account."""

    invite: CaseInvite
    pk = None

    @property
    def username(self) -> str:
        return f"invited-contact:{self.invite.pk}"


def version_token(case: Case) -> str:
    """What an edit page remembers of the draft it loaded; a save from a stale page is refused."""
    return case.updated_at.isoformat() if case.updated_at else ""


# -- create and edit --------------------------------------------------------------------------

def case_create(*, recommender: Org, enterprise: Enterprise, by) -> Case:
    """A park or enterprise association starts a case for an enterprise of its own county (R-106 属地)."""
    ensure(perms.can_create_case(by, recommender), NotFound)
    problems = territory_problems(enterprise, recommender)
    if problems:
        raise ValidationError(problems)
    channel = Case.Channel.PARK if recommender.kind == Org.Kind.PARK else Case.Channel.ENTERPRISE
    with transaction.atomic():
        case = Case.plain.create(campaign_id=enterprise.campaign_id, enterprise=enterprise, recommender=recommender,
                                 channel=channel, county_id=enterprise.county_id, created_by=by)
        audit_record(actor=by, action="case.create", target=case, org=recommender,
                     data={"enterprise": enterprise.pk, "channel": channel})
    return case


def case_save_draft(*, case: Case, data: dict, expected_version: str | None, by=None,
                    invite: CaseInvite | None = None) -> Case:
    """Save what is typed so far, as typed: a draft may be incomplete and over the limits (title ≤ 30 …),
    which are checked when it is submitted, so that nothing a person typed is lost by an autosave refused
    for one long field. Only text beyond what a draft holds (selectors.DRAFT_HOLDS) is refused, by field.

    `by` is the signed-in association member, or `invite` the invitation link the enterprise's contact
    used. `expected_version` is version_token() of the draft the page loaded; when the draft has changed
    since, nothing is saved (DraftConflict). Saving unchanged text writes nothing.
    """
    if invite is not None:
        ensure(invite.case_id == case.pk and invite.is_active(), NotFound)
        actor = InvitedContact(invite)
    else:
        # The owner of a submitted case gets a message below, everyone else the 404.
        ensure(perms.is_case_owner(by, case), NotFound)
        actor = by
    values = draft_values(data)
    problems = draft_limit_problems({**{n: getattr(case, n) for n in TEXT_FIELDS}, **values})
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if invite is not None:  # revoked or expired since it was read: the link is dead now
            fresh = CaseInvite.plain.select_for_update().get(pk=invite.pk)
            ensure(fresh.is_active(), NotFound)
        current = Case.plain.select_for_update().get(pk=case.pk)
        if current.status not in perms.EDITABLE:
            raise ValidationError(_("该案例已提交，不能修改；如需修改，请先撤回"))
        if expected_version is not None and version_token(current) != expected_version:
            raise DraftConflict(_("该草稿已被他人修改，请刷新后再编辑"))
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="case.save", target=current, org=current.recommender,
                     data={"fields": changed, "via": "invite" if invite is not None else "page",
                           **({"invite": invite.pk} if invite is not None else {})})
        if invite is not None:
            CaseInvite.plain.filter(pk=invite.pk).update(last_used_at=timezone.now())
    return current


# -- submit and withdraw ----------------------------------------------------------------------

def case_submit(*, case: Case, by) -> Case:
    """Check everything and list every problem at once, by field (selectors.submission_problems_by_field);
    then freeze the next version and send the case to its county's screening round (R-106, R-107). Only the
    association submits, never an invited contact."""
    ensure(perms.can_submit_case(by, case), NotFound)
    with transaction.atomic():
        current = Case.plain.select_for_update().select_related("enterprise", "recommender", "county").get(pk=case.pk)
        problems = submission_problems_by_field(current)
        if problems:
            raise ValidationError(problems)
        _record_submission(current, by)
    return current


def _record_submission(case: Case, by, at: dt.datetime | None = None) -> None:
    """The writes of a submission, inside the caller's transaction (the matrix world also builds with it)."""
    at = at or timezone.now()
    resubmission = case.version > 0
    case.version += 1
    CaseVersion.plain.create(case=case, number=case.version, data=case_snapshot(case), submitted_by=by,
                             submitted_at=at)
    case.status = Case.Status.SUBMITTED
    case.submitted_at = at
    case.save(update_fields=["version", "status", "submitted_at", "updated_at"])
    audit_record(actor=by, action="case.submit", target=case, org=case.recommender,
                 data={"version": case.version, "resubmission": resubmission})
    levels().receive(case=case, by=by)


def case_withdraw(*, case: Case, by) -> Case:
    """Take a submitted case back while its county has not decided on it yet; it becomes editable again and
    leaves the county's list (a later submission is the next version)."""
    ensure(perms.can_withdraw_case(by, case), NotFound)
    with transaction.atomic():
        current = Case.plain.select_for_update().get(pk=case.pk)
        if current.status != Case.Status.SUBMITTED:
            raise ValidationError(_("只有已提交的案例可以撤回"))
        round_id = levels().withdraw(case=current, by=by)
        current.status = Case.Status.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="case.withdraw", target=current, org=current.recommender,
                     data={"version": current.version, "round": round_id})
    return current


# -- invitations ------------------------------------------------------------------------------

def case_invite_create(*, case: Case, by, contact_name: str = "",
                       days: int = CaseInvite.DEFAULT_DAYS) -> tuple[CaseInvite, str]:
    """A link for the enterprise's contact to fill this draft without an account. Returns the invite and the
    token; the token is shown once and never stored."""
    ensure(perms.can_invite_contact(by, case), NotFound)
    if not 1 <= days <= 30:
        raise ValidationError(_("邀请链接有效期应为1至30天"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invite = CaseInvite.plain.create(case=case, token_hash=invite_token_hash(token),
                                         contact_name=(contact_name or "").strip()[:50],
                                         expires_at=timezone.now() + dt.timedelta(days=days), created_by=by)
        audit_record(actor=by, action="case_invite.create", target=case, org=case.recommender,
                     data={"invite": invite.pk, "contact_name": invite.contact_name,
                           "expires_at": invite.expires_at})
    return invite, token


def case_invite_revoke(*, invite: CaseInvite, by) -> CaseInvite:
    ensure(perms.can_manage_invites(by, invite.case), NotFound)
    with transaction.atomic():
        current = CaseInvite.plain.select_for_update().get(pk=invite.pk)
        if current.revoked_at is not None:
            raise ValidationError(_("该邀请链接已撤销"))
        current.revoked_at, current.revoked_by = timezone.now(), by
        current.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=by, action="case_invite.revoke", target=invite.case, org=invite.case.recommender,
                     data={"invite": current.pk})
    return current
