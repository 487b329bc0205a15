"""The story book's page (R-506): its settings and preface, the national list's stories, the builds with their
progress and files, the approved build to print and the print runs. The centre's people only. Thin views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.book import services
from apps.book.build import chapters_of
from apps.book.forms import BookForm, PrintRunForm
from apps.book.models import BookBuild, PrintRun
from apps.campaigns.indicators import indicator_for
from apps.campaigns.models import Campaign, Programme
from apps.core.builds import document_response
from apps.core.errors import NotFound, ensure
from apps.core.forms import form_action, service_action


def _book(request):
    ensure(services.can_edit(request.user), NotFound)
    campaign = Campaign.plain.order_by("-year").first()
    ensure(campaign is not None, NotFound)
    return services.book_of(campaign)


@login_required
def home(request):
    book = _book(request)
    form = BookForm(request.POST if request.POST.get("form") == "book" else None, initial={
        "title": book.title, "preface": book.preface, "page_size": book.page_size, "bleed_mm": book.bleed_mm})
    if request.method == "POST" and request.POST.get("form") == "book":
        done = form_action(request, form, lambda: services.book_update(book=book, by=request.user, **form.cleaned_data),
                           success=_("已保存故事集设置"), then=reverse("book:home"))
        if done is not None:
            return done
    print_form = PrintRunForm(request.POST if request.POST.get("form") == "print" else None)
    if request.method == "POST" and request.POST.get("form") == "print":
        done = form_action(request, print_form, lambda: services.print_run_record(
            book=book, by=request.user, **print_form.cleaned_data), success=_("已登记印刷"), then=reverse("book:home"))
        if done is not None:
            return done
    if request.method == "POST" and request.POST.get("form") == "build":
        return service_action(request, lambda: services.book_build_request(book=book, by=request.user),
                              success=_("已开始生成故事集，可留在本页查看进度"), then=reverse("book:home"))
    chapters, missing = chapters_of(book.campaign)
    builds = list(BookBuild.objects.filter(book=book).select_related("requested_by").order_by("-number")[:20])
    brand = Programme.plain.filter(campaign=book.campaign, kind=Programme.Kind.BRAND).first()
    return render(request, "book/home.html", {
        "book": book, "form": form, "print_form": print_form, "chapters": chapters, "missing": len(missing),
        "stories": sum(len(c.stories) for c in chapters), "builds": builds,
        "active": next((b for b in builds if b.state in BookBuild.ACTIVE), None),
        "approved": services.approved_build(book), "runs": PrintRun.objects.filter(build__book=book),
        "indicator": indicator_for(brand, "R-506") if brand else None})


def _build(request, pk) -> BookBuild:
    ensure(services.can_edit(request.user), NotFound)
    found = BookBuild.objects.filter(pk=pk).first()
    ensure(found is not None, NotFound)
    return found


@login_required
def progress(request, pk):
    return render(request, "book/_progress.html", {"build": _build(request, pk)})


@login_required
def build_file(request, pk, kind):
    build = _build(request, pk)
    return document_response(build, kind, _("企业创新故事集（第%(n)d次生成）.%(ext)s") % {"n": build.number, "ext": kind})


@login_required
@require_POST
def submit(request, pk):
    build = _build(request, pk)
    return service_action(request, lambda: services.book_submit(build=build, by=request.user),
                          success=_("已报送付印审核"), then=reverse("book:home"))
