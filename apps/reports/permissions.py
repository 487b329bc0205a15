"""Who may see the units below an office and remind them, and who reads and writes a project's monthly reports.
Plain predicates."""

from __future__ import annotations

from apps.campaigns.models import Programme
from apps.core.errors import visible_or_404
from apps.orgs.acting import memberships_of
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of, works_at
from apps.reports.models import AcceptanceEvaluation, FinalReport, MonthlyReport


def can_remind_unit(user, unit: Org) -> bool:
    """The people (admins and staff) of the office directly above a unit remind it."""
    return unit.parent_id is not None and any(m.org_id == unit.parent_id for m in memberships_of(user))


def access_unit(user, code: str) -> Org:
    """A unit the person may remind, else the same 404 as for no such org."""
    unit = Org.objects.select_related("parent").filter(code=code).first()
    return visible_or_404(unit, lambda unit: is_member_of(user, unit) and can_remind_unit(user, unit))


def can_read_report(user, report) -> bool:
    """A project's own people and the centre read its monthly and final reports; nobody else (a city below,
    another province) does."""
    return is_member_of(user, report.programme.org)


def can_write_report(user, report) -> bool:
    return works_at(user, report.programme.org)


def access_report(user, pk):
    from_db = (MonthlyReport.objects.select_related("programme__org", "programme__campaign", "submitted_by")
               .filter(pk=pk).first())
    return visible_or_404(from_db, lambda r: can_read_report(user, r))


def access_final(user, pk):
    found = FinalReport.objects.select_related("programme__org", "programme__campaign").filter(pk=pk).first()
    return visible_or_404(found, lambda r: can_read_report(user, r))


def access_programme(user, pk):
    """A project whose dashboard, reports and acceptance the person reads: its own people and the centre."""
    from_db = Programme.objects.select_related("org", "campaign").filter(pk=pk).first()
    return visible_or_404(from_db, lambda p: is_member_of(user, p.org))


def access_evaluation(user, pk):
    found = AcceptanceEvaluation.objects.select_related("programme__org").filter(pk=pk).first()
    return visible_or_404(found, lambda e: is_member_of(user, e.programme.org))


def sees_national(user, org) -> bool:
    """The centre's own people see the national dashboard."""
    return org is not None and org.kind == Org.Kind.CENTER and works_at(user, org)
