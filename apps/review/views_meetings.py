"""Presentation meeting pages (R-108): the organiser's plan and control screen, printable QR links for the
judges, and the judge's page on a phone."""

from __future__ import annotations

import datetime as dt

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import NotFound
from apps.core.forms import message_service_error, service_action, show_service_error
from apps.core.scoping import scope
from apps.review import meetings, services
from apps.review.config import review_config
from apps.review.forms import SheetForm
from apps.review.models import Assignment, Expert, Meeting, MeetingItem, MeetingJudge, ScoreSheet
from apps.review.permissions import access_review_round, can_run_review, expert_of
from apps.review.templatetags.review_format import points
from apps.review.views import CSS


def _access_meeting(user, pk: int, *, act: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("round__org", "current__case").filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    access_review_round(user, meeting.round_id)
    if act and not can_run_review(user, meeting.round):
        raise NotFound()
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request, pk):
    round = access_review_round(request.user, pk)
    if request.method == "POST":
        if not can_run_review(request.user, round):
            raise NotFound()
        try:
            starts = parse_datetime(request.POST.get("starts_at", ""))
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30T09:00
            starts = None
        if starts is None:
            messages.error(request, _("请填写开始时间"))
            return redirect("review:meetings", pk=round.pk)
        if timezone.is_naive(starts):
            starts = timezone.make_aware(starts)
        return service_action(
            request, lambda: meetings.meeting_create(round=round, by=request.user, title=request.POST.get("title", ""),
                                                     starts_at=starts, place=request.POST.get("place", ""),
                                                     minutes_per_case=_int(request.POST.get("minutes_per_case"), 8)),
            success=None, then=lambda meeting: reverse("review:meeting", kwargs={"pk": meeting.pk}),
            then_error=reverse("review:meetings", kwargs={"pk": round.pk}))
    found = Meeting.objects.filter(round=round).order_by("-starts_at")
    return render(request, "review/meeting_list.html", {
        "round": round, "meetings": found, "can_run": can_run_review(request.user, round),
        "uses_live": review_config(round).uses_live, "css": CSS,
        "default_start": (timezone.localtime() + dt.timedelta(days=7)).replace(hour=9, minute=0)
        .strftime("%Y-%m-%dT%H:%M"),
    })


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = _access_meeting(request.user, pk)
    can_run = can_run_review(request.user, meeting.round)
    items = {i.case_id: i for i in MeetingItem.objects.filter(meeting=meeting)}
    cases = list(services.review_cases(meeting.round)) if can_run and meeting.state == Meeting.State.PLANNED else []
    judges = list(MeetingJudge.objects.filter(meeting=meeting).select_related("expert"))
    judging = {j.expert_id for j in judges}
    pool = [e for e in services.pool_experts(meeting.round.org) if e.pk not in judging] if can_run else []
    return render(request, "review/meeting_detail.html", {
        "meeting": meeting, "can_run": can_run, "results": meetings.meeting_results(meeting), "judges": judges,
        "cases": [(c, items.get(c.pk)) for c in cases], "pool": pool, "css": CSS,
        "remaining": _remaining(meeting),
    })


def _remaining(meeting: Meeting) -> int | None:
    """Seconds left of the current presentation (negative when over time)."""
    current = meeting.current
    if current is None or current.started_at is None:
        return None
    ends = current.started_at + dt.timedelta(minutes=meeting.minutes_per_case)
    return int((ends - timezone.now()).total_seconds())


@login_required
@require_GET
def meeting_status(request, pk):
    """The live part of the control screen (polled by htmx every few seconds)."""
    meeting = _access_meeting(request.user, pk)
    return render(request, "review/_meeting_status.html", {
        "meeting": meeting, "results": meetings.meeting_results(meeting), "remaining": _remaining(meeting)})


@login_required
@require_POST
def meeting_cases(request, pk):
    meeting = _access_meeting(request.user, pk, act=True)
    chosen = []
    for key, value in request.POST.items():
        if key.startswith("order_") and value.strip():
            chosen.append((_int(value, 999), _int(key[6:], 0)))
    return service_action(
        request, lambda: meetings.meeting_set_cases(meeting=meeting, by=request.user,
                                                    case_ids=[cid for _n, cid in sorted(chosen)]),
        success=_("已保存宣讲顺序"), then=reverse("review:meeting", kwargs={"pk": meeting.pk}))


@login_required
@require_POST
def meeting_judge_add(request, pk):
    meeting = _access_meeting(request.user, pk, act=True)
    expert = Expert.plain.filter(pk=_int(request.POST.get("expert"), 0)).first()
    if expert is None:
        raise NotFound()
    return service_action(
        request, lambda: meetings.meeting_add_judge(meeting=meeting, by=request.user, expert=expert),
        success=_("已添加评委%(name)s。会前请打印评委二维码。") % {"name": expert.name},
        then=reverse("review:meeting", kwargs={"pk": meeting.pk}))


@login_required
@require_POST
def meeting_qr(request, pk):
    """Printable QR codes, one per judge. Only hashes of the links are stored, so printing makes new links
    (earlier printouts stop working)."""
    meeting = _access_meeting(request.user, pk, act=True)
    cards = []
    try:
        for judge in MeetingJudge.objects.filter(meeting=meeting).select_related("expert"):
            token = meetings.meeting_judge_link(judge=judge, by=request.user)
            url = request.build_absolute_uri(reverse("review:judge_enter", args=[token]))
            svg = segno.make(url, error="m").svg_inline(scale=5, title=judge.expert.name)
            cards.append((judge, url, mark_safe(svg)))
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect("review:meeting", pk=meeting.pk)
    return render(request, "review/meeting_qr.html", {"meeting": meeting, "cards": cards, "css": CSS})


@login_required
@require_POST
def meeting_next(request, pk):
    meeting = _access_meeting(request.user, pk, act=True)
    return service_action(request, lambda: meetings.meeting_next(meeting=meeting, by=request.user),
                          success=lambda item: _("宣讲会已结束") if item is None else None,
                          then=reverse("review:meeting", kwargs={"pk": meeting.pk}))


GRANT_COOKIE = "innocase_judge"  # signed: meeting id → (judge id, the judge's token hash when the QR was opened)
GRANT_SALT = "innocase.review.judge"


def _grants(request) -> dict:
    try:
        return dict(signing.loads(request.COOKIES.get(GRANT_COOKIE, ""), salt=GRANT_SALT,
                                  max_age=meetings.LINK_HOURS * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        return {}


@require_GET
def judge_enter(request, token):
    """A judge's personal QR link: this browser may judge this meeting as that judge. It does not sign anyone
    in (a signed-in organiser who opens it stays signed in as themself), and it stops working when the link is
    printed again or the meeting ends. Opening it writes nothing: the grant is a signed cookie, and the
    judge's first score sheet is the record that the judge took part."""
    judge = meetings.judge_by_token(token)
    if judge is None:
        return render(request, "review/judge_invalid.html", {"css": CSS}, status=404)
    grants = _grants(request)
    grants[str(judge.meeting_id)] = [judge.pk, judge.token_hash]
    response = redirect("review:judge", pk=judge.meeting_id)
    response.set_cookie(GRANT_COOKIE, signing.dumps(grants, salt=GRANT_SALT), max_age=meetings.LINK_HOURS * 3600,
                        path="/review/", httponly=True, samesite="Lax",
                        secure=getattr(settings, "SESSION_COOKIE_SECURE", False))
    return response


def _judge_for(request, meeting_id: int) -> MeetingJudge | None:
    """The judge this browser judges as at the meeting: a valid QR grant, else the signed-in expert if they
    are one of its judges."""
    grant = _grants(request).get(str(meeting_id))
    if grant:
        judge = (MeetingJudge.plain.select_related("meeting__round__org", "expert__user")
                 .filter(pk=grant[0], meeting_id=meeting_id, token_hash=grant[1]).first())
        if judge is not None and meetings.judge_link_valid(judge):
            return judge
    expert = expert_of(request.user)
    if expert is None:
        return None
    judge = (MeetingJudge.plain.select_related("meeting__round__org", "expert__user")
             .filter(meeting_id=meeting_id, expert=expert).first())
    return judge if judge is not None and judge.meeting.state != Meeting.State.FINISHED else None


@require_http_methods(["GET", "POST"])
def judge(request, pk):
    """The judge's phone page: the case being presented now and the score form for it."""
    judge = _judge_for(request, pk)
    if judge is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        raise NotFound()
    with scope(expert_id=judge.expert_id):
        return _judge_page(request, judge)


def _judge_page(request, judge: MeetingJudge):
    meeting = Meeting.objects.select_related("round__org", "current__case__enterprise").get(pk=judge.meeting_id)
    config = review_config(meeting.round)
    item = meeting.current
    assignment = sheet = None
    if item is not None:
        assignment = Assignment.objects.filter(round=meeting.round, case=item.case, expert=judge.expert,
                                               method=Assignment.Method.LIVE).first()
        sheet = ScoreSheet.objects.filter(assignment=assignment).first() if assignment else None
    form = SheetForm(config.rubric, request.POST or None, notes=False, initial=SheetForm.initial_from(sheet))
    if request.method == "POST" and form.is_valid():
        try:
            saved = meetings.live_sheet_submit(judge=judge, item_id=_int(request.POST.get("item"), 0),
                                               scores=form.scores(), comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            if item is None or str(item.pk) != request.POST.get("item"):
                message_service_error(request, exc)
                return redirect("review:judge", pk=meeting.pk)
            show_service_error(form, exc)
        else:
            messages.success(request, _("已提交对《%(title)s》的评分：总分 %(total)s（满分 %(max)s）") % {
                "title": item.case.title, "total": points(saved.total), "max": points(config.rubric_total)})
            return redirect("review:judge", pk=meeting.pk)
    return render(request, "review/judge.html", {
        "meeting": meeting, "item": item, "assignment": assignment, "sheet": sheet, "form": form,
        "judge": judge, "config": config, "remaining": _remaining(meeting), "css": CSS,
    })
