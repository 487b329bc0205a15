"""The rounds' side of apps.cases.levels: what happens to a case once submitted, and what each level decided
about it, for the pages of the cases app (which sits below rounds and does not import it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from apps.cases.levels import IntakeRound
from apps.orgs.models import Org
from apps.rounds import services
from apps.rounds.kinds import Kind, kinds_run_by
from apps.rounds.models import RoundEntry


def decision_level(viewer: Org) -> tuple[int, str] | None:
    """(org id, round kind) of the round whose decision the viewer's case list shows: its county's screening
    for an association (the outcome it is told about, R-107), else the first kind of round its org runs."""
    if viewer.is_association:
        return (viewer.parent_id, Kind.COUNTY_SCREENING.value) if viewer.parent_id else None
    kind = next(iter(kinds_run_by(viewer)), None)
    return (viewer.pk, kind) if kind else None


class RoundLevels:
    def decision_choices(self):
        return RoundEntry.Decision.choices

    def decision_of(self, viewer):
        level = decision_level(viewer)
        if level is None:
            return None
        org_id, kind = level
        entries = RoundEntry.plain.filter(case=OuterRef("pk"), round__org_id=org_id, round__kind=kind)
        return Subquery(entries.values("decision")[:1])

    def entries_of(self, case):
        return (RoundEntry.objects.filter(case=case).select_related("round", "round__org")
                .order_by("round__org__depth", "id"))

    def returned_comments(self, case_ids: Iterable[int]) -> dict[int, str]:
        comments: dict[int, str] = {}
        for case_id, comment in (RoundEntry.objects.filter(case_id__in=list(case_ids),
                                                           decision=RoundEntry.Decision.RETURNED)
                                 .exclude(comment="").order_by("decided_at", "id").values_list("case_id", "comment")):
            comments[case_id] = comment  # the latest return speaks for the case
        return comments

    def receive(self, *, case, by) -> None:
        services.round_receive(case=case, by=by)

    def withdraw(self, *, case, by):
        return services.round_withdraw(case=case, by=by)

    def intake_refusal(self, *, programme, county):
        return services.round_intake_refusal(programme=programme, county=county)

    def intake_open(self, *, programme, county, by) -> IntakeRound:
        screening = services.round_intake_open(programme=programme, county=county, by=by)
        return IntakeRound(pk=screening.pk)

    def receive_imported(self, *, round, cases, by, at, insert) -> None:
        services.round_receive_imported(round_id=round.pk, cases=list(cases), by=by, at=at, insert=insert)
