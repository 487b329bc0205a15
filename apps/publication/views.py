"""Pages of publication (R-404): the province's items and what became of each, the centre's queue (read each item,
approve several at once), the published items (the centre takes one down), and the public topic page with its
item pages, media, Atom feed and export. Thin: parse, call a service, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from apps.approvals.models import ApprovalRequest
from apps.approvals.permissions import can_decide_approval
from apps.campaigns.approvals import centre_of
from apps.campaigns.selectors import own_programme
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, service_action
from apps.orgs.models import Org
from apps.orgs.permissions import is_member_of, works_at
from apps.publication import public, services
from apps.publication.approvals import KIND
from apps.publication.forms import TopicItemForm
from apps.publication.models import Publication, TopicItem
from apps.publication.sources import sources_for

PAGE_SIZE = 30
PER_KIND = 200
State = Publication.State


def _own_programme(request):
    """The programme the acting org sends for: a province's own, or the centre's brand programme."""
    programme = own_programme(request.acting_org)
    ensure(programme is not None and is_member_of(request.user, programme.org), NotFound)
    return programme


@login_required
def index(request):
    """The acting org's items that may be published, kind by kind, each with its latest version's state and the
    button that sends it: a province's stories, videos, reports, events and lists; the centre's topic-page items and
    approved brand deliverables (R-504)."""
    programme = _own_programme(request)
    latest = {}
    for p in Publication.objects.filter(programme=programme).order_by("number"):
        latest[(p.kind, p.object_id)] = p
    groups = []
    for source in sources_for(programme):
        rows = [(item, latest.get((source.kind, item.pk)), source.problem(item))
                for item in source.candidates(programme)[:PER_KIND]]
        groups.append((source.kind, Publication.Kind(source.kind).label, rows))
    return render(request, "publication/index.html", {
        "groups": groups, "can_send": services.can_send(request.user, programme),
        "is_centre": programme.org.kind == Org.Kind.CENTER})


@login_required
@require_POST
def submit(request):
    programme = _own(request)
    kind, object_id = request.POST.get("kind", ""), request.POST.get("object_id", "")
    ensure(object_id.isdigit(), NotFound)
    return service_action(request, lambda: services.publication_submit(programme=programme, kind=kind,
                                                                       object_id=int(object_id), by=request.user),
                          success=_("已报送中心审核，审核通过后将在活动专栏发布"),
                          then=reverse("publication:index") + f"#{kind}")


def _centre(request) -> Org:
    org = request.acting_org
    ensure(org is not None and org.kind == Org.Kind.CENTER and works_at(request.user, org), NotFound)
    return org


@login_required
def queue(request):
    """What waits for the centre's approval, each item in full; the centre ticks those it approves."""
    centre = _centre(request)
    waiting = (ApprovalRequest.objects.filter(kind=KIND, approver=centre, state=ApprovalRequest.State.PENDING)
               .order_by("submitted_at", "id"))
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    items = {p.pk: p for p in Publication.objects.filter(pk__in=[r.object_id for r in page])
             .select_related("org")}
    rows = [(r, items[r.object_id]) for r in page if r.object_id in items]
    for _r, p in rows:
        p.media_urls = [reverse("publication:media", args=[p.pk, n]) for n in range(len(p.media))]
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("approve") if x.isdigit()}
        requests = [r for r, _p in rows if r.pk in chosen]
        if not requests:
            messages.error(request, _("请先勾选要通过的内容"))
            return redirect("publication:queue")
        approved, refused = services.publication_approve_many(requests=requests, by=request.user)
        if approved:
            messages.success(request, _("已通过%(n)d项，已在活动专栏发布") % {"n": len(approved)})
        for r, reason in refused:
            messages.error(request, f"{r.title}：{reason}")
        return redirect("publication:queue")
    return render(request, "publication/queue.html", {"page": page, "rows": rows})


@login_required
def published_list(request):
    """What is published now (the acting org's own, or everything for the centre), newest first."""
    org = request.acting_org
    ensure(org is not None, NotFound)
    rows = Publication.objects.filter(state=State.PUBLISHED).select_related("org").order_by("-published_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publication/published.html", {
        "page": page, "can_take_down": org.kind == Org.Kind.CENTER and works_at(request.user, org)})


def _access(request, pk) -> Publication:
    found = Publication.objects.select_related("org", "programme").filter(pk=pk).first()
    ensure(found is not None and is_member_of(request.user, found.org), NotFound)
    return found


@login_required
def detail(request, pk):
    """One version as it was sent (what the public will read), its state and the centre's decision."""
    publication = _access(request, pk)
    request_ = services.latest_request(publication)
    return render(request, "publication/detail.html", {
        "pub": publication, "approval": request_,
        "can_decide": request_ is not None and request_.state == ApprovalRequest.State.PENDING
        and can_decide_approval(request.user, request_),
        "can_take_down": publication.state == State.PUBLISHED and works_at(request.user, centre_of(publication.org)),
        "media_urls": [reverse("publication:media", args=[publication.pk, n]) for n in range(len(publication.media))]})


@login_required
@require_POST
def take_down(request, pk):
    publication = _access(request, pk)
    ensure(works_at(request.user, centre_of(publication.org)), NotFound)
    return service_action(request, lambda: services.publication_take_down(
        publication=publication, by=request.user, reason=request.POST.get("reason", "")),
        success=_("已撤下，活动专栏、订阅和数据导出中均不再显示"), then=reverse("publication:detail", args=[pk]))


def _media_response(publication: Publication, n: int):
    if not 0 <= n < len(publication.media):
        raise NotFound()
    entry = publication.media[n]
    return stored_file_response(entry["name"], content_type=entry["type"])


@login_required
def media(request, pk, n):
    """A file of a version, for the people who may read the version (the centre reads it before approving)."""
    return _media_response(_access(request, pk), n)


# -- public pages (no log-in) ----------------------------------------------------------------------------------

def _campaign():
    campaign = public.current_campaign()
    if campaign is None:
        raise Http404()
    return campaign


def topic_home(request):
    """The topic page (活动专栏): the campaign, the provinces' progress, published stories, videos, lists and the
    events calendar. A fixed number of queries, however many items are published."""
    campaign = _campaign()
    rows = list(public.published(campaign)[:300])
    by_kind = {kind: [p for p in rows if p.kind == kind] for kind in Publication.Kind.values}
    events = sorted(by_kind[Publication.Kind.EVENT], key=lambda p: p.content.get("starts_at", ""))
    return render(request, "publication/topic_home.html", {
        "campaign": campaign, "progress": public.province_progress(campaign),
        "stories": by_kind[Publication.Kind.STORY][:12], "videos": by_kind[Publication.Kind.VIDEO][:6],
        "lists": by_kind[Publication.Kind.SELECTED_LIST], "reports": by_kind[Publication.Kind.MEDIA_REPORT][:10],
        "items": by_kind[Publication.Kind.TOPIC_ITEM][:6], "brand": by_kind[Publication.Kind.BRAND_DELIVERABLE][:8],
        "events": events})


def _public(pk) -> Publication:
    found = Publication.public().select_related("org").filter(pk=pk).first()
    if found is None:
        raise Http404()
    return found


def topic_item(request, pk):
    publication = _public(pk)
    return render(request, "publication/topic_item.html", {
        "pub": publication, "campaign": _campaign(),
        "media_urls": [public.media_url(publication, n) for n in range(len(publication.media))]})


def topic_media(request, pk, n):
    publication = _public(pk)
    if not 0 <= n < len(publication.media):
        raise Http404()
    return _media_response(publication, n)


def _etag(request, *args, **kwargs):
    return public.export_state(_campaign())[0]


def _last_modified(request, *args, **kwargs):
    return public.export_state(_campaign())[1]


@condition(etag_func=_etag, last_modified_func=_last_modified)
def topic_export(request):
    """The versioned JSON document the centre's service platform takes in (docs/publication.md)."""
    document = public.export_document(_campaign(), base=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="topic-export.json"'
    response["Cache-Control"] = "no-cache"
    return response



# -- topic-page items (R-301) ----------------------------------------------------------------------------------

def _own(request):
    programme = own_programme(request.acting_org)
    ensure(programme is not None and services.can_send(request.user, programme), NotFound)
    return programme


@login_required
def items(request):
    """The acting province's (or the centre's) own topic-page items, each with its publication state."""
    programme = _own(request)
    rows = list(TopicItem.objects.filter(programme=programme).order_by("-updated_at", "-id"))
    latest = {}
    for p in Publication.objects.filter(kind=Publication.Kind.TOPIC_ITEM, object_id__in=[i.pk for i in rows]) \
            .order_by("number"):
        latest[p.object_id] = p
    return render(request, "publication/items.html", {"rows": [(i, latest.get(i.pk)) for i in rows]})


@login_required
def item_edit(request, pk=None):
    programme = _own(request)
    item = None
    if pk is not None:
        item = TopicItem.objects.filter(pk=pk, programme=programme).first()
        ensure(item is not None, NotFound)
    form = TopicItemForm(request.POST or None, request.FILES or None,
                         initial={"title": item.title, "body": item.body} if item else None)
    done = form_action(request, form, lambda: services.topic_item_save(
        programme=programme, by=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
        image=form.cleaned_data.get("image"), item=item), success=_("已保存；报送中心审核通过后在活动专栏发布"),
        then=reverse("publication:items"))
    if done is not None:
        return done
    return render(request, "publication/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_submit(request, pk):
    programme = _own(request)
    return service_action(request, lambda: services.publication_submit(
        programme=programme, kind=Publication.Kind.TOPIC_ITEM, object_id=pk, by=request.user),
        success=_("已报送中心审核，审核通过后将在活动专栏发布"), then=reverse("publication:items"))
