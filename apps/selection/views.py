"""Selection pages: a round's composite ranking (review, live presentation and votes combined) and its list, put
together by hand or by the solver (whose proposal replaces the list only once the person has seen what changes),
with the cases people pinned on or off it. Locking, 公示 and sending: views_lock."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_GET, require_POST

from apps.cases.models import Case
from apps.core.errors import NotFound
from apps.core.forms import message_service_error, service_action, show_service_error
from apps.orgs.models import Org
from apps.review.config import method_label
from apps.review.permissions import access_review_round
from apps.rounds.kinds import per_province_min
from apps.rounds.models import Round
from apps.rounds.rules import Candidate
from apps.selection import services, standing
from apps.selection.composite import Part, composite_of
from apps.selection.context import round_context
from apps.selection.models import ListPin, Objection
from apps.selection.permissions import access_selection_round, can_run_selection
from apps.selection.selectors import holds_for
from apps.selection.validator import summary as validator_summary
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
    pin: ListPin | None = None  # a person's pin (include / exclude)
    upheld: Objection | None = None  # an upheld objection against the case
    breaks: tuple[str, ...] = ()  # the rules the case breaks by being on the list
    note: str = ""  # why it is off the list (a person's reason or a rule), or who pinned it on and why
    form: forms.Form | None = None  # its pin form

    @property
    def kept_off(self) -> bool:
        """Off the list by a person's decision: excluded, or its objection upheld and not pinned back."""
        if self.pin is not None:
            return self.pin.kind == ListPin.Kind.EXCLUDE
        return self.upheld is not None

    @property
    def pinned_in(self) -> bool:
        return self.pin is not None and self.pin.kind == ListPin.Kind.INCLUDE


class PinForm(forms.Form):
    """Pin one candidate on or off the list; the reason is required to pin back a case whose objection was upheld
    (apps.selection.services.list_pin checks it, in the same words)."""

    case = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ListPin.Kind.choices)
    reason = forms.CharField(label=L("理由（选填，将记入审计日志）"), required=False, max_length=services.TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: int, upheld: bool = False, **kwargs):
        super().__init__(*args, auto_id=f"pin-%s-{case}", initial={"case": case}, **kwargs)
        if upheld:
            self.fields["reason"].label = L("复核理由")
            self.fields["reason"].help_text = L("该案例的异议已认定成立，指定入选须写明理由，理由将记入审计日志")
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = services.pin_reason_missing()


def _held_reason(pin: ListPin | None, upheld: Objection | None) -> str | None:
    """Why a person keeps the case off the list, in a sentence (None when no one does)."""
    if pin is not None and pin.kind == ListPin.Kind.EXCLUDE:
        who = pin.pinned_by.display_name if pin.pinned_by else _("系统")
        if pin.reason:
            return _("已由%(who)s排除：%(reason)s") % {"who": who, "reason": pin.reason}
        return _("已由%(who)s排除") % {"who": who}
    if upheld is not None and pin is None:
        return _("异议已认定成立（R-106）：%(answer)s") % {"answer": upheld.answer}
    return None


def _pin_note(pin: ListPin) -> str:
    who = pin.pinned_by.display_name if pin.pinned_by else _("系统")
    if pin.reason:
        return _("已由%(who)s指定入选：%(reason)s") % {"who": who, "reason": pin.reason}
    return _("已由%(who)s指定入选") % {"who": who}


def _list_context(request, round: Round, params, bound: PinForm | None = None) -> dict:
    """The list page's context: candidates by composite score with where each stands, the rules the list breaks,
    what people pinned, and the lock. `bound` is a pin form that failed, shown on its row."""
    context = round_context(round)
    candidates = sorted(context.candidates, key=lambda c: (-c.score, c.id))
    chosen = set(services.list_ids(round))
    rules = context.rules
    violations = validate(rules, candidates, chosen)
    holds = holds_for(round)
    cities = dict(Org.plain.filter(pk__in={c.city for c in candidates if c.city}).values_list("pk", "name"))
    show = params.get("show", "")
    ranked = [(n, c) for n, c in enumerate(candidates, 1) if show != "list" or c.id in chosen]
    page = Paginator(ranked, PAGE).get_page(params.get("page"))
    shown = [c.id for _n, c in page.object_list]
    pins = {**holds.include, **holds.exclude}
    held = {}
    for case in shown:
        reason = _held_reason(pins.get(case), holds.upheld.get(case))
        if reason:
            held[case] = reason
    blame = standing.to_blame(violations)
    titles = {c.id: c.label for c in candidates}
    upheld_listed = sorted(chosen & holds.upheld_out, key=lambda c: titles.get(c, ""))
    for case in upheld_listed:
        blame.setdefault(case, []).append(held.get(case) or _("异议已认定成立（R-106）"))
    # Locking refuses these (services.list_lock): say so where the rules are, not only on their rows.
    upheld_sentences = [_("“%(title)s”的异议已认定成立（R-106）：请移出名单，或写明理由后指定入选") % {
        "title": titles.get(c, c)} for c in upheld_listed]
    reasons = standing.left_off(rules, candidates, chosen, held, asked=shown)
    can_run = can_run_selection(request.user, round) and round.state in (Round.State.OPEN, Round.State.CLOSED)
    lines = []
    for n, c in page.object_list:
        upheld = holds.upheld.get(c.id)
        form = None
        if can_run:
            form = bound if bound is not None and bound["case"].value() in (c.id, str(c.id)) else PinForm(
                case=c.id, upheld=upheld is not None)
        pin = pins.get(c.id)
        if c.id in chosen:  # a person's reason to keep it off is among the rules it breaks
            note = _pin_note(pin) if pin is not None and pin.kind == ListPin.Kind.INCLUDE else ""
        else:
            note = reasons.get(c.id) or held.get(c.id, "")
        lines.append(CandidateLine(n, c, cities.get(c.city, ""), c.id in chosen, pin=pin, upheld=upheld,
                                   breaks=tuple(blame.get(c.id, ())), note=note, form=form))
    values = context.values
    query = params.urlencode()
    return {
        "live": services.live_list(round) if round.state in (Round.State.LOCKED, Round.State.SENT) else None,
        "override": values["list_override"] and not any(v.kind == "eligibility" for v in violations),
        "publicity_days": values["publicity_days"], "can_lock": can_run and bool(chosen),
        "upheld_listed": upheld_sentences,
        "round": round, "page": page, "lines": lines, "violations": violations,
        "rules": rules, "count": len(chosen), "park": sum(1 for c in candidates if c.id in chosen
                                                                   and c.channel == "park"),
        "can_run": can_run, "show": show, "query": query,
        "query_prefix": "show=list&" if show == "list" else "",
        "kept_off": len(holds.kept_off), "pinned": len(holds.include),
        "pin_form": bound, "htmx": request.headers.get("HX-Request") == "true",
        "national": round.kind == Round.Kind.NATIONAL_STORY, "per_province_min": per_province_min(round),
    }


@login_required
@require_GET
def list_page(request, pk):
    """The round's list: its candidates by composite score, each put on or taken off with one click, pinned on or
    off for every proposal, and the rules the list breaks (R-ids, numbers) recomputed at every change."""
    round = access_selection_round(request.user, pk)
    return render(request, "selection/list.html", _list_context(request, round, request.GET))


def _back_url(request, round: Round) -> str:
    """The list page the form was sent from (its filter and page)."""
    return f"{reverse('selection:list', args=[round.pk])}?{request.POST.get('query', '')}"


def _back(request, round: Round):
    return redirect(_back_url(request, round))


@login_required
@require_POST
def list_toggle(request, pk):
    round = access_selection_round(request.user, pk)
    case = request.POST.get("case", "")
    add = request.POST.get("action") == "add"
    if not case.isdigit():
        messages.error(request, _("请选择案例"))
        return _back(request, round)
    return service_action(
        request, lambda: services.list_set(round=round, by=request.user, add=[int(case)] if add else [],
                                           remove=[] if add else [int(case)],
                                           report=False),  # the page it returns shows them
        success=None, then=_back_url(request, round))


@login_required
@require_POST
def list_pin(request, pk):
    """Pin a case on or off the list for every proposal. A reason missing where one is required comes back on
    the case's row, with the summary at the top of the page."""
    round = access_selection_round(request.user, pk)
    if not can_run_selection(request.user, round):
        raise NotFound()
    case = request.POST.get("case", "")
    if not case.isdigit():
        messages.error(request, _("请选择案例"))
        return _back(request, round)
    upheld = int(case) in holds_for(round).upheld and request.POST.get("kind") == ListPin.Kind.INCLUDE
    form = PinForm(request.POST, case=int(case), upheld=upheld)
    if not form.is_valid() and "reason" not in form.errors:  # a form the page did not send: nothing to show
        messages.error(request, _("请选择指定入选或排除"))
        return _back(request, round)
    if form.is_valid():
        try:
            pin = services.list_pin(round=round, by=request.user, case_id=case, kind=form.cleaned_data["kind"],
                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") or "reason" not in exc.error_dict:
                message_service_error(request, exc)
                return _back(request, round)
            show_service_error(form, exc)
        else:
            messages.success(request, _("已%(kind)s“%(title)s”，求最优名单时将遵循。") % {
                "kind": pin.get_kind_display(), "title": pin.case.title})
            return _back(request, round)
    params = QueryDict(request.POST.get("query", ""))
    return render(request, "selection/list.html", _list_context(request, round, params, bound=form), status=400)


@login_required
@require_POST
def list_unpin(request, pk):
    round = access_selection_round(request.user, pk)
    return service_action(
        request, lambda: services.list_unpin(round=round, by=request.user, case_id=request.POST.get("case", "")),
        success=_("已取消指定，该案例不再约束求最优名单。"), then=_back_url(request, round))


@dataclass(frozen=True)
class ChangeLine:
    rank: int
    candidate: Candidate
    city: str
    note: str = ""


@login_required
@require_GET
def list_propose(request, pk):
    """The best-scoring valid list under the rules and what people pinned, and what replacing the current list
    with it changes (which cases come in, which go out), for the person to confirm; or why there is none."""
    round = access_selection_round(request.user, pk)
    if not can_run_selection(request.user, round):
        raise NotFound()
    context = round_context(round)
    found = services.list_propose(round, context=context)
    if found.infeasible or (not found.chosen and not found.optimal):  # none exists, or none found in time
        for sentence in found.explanations or [found.status]:
            messages.error(request, sentence)
        return redirect("selection:list", pk=round.pk)
    candidates = sorted(context.candidates, key=lambda c: (-c.score, c.id))
    rank = {c.id: n for n, c in enumerate(candidates, 1)}
    by_id = {c.id: c for c in candidates}
    current = services.list_ids(round)
    chosen = set(found.chosen)
    holds = holds_for(round)
    cities = dict(Org.plain.filter(pk__in={c.city for c in candidates if c.city}).values_list("pk", "name"))

    def line(case, note=""):
        return ChangeLine(rank.get(case, 0), by_id[case], cities.get(by_id[case].city, ""), note)

    pins = {**holds.include, **holds.exclude}
    incoming = sorted((line(c) for c in chosen - set(current) if c in by_id), key=lambda x: x.rank)
    outgoing = sorted((line(c, _held_reason(pins.get(c), holds.upheld.get(c)) or "") for c in current
                       if c not in chosen and c in by_id), key=lambda x: x.rank)
    kept_off = sorted((line(c, _held_reason(pins.get(c), holds.upheld.get(c)) or "") for c in holds.kept_off
                       if c in by_id), key=lambda x: x.rank)
    pinned_in = sorted((line(c, holds.include[c].reason) for c in holds.include if c in by_id), key=lambda x: x.rank)
    proposed = sorted((line(c, _("新列入") if c not in set(current) else "") for c in chosen if c in by_id),
                      key=lambda x: x.rank)
    return render(request, "selection/proposal.html", {
        "round": round, "found": found, "incoming": incoming, "outgoing": outgoing,
        "kept": len(chosen & set(current)), "current": current, "kept_off": kept_off, "pinned_in": pinned_in,
        "proposed": proposed,
        "violations_after": validate(context.rules, candidates, chosen),
    })


@login_required
@require_POST
def list_adopt(request, pk):
    """Replace the list with the proposal the person confirmed, unless the list changed meanwhile."""
    round = access_selection_round(request.user, pk)
    try:
        wanted = [int(c) for c in request.POST.getlist("case")]
        expected = [int(c) for c in request.POST.getlist("before")]
    except ValueError:
        messages.error(request, _("建议名单有误，请重新求最优名单"))
        return redirect("selection:list", pk=round.pk)
    try:
        done = services.list_adopt(round=round, by=request.user, case_ids=wanted, expected=expected)
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect("selection:list", pk=round.pk)
    messages.success(request, _("已采用建议名单：%(n)d件（新列入%(added)d件，移出%(removed)d件）。可继续调整。") % {
        "n": len(set(wanted)), "added": len(done.added), "removed": len(done.removed)})
    if done.violations:
        messages.warning(request, validator_summary(done.violations))
    return redirect("selection:list", pk=round.pk)


@login_required
@require_POST
def national_configure(request, pk):
    """The centre's optional minimum of stories per province (R-506), a rule of its national story round."""
    round = access_selection_round(request.user, pk)
    return service_action(
        request, lambda: services.national_configure(round=round, by=request.user,
                                                     per_province_min=request.POST.get("per_province_min", "")),
        success=lambda _done: _("已保存：每省至少收录%(n)d件（0表示不设）。") % {"n": per_province_min(round)},
        then=reverse("selection:list", kwargs={"pk": round.pk}))
