"""Round pages: one list and one detail page for every level; levels differ by the round's data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import NotFound
from apps.core.forms import message_service_error, show_service_error
from apps.rounds import services
from apps.rounds.checklist import Outcome, checklists_for, checks_for
from apps.rounds.forms import BulkForm, DeadlineForm, DecisionForm, MoveForm
from apps.rounds.models import Round, RoundEntry
from apps.rounds.permissions import (
    access_entry,
    access_round,
    can_decide_round,
    can_send_round,
    can_set_round_deadline,
    can_transition_round,
)
from apps.rounds.selectors import Flag, entry_flags, round_counts, round_entries, rounds_of, similar_pair
from apps.rounds.similarity import THRESHOLD

PAGE_SIZE = 100
LIST_PAGE_SIZE = 50
CSS = "css/rounds.css"


@dataclass
class Row:
    entry: RoundEntry
    checks: list[Outcome] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.checks if o.result.ok is False]

    @property
    def unchecked(self) -> list[Outcome]:
        return [o for o in self.checks if o.result.ok is None]



def _case_url(case) -> str | None:
    """The case page of the case-form area, once it exists."""
    try:
        return reverse("cases:case_detail", args=[case.pk])
    except NoReverseMatch:
        return None


@login_required
def round_list(request):
    """The acting org's rounds and, for a city or province, those of the orgs below with their counts."""
    org = request.acting_org
    rows = rounds_of(org) if org is not None else Round.objects.none()
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rounds/round_list.html", {"page": page, "org": org, "query_prefix": "", "css": CSS})


@login_required
def round_detail(request, pk):
    round = access_round(request.user, pk)
    decision = request.GET.get("decision", "")
    if decision not in RoundEntry.Decision.values:
        decision = ""
    page = Paginator(round_entries(round, decision), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    checklists = checklists_for(round, [e.case for e in entries])
    flags = entry_flags(round, entries)
    rows = [Row(e, checklists.get(e.case_id, []), flags.get(e.pk, [])) for e in entries]
    can_move = can_transition_round(request.user, round)
    moves = [(to, Round.MOVE_LABEL.get((Round.State(round.state), to), to.label))
             for to in sorted(Round.TRANSITIONS[Round.State(round.state)]) if to != Round.State.SENT
             and not (round.has_list and (to == Round.State.LOCKED or round.state == Round.State.LOCKED))
             ] if can_move else []
    return render(request, "rounds/round_detail.html", {
        "round": round,
        "rows": rows,
        "page": page,
        "decision": decision,
        "decisions": RoundEntry.Decision.choices,
        "query_prefix": f"decision={decision}&" if decision else "",
        "counts": round_counts(round),
        "checks": checks_for(round),
        "moves": moves,
        "can_decide": can_decide_round(request.user, round) and round.takes_decisions,
        "can_send": not round.has_list and can_send_round(request.user, round) and round.state in (
            Round.State.OPEN, Round.State.CLOSED, Round.State.LOCKED),
        "can_set_deadline": can_set_round_deadline(request.user, round) and round.state != Round.State.SENT,
        "bulk_form": BulkForm(),
        "deadline_form": DeadlineForm(initial={"deadline": round.deadline}),
        "css": CSS,
    })


@login_required
@require_POST
def round_move(request, pk):
    round = access_round(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要进行的操作"))
    else:
        try:
            services.round_transition(round=round, to=form.cleaned_data["to"], by=request.user)
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("%(round)s现为“%(state)s”") % {"round": round, "state": round.get_state_display()})
    return redirect("rounds:round_detail", pk=round.pk)


@login_required
@require_POST
def round_report(request, pk):
    """「上报市级」 (and the same step at every level): lock the list and send the passed cases up."""
    round = access_round(request.user, pk)
    try:
        services.round_report(round=round, by=request.user)
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        sent = RoundEntry.plain.filter(round=round, decision=RoundEntry.Decision.PASSED).count()
        messages.success(request, _("已%(action)s：%(n)d个通过的案例已送达%(parent)s") % {
            "action": round.send_label, "n": sent, "parent": round.org.parent.name})
    return redirect("rounds:round_detail", pk=round.pk)


@login_required
@require_POST
def round_deadline(request, pk):
    round = access_round(request.user, pk)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的日期，格式如 2026-09-10"))
    else:
        try:
            services.round_deadline_set(round=round, by=request.user, deadline=form.cleaned_data["deadline"])
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("截止日期已更新"))
    return redirect("rounds:round_detail", pk=round.pk)


@login_required
@require_POST
def round_bulk(request, pk):
    """Pass, or screen out with one reason, the entries ticked on the list."""
    round = access_round(request.user, pk)
    form = BulkForm(request.POST)
    back = reverse("rounds:round_detail", args=[round.pk])
    filter_value = request.POST.get("filter", "")
    if filter_value in RoundEntry.Decision.values:
        back += f"?decision={filter_value}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        n = services.round_entries_decide(round=round, entry_ids=data["entries"], by=request.user,
                                          decision=data["decision"], reason=data["reason"])
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("已处理%(n)d个案例") % {"n": n})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, pk):
    """One received case: its checklist, flags and the decision (pass / not pass / return)."""
    entry = access_entry(request.user, pk)
    round = entry.round
    can_decide = can_decide_round(request.user, round)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.round_entry_decide(entry=entry, by=request.user, decision=data["decision"],
                                            reason=data["reason"], comment=data["comment"])
            except ValidationError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("《%(title)s》：%(decision)s") % {
                    "title": entry.case, "decision": entry.get_decision_display()})
                return redirect("rounds:round_detail", pk=round.pk)
    checks = checklists_for(round, [entry.case]).get(entry.case_id, [])
    flags = entry_flags(round, [entry]).get(entry.pk, [])
    return render(request, "rounds/entry_detail.html", {
        "entry": entry,
        "round": round,
        "case": entry.case,
        "row": Row(entry, checks, flags),
        "form": form,
        "posted": form.data.get("decision", "") if form.is_bound else "",
        "can_decide": can_decide and round.takes_decisions and entry.decision != RoundEntry.Decision.RETURNED,
        "case_url": _case_url(entry.case),
        "sections": [(label, getattr(entry.case, name)) for name, label in entry.case.SECTIONS],
        "css": CSS,
    })


@login_required
def similar_pair_view(request, pk, a, b):
    """A near-duplicate pair side by side, shared passages marked. Another org's case shows only its
    title and county to those whose scope does not hold it."""
    round = access_round(request.user, pk)
    found = similar_pair(round, a, b)
    if found is None:
        raise NotFound()
    sides, score = found
    return render(request, "rounds/similar_pair.html", {
        "round": round, "sides": sides, "percent": int(score * 100 + 0.5),
        "threshold": int(THRESHOLD * 100), "css": CSS,
    })
