"""Selection pages. So far: a round's composite ranking (review, live presentation and votes combined)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.cases.models import Case
from apps.review.config import method_label
from apps.review.permissions import access_review_round
from apps.selection.composite import Part, composite_of

PAGE = 100


@dataclass(frozen=True)
class Line:
    rank: int
    case: Case
    total: str
    parts: list[tuple[str, str, str]]  # (label, score or "—", detail)


def _part(part: Part) -> tuple[str, str, str]:
    return (str(method_label(part.method)), "—" if part.score is None else f"{part.score:.2f}", part.detail)


@login_required
@require_GET
def composite_ranking(request, pk):
    round = access_review_round(request.user, pk)
    composite = composite_of(round)
    page = Paginator(composite.rows, PAGE).get_page(request.GET.get("page"))
    cases = (Case.plain.select_related("enterprise").only("title", "enterprise__name")
             .in_bulk([row.case_id for row in page]))
    lines = [Line(row.rank, cases[row.case_id], f"{row.total:.2f}", [_part(p) for p in row.parts]) for row in page]
    return render(request, "selection/composite.html", {
        "round": round, "composite": composite, "page": page, "lines": lines,
        "heads": [(m, method_label(m), composite.weights.get(m, 0)) for m in composite.methods],
    })
