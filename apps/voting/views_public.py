"""The public voting pages: a published poll's cases, one case, phone verification and the vote itself.

No login and no session: a verified voter is a signed cookie holding the voter's id (apps.voting.voter), so a
vote costs no session query. Pages are small server-rendered HTML with a few lines of plain JavaScript (a
resend countdown); no framework. The vote view reads neither the case list nor the tally.

The case a voter wanted travels through verification (`entry`), and the vote is cast as soon as the phone is
verified, through the same service and limits as the vote button.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.cases.attachment_views import serve_stored_file
from apps.cases.models import CaseAttachment
from apps.core import captcha
from apps.core.clientip import client_address
from apps.core.errors import NotFound
from apps.core.sms import mask_phone
from apps.rounds.models import RoundEntry
from apps.voting import selectors, services
from apps.voting.forms import VoterCodeForm, VoterPhoneForm
from apps.voting.models import Poll
from apps.voting.voter import (
    VOTER_COOKIE,
    forget_pending_phone,
    forget_voter,
    pending_phone,
    remember_pending_phone,
    remember_voter,
    voter_id,
)

PAGE_SIZE = 20
OUTCOME_COOKIE = "innocase_vote"  # the code of the last vote's outcome, read once by the case page


def _poll(slug: str) -> Poll:
    """A published poll, else 404 (a draft is not public)."""
    poll = Poll.plain.select_related("round__org").filter(slug=slug, published=True).first()
    if poll is None:
        raise Http404()
    return poll


def _entries(poll: Poll):
    return RoundEntry.plain.filter(round_id=poll.round_id).exclude(decision__in=services.CLOSED_DECISIONS)


def _entry(poll: Poll, pk: int) -> RoundEntry:
    found = _entries(poll).select_related("case__enterprise").filter(pk=pk).first()
    if found is None:
        raise Http404()
    return found


def _photo(entry_case_id) -> Exists:
    return Exists(CaseAttachment.plain.filter(case_id=entry_case_id, kind=CaseAttachment.Kind.PHOTO)
                  .exclude(thumbnail=""))


def _context(request, poll: Poll, **extra) -> dict:
    now = timezone.now()
    counts, as_of = services.public_counts(poll, now)
    return {"poll": poll, "state": services.poll_state(poll, now), "counts": counts, "as_of": as_of,
            "issuer": poll.round.org.public_name, "verified": voter_id(request) is not None,
            "share_url": request.build_absolute_uri(reverse("vote:home", args=[poll.slug])), **extra}


def _voter_day(request, poll: Poll) -> selectors.VoterDay | None:
    """What the verified voter on this browser cast today, so a counted vote shows at once, whatever the
    rulebook says about public counts."""
    voter = voter_id(request)
    return selectors.voter_day(poll=poll, voter_id=voter) if voter is not None else None


@require_GET
def poll_home(request, slug):
    poll = _poll(slug)
    query = (request.GET.get("q") or "").strip()[:50]
    entries = (_entries(poll).select_related("case__enterprise")
               .only("pk", "case_id", "case__title", "case__abstract", "case__enterprise__name")
               .annotate(has_photo=_photo(OuterRef("case_id"))).order_by("pk"))
    if query:
        entries = entries.filter(Q(case__title__icontains=query) | Q(case__enterprise__name__icontains=query))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(request, poll, page=page, query=query, today=_voter_day(request, poll))
    counts = context["counts"]
    context["cards"] = [(entry, counts.get(entry.pk, 0) if counts is not None else None) for entry in page]
    return render(request, "voting/public_home.html", context)


@require_GET
def case(request, slug, entry):
    poll = _poll(slug)
    found = _entry(poll, entry)
    photos = list(CaseAttachment.plain.filter(case_id=found.case_id, kind=CaseAttachment.Kind.PHOTO)
                  .exclude(thumbnail="").order_by("position", "pk").values_list("pk", flat=True)[:1])
    context = _context(request, poll, entry=found, case=found.case, has_photo=bool(photos),
                       today=_voter_day(request, poll),
                       case_url=request.build_absolute_uri(reverse("vote:case", args=[poll.slug, found.pk])))
    context["votes"] = context["counts"].get(found.pk, 0) if context["counts"] is not None else None
    outcome = request.COOKIES.get(OUTCOME_COOKIE, "")
    context["outcome"] = (outcome == "ok", services.refusal_message(poll, outcome)) if outcome else None
    response = render(request, "voting/public_case.html", context)
    if outcome:
        response.delete_cookie(OUTCOME_COOKIE, path=request.path, samesite="Lax")
    return response


@require_POST
def vote(request, slug, entry):
    """Cast one vote and go back to the case, which shows the outcome (a short-lived cookie carries its code:
    no session, no message storage). Without a verified phone, verify first: the case travels with the voter
    and the vote is cast right after verification. A vote that counts is one statement
    (services.vote_cast_by_slug); the poll is read only to explain a refusal."""
    voter = voter_id(request)
    if voter is None:
        _poll(slug)
        messages.info(request, _("投票前请先验证手机号，验证后将为该案例投票"))
        return redirect(_verify_url(slug, entry=entry))
    return _outcome_redirect(slug, entry, _cast(request, slug, entry, voter))


def _cast(request, slug: str, entry: int, voter: int) -> str:
    """"ok", or the code of the rule that refused the vote (already, limit, closed…)."""
    try:
        services.vote_cast_by_slug(slug=slug, entry_id=entry, voter_id=voter, address=client_address(request),
                                   user_agent=request.headers.get("User-Agent", ""))
    except services.VoteError as exc:
        return exc.code
    return "ok"


def _outcome_redirect(slug: str, entry: int, outcome: str) -> HttpResponseRedirect:
    back = reverse("vote:case", args=[slug, entry])
    response = HttpResponseRedirect(back, status=303)
    response["X-Vote-Outcome"] = outcome
    response.set_cookie(OUTCOME_COOKIE, outcome, max_age=120, path=back, httponly=True, samesite="Lax")
    return response


def _wanted_entry(request) -> int | None:
    """The case the voter pressed vote for before verifying (its entry id), if any."""
    raw = (request.POST.get("entry") or request.GET.get("entry") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _next_url(request, poll: Poll, entry: int | None = None) -> str:
    if entry is not None:
        return reverse("vote:case", args=[poll.slug, entry])
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    home = reverse("vote:home", args=[poll.slug])
    if wanted.startswith(home) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return home


def _verify_url(slug: str, *, entry: int | None = None, next_url: str = "") -> str:
    url = reverse("vote:verify", args=[slug])
    query = {"entry": entry} if entry is not None else ({"next": next_url} if next_url else {})
    return f"{url}?{urlencode(query)}" if query else url


# Where a refused code request is said: at the field it is about, else above the form.
SEND_ERROR_FIELD = {"resend": "phone", "phone_hour": "phone", "phone_day": "phone"}


@require_http_methods(["GET", "POST"])
def verify(request, slug):
    """Step 1: a phone number (and an image captcha when the address asked often) → a code by SMS. Step 2:
    the code → the browser is remembered as a verified voter, and the vote it came for is cast.

    Sending a code redirects to this page (so a reload asks for nothing again), and the page shows the code box
    for as long as the code sent to the browser's number can be entered (voter.pending_phone and
    selectors.code_pending): a reload while the voter reads the SMS keeps the step."""
    poll = _poll(slug)
    address = client_address(request)
    entry = _wanted_entry(request)
    next_url = _next_url(request, poll, entry)
    here = _verify_url(poll.slug, entry=entry, next_url=next_url if entry is None else "")
    path = reverse("vote:verify", args=[poll.slug])
    action = request.POST.get("action", "") if request.method == "POST" else ""
    phone = pending_phone(request)
    phone_form = code_form = None
    captcha_error = ""
    general: list[str] = []
    if action == "send":
        phone_form = VoterPhoneForm(request.POST)
        phone = phone_form.data.get("phone", "")
        if phone_form.is_valid():
            phone = phone_form.cleaned_data["phone"]
            try:
                services.code_request(poll=poll, phone=phone, address=address,
                                      challenge=request.POST.get("challenge", ""),
                                      answer=request.POST.get("answer", ""))
            except services.CaptchaRequired as exc:
                captcha_error = exc.message
            except services.VoteError as exc:
                phone_form.add_error(SEND_ERROR_FIELD.get(exc.code), exc.message)
            else:
                messages.success(request, _("验证码已发送至%(phone)s") % {"phone": mask_phone(phone)})
                response = redirect(here)
                remember_pending_phone(response, path, phone)
                return response
    elif action == "check":
        phone = request.POST.get("phone", "")
        code_form = VoterCodeForm(request.POST, sent_to=mask_phone(phone))
        if code_form.is_valid():
            try:
                voter = services.code_verify(poll=poll, phone=phone, code=code_form.cleaned_data["code"],
                                             address=address)
            except services.VoteError as exc:
                code_form.add_error("code" if exc.code.startswith("code_") else None, exc.message)
            except ValidationError as exc:  # the number itself (a hidden field) is malformed
                code_form.add_error(None, exc.messages[0])
            else:
                return _verified(request, poll, voter.pk, entry, next_url)
    elif action == "change":
        response = redirect(here)
        forget_pending_phone(response, path)
        return response
    elif request.method == "POST":
        general.append(_("请求无法识别，请重新操作"))

    # The step follows the code records: the code box while the code sent to this number can be entered.
    pending = selectors.code_pending(poll=poll, phone=phone) if phone else None
    if pending is not None:
        phone = pending.phone
        # A refused resend is about the number, which this step does not show: say it above the form.
        general.extend(_all_errors(phone_form))
        phone_form = None
        code_form = code_form or VoterCodeForm(sent_to=mask_phone(phone))
        general.extend(code_form.non_field_errors() if code_form.is_bound else [])
    else:
        # The code can no longer be entered (expired, spent): say why above the number, to ask for a new one.
        general.extend(_all_errors(code_form))
        code_form = None
        phone_form = phone_form or VoterPhoneForm(initial={"phone": phone})
        general.extend(phone_form.non_field_errors() if phone_form.is_bound else [])
    challenge = captcha.challenge_new() if services.captcha_needed(address) else None
    if captcha_error and challenge is None:
        general.append(captcha_error)
    return render(request, "voting/public_verify.html", _context(
        request, poll, phone=phone, phone_form=phone_form, code_form=code_form, general_errors=general,
        challenge=challenge,
        captcha_error=captcha_error, entry=entry, next=next_url, resend=pending.resend_in if pending else 0,
        code_minutes=services.CODE_SECONDS // 60))


def _all_errors(form) -> list[str]:
    return [e for errors in form.errors.values() for e in errors] if form is not None and form.is_bound else []


def _verified(request, poll: Poll, voter: int, entry: int | None, next_url: str) -> HttpResponseRedirect:
    """Remember the voter; cast the vote the voter came for and show its outcome on that case's page."""
    outcome = None
    if entry is not None:
        try:
            outcome = _cast(request, poll.slug, entry, voter)
        except NotFound:  # the case left the poll meanwhile: the voter is verified all the same
            next_url = reverse("vote:home", args=[poll.slug])
    if outcome is None:
        messages.success(request, _("手机号验证成功，现在可以投票了"))
        response = redirect(next_url)
    else:
        if outcome != "ok":
            messages.success(request, _("手机号验证成功"))
        response = _outcome_redirect(poll.slug, entry, outcome)
    remember_voter(response, voter)
    forget_pending_phone(response, reverse("vote:verify", args=[poll.slug]))
    return response


@require_POST
def leave(request, slug):
    poll = _poll(slug)
    response = redirect("vote:home", slug=poll.slug)
    forget_voter(response)
    return response


@require_GET
def photo(request, slug, entry):
    poll = _poll(slug)
    found = _entry(poll, entry)
    attachment = (CaseAttachment.plain.filter(case_id=found.case_id, kind=CaseAttachment.Kind.PHOTO)
                  .exclude(thumbnail="").order_by("position", "pk").first())
    if attachment is None:
        raise Http404()
    response = serve_stored_file(request, attachment.thumbnail, content_type="image/jpeg", inline=True,
                                 filename=f"case-{found.pk}.jpg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@cache_control(public=True, max_age=86400)
def poll_qr(request, slug):
    poll = _poll(slug)
    target = reverse("vote:home", args=[poll.slug])
    entry = request.GET.get("c", "")
    if entry.isdigit():
        target = reverse("vote:case", args=[poll.slug, int(entry)])
    # A standalone SVG file (with its namespace: an <img> shows nothing without it), white quiet zone.
    out = io.BytesIO()
    segno.make(request.build_absolute_uri(target), error="m").save(out, kind="svg", scale=4, xmldecl=False,
                                                                    title=poll.title, light="#fff")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


__all__ = ["VOTER_COOKIE", "case", "leave", "photo", "poll_home", "poll_qr", "verify", "vote"]
