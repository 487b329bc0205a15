"""The presentation team (R-201) and presentation events (R-202…R-204).

A team belongs to a province (from its locked presenter list) or to a city (from its own locked list, for city
events). An event belongs to a province or a city; its plan (方案) is edited on the event and sent to the centre
as a frozen version (`EventPlan`); it may be held only once the version the centre approved is the plan as it
stands. After the event its report records attendance, live-stream views, photos and coverage links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.cases.models import Case
from apps.core.scoping import ScopedModel
from apps.orgs.models import Org


class Presenter(ScopedModel):
    """One presenter (宣讲人) of a selected case in an org's team (R-201). A replaced presenter stays on record
    with the reason and the one who replaced them."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="presenters")
    org = models.ForeignKey(Org, models.PROTECT, related_name="presenters")  # the team's org: province or city
    case = models.ForeignKey(Case, models.PROTECT, related_name="presenters")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50)
    organisation = models.CharField(_("单位"), max_length=100)
    phone = models.CharField(_("手机"), max_length=11)
    bio = models.TextField(_("简介"), max_length=500)
    photo = models.ImageField(_("照片"), upload_to="presenters/%Y/", blank=True)
    active = models.BooleanField(default=True)
    replaced_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    replace_reason = models.TextField(_("更换理由"), blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["org__code", "case_id", "id"]
        indexes = [models.Index(fields=["org", "active"], name="presenter_org_active")]

    def __str__(self) -> str:
        return f"{self.name}（{self.case.title}）"


class Event(ScopedModel):
    """A presentation event (宣讲活动) of a province or a city, with its plan and, once held, its report."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("线上")
        OFFLINE = "offline", _("线下")
        BOTH = "both", _("线上线下结合")

    class State(models.TextChoices):
        PLANNING = "planning", _("筹备中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="events")
    org = models.ForeignKey(Org, models.PROTECT, related_name="events")
    title = models.CharField(_("活动名称"), max_length=100)
    mode = models.CharField(_("形式"), max_length=8, choices=Mode.choices, default=Mode.BOTH)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    in_tech_park = models.BooleanField(_("在科技园区举办"), default=False)
    park_name = models.CharField(_("园区名称"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    # The plan (方案, R-203).
    schedule = models.TextField(_("日程安排"), blank=True)
    agenda = models.JSONField(_("活动议程"), default=list, blank=True)  # [{"time": "09:30", "item": …, "who": …}]
    guests = models.JSONField(_("嘉宾名单"), default=list, blank=True)  # ["name · title", …]
    media = models.JSONField(_("邀请媒体"), default=list, blank=True)  # ["outlet", …]
    presenters = models.ManyToManyField(Presenter, related_name="events", blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNING)
    # The report (after the event).
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    attendance_onsite = models.PositiveIntegerField(_("现场参加人数"), null=True, blank=True)
    attendance_online = models.PositiveIntegerField(_("线上参加人数"), null=True, blank=True)
    stream_views = models.PositiveIntegerField(_("直播观看人次"), null=True, blank=True)
    stream_platforms = models.CharField(_("直播平台"), max_length=200, blank=True)
    coverage = models.JSONField(_("媒体报道链接"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The org's own people and the offices above it (the province reads its cities' events, the centre all).
    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_time_order"),
            models.CheckConstraint(condition=~Q(state="held") | Q(held_at__isnull=False), name="event_held_when"),
        ]
        indexes = [models.Index(fields=["programme", "state"], name="event_programme_state")]

    def __str__(self) -> str:
        return self.title


class EventFile(ScopedModel):
    """A presentation material of the plan (slides, script, video) or a photo of the report, checked on upload."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("演示文稿")
        SCRIPT = "script", _("宣讲稿")
        VIDEO = "video", _("视频")
        PHOTO = "photo", _("活动照片")

    MATERIALS = (Kind.SLIDES, Kind.SCRIPT, Kind.VIDEO)

    event = models.ForeignKey(Event, models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="events/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    scope_path = "event__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["kind", "added_at", "id"]

    def __str__(self) -> str:
        return self.name


class EventPlan(ScopedModel):
    """One version of an event's plan as sent to the centre (R-203): frozen, with its digest. The centre approves
    or returns it through apps/approvals (apps/events/approvals.py)."""

    APPROVAL_KIND = "event_plan"

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        APPROVED = "approved", _("已审核通过")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    event = models.ForeignKey(Event, models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()  # the plan's fields and materials (names and SHA-256) as sent
    digest = models.CharField(max_length=64)  # SHA-256 of the canonical snapshot
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "event__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["event", "-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="eventplan_number_once")]

    def __str__(self) -> str:
        return f"{self.event} · 方案第{self.number}版"
