"""Pages of the org running a round's public vote (R-108, R-109): setting the poll up, the tally, the anomaly
report, the votes, invalidations and the certificate. Offices above watch read-only. Views parse input and
call one service; every write goes through apps.voting.services."""

from __future__ import annotations

import csv
import datetime as dt
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.services import audit_record
from apps.core.errors import NotFound
from apps.core.forms import form_action, message_form_errors, service_action
from apps.orgs.excel import safe_cell
from apps.review.config import review_config
from apps.rounds.models import RoundEntry
from apps.voting import anomalies, services
from apps.voting.forms import InvalidateForm, PollForm, RevertForm, beijing_minute
from apps.voting.models import Certificate, Invalidation, Poll, Vote
from apps.voting.permissions import (
    access_invalidation,
    access_poll,
    access_voting_round,
    can_run_poll,
)

CSS = "css/review.css"
PAGE_SIZE = 100
STATE_LABELS = {"draft": gettext_lazy("未公开"), "upcoming": gettext_lazy("未开始"), "open": gettext_lazy("进行中"),
                "closed": gettext_lazy("已截止"), "certified": gettext_lazy("已认证")}
STATE_BADGES = {"draft": "", "upcoming": "warn", "open": "ok", "closed": "bad", "certified": "ok"}
CASE_MENU_MAX = 300


def _poll_of(round) -> Poll | None:
    return Poll.plain.select_related("round__org").filter(round=round).first()


def _certificate(poll: Poll) -> Certificate | None:
    return Certificate.plain.select_related("created_by").filter(poll=poll).first()


def _act(request, poll: Poll) -> None:
    """Watchers (offices above) get the same 404 as strangers on every page that acts."""
    if not can_run_poll(request.user, poll.round):
        raise NotFound()


# -- the round's vote ----------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def round_poll(request, pk):
    """The round's vote: its settings form (create or edit), rules, state, share link, counts and certificate."""
    round = access_voting_round(request.user, pk)
    can_run = can_run_poll(request.user, round)
    poll = _poll_of(round)
    certificate = _certificate(poll) if poll else None
    uses_voting = "voting" in review_config(round).methods
    if request.method == "POST":
        if not can_run:
            raise NotFound()
        form = PollForm(request.POST)
        done = form_action(request, form, lambda: _poll_save(request, round, poll, form.cleaned_data),
                           success=_("投票设置已保存") if poll else _("已创建投票"),
                           then=lambda saved: reverse("voting:round", kwargs={"pk": saved.round_id}))
        if done is not None:
            return done
    elif poll is not None:
        form = PollForm(initial={"title": poll.title, "intro": poll.intro, "published": poll.published,
                                 "opens_at": beijing_minute(poll.opens_at),
                                 "closes_at": beijing_minute(poll.closes_at)})
    else:
        start = (timezone.localtime(timezone.now(), services.SHANGHAI) + dt.timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0)
        form = PollForm(initial={"title": _("%(org)s企业典型创新案例网络投票") % {"org": round.org.name},
                                 "opens_at": beijing_minute(start),
                                 "closes_at": beijing_minute(start + dt.timedelta(days=7, hours=8))})
    context = {"round": round, "poll": poll, "form": form, "can_run": can_run, "uses_voting": uses_voting,
               "certificate": certificate, "css": CSS,
               "voting_weight": review_config(round).weights.get("voting")}
    context["rules"] = _rules_shown(poll or services.rules_from_rulebook(round))
    if poll is not None:
        state = services.poll_state(poll)
        link = request.build_absolute_uri(reverse("vote:home", args=[poll.slug]))
        context.update({
            "state": state, "state_label": STATE_LABELS[state], "badge": STATE_BADGES[state], "link": link,
            "qr": mark_safe(segno.make(link, error="m").svg_inline(scale=4, title=poll.title)),
            "counts": _counts(poll), "codes": anomalies.code_summary(poll),
            "has_votes": Vote.plain.filter(poll=poll).exists(),
            "can_certify": can_run and certificate is None and timezone.now() >= poll.closes_at,
        })
    return render(request, "voting/admin_round.html", context)


def _poll_save(request, round, poll: Poll | None, data: dict) -> Poll:
    opens_at, closes_at = data["opens_at"], data["closes_at"]
    if poll is not None:
        # The form shows times to the minute: an unchanged field keeps the stored second.
        opens_at = poll.opens_at if beijing_minute(opens_at) == beijing_minute(poll.opens_at) else opens_at
        closes_at = poll.closes_at if beijing_minute(closes_at) == beijing_minute(poll.closes_at) else closes_at
    return services.poll_save(round=round, by=request.user, title=data["title"], intro=data["intro"],
                              opens_at=opens_at, closes_at=closes_at, published=data["published"])


def _rules_shown(rules) -> dict:
    """The poll's rules (or, before it exists, the rulebook's) in words."""
    return {"votes_per_day": rules.votes_per_day, "counts": rules.counts, "refresh_minutes": rules.refresh_minutes,
            "formula_label": dict(Poll.Formula.choices).get(rules.formula, rules.formula),
            "counts_label": dict(Poll.Counts.choices).get(rules.counts, rules.counts)}


def _counts(poll: Poll) -> dict:
    return Vote.plain.filter(poll=poll).aggregate(
        valid=Count("id", filter=Q(invalidation__isnull=True)),
        invalid=Count("id", filter=Q(invalidation__isnull=False)),
        voters=Count("voter_id", distinct=True))


@login_required
@require_POST
def certify(request, pk):
    poll = access_poll(request.user, pk)
    _act(request, poll)
    return service_action(
        request, lambda: services.poll_certify(poll=poll, by=request.user),
        success=lambda certificate: _("投票结果已认证：有效票%(valid)d张，作废票%(invalid)d张，校验值 %(digest)s") % {
            "valid": certificate.valid_votes, "invalid": certificate.invalid_votes,
            "digest": certificate.digest[:16] + "…"},
        then=reverse("voting:round", kwargs={"pk": poll.round_id}))


# -- the tally -----------------------------------------------------------------------------------------------

def _ranked(poll: Poll) -> tuple[list[dict], Certificate | None]:
    """Every case with its rank (equal votes share a rank: 1, 1, 3): the certified tally once there is one;
    and the certificate."""
    rows, certificate = services.tally_rows(poll)
    rank = 0
    for n, row in enumerate(rows, start=1):
        if n == 1 or row["votes"] != rows[n - 2]["votes"]:
            rank = n
        row["rank"] = rank
    return rows, certificate


@login_required
@require_GET
def tally(request, pk):
    poll = access_poll(request.user, pk)
    rows, certificate = _ranked(poll)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "voting/admin_tally.html", {
        "poll": poll, "round": poll.round, "page": page, "rows": page.object_list, "certificate": certificate,
        "formula": Poll.Formula(poll.formula).label, "total": sum(r["votes"] for r in rows),
        "voting_weight": review_config(poll.round).weights.get("voting"), "css": CSS,
    })


def _audit_export(request, poll: Poll, what: str) -> None:
    with transaction.atomic():
        audit_record(actor=request.user, action="voting.export", target=poll, org=poll.round.org,
                     data={"file": what})


def _csv_download(response, poll: Poll, what: str):
    response["Content-Disposition"] = content_disposition_header(True, f"{poll.round.org.name}-{what}-{poll.slug}.csv")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def tally_csv(request, pk):
    """The tally for Excel (UTF-8 with BOM), ending with the certificate's digest once certified."""
    poll = access_poll(request.user, pk)
    rows, certificate = _ranked(poll)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("名次"), _("案例编号"), _("案例标题"), _("企业"), _("有效票数"), _("投票得分")])
    for row in rows:
        writer.writerow([row["rank"], row["case"], safe_cell(row["title"] or ""),
                         safe_cell(row.get("enterprise") or ""), row["votes"], row["score"]])
    writer.writerow([_("投票得分计算方法"), Poll.Formula(poll.formula).label])
    if certificate is not None:
        writer.writerow([_("认证时间"), timezone.localtime(certificate.created_at, services.SHANGHAI)
                        .strftime("%Y-%m-%d %H:%M:%S")])
        writer.writerow([_("投票数据校验值（SHA-256）"), certificate.digest])
    _audit_export(request, poll, "tally.csv")
    return _csv_download(HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"),
                         poll, _("投票结果"))


@login_required
@require_GET
def votes_csv(request, pk):
    """The canonical vote set (services.vote_set_lines), streamed, without a BOM: its SHA-256 is the
    certificate's digest, so anyone holding the file can check the certified result."""
    poll = access_poll(request.user, pk)
    _audit_export(request, poll, "votes.csv")

    def lines():
        yield (services.VOTE_SET_HEADER + "\n").encode()
        for line in services.vote_set_lines(poll):
            yield (line + "\n").encode()

    return _csv_download(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), poll, _("投票明细"))


# -- the anomaly report --------------------------------------------------------------------------------------

@login_required
@require_GET
def anomaly_report(request, pk):
    poll = access_poll(request.user, pk)
    certificate = _certificate(poll)
    flags = anomalies.report(poll)
    for flag in flags:
        flag.votes_url = _flag_votes_url(poll, flag)
    return render(request, "voting/admin_anomalies.html", {
        "poll": poll, "round": poll.round, "flags": flags, "codes": anomalies.code_summary(poll),
        "can_run": can_run_poll(request.user, poll.round), "certificate": certificate,
        "limits": {"burst_min": anomalies.BURST_MIN, "burst_factor": f"{anomalies.BURST_FACTOR:g}",
                   "address": anomalies.ADDRESS_VOTERS, "network": anomalies.NETWORK_VOTERS,
                   "codes": anomalies.CODES_MIN, "share": f"{anomalies.CODES_PASS_SHARE:.0%}"},
        "css": CSS,
    })


def _flag_votes_url(poll: Poll, flag: anomalies.Flag) -> str:
    """The vote list filtered to what the flag is about."""
    kind, _sep, rest = flag.key.partition(":")
    query = {}
    if kind == "burst" and flag.entry_id:
        query = {"case": flag.entry_id}
    elif kind in ("ip", "codes"):
        query = {"ip": rest[:8]}
    elif kind == "net":
        query = {"net": rest[:8]}
    return reverse("voting:votes", args=[poll.pk]) + ("?" + urlencode(query) if query else "")


# -- the votes -----------------------------------------------------------------------------------------------

def _hex_prefix(value: str) -> str:
    value = (value or "").strip().lower()
    return value if value and len(value) <= 32 and all(c in "0123456789abcdef" for c in value) else ""


def _vote_filters(params) -> dict:
    """The GET filters that parse; anything else is ignored."""
    found = {}
    case = (params.get("case") or "").strip()
    if case.isascii() and case.isdigit() and len(case) < 19:
        found["case"] = int(case)
    for name in ("ip", "net"):
        prefix = _hex_prefix(params.get(name))
        if prefix:
            found[name] = prefix
    if params.get("state") in ("valid", "invalid"):
        found["state"] = params["state"]
    return found


def _cursor(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


@login_required
@require_GET
def votes(request, pk):
    """The poll's votes, newest first, 100 a page by keyset (a poll may hold hundreds of thousands)."""
    poll = access_poll(request.user, pk)
    filters = _vote_filters(request.GET)
    found = Vote.plain.filter(poll=poll)
    if "case" in filters:
        found = found.filter(entry_id=filters["case"])
    if "ip" in filters:
        found = found.filter(ip_hash__startswith=filters["ip"])
    if "net" in filters:
        found = found.filter(net_hash__startswith=filters["net"])
    if filters.get("state") == "valid":
        found = found.filter(invalidation__isnull=True)
    elif filters.get("state") == "invalid":
        found = found.filter(invalidation__isnull=False)
    before = _cursor(request.GET.get("before"))
    shown = found.filter(pk__lt=before) if before else found
    rows = list(shown.select_related("entry__case", "invalidation")
                .only("pk", "created_at", "voter_id", "ip_hash", "net_hash", "user_agent", "entry__case__title",
                      "invalidation__reason", "invalidation__created_at")
                .order_by("-pk")[:PAGE_SIZE + 1])
    older = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    rows = rows[:PAGE_SIZE]
    query = urlencode(filters)
    certificate = _certificate(poll)
    return render(request, "voting/admin_votes.html", {
        "poll": poll, "round": poll.round, "rows": rows, "filters": filters, "older": older, "before": before,
        "total": found.count(), "query": query, "query_prefix": query + "&" if query else "",
        "cases": _case_menu(poll), "can_run": can_run_poll(request.user, poll.round) and certificate is None,
        "certificate": certificate, "css": CSS,
    })


def _case_menu(poll: Poll) -> list[tuple[int, str]] | None:
    """The cases to filter by, as a menu; None when the round has too many for one (the tally page links
    each case's votes instead)."""
    menu = list(RoundEntry.plain.filter(round_id=poll.round_id).exclude(decision__in=services.CLOSED_DECISIONS)
                .order_by("case__title", "pk").values_list("pk", "case__title")[:CASE_MENU_MAX + 1])
    return menu if len(menu) <= CASE_MENU_MAX else None


def _back_to_votes(poll: Poll, raw: str) -> str:
    """The vote list with the filters (and page) the person came from; nothing else from the form is used."""
    params = QueryDict(raw or "")
    query = urlencode(_vote_filters(params))
    before = _cursor(params.get("before"))
    if before:
        query = (query + "&" if query else "") + f"before={before}"
    return reverse("voting:votes", args=[poll.pk]) + ("?" + query if query else "")


@login_required
@require_POST
def invalidate(request, pk):
    """Invalidate the votes ticked on the list, or every vote an anomaly flag names, with a reason."""
    poll = access_poll(request.user, pk)
    _act(request, poll)
    form = InvalidateForm(request.POST)
    by_flag = bool(request.POST.get("flag"))
    back = (reverse("voting:anomalies", args=[poll.pk]) if by_flag
            else _back_to_votes(poll, request.POST.get("back", "")))
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    return service_action(
        request, lambda: services.votes_invalidate(poll=poll, by=request.user, reason=data["reason"],
                                                   vote_ids=None if data["flag"] else data["votes"],
                                                   flag=data["flag"]),
        success=lambda done: _("已作废%(n)d张投票，票数已重新统计。如需恢复，请在“作废记录”中撤销。") % {"n": done.count},
        then=back)


# -- invalidations -------------------------------------------------------------------------------------------

@login_required
@require_GET
def invalidations(request, pk):
    poll = access_poll(request.user, pk)
    found = (Invalidation.plain.filter(poll=poll).select_related("created_by", "reverted_by")
             .order_by("-created_at", "-pk"))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.flag_label = _flag_label(item.flag)
    certificate = _certificate(poll)
    return render(request, "voting/admin_invalidations.html", {
        "poll": poll, "round": poll.round, "page": page, "certificate": certificate,
        "can_run": can_run_poll(request.user, poll.round) and certificate is None, "css": CSS,
    })


def _flag_label(key: str) -> str:
    """What an invalidation was based on, in words: a kind of anomaly flag, or votes ticked by hand."""
    kind, _sep, rest = (key or "").partition(":")
    labels = {"burst": _("集中得票"), "ip": _("同一地址多人投票"), "net": _("同一网段多人投票"),
              "codes": _("验证码失败率高")}
    if kind not in labels:
        return _("逐张勾选")
    return f"{labels[kind]}（{rest[:8]}）" if kind != "burst" else labels[kind]


@login_required
@require_POST
def invalidation_revert(request, pk):
    invalidation = access_invalidation(request.user, pk)
    poll = invalidation.poll
    _act(request, poll)
    form = RevertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写恢复原因"))
        return redirect("voting:invalidations", pk=poll.pk)
    return service_action(
        request, lambda: services.invalidation_revert(invalidation=invalidation, by=request.user,
                                                      reason=form.cleaned_data["reason"]),
        success=lambda done: _("已撤销这次作废，%(n)d张投票恢复有效，票数已重新统计") % {"n": done.count},
        then=reverse("voting:invalidations", kwargs={"pk": poll.pk}))
