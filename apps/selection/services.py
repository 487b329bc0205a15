"""Selection: check a list against the round's rules (one validator) and propose the best valid one (one
solver). The same functions serve the pages, the API and the commands."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure
from apps.orgs.models import User
from apps.rounds.models import Round, RoundEntry
from apps.selection.models import ListItem
from apps.selection.permissions import can_run_selection
from apps.selection.rules import Violation
from apps.selection.selectors import candidates_for, rules_for, target_for
from apps.selection.solver import Proposal, propose
from apps.selection.validator import validate

MAX_LIST = 100_000


def list_check(round: Round, case_ids: Iterable[int]) -> list[Violation]:
    """Every rule of the round the list breaks ([] when it is valid)."""
    return validate(rules_for(round), candidates_for(round), case_ids)


def list_ids(round: Round) -> list[int]:
    """The case ids on the round's list, in the order they were added."""
    return list(ListItem.plain.filter(round=round).order_by("added_at", "pk").values_list("case_id", flat=True))


def _editable(round: Round) -> None:
    if round.state not in (Round.State.OPEN, Round.State.CLOSED):
        raise ValidationError(_("%(round)s当前状态为“%(state)s”，名单不能修改") % {
            "round": round, "state": round.get_state_display()})


def list_set(*, round: Round, by: User, add: Iterable[int] = (), remove: Iterable[int] = ()) -> list[Violation]:
    """Put cases on the round's list or take them off (only its candidates), audited; returns the list's
    violations after the change."""
    ensure(can_run_selection(by, round), NotFound)
    add, remove = [int(c) for c in add], [int(c) for c in remove]
    with transaction.atomic():
        current = Round.plain.select_for_update().get(pk=round.pk)
        _editable(current)
        known = set(RoundEntry.plain.filter(round=current, case_id__in=add).values_list("case_id", flat=True))
        strangers = sorted(set(add) - known)
        if strangers:
            raise ValidationError(_("案例%(ids)s不在本轮候选名单中") % {"ids": "、".join(map(str, strangers))})
        on = set(list_ids(current))
        new = [c for c in dict.fromkeys(add) if c not in on]
        ListItem.plain.bulk_create([ListItem(round=current, case_id=c, added_by=by) for c in new])
        gone = ListItem.plain.filter(round=current, case_id__in=remove).delete()[0] if remove else 0
        if new or gone:
            audit_record(actor=by, action="selection.list_set", target=current, org=current.org,
                         data={"added": new, "removed": [c for c in remove if c in on]})
    return list_check(round, list_ids(round))


def list_propose(round: Round, *, include: Iterable[int] = (), exclude: Iterable[int] = ()) -> Proposal:
    """The best-scoring list the round's rules allow with the admin's pins (must include / must exclude), or why
    there is none; the province round aims at its target count (R-103) within its maximum."""
    return propose(rules_for(round), candidates_for(round), include=include, exclude=exclude,
                   target=target_for(round))


def list_adopt(*, round: Round, by: User, case_ids: Iterable[int]) -> list[Violation]:
    """Replace the round's list with `case_ids` (a proposal the admin accepts), audited."""
    ensure(can_run_selection(by, round), NotFound)
    wanted = list(dict.fromkeys(int(c) for c in case_ids))
    current = set(list_ids(round))
    return list_set(round=round, by=by, add=[c for c in wanted if c not in current],
                    remove=[c for c in current if c not in set(wanted)])
