"""Review pages: an org's expert pool, a round's review (settings, assignment, progress, ranking), and the
expert's own pages (assignments, scoring on a phone, profile). Views parse input and call one service."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.services import audit_record
from apps.cases.attachment_views import INLINE_TYPES, serve_stored_file
from apps.cases.models import Case, CaseAttachment
from apps.core.errors import NotFound
from apps.core.files import shown_name
from apps.core.forms import (
    form_action,
    message_form_errors,
    message_service_error,
    service_action,
    show_service_error,
)
from apps.core.scoping import scope
from apps.core.sms import mask_phone
from apps.orgs.excel import XLSX_CONTENT_TYPE
from apps.orgs.models import Org
from apps.review import documents, services
from apps.review.config import method_label, review_config
from apps.review.forms import (
    AcceptForm,
    AddAssignmentForm,
    AddExpertForm,
    DeclineForm,
    InviteForm,
    MemberForm,
    ProfileForm,
    ResolveForm,
    SettingsForm,
    SheetForm,
)
from apps.review.models import (
    Assignment,
    Disagreement,
    Expert,
    ExpertInvite,
    Meeting,
    MeetingJudge,
    RankingSnapshot,
    ScoreSheet,
)
from apps.review.permissions import (
    access_own_assignment,
    access_pool_member,
    access_pool_org,
    access_review_round,
    access_round_assignment,
    can_keep_pool,
    can_run_review,
    can_score,
    expert_of,
)
from apps.review.selectors import assignments_by_case, expert_progress, pool_of
from apps.review.templatetags.review_format import points
from apps.rounds.models import Round

CSS = "css/review.css"
PAGE_SIZE = 50
RANKING_PAGE = 250


def _profile_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in ("name", "title", "employer", "employer_credit_code", "field",
                                                  "industries", "region_code")}


# -- the pool -------------------------------------------------------------------------------------

@login_required
@require_GET
def pool(request, code):
    org = access_pool_org(request.user, Org.objects.filter(code=code).first() or _missing())
    page = Paginator(pool_of(org), PAGE_SIZE).get_page(request.GET.get("page"))
    invites = ExpertInvite.objects.filter(org=org, accepted_at__isnull=True, revoked_at__isnull=True,
                                          expires_at__gt=timezone.now())[:50]
    return render(request, "review/pool.html", {
        "org": org, "page": page, "invites": invites, "can_keep": can_keep_pool(request.user, org),
        "invite_form": InviteForm(), "add_form": AddExpertForm(), "css": CSS,
        "new_link": request.session.pop("expert_invite_link", None),
    })


def _missing():
    raise NotFound()


@login_required
@require_POST
def pool_invite(request, code):
    org = access_pool_org(request.user, Org.objects.filter(code=code).first() or _missing())
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invite, token = services.expert_invite_create(org=org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            request.session["expert_invite_link"] = request.build_absolute_uri(
                reverse("review:join", args=[token]))
            messages.success(request, _("已生成给%(name)s的邀请链接，请复制后发送（14天内有效）") % {"name": invite.name})
    else:
        messages.error(request, _("请填写姓名和手机号码"))
    return redirect("review:pool", code=org.code)


@login_required
@require_POST
def pool_add(request, code):
    org = access_pool_org(request.user, Org.objects.filter(code=code).first() or _missing())
    form = AddExpertForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect("review:pool", code=org.code)
    return service_action(
        request, lambda: services.pool_expert_add(org=org, by=request.user, phone=form.cleaned_data["phone"],
                                                  profile=_profile_data(form)),
        success=lambda member: _("已将%(name)s加入专家库") % {"name": member.expert.name},
        then=reverse("review:pool", kwargs={"code": org.code}))


@login_required
@require_POST
def pool_member(request, pk):
    member = access_pool_member(request.user, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return redirect("review:pool", code=member.org.code)
    return service_action(
        request, lambda: services.pool_member_set(member=member, by=request.user,
                                                  is_active=form.cleaned_data["is_active"],
                                                  max_load=form.cleaned_data["max_load"],
                                                  note=form.cleaned_data["note"]),
        success=_("已保存%(name)s的设置") % {"name": member.expert.name},
        then=reverse("review:pool", kwargs={"code": member.org.code}))


@login_required
@require_POST
def pool_invite_revoke(request, pk):
    invite = ExpertInvite.objects.select_related("org").filter(pk=pk).first()
    if invite is None or not can_keep_pool(request.user, invite.org):
        raise NotFound()
    return service_action(
        request, lambda: services.expert_invite_revoke(invite=invite, by=request.user),
        success=_("已撤销给%(name)s的邀请") % {"name": invite.name},
        then=reverse("review:pool", kwargs={"code": invite.org.code}))


@require_http_methods(["GET", "POST"])
def join(request, token):
    """The invitation link: the invited person sets a password (or confirms their existing account) and
    fills their profile. No log-in needed to open it; the token is the key, and an account without a
    password is activated only with the SMS code sent to the invited number."""
    invite = services.expert_invite_find(token)
    if invite is None:
        return render(request, "review/join.html", {"invalid": True, "css": CSS}, status=404)
    needs_code = services.invite_needs_phone_code(invite)
    form = AcceptForm(request.POST or None, initial={"name": invite.name}, needs_code=needs_code)
    if request.method == "POST" and request.POST.get("action") == "send_code":
        typed = {name: request.POST.get(name, "") for name in form.fields if name not in ("password", "industries")}
        form = AcceptForm(initial={**typed, "industries": request.POST.getlist("industries")}, needs_code=needs_code)
        try:
            services.expert_invite_code_send(token=token)
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("短信验证码已发送至%(phone)s，10分钟内有效") % {"phone": mask_phone(invite.phone)})
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password, code = data.pop("password"), data.pop("code", "")
        try:
            expert = services.expert_invite_accept(token=token, password=password, code=code,
                                                   profile=_profile_data(form), request=request)
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            login(request, expert.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("欢迎加入%(org)s专家库。以后请用手机号码和密码登录。") % {"org": invite.org.name})
            return redirect("review:my")
    return render(request, "review/join.html", {"invite": invite, "form": form, "existing": not needs_code,
                                                "phone": mask_phone(invite.phone), "css": CSS})


# -- a round's review -----------------------------------------------------------------------------

@login_required
@require_GET
def round_review(request, pk):
    round = access_review_round(request.user, pk)
    config = review_config(round)
    cases = services.review_cases(round)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = assignments_by_case(round, list(page.object_list))
    progress = expert_progress(round)
    pool_experts = list(services.pool_experts(round.org)) if can_run_review(request.user, round) else []
    k = config.experts_per_case
    return render(request, "review/round_review.html", {
        "round": round, "config": config, "page": page, "rows": rows, "progress": progress, "k": k,
        "short": sum(1 for r in rows if len(r.active) < k),
        "can_run": can_run_review(request.user, round), "pool_experts": pool_experts,
        "methods": [(method_label(m), config.weights.get(m, 0)) for m in config.methods],
        "last": request.session.pop("review_assign", None),
        "css": CSS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_settings(request, pk):
    round = access_review_round(request.user, pk)
    if not can_run_review(request.user, round):
        raise NotFound()
    config = review_config(round)
    initial = {"methods": list(config.methods), "experts_per_case": config.experts_per_case,
               "min_load": config.min_load, "max_load": config.max_load, "normalise": config.normalise,
               "trim": config.trim, "disagreement": config.disagreement,
               "same_county_conflict": config.same_county_conflict,
               **{f"weight_{m}": w for m, w in config.weights.items()}}
    form = SettingsForm(request.POST or None, initial=initial)
    done = form_action(request, form, lambda: services.review_configure(round=round, by=request.user,
                                                                        data=form.as_config()),
                       success=_("评审设置已保存"), then=reverse("review:round", kwargs={"pk": round.pk}))
    if done is not None:
        return done
    return render(request, "review/round_settings.html", {"round": round, "form": form, "config": config,
                                                          "css": CSS})


@login_required
@require_POST
def round_assign(request, pk):
    round = access_review_round(request.user, pk)
    try:
        outcome = services.review_assign(round=round, by=request.user)
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        result = outcome.result
        request.session["review_assign"] = {"status": result.status, "created": outcome.created,
                                            "mismatches": getattr(result, "mismatches", 0),
                                            "reasons": list(result.reasons), "seconds": float(f"{result.seconds:.2f}"),
                                            "solver": getattr(result, "solver", "")}
    return redirect("review:round", pk=round.pk)


@login_required
@require_POST
def round_assignment_add(request, pk):
    round = access_review_round(request.user, pk)
    form = AddAssignmentForm(request.POST)
    back = reverse("review:round", args=[round.pk]) + f"?page={request.POST.get('page', 1)}"
    if not form.is_valid():
        return redirect(back)
    case = services.review_cases(round).filter(pk=form.cleaned_data["case"]).first()
    expert = Expert.plain.filter(pk=form.cleaned_data["expert"], pools__org=round.org, pools__is_active=True).first()
    if case is None or expert is None:
        raise NotFound()
    return service_action(
        request, lambda: services.assignment_add(round=round, case=case, expert=expert, by=request.user),
        success=_("已指定%(name)s评审《%(title)s》") % {"name": expert.name, "title": case.title}, then=back)


@login_required
@require_POST
def assignment_remove(request, pk):
    assignment = access_round_assignment(request.user, pk)
    return service_action(
        request, lambda: services.assignment_remove(assignment=assignment, by=request.user),
        success=_("已撤回%(name)s对《%(title)s》的评审") % {"name": assignment.expert.name,
                                                      "title": assignment.case.title},
        then=reverse("review:round", kwargs={"pk": assignment.round_id}))


@login_required
@require_POST
def round_remind(request, pk):
    round = access_review_round(request.user, pk)
    return service_action(request, lambda: services.review_remind(round=round, by=request.user),
                          success=lambda count: _("已提醒%(n)d位尚未完成评分的专家") % {"n": count},
                          then=reverse("review:round", kwargs={"pk": round.pk}))


def _fixed(value: float | None, places: int) -> str:
    """A number as the template's floatformat writes it (half up on the shortest decimal form), but without
    a template filter call per cell: the ranking page prints about 2,000 numbers."""
    if value is None:
        return ""
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass
class RankingLine:
    row: object  # aggregation.RankRow
    case: Case
    score: str
    spread: str
    breakdown: str  # the experts' totals as escaped <li> items
    resolution: Disagreement | None
    experts_label: str = ""


@login_required
@require_GET
def round_ranking(request, pk):
    """The ranking with each case's breakdown, 250 rows a page. Twelve queries however many cases: the
    ranking is computed once per change of the submitted sheets (services.ranking_page), and each cell is
    formatted here, not through a template include or filter per cell."""
    round = access_review_round(request.user, pk)
    config = review_config(round)
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1
    ranking = services.ranking_page(round, number, RANKING_PAGE)
    page = Paginator(_Counted(ranking.count), RANKING_PAGE).get_page(number)
    shown = ranking.rows
    ids = [r.case_id for r in shown]
    cases = (Case.plain.select_related("enterprise", "county").only("title", "enterprise__name", "county__name")
             .in_bulk(ids))
    names = dict(Expert.plain.filter(pk__in={s.expert_id for r in shown for s in r.experts}).values_list("pk", "name"))
    resolutions = {d.case_id: d for d in
                   Disagreement.objects.filter(round=round, case_id__in=ids).order_by("resolved_at")}
    dropped = _("已去掉")
    labels = {}  # "5位专家", one ngettext call per distinct count
    lines = [RankingLine(r, cases[r.case_id], _fixed(r.score, 2), _fixed(r.spread, 1),
                         _breakdown(r, names, dropped), resolutions.get(r.case_id),
                         labels.setdefault(r.n, ngettext("%(n)d位专家", "%(n)d位专家", r.n) % {"n": r.n}))
             for r in shown]
    return render(request, "review/ranking.html", {
        "round": round, "config": config, "page": page, "lines": lines, "count": ranking.count,
        "unscored": services.unscored_count(round), "can_run": can_run_review(request.user, round),
        "resolve_choices": Disagreement.Resolution.choices,
        "snapshot": RankingSnapshot.objects.filter(round=round).order_by("-created_at", "-id").first(), "css": CSS,
    })


class _Counted:
    """A sequence of known length for the paginator (the page's rows come from the cache, not from it)."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        return []


def _breakdown(row, names: dict, dropped: str) -> str:
    """Each expert's total (and normalised total), as list items; one string per row instead of a dozen
    template variables (the page prints 250 rows)."""
    items = []
    for s in row.experts:
        text = f"{escape(names.get(s.expert_id, ''))} {_fixed(s.raw, 1)}"
        if s.normalised is not None:
            text += f" → {_fixed(s.normalised, 1)}"
        items.append(f"<li>{text}</li>" if s.used else f'<li class="dropped" title="{escape(dropped)}">{text}</li>')
    return mark_safe("".join(items))


@login_required
@require_POST
def round_resolve(request, pk):
    round = access_review_round(request.user, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理方式并填写说明"))
        return redirect("review:ranking", pk=round.pk)
    case = services.review_cases(round).filter(pk=form.cleaned_data["case"]).first() or _missing()
    return service_action(
        request, lambda: services.disagreement_resolve(round=round, case=case, by=request.user,
                                                       resolution=form.cleaned_data["resolution"],
                                                       note=form.cleaned_data["note"]),
        success=_("已记录对《%(title)s》的处理") % {"title": case.title},
        then=reverse("review:ranking", kwargs={"pk": round.pk}))


@login_required
@require_POST
def round_snapshot(request, pk):
    round = access_review_round(request.user, pk)
    return service_action(
        request, lambda: services.ranking_snapshot(round=round, by=request.user),
        success=lambda snapshot: _("已保存排名快照，校验值 %(digest)s") % {"digest": snapshot.sha256[:16]},
        then=reverse("review:ranking", kwargs={"pk": round.pk}))


# -- the expert's own pages -------------------------------------------------------------------------

def expert_view(view):
    """Signed in with an expert profile; the view runs in the expert's scope: the review models show only
    this expert's assignments and sheets."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        expert = expert_of(request.user)
        if expert is None:
            raise NotFound()
        with scope(expert_id=expert.pk):
            return view(request, expert, *args, **kwargs)

    return wrapped


@expert_view
@require_GET
def my(request, expert):
    assignments = (Assignment.objects.filter(method=Assignment.Method.REVIEW).exclude(state=Assignment.State.DECLINED)
                   .select_related("round__org", "case", "sheet").order_by("round_id", "state", "case_id"))
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    total = assignments.count()
    done = assignments.filter(state=Assignment.State.SUBMITTED).count()
    reminded = assignments.filter(state=Assignment.State.ACTIVE, reminded_at__isnull=False).exists()
    judging = (MeetingJudge.objects.filter(expert=expert).exclude(meeting__state=Meeting.State.FINISHED)
               .select_related("meeting__round__org").order_by("meeting__starts_at"))
    return render(request, "review/my.html", {"expert": expert, "page": page, "total": total, "done": done,
                                              "reminded": reminded, "judging": judging, "css": CSS})


@expert_view
@require_http_methods(["GET", "POST"])
def my_profile(request, expert):
    initial = {k: getattr(expert, k) for k in ("name", "title", "employer", "employer_credit_code", "field",
                                               "industries", "region_code")}
    form = ProfileForm(request.POST or None, initial=initial)
    done = form_action(request, form, lambda: services.expert_profile_update(expert=expert, by=request.user,
                                                                             profile=_profile_data(form)),
                       success=_("个人信息已保存"), then="review:my")
    if done is not None:
        return done
    return render(request, "review/profile.html", {"expert": expert, "form": form, "css": CSS})


@expert_view
@require_http_methods(["GET", "POST"])
def score(request, expert, pk):
    assignment = access_own_assignment(request.user, pk)
    config = review_config(assignment.round)
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    form = SheetForm(config.rubric, request.POST or None, initial=SheetForm.initial_from(sheet), score_label=_("分数"))
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            saved = services.sheet_save(assignment=assignment, by=request.user, scores=form.scores(),
                                        comments=form.notes(), comment=form.cleaned_data["comment"], submit=submit)
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            if submit:
                messages.success(request, _("已提交对《%(title)s》的评分：总分 %(total)s（满分 %(max)s）") % {
                    "title": assignment.case.title, "total": points(saved.total), "max": points(config.rubric_total)})
                return redirect("review:my")
            messages.success(request, _("已保存草稿"))
            return redirect("review:score", pk=assignment.pk)
    return _score_page(request, assignment, config, sheet, form, DeclineForm())


def _score_page(request, assignment, config, sheet, form, decline_form):
    """The case to read and its score sheet; the sheet form or the decline form may carry errors to show."""
    case = assignment.case
    files = list(CaseAttachment.plain.filter(case=case).order_by("kind", "position", "id"))
    submitted = sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED
    return render(request, "review/score.html", {
        "assignment": assignment, "case": case, "config": config, "sheet": sheet, "form": form,
        "submitted_rubric": [(i, sheet.scores.get(i.key, ""), sheet.comments.get(i.key, "")) for i in config.rubric]
        if submitted else [],
        "photos": [f for f in files if f.kind == CaseAttachment.Kind.PHOTO],
        "videos": [f for f in files if f.kind == CaseAttachment.Kind.VIDEO],
        "documents": [f for f in files if f.kind in (CaseAttachment.Kind.SLIDES, CaseAttachment.Kind.EVIDENCE)],
        "editable": can_score(request.user, assignment) and not submitted,
        "decline_form": decline_form, "css": CSS,
    })


@expert_view
@require_POST
def decline(request, expert, pk):
    assignment = access_own_assignment(request.user, pk)
    form = DeclineForm(request.POST)
    done = form_action(request, form, lambda: services.assignment_decline(assignment=assignment, by=request.user,
                                                                          reason=form.cleaned_data["reason"]),
                       success=lambda _done: _("已申请回避《%(title)s》，主办单位将另行安排专家") % {
                           "title": assignment.case.title},
                       then="review:my")
    if done is not None:
        return done
    config = review_config(assignment.round)
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    if not can_score(request.user, assignment) or (sheet and sheet.state == ScoreSheet.State.SUBMITTED):
        # The page shows no decline form any more (sent from a page opened before submitting): say it on top.
        message_form_errors(request, form)
        return redirect("review:score", pk=assignment.pk)
    sheet_form = SheetForm(config.rubric, initial=SheetForm.initial_from(sheet), score_label=_("分数"))
    return _score_page(request, assignment, config, sheet, sheet_form, form)


@expert_view
@require_GET
def score_file(request, expert, pk, file_pk, thumb=False):
    """A file of the assigned case (photos, video, slides, evidence; not the sealed form), for the expert."""
    assignment = access_own_assignment(request.user, pk)
    attachment = (CaseAttachment.plain.filter(pk=file_pk, case_id=assignment.case_id)
                  .exclude(kind=CaseAttachment.Kind.RECOMMENDATION_FORM).first())
    if attachment is None:
        raise NotFound()
    if thumb:
        return serve_stored_file(request, attachment.thumbnail, content_type="image/jpeg", inline=True,
                                 filename="thumb.jpg")
    return serve_stored_file(request, attachment.file, content_type=attachment.content_type,
                             inline=attachment.content_type.startswith(INLINE_TYPES),
                             filename=shown_name(attachment.name))


# -- documents ------------------------------------------------------------------------------------

def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def expert_sheet(request, pk, expert_pk):
    """An expert's score sheet (专家评分表) as PDF, for the round's admins or the expert themself."""
    round = Round.plain.select_related("org", "programme__campaign").filter(pk=pk).first()
    expert = Expert.plain.filter(pk=expert_pk).first()
    if round is None or expert is None:
        raise NotFound()
    mine = expert_of(request.user)
    if mine is None or mine.pk != expert.pk:
        round = access_review_round(request.user, pk)
        if not can_run_review(request.user, round):
            raise NotFound()
    if not Assignment.plain.filter(round=round, expert=expert, method=Assignment.Method.REVIEW).exists():
        raise NotFound()
    body = documents.expert_sheet_pdf(round, expert)
    with transaction.atomic():
        audit_record(actor=request.user, action="review.sheet_pdf", target=round, org=round.org,
                     data={"expert": expert.pk})
    return _download(body, documents.PDF_CONTENT_TYPE, documents.sheet_pdf_filename(round, expert))


@login_required
@require_GET
def round_scores(request, pk):
    """The round's score table as Excel, for the round's admins."""
    round = access_review_round(request.user, pk)
    if not can_run_review(request.user, round):
        raise NotFound()
    body = documents.round_scores_xlsx(round)
    with transaction.atomic():
        audit_record(actor=request.user, action="review.scores_export", target=round, org=round.org, data={})
    return _download(body, XLSX_CONTENT_TYPE, documents.scores_xlsx_filename(round))
