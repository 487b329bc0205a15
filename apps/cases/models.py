"""Enterprises (the registry per campaign). Cases, attachments and screening come with issue 4."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.orgs.models import Org
from apps.orgs.scoping import Scope, ScopedManager


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="enterprises")
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    # 属地: the county the enterprise belongs to, and the park it sits in, if any.
    county = models.ForeignKey(Org, models.PROTECT, related_name="enterprises",
                               limit_choices_to={"kind": Org.Kind.COUNTY})
    park = models.ForeignKey(Org, models.SET_NULL, null=True, blank=True, related_name="park_enterprises",
                             limit_choices_to={"kind": Org.Kind.PARK})
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True)
    industry_division = models.CharField(_("行业大类"), max_length=2, blank=True)
    size = models.CharField(_("企业规模"), max_length=8, choices=Size.choices, blank=True)
    rd_staff = models.PositiveIntegerField(_("研发人员数"), null=True, blank=True)
    rd_spend = models.DecimalField(_("研发投入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)
    is_specialised = models.BooleanField(_("专精特新中小企业"), default=False)
    little_giant_batch = models.PositiveSmallIntegerField(_("专精特新“小巨人”批次（年）"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "credit_code"], name="enterprise_one_per_credit_code"),
            models.CheckConstraint(condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                                   name="enterprise_credit_code_form"),
        ]
        indexes = [models.Index(fields=["campaign", "county"], name="enterprise_county")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Offices see the enterprises of their subtree; an association sees those of its own county.
        return scope.subtree("county__path") | scope.chain("county__path")


class Case(models.Model):
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

    TITLE_MAX = 30
    ABSTRACT_MAX = 300
    BODY_MAX = 5000
    SECTIONS = (
        ("background", _("背景")),
        ("practice", _("主要做法")),
        ("innovation", _("创新点")),
        ("results", _("成效")),
        ("insights", _("启示")),
    )

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="cases")
    recommender = models.ForeignKey(Org, models.PROTECT, related_name="recommended_cases")
    channel = models.CharField(_("推荐渠道"), max_length=16, choices=Channel.choices)
    # The enterprise's county (R-106 属地), kept on the case so lists filter and scope on one join.
    county = models.ForeignKey(Org, models.PROTECT, related_name="county_cases")
    title = models.CharField(_("案例标题"), max_length=TITLE_MAX, blank=True)
    type = models.CharField(_("案例类型"), max_length=16, choices=Type.choices, blank=True)
    abstract = models.TextField(_("摘要"), max_length=ABSTRACT_MAX, blank=True)
    background = models.TextField(_("背景"), blank=True)
    practice = models.TextField(_("主要做法"), blank=True)
    innovation = models.TextField(_("创新点"), blank=True)
    results = models.TextField(_("成效"), blank=True)
    insights = models.TextField(_("启示"), blank=True)
    economic_benefits = models.TextField(_("经济效益"), blank=True)
    social_benefits = models.TextField(_("社会效益"), blank=True)
    consent_publicity = models.BooleanField(_("同意公开宣传"), default=False)
    consent_truthful = models.BooleanField(_("承诺材料真实"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系人手机"), max_length=11, blank=True)
    contact_email = models.EmailField(_("联系人邮箱"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=0)  # number of the last submitted version
    created_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
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

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # The recommending association and every office above it; nobody beside it.
        return scope.subtree("recommender__path")

    def body_length(self) -> int:
        return sum(len(getattr(self, name) or "") for name, _label in self.SECTIONS)


class CaseVersion(models.Model):
    """A frozen copy of a case as submitted; a revision after a return is the next number."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    submitted_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField()

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="caseversion_unique_number")]

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("case__recommender__path")


class CaseAttachment(models.Model):
    """A checked file of a case: its type was read from its content, never from its name."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        VIDEO = "video", _("视频")
        SLIDES = "slides", _("演示文稿")
        EVIDENCE = "evidence", _("佐证材料")
        RECOMMENDATION_FORM = "form", _("盖章推荐表")

    case = models.ForeignKey(Case, models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=300)
    thumbnail = models.FileField(upload_to="cases/thumbs/%Y/%m/", max_length=300, blank=True)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # What the checks read from the file: width/height for images and video; duration, codec for video.
    meta = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["case", "kind", "position", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="attachment_case_kind")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("case__recommender__path")
