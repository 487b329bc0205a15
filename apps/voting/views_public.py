"""The public voting pages: a published poll's cases, one case, phone verification and the vote itself.

No login and no session: a verified voter is a signed cookie holding the voter's id (apps.voting.voter), so a
vote costs no session query. Pages are small server-rendered HTML with a few lines of plain JavaScript (a
resend countdown); no framework. The vote view reads neither the case list nor the tally.
"""

from __future__ import annotations

import datetime as dt
import io

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
from apps.core.sms import mask_phone
from apps.rounds.models import RoundEntry
from apps.voting import services
from apps.voting.hashing import normalise_phone
from apps.voting.models import Poll
from apps.voting.voter import VOTER_COOKIE, forget_voter, remember_voter, voter_id

PAGE_SIZE = 20
OUTCOME_COOKIE = "innocase_vote"  # the code of the last vote's outcome, read once by the case page


def _poll(slug: str) -> Poll:
    """A published poll, else 404 (a draft is not public)."""
    poll = Poll.plain.select_related("round").filter(slug=slug, published=True).first()
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
            "verified": voter_id(request) is not None,
            "share_url": request.build_absolute_uri(reverse("vote:home", args=[poll.slug])), **extra}


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
    context = _context(request, poll, page=page, query=query)
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
    no session, no message storage). Without a verified phone, verify first. A vote that counts is one
    statement (services.vote_cast_by_slug); the poll is read only to explain a refusal."""
    back = reverse("vote:case", args=[slug, entry])
    voter = voter_id(request)
    if voter is None:
        _poll(slug)
        messages.info(request, _("投票前请先验证手机号"))
        return redirect(f"{reverse('vote:verify', args=[slug])}?next={back}")
    try:
        services.vote_cast_by_slug(slug=slug, entry_id=entry, voter_id=voter, address=client_address(request),
                                   user_agent=request.headers.get("User-Agent", ""))
        outcome = "ok"
    except services.VoteError as exc:
        outcome = exc.code
    response = HttpResponseRedirect(back, status=303)
    response["X-Vote-Outcome"] = outcome  # "ok" or the refusing rule (already, limit, closed…)
    response.set_cookie(OUTCOME_COOKIE, outcome, max_age=120, path=back, httponly=True, samesite="Lax")
    return response


def _next_url(request, poll: Poll) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    home = reverse("vote:home", args=[poll.slug])
    if wanted.startswith(home) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return home


@require_http_methods(["GET", "POST"])
def verify(request, slug):
    """Step 1: a phone number (and an image captcha when the address asked often) → a code by SMS. Step 2:
    the code → the browser is remembered as a verified voter."""
    poll = _poll(slug)
    address = client_address(request)
    phone = (request.POST.get("phone") or "").strip()[:20]
    sent_to = ""
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                services.code_request(poll=poll, phone=phone, address=address,
                                      challenge=request.POST.get("challenge", ""),
                                      answer=request.POST.get("answer", ""))
                sent_to = mask_phone(normalise_phone(phone))
            elif action == "check":
                voter = services.code_verify(poll=poll, phone=phone, code=request.POST.get("code", ""),
                                             address=address)
                messages.success(request, _("手机号验证成功，现在可以投票了"))
                response = redirect(_next_url(request, poll))
                remember_voter(response, voter.pk)
                return response
            else:
                error = _("请求无法识别，请重新操作")
        except services.VoteError as exc:
            error = exc.message
        except ValidationError as exc:
            error = exc.messages[0]
        if action == "check" and not sent_to:
            try:  # a wrong or expired code: keep the code form for this phone
                sent_to = mask_phone(normalise_phone(phone))
            except ValidationError:
                pass
    challenge = captcha.challenge_new() if services.captcha_needed(address) else None
    return render(request, "voting/public_verify.html", _context(
        request, poll, phone=phone, sent_to=sent_to, error=error, challenge=challenge,
        next=_next_url(request, poll), resend=services.RESEND_SECONDS if sent_to and not error else 0,
        code_minutes=services.CODE_SECONDS // 60))


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
