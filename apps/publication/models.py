"""Publication (R-404): nothing reaches the public until the centre approves it. Each row is one version of one item
(a story, a topic video, a media report, an event, a selected list, a topic-page item, a brand deliverable) as it
was sent, frozen: its title, its content and
its media files by name and SHA-256. The topic page, its Atom feed, its export and the public API read only the
rows the centre approved and has not taken down (`Publication.public()`), so taking one down removes it everywhere
at once. docs/publication.md describes the flow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign, Programme
from apps.core.scoping import ScopedModel
from apps.orgs.models import Org


class Publication(ScopedModel):
    APPROVAL_KIND = "publication"

    class Kind(models.TextChoices):
        STORY = "story", _("案例故事")
        VIDEO = "video", _("专题视频")
        MEDIA_REPORT = "media_report", _("媒体报道")
        EVENT = "event", _("宣讲活动")
        SELECTED_LIST = "selected_list", _("遴选名单")
        TOPIC_ITEM = "topic_item", _("专栏图文")
        BRAND_DELIVERABLE = "brand_deliverable", _("品牌宣传品")

    class State(models.TextChoices):
        PENDING = "pending", _("待中心审核")
        PUBLISHED = "published", _("已发布")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        TAKEN_DOWN = "taken_down", _("已撤下")
        REPLACED = "replaced", _("已被新版本替代")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="publications")
    org = models.ForeignKey(Org, models.PROTECT, related_name="publications")  # who sent it
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()  # the item's row in its own app
    number = models.PositiveIntegerField()  # 1, 2 … per item
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField()  # what the public reads, frozen when sent (apps/publication/sources.py)
    media = models.JSONField(default=list)  # [{"name", "type", "size", "sha256"}]: stored files by name, as sent
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    taken_down_at = models.DateTimeField(null=True, blank=True)
    taken_down_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    take_down_reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now=True)  # the export's Last-Modified

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "number"], name="publication_number_once"),
            models.UniqueConstraint(fields=["kind", "object_id"], condition=Q(state="pending"),
                                    name="publication_one_pending"),
            models.UniqueConstraint(fields=["kind", "object_id"], condition=Q(state="published"),
                                    name="publication_one_published"),
            models.CheckConstraint(condition=Q(state__in=["pending", "published", "returned", "withdrawn",
                                                          "taken_down", "replaced"]),
                                   name="publication_state_known"),
            models.CheckConstraint(condition=~Q(state="published") | Q(published_at__isnull=False),
                                   name="publication_published_has_time"),
        ]
        indexes = [models.Index(fields=["campaign", "state", "published_at"], name="publication_public")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def public(cls):
        """What the public may read: approved by the centre and not taken down. Every public output reads this."""
        return cls.plain.filter(state=cls.State.PUBLISHED)


class TopicItem(ScopedModel):
    """Text and image material written for the topic page itself (R-301): a notice, a round-up, a picture story. A
    province writes its own; the centre writes for the campaign (on the brand programme). It reaches the public only
    through publication (a `topic_item` version approved by the centre)."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="topic_items")
    org = models.ForeignKey(Org, models.PROTECT, related_name="topic_items")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))  # the safe rich-text subset of stories (apps/publicity/stories.py)
    image = models.ImageField(_("图片"), upload_to="publication/items/%Y/", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
