"""Selection pages: a round's composite ranking (review, live presentation and votes combined) and its list, put
together by hand or by the solver. Locking, 公示 and sending: views_lock."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.campaigns.selectors import rulebook_values
from apps.cases.models import Case
from apps.core.errors import NotFound
from apps.core.forms import message_service_error
from apps.orgs.models import Org
from apps.review.config import method_label
from apps.review.permissions import access_review_round
from apps.rounds.models import Round
from apps.selection import services
from apps.selection.composite import Part, composite_of
from apps.selection.permissions import access_selection_round, can_run_selection
from apps.selection.rules import Candidate
from apps.selection.selectors import candidates_for, per_province_min, rules_for
from apps.selection.validator import validate

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


@dataclass(frozen=True)
class CandidateLine:
    rank: int
    candidate: Candidate
    city: str
    on_list: bool


@login_required
@require_GET
def list_page(request, pk):
    """The round's list: its candidates by composite score, each put on or taken off with one click, and the
    rules the list breaks (R-ids, numbers) recomputed at every change."""
    round = access_selection_round(request.user, pk)
    candidates = sorted(candidates_for(round), key=lambda c: (-c.score, c.id))
    chosen = set(services.list_ids(round))
    rules = rules_for(round)
    violations = validate(rules, candidates, chosen)
    cities = dict(Org.tree.filter(pk__in={c.city for c in candidates if c.city}).values_list("pk", "name"))
    show = request.GET.get("show", "")
    ranked = [CandidateLine(n, c, cities.get(c.city, ""), c.id in chosen) for n, c in enumerate(candidates, 1)]
    if show == "list":
        ranked = [line for line in ranked if line.on_list]
    page = Paginator(ranked, PAGE).get_page(request.GET.get("page"))
    can_run = can_run_selection(request.user, round)
    values = rulebook_values(round.programme)
    return render(request, "selection/list.html", {
        "live": services.live_list(round) if round.state in (Round.State.LOCKED, Round.State.SENT) else None,
        "override": values["list_override"] and not any(v.kind == "eligibility" for v in violations),
        "publicity_days": values["publicity_days"], "can_lock": can_run and round.state in (
            Round.State.OPEN, Round.State.CLOSED) and bool(chosen),
        "round": round, "page": page, "lines": page.object_list, "violations": violations,
        "rules": rules, "count": len(chosen), "park": sum(1 for c in candidates if c.id in chosen
                                                                   and c.channel == "park"),
        "can_run": can_run and round.state in (Round.State.OPEN, Round.State.CLOSED),
        "show": show, "query": request.GET.urlencode(),
        "national": round.kind == Round.Kind.NATIONAL_STORY, "per_province_min": per_province_min(round),
    })


@login_required
@require_POST
def list_toggle(request, pk):
    round = access_selection_round(request.user, pk)
    case = request.POST.get("case", "")
    add = request.POST.get("action") == "add"
    back = f"{request.path.rsplit('toggle/', 1)[0]}?{request.POST.get('query', '')}"
    if not case.isdigit():
        messages.error(request, _("请选择案例"))
        return redirect(back)
    try:
        services.list_set(round=round, by=request.user, add=[int(case)] if add else [],
                          remove=[] if add else [int(case)], report=False)  # the page it returns shows them
    except ValidationError as exc:
        message_service_error(request, exc)
    return redirect(back)


@login_required
@require_POST
def list_propose(request, pk):
    """Replace the list with the best-scoring valid one (the solver's proposal), or say why none exists."""
    round = access_selection_round(request.user, pk)
    if not can_run_selection(request.user, round):
        raise NotFound()
    found = services.list_propose(round)
    if found.infeasible:
        for sentence in found.explanations:
            messages.error(request, sentence)
        return redirect("selection:list", pk=round.pk)
    try:
        services.list_adopt(round=round, by=request.user, case_ids=found.chosen)
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect("selection:list", pk=round.pk)
    proved = _("已证明为最优") if found.optimal else _("尚未证明为最优")
    messages.success(request, _("已采用建议名单：%(n)d件，综合得分合计%(total).2f，%(proved)s。可继续调整。") % {
        "n": found.count, "total": found.total, "proved": proved})
    for sentence in found.explanations:  # a target the rules do not allow: how many can be, and why
        messages.warning(request, sentence)
    return redirect("selection:list", pk=round.pk)


@login_required
@require_POST
def national_configure(request, pk):
    """The centre's optional minimum of stories per province (R-506), a rule of its national story round."""
    round = access_selection_round(request.user, pk)
    try:
        services.national_configure(round=round, by=request.user,
                                    per_province_min=request.POST.get("per_province_min", ""))
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("已保存：每省至少收录%(n)d件（0表示不设）。") % {
            "n": per_province_min(round)})
    return redirect("selection:list", pk=round.pk)
