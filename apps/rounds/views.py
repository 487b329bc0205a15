"""Round pages: one list and one detail page for every level; levels differ by the round's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import NotFound
from apps.core.forms import form_action, service_action, show_service_error
from apps.orgs.models import Org
from apps.rounds import services
from apps.rounds.checklist import Outcome, checklists_for, checks_for
from apps.rounds.forms import BulkForm, DeadlineForm, DecisionForm, MoveForm, RoundFilterForm
from apps.rounds.kinds import TOP_DOWN, runner_for
from apps.rounds.models import Round, RoundEntry
from apps.rounds.permissions import (
    access_entry,
    access_round,
    can_decide_round,
    can_send_round,
    can_set_round_deadline,
    can_transition_round,
)
from apps.rounds.selectors import (
    Flag,
    Level,
    entry_flags,
    round_counts,
    round_entries,
    round_levels,
    round_lock_record,
    rounds_of,
    similar_pair,
)
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

    @property
    def passed_count(self) -> int:
        return sum(1 for o in self.checks if o.result.ok)



def _case_url(case) -> str | None:
    """The case page of the case-form area, once it exists."""
    try:
        return reverse("cases:case_detail", args=[case.pk])
    except NoReverseMatch:
        return None


@login_required
def round_list(request):
    """The acting org's rounds and, for a city or province, those of the orgs below with their counts,
    grouped by level (the kind of round) and filtered by level and place name."""
    org = request.acting_org
    form = RoundFilterForm(request.GET)
    form.is_valid()  # a filter that does not parse (an unknown level, say) is left out; the others still apply
    place, kind = form.cleaned_data.get("q", "").strip(), form.cleaned_data.get("kind", "")
    if org is None:
        rows, levels = Round.objects.none(), []
    else:
        rows, levels = rounds_of(org, place=place, kind=kind), round_levels(org, place=place)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", place), ("kind", kind)) if v})
    form.fields["kind"].choices = _level_choices(levels, kind)
    return render(request, "rounds/round_list.html", {
        "page": page,
        "org": org,
        "form": form,
        "place": place,
        "kind": kind,
        "groups": _groups(page, [lv for lv in levels if not kind or lv.kind == kind]),
        "filters": org is not None and org.kind in (Org.Kind.CENTER, Org.Kind.PROVINCE, Org.Kind.CITY),
        "query_prefix": f"{query}&" if query else "",
        "css": CSS,
    })


@dataclass
class Group:
    """The rows of one level (a campaign year's rounds of one kind) on the page."""

    level: Level
    rows: list[Round]
    continued: bool  # the level began on an earlier page


def _groups(page, levels: list[Level]) -> list[Group]:
    """The page's rows under their levels. The page holds a slice of rounds_of's order, so a level's first
    row sits at the sum of the counts of the levels before it; a level that began before the page's first
    row is marked continued."""
    starts, offset = {}, 0
    for lv in levels:
        starts[(lv.year, lv.kind)] = offset
        offset += lv.count
    first = page.start_index() - 1
    groups: list[Group] = []
    for r in page.object_list:
        key = (r.programme.campaign.year, r.kind)
        if not groups or (groups[-1].level.year, groups[-1].level.kind) != key:
            level = next((lv for lv in levels if (lv.year, lv.kind) == key), Level(*key, 0))
            groups.append(Group(level, [], continued=starts.get(key, first) < first))
        groups[-1].rows.append(r)
    return groups


def _level_choices(levels: list[Level], chosen: str) -> list[tuple[str, str]]:
    """The level filter's options, top-down, each with its number of rounds (over every campaign year) for the
    place searched: the levels that have rounds, and the chosen one even when it has none."""
    counts: dict[str, int] = {}
    for lv in levels:
        counts[lv.kind] = counts.get(lv.kind, 0) + lv.count
    return [("", _("全部级别（%(n)d）") % {"n": sum(counts.values())})] + [
        (k, _("%(level)s（%(n)d）") % {"level": Round.Kind(k).label, "n": counts.get(k, 0)})
        for k in TOP_DOWN if counts.get(k) or k == chosen]


def _round_page(request, round: Round, *, bulk_form: BulkForm | None = None,
                deadline_form: DeadlineForm | None = None, decision: str = "", page_number=None):
    """The round's page: its list with checklists and flags, and the forms that work on it. The bulk and
    deadline posts render it again with their bound form when the input needs fixing."""
    page = Paginator(round_entries(round, decision), PAGE_SIZE).get_page(page_number)
    entries = list(page.object_list)
    checklists = checklists_for(round, [e.case for e in entries])
    flags = entry_flags(round, entries)
    rows = [Row(e, checklists.get(e.case_id, []), flags.get(e.pk, [])) for e in entries]
    can_move = can_transition_round(request.user, round)
    moves = [(to, Round.MOVE_LABEL.get((Round.State(round.state), to), to.label))
             for to in sorted(Round.TRANSITIONS[Round.State(round.state)]) if to != Round.State.SENT
             and not (round.has_list and (to == Round.State.LOCKED or round.state == Round.State.LOCKED))
             ] if can_move else []
    bulk_form = bulk_form or BulkForm()
    deadline_form = deadline_form or DeadlineForm(initial={"deadline": round.deadline})
    # A bulk post sent back for fixing keeps its ticks.
    picked = set(getattr(bulk_form, "cleaned_data", {}).get("entries") or [])
    return render(request, "rounds/round_detail.html", {
        "round": round,
        "rows": rows,
        "page": page,
        "decision": decision,
        "decisions": RoundEntry.Decision.choices,
        "query_prefix": f"decision={decision}&" if decision else "",
        "counts": round_counts(round),
        "lock": round_lock_record(round) if round.state == Round.State.LOCKED else None,
        "checks": checks_for(round),
        "moves": moves,
        "can_decide": can_decide_round(request.user, round) and round.takes_decisions,
        "can_send": not round.has_list and can_send_round(request.user, round) and round.state in (
            Round.State.OPEN, Round.State.CLOSED, Round.State.LOCKED),
        "can_set_deadline": can_set_round_deadline(request.user, round) and round.state != Round.State.SENT,
        "bulk_form": bulk_form,
        "picked": picked,
        "deadline_form": deadline_form,
        "error_form": next((f for f in (bulk_form, deadline_form) if f.is_bound and f.errors), None),
        "css": CSS,
    })


def _decision_filter(value: str) -> str:
    return value if value in RoundEntry.Decision.values else ""


@login_required
def round_detail(request, pk):
    round = access_round(request.user, pk)
    return _round_page(request, round, decision=_decision_filter(request.GET.get("decision", "")),
                       page_number=request.GET.get("page"))


@login_required
@require_POST
def round_move(request, pk):
    round = access_round(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要进行的操作"))
        return redirect("rounds:round_detail", pk=round.pk)
    return service_action(
        request, lambda: services.round_transition(round=round, to=form.cleaned_data["to"], by=request.user),
        success=lambda _done: _("%(round)s现为“%(state)s”") % {"round": round, "state": round.get_state_display()},
        then=reverse("rounds:round_detail", kwargs={"pk": round.pk}))


@login_required
@require_POST
def round_report(request, pk):
    """「上报市级」 (and the same step at every level): lock the list and send the passed cases up."""
    round = access_round(request.user, pk)

    def sent(_done) -> str:
        n = RoundEntry.plain.filter(round=round, decision=RoundEntry.Decision.PASSED).count()
        # Where they went: the city above, or a municipality's district itself (its own selection round).
        receiver = runner_for(round.org, round.spec.feeds) if round.spec.feeds else None
        return _("已%(action)s：%(n)d个通过的案例已送达%(parent)s") % {
            "action": round.send_label, "n": n, "parent": (receiver or round.org.parent).name}

    return service_action(request, lambda: services.round_report(round=round, by=request.user), success=sent,
                          then=reverse("rounds:round_detail", kwargs={"pk": round.pk}))


@login_required
@require_POST
def round_deadline(request, pk):
    round = access_round(request.user, pk)
    form = DeadlineForm(request.POST)
    done = form_action(request, form, lambda: services.round_deadline_set(round=round, by=request.user,
                                                                          deadline=form.cleaned_data["deadline"]),
                       success=_("截止日期已更新"), then=reverse("rounds:round_detail", kwargs={"pk": round.pk}))
    if done is not None:
        return done
    return _round_page(request, round, deadline_form=form)


@login_required
@require_POST
def round_bulk(request, pk):
    """Pass, screen out with one reason or return with one comment the entries ticked on the list.
    Passing cases whose checks found problems answers with a confirmation naming them first."""
    round = access_round(request.user, pk)
    form = BulkForm(request.POST)
    decision = _decision_filter(request.POST.get("filter", ""))
    page_number = request.POST.get("page")
    back = reverse("rounds:round_detail", args=[round.pk])
    if decision:
        back += f"?decision={decision}"
    if form.is_valid():
        data = form.cleaned_data
        try:
            n = services.round_entries_decide(round=round, entry_ids=data["entries"], by=request.user,
                                              decision=data["decision"], reason=data["reason"],
                                              comment=data["comment"], despite=form.confirmed_checks())
        except services.NeedsConfirmation as exc:
            return _bulk_confirm(request, round, form, exc.findings, decision, page_number)
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已处理%(n)d件案例") % {"n": n})
            return redirect(back)
    return _round_page(request, round, bulk_form=form, decision=decision, page_number=page_number)


def _bulk_confirm(request, round: Round, form: BulkForm, findings, decision: str, page_number):
    entries = {e.pk: e for e in RoundEntry.plain.filter(round=round, pk__in=form.cleaned_data["entries"])
               .select_related("case__enterprise").order_by("id")}
    flagged = [(entries[pk], outcomes) for pk, outcomes in sorted(findings.items()) if pk in entries]
    return render(request, "rounds/bulk_confirm.html", {
        "round": round,
        "flagged": flagged,
        "entries": list(entries.values()),
        "clean": len(entries) - len(flagged),
        "despite": [f"{entry.pk}:{o.check.id}" for entry, outcomes in flagged for o in outcomes],
        "decision": decision,
        "page_number": page_number or "",
        "back": reverse("rounds:round_detail", args=[round.pk]) + (f"?decision={decision}" if decision else ""),
        "css": CSS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, pk):
    """One received case: its checklist, flags and the decision (pass / not pass / return). Passing a case
    whose checks found problems shows what they found and asks again (「仍然通过」)."""
    entry = access_entry(request.user, pk)
    round = entry.round
    can_decide = can_decide_round(request.user, round)
    form = DecisionForm(request.POST or None)
    confirm: list[Outcome] = []
    if request.method == "POST":
        if not can_decide:
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.round_entry_decide(entry=entry, by=request.user, decision=data["decision"],
                                            reason=data["reason"], comment=data["comment"],
                                            despite=form.confirmed_checks())
            except services.NeedsConfirmation as exc:
                confirm = exc.findings.get(entry.pk, [])
            except ValidationError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("《%(title)s》：%(decision)s") % {
                    "title": entry.case, "decision": entry.get_decision_display()})
                return redirect("rounds:round_detail", pk=round.pk)
    checks = checklists_for(round, [entry.case]).get(entry.case_id, [])
    flags = entry_flags(round, [entry]).get(entry.pk, [])
    posted = form.data.get("decision", "") if form.is_bound else ""
    decided = entry.decision in (RoundEntry.Decision.PASSED, RoundEntry.Decision.OUT)
    return render(request, "rounds/entry_detail.html", {
        "entry": entry,
        "round": round,
        "case": entry.case,
        "row": Row(entry, checks, flags),
        "form": form,
        "posted": posted,
        # A decided case opened again: the page says its current result and its box keeps the current text.
        "current": entry.decision if decided else "",
        "reason_text": _text(form, posted, entry, RoundEntry.Decision.OUT, "reason"),
        "comment_text": _text(form, posted, entry, RoundEntry.Decision.RETURNED, "comment"),
        "confirm": confirm,
        "can_decide": can_decide and round.takes_decisions and entry.decision != RoundEntry.Decision.RETURNED,
        "case_url": _case_url(entry.case),
        "sections": [(label, getattr(entry.case, name)) for name, label in entry.case.SECTIONS],
        "css": CSS,
    })


def _text(form, posted: str, entry: RoundEntry, decision: str, name: str) -> str:
    """What a decision's box holds: what was just typed for it, else the entry's own text when that is its
    current decision (a reason stays with 「未通过」, comments with 「退回修改」)."""
    if posted == decision:
        return form.data.get(name, "")
    return getattr(entry, name) if entry.decision == decision else ""


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
