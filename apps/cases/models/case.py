"""Cases and their submitted versions (R-106)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.core.scoping import ScopedModel
from apps.enterprises.models import Enterprise
from apps.orgs.models import Org

__all__ = ["Case", "CaseVersion"]


class Case(ScopedModel):
    """A case recommended by a park or enterprise association for one of its county's enterprises (R-106).

    `status` is the case's own life at the association (draft → submitted, or returned for revision and
    submitted again); what each level decided about it lives on the rounds' entries (apps.rounds).
    """

    class Type(models.TextChoices):
        ORGANISATIONAL = "organisational", _("组织创新")
        TECHNOLOGICAL = "technological", _("技术创新")
        PROCESS = "process", _("工艺创新")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Channel(models.TextChoices):
        PARK = "park", _("园区科协推荐")
        ENTERPRISE = "enterprise", _("企业科协推荐")

    # Limits a submission must meet (DOMAIN.md "A case"); a draft keeps longer text so nothing typed is lost.
    TITLE_MAX = 30
    ABSTRACT_MAX = 300
    BODY_MAX = 5000
    CONTACT_NAME_MAX = 50
    CONTACT_PHONE_MAX = 11
    CONTACT_EMAIL_MAX = 254
    # A draft holds up to this many times each limit: room for pasted text to be cut down later, and still a
    # bound, so a paste of a whole book is refused with a message instead of filling the database.
    DRAFT_FACTOR = 10
    SECTIONS = (
        ("background", _("背景")),
        ("practice", _("主要做法")),
        ("innovation", _("创新点")),
        ("results", _("成效")),
        ("insights", _("启示")),
    )

    # No single-column indexes where a Meta index starts with the column: each is one more index that
    # every inserted case must update (bench/case_import.py).
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="cases", db_index=False)
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="cases", db_index=False)
    recommender = models.ForeignKey(Org, models.PROTECT, related_name="recommended_cases", db_index=False)
    channel = models.CharField(_("推荐渠道"), max_length=16, choices=Channel.choices)
    # The enterprise's county (R-106 属地), kept on the case so lists filter and scope on one join.
    county = models.ForeignKey(Org, models.PROTECT, related_name="county_cases")
    title = models.CharField(_("案例标题"), max_length=TITLE_MAX * DRAFT_FACTOR, blank=True)
    type = models.CharField(_("案例类型"), max_length=16, choices=Type.choices, blank=True)
    abstract = models.TextField(_("摘要"), max_length=ABSTRACT_MAX * DRAFT_FACTOR, blank=True)
    background = models.TextField(_("背景"), blank=True)
    practice = models.TextField(_("主要做法"), blank=True)
    innovation = models.TextField(_("创新点"), blank=True)
    results = models.TextField(_("成效"), blank=True)
    insights = models.TextField(_("启示"), blank=True)
    economic_benefits = models.TextField(_("经济效益"), blank=True)
    social_benefits = models.TextField(_("社会效益"), blank=True)
    consent_publicity = models.BooleanField(_("同意公开宣传"), default=False)
    consent_truthful = models.BooleanField(_("承诺材料真实"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=CONTACT_NAME_MAX * DRAFT_FACTOR, blank=True)
    # Held as typed ("138 0013 8000", "+86…"): the format is checked at submission, not by the column.
    contact_phone = models.CharField(_("联系人手机"), max_length=CONTACT_PHONE_MAX * DRAFT_FACTOR, blank=True)
    contact_email = models.CharField(_("联系人邮箱"), max_length=CONTACT_EMAIL_MAX * DRAFT_FACTOR, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=0)  # number of the last submitted version
    created_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The recommending association and every office above it; nobody beside it.
    scope_path = "recommender__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["campaign", "county", "status", "id"], name="case_county_status"),
            models.Index(fields=["recommender", "status", "id"], name="case_recommender_status"),
            models.Index(fields=["enterprise"], name="case_enterprise"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["park", "enterprise"]), name="case_channel_known"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("（未命名案例）"))

    def body_length(self) -> int:
        return sum(len(getattr(self, name) or "") for name, _label in self.SECTIONS)

    def sections(self) -> list[tuple[str, str]]:
        """The five body sections as (label, text), in order."""
        return [(label, getattr(self, name) or "") for name, label in self.SECTIONS]


class CaseVersion(ScopedModel):
    """A frozen copy of a case as submitted; a revision after a return is the next number."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="versions", db_index=False)  # unique (case, number)
    number = models.PositiveIntegerField()
    data = models.JSONField()
    submitted_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField()

    scope_path = "case__recommender__path"

    class Meta(ScopedModel.Meta):
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="caseversion_unique_number")]
