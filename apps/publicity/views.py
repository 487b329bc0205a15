"""Pages of publicity records. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.selectors import latest_of
from apps.campaigns.indicators import indicator_for
from apps.campaigns.models import Programme
from apps.campaigns.permissions import is_admin_at
from apps.core.builds import document_response
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, message_form_errors, service_action
from apps.events.models import Event
from apps.events.selectors import programme_of
from apps.orgs.permissions import is_member_of
from apps.publicity import permissions, services, stories
from apps.publicity.collection import entries_of
from apps.publicity.forms import MediaReportForm, PublicityPlanForm, RemoveForm, StoryForm, TopicVideoForm
from apps.publicity.models import CaseCollection, MediaReport, PublicityPlan, Story, StoryVersion, TopicVideo

PAGE_SIZE = 30


@login_required
def report_list(request):
    """The media reports of the acting org and the orgs below it, with the province's count against its targets."""
    org = request.acting_org
    rows = MediaReport.objects.select_related("org", "event").order_by("-published_on", "-id") if org else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    programme = programme_of(org) if org is not None and org.kind != org.Kind.CENTER else None
    # The count against the targets is the R-303 indicator's (one calculation, apps/publicity/measures.py).
    need = indicator_for(programme, "R-303") if programme is not None and programme.org_id == org.pk else None
    can_record = permissions.can_record(request.user, org)
    return render(request, "publicity/report_list.html", {
        "page": page, "need": need, "can_record": can_record,
        "plan_programme": programme if programme is not None and programme.org_id == org.pk else None,
        "unrecorded": services.unrecorded_coverage(org, programme) if can_record and programme else []})


@login_required
def report_add(request):
    org = request.acting_org
    ensure(permissions.can_record(request.user, org), NotFound)
    programme = programme_of(org)
    ensure(programme is not None, NotFound)
    initial = {"url": request.GET.get("url", "")[:1000], "event": request.GET.get("event") or None}
    form = MediaReportForm(request.POST or None, request.FILES or None, initial=initial)

    def record():
        data = form.cleaned_data
        event = None
        if data.get("event"):
            event = Event.objects.filter(pk=data["event"]).first()
        return services.media_report_add(org=org, programme=programme, by=request.user, outlet=data["outlet"],
                                         level=data["level"], kind=data["kind"], published_on=data["published_on"],
                                         title=data["title"], url=data["url"], evidence=data["evidence"], event=event)

    done = form_action(request, form, record, success=_("已登记媒体报道"), then=reverse("publicity:report_list"))
    if done is not None:
        return done
    return render(request, "publicity/report_form.html", {"form": form})


@login_required
def report_evidence(request, pk):
    report = permissions.access_report(request.user, pk)
    return stored_file_response(report.evidence, filename=report.evidence_name, content_type=report.evidence_type)


@login_required
@require_POST
def report_remove(request, pk):
    report = permissions.access_report(request.user, pk)
    ensure(permissions.can_record(request.user, report.org), NotFound)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect("publicity:report_list")
    return service_action(request, lambda: services.media_report_remove(report=report, by=request.user,
                                                                        reason=form.cleaned_data["reason"]),
                          success=_("已删除该媒体报道"), then=reverse("publicity:report_list"))


@login_required
def plan(request, programme_id):
    """The province's publicity plan (R-302): the version in force, the latest version and its state, and the form
    that sends a new version to the centre (the province's own people only). The centre reads it."""
    programme = Programme.objects.select_related("org", "campaign").filter(pk=programme_id).first()
    ensure(programme is not None and programme.kind == Programme.Kind.PROVINCE
           and is_member_of(request.user, programme.org), NotFound)
    in_force = PublicityPlan.objects.filter(programme=programme, status=PublicityPlan.Status.IN_FORCE).first()
    latest = PublicityPlan.objects.filter(programme=programme).order_by("-number").first()
    request_of = latest_of(PublicityPlan.APPROVAL_KIND, f"publicity_plan:{programme.pk}")
    can_send = permissions.can_record(request.user, programme.org) and not (
        latest is not None and latest.status == PublicityPlan.Status.PENDING)
    form = PublicityPlanForm(request.POST or None, initial=PublicityPlanForm.initial_of(latest))
    if can_send:
        done = form_action(request, form, lambda: services.publicity_plan_submit(
            programme=programme, by=request.user, phases=form.phases()),
            success=lambda p: _("已将宣传工作方案第%(n)d版报送中心审核") % {"n": p.number},
            then=reverse("publicity:plan", args=[programme.pk]))
        if done is not None:
            return done
    return render(request, "publicity/plan.html", {
        "programme": programme, "in_force": in_force, "latest": latest, "approval": request_of, "form": form,
        "can_send": can_send, "channels": dict(PublicityPlan.CHANNELS), "phases": PublicityPlan.PHASES})


@login_required
def video_list(request):
    """The topic videos of the acting org and below, each with its check against the spec, line by line; the form
    to upload one (a province or a city)."""
    org = request.acting_org
    rows = TopicVideo.objects.select_related("org", "case").order_by("-created_at", "-id") if org else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = permissions.can_record(request.user, org)
    programme = programme_of(org) if can_record else None
    form = TopicVideoForm(request.POST or None, request.FILES or None,
                          cases=services.province_list_cases(programme) if programme else [])
    if can_record and programme is not None:
        done = form_action(request, form, lambda: services.topic_video_add(
            org=org, programme=programme, by=request.user, title=form.cleaned_data["title"],
            case_id=form.cleaned_data["case"], upload=form.cleaned_data["file"]),
            success=lambda v: _("已上传，视频符合规格") if v.passes else _("已上传，但视频不符合规格，不计入专题视频数量"),
            then=reverse("publicity:video_list"))
        if done is not None:
            return done
    spec = programme.campaign.video_spec_values() if programme else None
    return render(request, "publicity/video_list.html", {"page": page, "form": form, "can_record": can_record,
                                                         "spec": spec})


@login_required
def video_file(request, pk):
    video = TopicVideo.objects.select_related("org").filter(pk=pk).first()
    ensure(video is not None and is_member_of(request.user, video.org), NotFound)
    return stored_file_response(video.file, filename=video.name, content_type="video/mp4")


def _province(request):
    """The acting province and its programme (stories are a province's), or 404."""
    org = request.acting_org
    ensure(org is not None and org.kind == org.Kind.PROVINCE, NotFound)
    programme = programme_of(org)
    ensure(programme is not None and programme.org_id == org.pk, NotFound)
    return org, programme


@login_required
def story_list(request):
    """One row per case of the provincial list: its story's state and version, or none yet."""
    org, programme = _province(request)
    stories_by_case = {s.case_id: s for s in Story.objects.filter(programme=programme)}
    rows = [(case, stories_by_case.get(case.pk)) for case in services.province_list_cases(programme)]
    return render(request, "publicity/story_list.html", {
        "rows": rows, "can_write": permissions.can_record(request.user, org),
        "indicator": indicator_for(programme, "R-305")})


@login_required
def story_edit(request, case_id):
    org, programme = _province(request)
    ensure(permissions.can_record(request.user, org), NotFound)
    case = next((c for c in services.province_list_cases(programme) if c.pk == case_id), None)
    ensure(case is not None, NotFound)
    story = Story.objects.filter(programme=programme, case=case).first()
    initial = {"title": story.title, "form": story.form, "body": story.body} if story else {"title": case.title}
    form = StoryForm(request.POST or None, request.FILES or None, initial=initial)
    done = form_action(request, form, lambda: services.story_save(
        programme=programme, case_id=case.pk, by=request.user, title=form.cleaned_data["title"],
        form=form.cleaned_data["form"], body=form.cleaned_data["body"], photo=form.cleaned_data.get("photo")),
        success=_("已保存故事"), then=lambda saved: reverse("publicity:story_detail", args=[saved.pk]))
    if done is not None:
        return done
    return render(request, "publicity/story_form.html", {"form": form, "case": case, "story": story})


def _access_story(request, pk) -> Story:
    story = Story.objects.select_related("org", "case").filter(pk=pk).first()
    ensure(story is not None and is_member_of(request.user, story.org), NotFound)
    return story


@login_required
def story_detail(request, pk):
    """The story, its versions and what changed from each to the next."""
    story = _access_story(request, pk)
    versions = list(StoryVersion.objects.filter(story=story).order_by("-number"))
    changes = [(newer, stories.diff_lines(older.body, newer.body)) for newer, older in zip(versions, versions[1:])]
    can_write = permissions.can_record(request.user, story.org)
    return render(request, "publicity/story_detail.html", {
        "story": story, "versions": versions, "changes": changes, "can_write": can_write,
        "can_review": can_write and is_admin_at(request.user, story.org)})


@login_required
@require_POST
def story_move(request, pk):
    story = _access_story(request, pk)
    ensure(permissions.can_record(request.user, story.org), NotFound)
    to = request.POST.get("to", "")
    return service_action(request, lambda: services.story_move(story=story, by=request.user, to=to),
                          success=lambda s: _("故事已改为“%(state)s”") % {"state": s.get_state_display()},
                          then=reverse("publicity:story_detail", args=[story.pk]))


@login_required
def story_photo(request, pk):
    story = _access_story(request, pk)
    ensure(bool(story.photo), NotFound)
    jpeg = story.photo.name.endswith(".jpg")
    return stored_file_response(story.photo, content_type="image/jpeg" if jpeg else "image/png")


@login_required
def collection(request):
    """The province's case collection (R-306): the button that builds a new one from the reviewed stories, the build
    in progress (the page refreshes its progress), and every build with its Word and PDF files."""
    org, programme = _province(request)
    can_build = permissions.can_record(request.user, org)
    if request.method == "POST":
        ensure(can_build, NotFound)
        return service_action(request, lambda: services.case_collection_request(programme=programme, by=request.user),
                              success=_("已开始生成案例集，可留在本页查看进度"), then=reverse("publicity:collection"))
    builds = CaseCollection.objects.filter(programme=programme).select_related("requested_by").order_by("-number")
    page = Paginator(builds, PAGE_SIZE).get_page(request.GET.get("page"))
    active = next((b for b in page if b.state in CaseCollection.ACTIVE), None) if page.number == 1 else None
    return render(request, "publicity/collection.html", {
        "page": page, "active": active, "can_build": can_build, "indicator": indicator_for(programme, "R-306"),
        "reviewed": len(entries_of(programme))})


@login_required
def collection_progress(request, pk):
    """The progress of one build, as the fragment the collection page polls while it runs."""
    build = _access_collection(request, pk)
    return render(request, "publicity/_collection_progress.html", {"build": build})


def _access_collection(request, pk) -> CaseCollection:
    build = CaseCollection.objects.select_related("org").filter(pk=pk).first()
    ensure(build is not None and is_member_of(request.user, build.org), NotFound)
    return build


@login_required
def collection_file(request, pk, kind):
    """The Word or PDF file of a build, to whoever may see the province's records."""
    build = _access_collection(request, pk)
    return document_response(build, kind, _("%(org)s案例集（第%(n)d次生成）.%(ext)s") % {
        "org": build.org.name, "n": build.number, "ext": kind})
