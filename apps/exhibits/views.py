"""Pages of exhibits (R-307). Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.selectors import latest_of
from apps.campaigns.indicators import indicator_for
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, service_action
from apps.exhibits import permissions, selectors, services
from apps.exhibits.approvals import KIND, thread
from apps.exhibits.forms import DeclineForm, ExhibitEditForm, ExhibitForm
from apps.exhibits.models import Exhibit, ExhibitPhoto

PAGE_SIZE = 30


@login_required
def exhibit_list(request):
    """The exhibits of the acting org and the orgs below it, by state, with the count of each state; the province
    sees its indicator."""
    org = request.acting_org
    ensure(org is not None, NotFound)
    rows = Exhibit.objects.all()
    counts = selectors.state_counts(rows)
    state = request.GET.get("state", "")
    if state in Exhibit.State.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    rows = rows.select_related("org", "enterprise").order_by("-proposed_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    programme = selectors.programme_of(org) if org.kind == org.Kind.PROVINCE else None
    indicator = indicator_for(programme, "R-307") if programme is not None and programme.org_id == org.pk else None
    return render(request, "exhibits/exhibit_list.html", {
        "page": page, "state": state, "counts": [(s, label, counts[s]) for s, label in Exhibit.State.choices],
        "total": sum(counts.values()), "indicator": indicator,
        "can_propose": permissions.can_propose(request.user, org),
        "query_prefix": f"state={state}&" if state else ""})


def _enterprises(request, org):
    programme = selectors.programme_of(org)
    ensure(programme is not None, NotFound)
    return selectors.little_giants(programme, permissions.proposing_counties(request.user, org))


@login_required
def exhibit_new(request):
    org = request.acting_org
    ensure(permissions.can_propose(request.user, org), NotFound)
    enterprises = list(_enterprises(request, org))
    form = ExhibitForm(request.POST or None, request.FILES or None, enterprises=enterprises)
    done = form_action(request, form, lambda: services.exhibit_propose(org=org, by=request.user, **form.values()),
                       success=_("已申报展品，待省级科协推荐"),
                       then=lambda exhibit: reverse("exhibits:exhibit_detail", args=[exhibit.pk]))
    if done is not None:
        return done
    return render(request, "exhibits/exhibit_form.html", {"form": form, "exhibit": None,
                                                          "no_enterprises": not enterprises})


def _detail(request, exhibit, decline_form=None):
    decides = exhibit.state == Exhibit.State.PROPOSED and permissions.can_decide_exhibit(request.user, exhibit)
    return render(request, "exhibits/exhibit_detail.html", {
        "exhibit": exhibit, "photos": ExhibitPhoto.objects.filter(exhibit=exhibit).order_by("id"),
        "approval": latest_of(KIND, thread(exhibit)),
        "can_edit": exhibit.state == Exhibit.State.PROPOSED and permissions.can_edit_exhibit(request.user, exhibit),
        "can_decide": decides, "decline_form": decline_form or DeclineForm()})


@login_required
def exhibit_detail(request, pk):
    """The exhibit, its photos, its state and the centre's decision; the province's admin shortlists or declines."""
    return _detail(request, permissions.access_exhibit(request.user, pk))


@login_required
def exhibit_edit(request, pk):
    exhibit = permissions.access_exhibit(request.user, pk)
    ensure(permissions.can_edit_exhibit(request.user, exhibit), NotFound)
    if exhibit.state != Exhibit.State.PROPOSED:
        messages.info(request, _("展品目前为“%(state)s”，不能再修改") % {"state": exhibit.get_state_display()})
        return redirect("exhibits:exhibit_detail", exhibit.pk)
    photos = list(ExhibitPhoto.objects.filter(exhibit=exhibit).order_by("id"))
    enterprises = list(_enterprises(request, exhibit.org))
    form = ExhibitEditForm(request.POST or None, request.FILES or None, enterprises=enterprises, photos=photos,
                           initial=ExhibitForm.initial_of(exhibit))
    done = form_action(request, form, lambda: services.exhibit_update(exhibit=exhibit, by=request.user,
                                                                      **form.values()),
                       success=_("已保存展品"), then=reverse("exhibits:exhibit_detail", args=[exhibit.pk]))
    if done is not None:
        return done
    return render(request, "exhibits/exhibit_form.html", {"form": form, "exhibit": exhibit, "photos": photos})


@login_required
@require_POST
def exhibit_shortlist(request, pk):
    exhibit = permissions.access_exhibit(request.user, pk)
    ensure(permissions.can_decide_exhibit(request.user, exhibit), NotFound)
    return service_action(request, lambda: services.exhibit_shortlist(exhibit=exhibit, by=request.user),
                          success=_("已推荐该展品并报送中心确定"),
                          then=reverse("exhibits:exhibit_detail", args=[exhibit.pk]))


@login_required
@require_POST
def exhibit_decline(request, pk):
    """Decline with a reason; a missing reason shows at its field on the exhibit's page, what was typed kept."""
    exhibit = permissions.access_exhibit(request.user, pk)
    ensure(permissions.can_decide_exhibit(request.user, exhibit), NotFound)
    form = DeclineForm(request.POST)
    done = form_action(request, form, lambda: services.exhibit_decline(exhibit=exhibit, by=request.user,
                                                                       reason=form.cleaned_data["reason"]),
                       success=_("已将该展品设为未推荐"), then=reverse("exhibits:exhibit_detail", args=[exhibit.pk]))
    if done is not None:
        return done
    return _detail(request, exhibit, form)


@login_required
def exhibit_photo(request, pk, photo_pk):
    photo = permissions.access_photo(request.user, pk, photo_pk)
    return stored_file_response(photo.file, filename=photo.name, content_type=photo.content_type)
