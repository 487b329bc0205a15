"""Locking a round's list, its 公示 with the objections and answers, sending it up, and the recomputable result
(JSON and CSV with SHA-256). Thin views over apps.selection.services."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import NotFound
from apps.core.forms import message_form_errors, service_action
from apps.selection import results, services
from apps.selection.models import LockedList, Objection
from apps.selection.permissions import (
    access_locked_list,
    access_objection,
    access_selection_round,
    can_run_selection,
)
from apps.selection.selectors import notice_slug


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=L("处理结果"), choices=[
        (Objection.Outcome.DISMISSED, Objection.Outcome.DISMISSED.label),
        (Objection.Outcome.UPHELD, Objection.Outcome.UPHELD.label)])
    answer = forms.CharField(label=L("答复意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
@require_POST
def list_lock(request, pk):
    round = access_selection_round(request.user, pk)
    return service_action(
        request, lambda: services.list_lock(round=round, by=request.user, reason=request.POST.get("reason", "")),
        success=lambda locked: _("名单已锁定（%(n)d件），公示期%(start)s至%(end)s。") % {
            "n": len(locked.case_ids), "start": locked.starts_on.isoformat(), "end": locked.ends_on.isoformat()},
        then=reverse("selection:publicity", kwargs={"pk": round.pk}),
        then_error=reverse("selection:list", kwargs={"pk": round.pk}))


@login_required
@require_POST
def list_unlock(request, pk):
    round = access_selection_round(request.user, pk)
    return service_action(
        request, lambda: services.list_unlock(round=round, by=request.user, reason=request.POST.get("reason", "")),
        success=_("名单已解锁，公示已撤回；调整后请重新锁定并公示。"),
        then=reverse("selection:list", kwargs={"pk": round.pk}),
        then_error=reverse("selection:publicity", kwargs={"pk": round.pk}))


@login_required
@require_POST
def list_send(request, pk):
    round = access_selection_round(request.user, pk)
    return service_action(
        request, lambda: services.list_send(round=round, by=request.user),
        success=lambda locked: _("已%(action)s：%(n)d件案例。") % {"action": round.send_label,
                                                              "n": len(locked.case_ids)},
        then=reverse("selection:publicity", kwargs={"pk": round.pk}))


@login_required
@require_GET
def publicity(request, pk):
    """The round's locked list in 公示: dates, the public page's address, the objections and their answers, what
    still stands in the way of sending, and the earlier (withdrawn) locks."""
    round = access_selection_round(request.user, pk)
    locks = list(LockedList.plain.filter(round=round).select_related("locked_by", "withdrawn_by")
                 .order_by("-number"))
    live = next((x for x in locks if x.is_live), None)
    shown = live or (locks[0] if locks else None)
    objections = (list(Objection.plain.filter(locked_list=shown).select_related("case", "answered_by")
                       .order_by("created_at", "pk")) if shown else [])
    can_run = can_run_selection(request.user, round)
    return render(request, "selection/publicity.html", {
        "round": round, "locked": shown, "live": live, "history": [x for x in locks if x is not shown],
        "objections": objections, "can_run": can_run, "answer_form": AnswerForm(),
        "state": services.publicity_state(shown) if shown else "",
        "blockers": services.send_blockers(round, live) if live else [],
        "lines": shown.lines() if shown else [],
        # The round's one public address, whichever lock is in force (earlier locks' links lead there too).
        "public_url": request.build_absolute_uri(reverse("gs:list", args=[notice_slug(round)])) if shown else "",
        "csv_sha256": results.csv_digest(shown.result) if shown else "",
        "pending": sum(1 for o in objections if o.outcome == Objection.Outcome.PENDING),
    })


@login_required
@require_POST
def objection_answer(request, pk):
    objection = access_objection(request.user, pk)
    round = objection.locked_list.round
    if not can_run_selection(request.user, round):
        raise NotFound()
    form = AnswerForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect("selection:publicity", pk=round.pk)
    return service_action(
        request, lambda: services.objection_answer(objection=objection, by=request.user,
                                                   outcome=form.cleaned_data["outcome"],
                                                   answer=form.cleaned_data["answer"]),
        success=lambda _done: _("已答复%(name)s的异议：%(outcome)s") % {
            "name": objection.name, "outcome": objection.get_outcome_display()},
        then=f"{reverse('selection:publicity', args=[round.pk])}#objection-{objection.pk}")


def _download(locked: LockedList, body: bytes, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"round-{locked.round_id}-list-{locked.number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    return response


@login_required
@require_GET
def result_json(request, pk):
    """The locked list's result document: the bytes whose SHA-256 was stored when it was locked."""
    locked = access_locked_list(request.user, pk)
    return _download(locked, results.canonical(locked.result), "json", "application/json; charset=utf-8")


@login_required
@require_GET
def result_csv(request, pk):
    locked = access_locked_list(request.user, pk)
    return _download(locked, results.result_csv(locked.result).encode(), "csv", "text/csv; charset=utf-8")
