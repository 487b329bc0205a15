"""Publicity records (R-302…R-306). So far: media reports (R-303), each with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign, Programme
from apps.core.builds import DocumentBuild
from apps.core.scoping import ScopedModel
from apps.events.models import Event
from apps.orgs.models import Org


class MediaReport(ScopedModel):
    """A media report about the campaign (R-303): its outlet, level and kind, date, title and link, with a screenshot
    or PDF as evidence. A link is recorded once in a campaign (`url_key`, the normalised link)."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级媒体")
        NATIONAL = "national", _("权威主流媒体")

    class Kind(models.TextChoices):
        REPORT = "report", _("报道")
        OVERVIEW = "overview", _("综述报道")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="media_reports")
    org = models.ForeignKey(Org, models.PROTECT, related_name="media_reports")
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="media_reports")
    outlet = models.CharField(_("媒体"), max_length=100)
    level = models.CharField(_("媒体级别"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    published_on = models.DateField(_("发布日期"))
    title = models.CharField(_("标题"), max_length=200)
    url = models.URLField(_("链接"), max_length=500)
    url_key = models.CharField(max_length=500)
    evidence = models.FileField(upload_to="publicity/%Y/%m/")
    evidence_name = models.CharField(max_length=200)
    evidence_type = models.CharField(max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "url_key"], name="mediareport_link_once")]
        indexes = [models.Index(fields=["programme", "kind", "level"], name="mediareport_programme_kind")]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"


class PublicityPlan(ScopedModel):
    """One version of a province's full-cycle publicity plan (R-302): for each phase (warm-up, collection,
    presentations, summary) its dates, channels (TV, web, new media), whether it is streamed live, and what is
    planned. Versions go to the centre through the approvals (apps/publicity/approvals.py); the approved one is in
    force until a later one is approved."""

    APPROVAL_KIND = "publicity_plan"
    PHASES = (("warmup", _("预热阶段")), ("collection", _("征集阶段")), ("presentations", _("宣讲阶段")),
              ("summary", _("总结阶段")))
    CHANNELS = (("tv", _("电视")), ("web", _("网络")), ("new_media", _("新媒体")))

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        IN_FORCE = "in_force", _("生效")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        RETIRED = "retired", _("已被新版本替代")

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="publicity_plans")
    number = models.PositiveIntegerField()
    phases = models.JSONField()  # {phase: {"start", "end", "channels": [...], "live": bool, "content": str}}
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="publicityplan_number_once"),
            models.UniqueConstraint(fields=["programme"], condition=models.Q(status="in_force"),
                                    name="publicityplan_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.org.name} · 宣传工作方案第{self.number}版"


class TopicVideo(ScopedModel):
    """A topic video (专题视频, R-304) about one case, checked against the campaign's spec when uploaded. A video that
    fails stays on record with its check, marked as failing, and is not counted."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="topic_videos")
    org = models.ForeignKey(Org, models.PROTECT, related_name="topic_videos")
    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="topic_videos")
    title = models.CharField(_("标题"), max_length=100)
    file = models.FileField(upload_to="publicity/videos/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    spec = models.JSONField()  # the spec it was checked against
    checks = models.JSONField()  # [{"key", "label", "ok", "found"}]
    passes = models.BooleanField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "sha256"], name="topicvideo_file_once")]
        indexes = [models.Index(fields=["programme", "passes"], name="topicvideo_programme_passes")]

    def __str__(self) -> str:
        return self.title


class Story(ScopedModel):
    """A written story (案例故事, R-305) of one case of the provincial list, in the introduction or the interview form.
    Its body is a safe rich-text subset (apps/publicity/stories.py). Workflow: draft → edited → reviewed by the
    province; every save is a version."""

    class Form(models.TextChoices):
        INTRODUCTION = "introduction", _("介绍式")
        INTERVIEW = "interview", _("访谈式")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        EDITED = "edited", _("已编辑")
        REVIEWED = "reviewed", _("省级已审核")

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="stories")
    org = models.ForeignKey(Org, models.PROTECT, related_name="stories")
    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="stories")
    form = models.CharField(_("形式"), max_length=12, choices=Form.choices, default=Form.INTRODUCTION)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    photo = models.ImageField(_("照片"), upload_to="publicity/stories/%Y/", blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["programme", "case_id"]
        constraints = [models.UniqueConstraint(fields=["programme", "case"], name="story_one_per_case")]

    def __str__(self) -> str:
        return self.title


class StoryVersion(ScopedModel):
    """A story as it was saved: every save keeps one, so the versions can be compared."""

    story = models.ForeignKey(Story, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=100)
    body = models.TextField()
    state = models.CharField(max_length=10)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    scope_path = "story__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["story", "-number"]
        constraints = [models.UniqueConstraint(fields=["story", "number"], name="storyversion_number_once")]


class CaseCollection(DocumentBuild):
    """One build of a province's case collection (案例集, R-306): its reviewed stories with their cases, enterprises
    and photos, as a Word document and as a PDF with the CJK font embedded. Built by a background task
    (apps/publicity/tasks.py) that writes its progress here; every build is kept, with the stories it holds and the
    SHA-256 of each file."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="case_collections")
    org = models.ForeignKey(Org, models.PROTECT, related_name="case_collections")
    contents = models.JSONField(default=list)  # [{"story", "case", "version", "title"}] in the book's order
    docx = models.FileField(upload_to="publicity/collections/%Y/", blank=True)
    pdf = models.FileField(upload_to="publicity/collections/%Y/", blank=True)

    scope_path = "org__path"

    class Meta(DocumentBuild.Meta):
        abstract = False
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="casecollection_number_once"),
            # One build runs at a time: two officials pressing "build" at once make one build.
            models.UniqueConstraint(fields=["programme"], condition=models.Q(state__in=["queued", "building"]),
                                    name="casecollection_one_active"),
            models.CheckConstraint(condition=models.Q(state__in=["queued", "building", "built", "failed"]),
                                   name="casecollection_state_known"),
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")),
                                   name="casecollection_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.org.name}案例集（第{self.number}次生成）"
