"""The national brand project (品牌项目, R-501, R-502): the centre's own programme of kind BRAND. Its plan in four
phases goes through the approvals (apps/brand/approvals.py); its registry of media contacts and its log of channel
uses are the brand team's working records, seen by the centre's people only. docs/brand.md describes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.core.scoping import ScopedModel


class BrandPlan(ScopedModel):
    """One version of the brand plan (R-501): for each phase (warm-up, collection, regional presentations, summary)
    its dates, goals and channels. The brand team submits a version; the centre's admin approves it (the approvals);
    the approved version is in force until a later one is approved."""

    APPROVAL_KIND = "brand_plan"
    PHASES = (("warmup", _("预热阶段")), ("collection", _("征集阶段")), ("presentations", _("区域宣讲阶段")),
              ("summary", _("总结阶段")))

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        IN_FORCE = "in_force", _("生效")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        RETIRED = "retired", _("已被新版本替代")

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="brand_plans")
    number = models.PositiveIntegerField()
    phases = models.JSONField()  # {phase: {"start", "end", "goals": str, "channels": [Channel values]}}
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="brandplan_number_once"),
            models.UniqueConstraint(fields=["programme"], condition=Q(status="in_force"),
                                    name="brandplan_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"品牌项目方案第{self.number}版"


class Channel(models.TextChoices):
    """Where a brand item is published (R-502), also the channels a phase of the plan names (R-501)."""

    WEBSITE = "website", _("网站")
    APP = "app", _("客户端")
    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")
    VIDEO = "video", _("短视频平台")
    TV = "tv", _("电视")
    RADIO = "radio", _("广播")
    NEWSPAPER = "newspaper", _("报纸")


class MediaContact(ScopedModel):
    """One person at a media outlet the brand team works with (R-502): the outlet and its level, the person, a phone
    or an e-mail address, and when they were last contacted. The contact details are the brand team's: the centre's
    people read them, nobody else does. An outlet and person are recorded once per programme."""

    class Level(models.TextChoices):
        # The first two share their values with the media reports' levels (apps/publicity, R-303).
        NATIONAL = "national", _("权威主流媒体")
        PROVINCIAL = "provincial", _("省级媒体")
        INDUSTRY = "industry", _("行业媒体")
        OTHER = "other", _("其他媒体")

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="media_contacts")
    outlet = models.CharField(_("媒体"), max_length=100)
    level = models.CharField(_("媒体级别"), max_length=12, choices=Level.choices)
    person = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=254, blank=True)
    last_contact_on = models.DateField(_("最近联系日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["outlet", "person", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "outlet", "person"], name="mediacontact_person_once"),
            models.CheckConstraint(condition=~Q(phone="", email=""), name="mediacontact_has_contact"),
            models.CheckConstraint(condition=Q(level__in=["national", "provincial", "industry", "other"]),
                                   name="mediacontact_level_known"),
        ]
        indexes = [models.Index(fields=["programme", "level"], name="mediacontact_programme_level")]

    def __str__(self) -> str:
        return f"{self.outlet} · {self.person}"


class ChannelUse(ScopedModel):
    """One use of a media channel for the brand project (R-502): the outlet (from the registry), the channel, the
    date, the item published, its link and a screenshot or PDF as evidence. A link counts once per programme
    (`url_key`, the normalised link, apps/core/links.py)."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="channel_uses")
    outlet = models.CharField(_("媒体"), max_length=100)
    level = models.CharField(_("媒体级别"), max_length=12, choices=MediaContact.Level.choices)  # the outlet's, then
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    used_on = models.DateField(_("发布日期"))
    title = models.CharField(_("发布内容"), max_length=200)
    url = models.URLField(_("链接"), max_length=500)
    url_key = models.CharField(max_length=500)
    evidence = models.FileField(upload_to="brand/%Y/%m/")
    evidence_name = models.CharField(max_length=200)
    evidence_type = models.CharField(max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-used_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "url_key"], name="channeluse_link_once")]
        indexes = [models.Index(fields=["programme", "used_on"], name="channeluse_programme_date")]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"


class Deliverable(ScopedModel):
    """One version of a brand deliverable (R-504): the main visual, a poster, the brochure, the promotional video, or
    a national short video cut from the provinces' topic videos (its sources). Each goes to the centre's approval and
    counts only once approved; a video is checked against its spec when uploaded, and one that fails stays on record,
    marked failing, never sent for approval and never counted. A returned or failing version is replaced by a new
    version of the same place (`kind`, `slot`); the versions of a place share an approval thread."""

    APPROVAL_KIND = "brand_deliverable"

    class Kind(models.TextChoices):
        MAIN_VISUAL = "main_visual", _("主视觉")
        POSTER = "poster", _("海报")
        BROCHURE = "brochure", _("宣传册")
        PROMO_VIDEO = "promo_video", _("宣传片")
        SHORT_VIDEO = "short_video", _("全国短视频")

    # How many of each kind R-504 asks for (short videos: at least one).
    REQUIRED = {Kind.MAIN_VISUAL: 1, Kind.POSTER: 3, Kind.BROCHURE: 1, Kind.PROMO_VIDEO: 1, Kind.SHORT_VIDEO: 1}
    VIDEOS = (Kind.PROMO_VIDEO, Kind.SHORT_VIDEO)

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        FAILING = "failing", _("不符合规格")
        REPLACED = "replaced", _("已被新版本替代")

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="brand_deliverables")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    slot = models.PositiveSmallIntegerField()  # which poster (1…3), which short video (1…)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("标题"), max_length=100)
    file = models.FileField(upload_to="brand/deliverables/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    checks = models.JSONField(default=list, blank=True)  # videos: [{"key", "label", "ok", "found"}]
    passes = models.BooleanField(default=True)
    sources = models.ManyToManyField("publicity.TopicVideo", related_name="brand_short_videos", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["kind", "slot", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "slot", "version"], name="deliverable_version_once"),
            models.UniqueConstraint(fields=["programme", "sha256"], name="deliverable_file_once"),
            models.CheckConstraint(condition=Q(passes=True) | ~Q(status="approved"),
                                   name="deliverable_approved_passes"),
        ]
        indexes = [models.Index(fields=["programme", "kind", "status"], name="deliverable_programme_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_video(self) -> bool:
        return self.kind in self.VIDEOS


class OverviewReport(ScopedModel):
    """An overview report with mainstream media (综述报道, R-505): its outlet (from the registry of media contacts),
    title, date and link (counted once, by `url_key`), and the data pack gathered across all provinces, frozen when
    the report is recorded (`data`, `data_at`) so its Excel and PDF always show the same numbers."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="overview_reports")
    outlet = models.CharField(_("媒体"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("发布日期"))
    url = models.URLField(_("链接"), max_length=500)
    url_key = models.CharField(max_length=500)
    data = models.JSONField()  # apps/brand/datapack.py gather()
    data_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "programme__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "url_key"], name="overviewreport_link_once")]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"
