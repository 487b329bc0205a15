"""Reads of publicity records that more than one module needs."""

from __future__ import annotations

from apps.campaigns.models import Programme
from apps.cases.models import Case
from apps.rounds.kinds import Kind
from apps.rounds.models import Round
from apps.selection.models import LockedList


def province_list_cases(programme: Programme) -> list[Case]:
    """The cases of the province's live locked list (R-109): the cases topic videos and stories tell."""
    found = Round.plain.filter(programme=programme, org=programme.org, kind=Kind.PROVINCE_SELECTION).first()
    locked = LockedList.plain.filter(round=found, withdrawn_at__isnull=True).first() if found else None
    if locked is None:
        return []
    cases = {c.pk: c for c in Case.plain.filter(pk__in=locked.case_ids).select_related("enterprise")}
    return [cases[i] for i in locked.case_ids if i in cases]
