"""The yearly campaign and its programmes: one per province (R-101…R-405) and the brand project (R-5xx)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope, ScopedModel
from apps.orgs.models import Org

__all__ = ["Campaign", "Programme", "Rulebook", "WorkRules", "QuotaPlan", "QuotaRow"]


class Campaign(ScopedModel):
    """One year's campaign, created by the centre."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    # The centre's bounds on every province's rulebook: {key: {"min"|"max": JSON value or null}}
    # (apps/campaigns/rules.py); a key absent takes the spec's default bound.
    rule_bounds = models.JSONField(_("规则边界"), default=dict, blank=True)
    # The campaign's settings, which the centre edits (apps.campaigns.services.campaign_settings_update): the
    # budget of each province programme and of the brand project, their periods, and the story
    # book's size and print run. A programme takes its kind's budget and period.
    province_budget = models.DecimalField(_("省级项目经费（元）"), max_digits=12, decimal_places=2,
                                          default=Decimal("200000.00"))
    brand_budget = models.DecimalField(_("品牌建设项目经费（元）"), max_digits=12, decimal_places=2,
                                       default=Decimal("400000.00"))
    province_start = models.DateField(_("省级项目实施开始"))
    province_end = models.DateField(_("省级项目实施结束"))
    brand_start = models.DateField(_("品牌建设项目实施开始"))
    brand_end = models.DateField(_("品牌建设项目实施结束"))
    stories = models.PositiveSmallIntegerField(_("故事集收录案例数"), default=100)
    print_copies = models.PositiveIntegerField(_("故事集印数"), default=1500)
    # The unified spec of the provinces' topic videos (R-304), which the centre sets: keys of VIDEO_SPEC_DEFAULTS.
    video_spec = models.JSONField(_("专题视频规格"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2020) & Q(year__lte=2100), name="campaign_year_range"),
            models.CheckConstraint(condition=Q(province_budget__gte=0) & Q(brand_budget__gte=0),
                                   name="campaign_budgets_nonnegative"),
            models.CheckConstraint(condition=Q(province_end__gte=models.F("province_start"))
                                   & Q(brand_end__gte=models.F("brand_start")), name="campaign_periods_order"),
            models.CheckConstraint(condition=Q(stories__gte=1) & Q(print_copies__gte=1),
                                   name="campaign_book_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Periods not given take R-405's of the year: July–November for a province, July–December for the brand.
        for field, default in (("province_start", (7, 1)), ("province_end", (11, 30)),
                               ("brand_start", (7, 1)), ("brand_end", (12, 31))):
            if getattr(self, field) is None:
                setattr(self, field, dt.date(int(self.year), *default))
        super().save(*args, **kwargs)

    # about two minutes (90–150 s), H.264, at least 1280×720, 16:9, with sound.
    VIDEO_SPEC_DEFAULTS = {"min_seconds": 90, "max_seconds": 150, "codec": "h264", "min_width": 1280,
                           "min_height": 720, "aspect": "16:9", "audio": True}

    def video_spec_values(self) -> dict:
        """The topic-video spec: the centre's values over the defaults."""
        return {**self.VIDEO_SPEC_DEFAULTS, **(self.video_spec or {})}

    def period_of(self, kind: str) -> tuple[dt.date, dt.date]:
        """The period a programme of this kind runs (R-405)."""
        if kind == Programme.Kind.BRAND:
            return self.brand_start, self.brand_end
        return self.province_start, self.province_end

    def budget_of(self, kind: str) -> Decimal:
        """The budget a programme of this kind receives (R-401)."""
        return self.brand_budget if kind == Programme.Kind.BRAND else self.province_budget

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Every org works on the national campaign; the public scope sees none.
        return Q() if scope.org is not None else Q(pk__in=[])


class Programme(ScopedModel):
    """A province's project within a campaign, or the national brand project (R-402, R-405)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省级项目")
        BRAND = "brand", _("品牌建设项目")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="programmes")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    org = models.ForeignKey(Org, models.PROTECT, related_name="programmes")
    implementing_unit = models.CharField(_("实施单位"), max_length=100, blank=True)
    project_lead = models.CharField(_("项目负责人"), max_length=50, blank=True)
    project_lead_phone = models.CharField(_("负责人手机"), max_length=11, blank=True)
    team = models.JSONField(_("专项工作团队"), default=list, blank=True)
    # What the province's application had to show (申报条件): the implementing unit is a legal person with a unified
    # social credit code (GB 32100-2015), and the provincial association's letter of support (支持函).
    unit_legal_person = models.BooleanField(_("实施单位具有独立法人资格"), default=False)
    unit_credit_code = models.CharField(_("实施单位统一社会信用代码"), max_length=18, blank=True)
    support_letter = models.FileField(_("省级科协支持函"), upload_to="programmes/%Y/", blank=True)
    support_letter_name = models.CharField(max_length=200, blank=True)
    support_letter_type = models.CharField(max_length=100, blank=True)
    budget = models.DecimalField(_("经费（元）"), max_digits=12, decimal_places=2)
    period_start = models.DateField(_("实施开始"))
    period_end = models.DateField(_("实施结束"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A city or county reads its province's programme (the chain); the centre reads all.
    scope_path = "org__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        ordering = ["campaign", "kind", "org__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org", "kind"], name="programme_one_per_org"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="programme_period_order"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="programme_budget_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} · {self.org.name}"

    def application_gaps(self) -> list[str]:
        """What a province programme's application still lacks (申报条件), in words; empty when complete."""
        if self.kind != self.Kind.PROVINCE:
            return []
        gaps = []
        if not self.unit_legal_person:
            gaps.append(str(_("实施单位法人资格")))
        if not self.unit_credit_code:
            gaps.append(str(_("统一社会信用代码")))
        if not self.support_letter:
            gaps.append(str(_("省级科协支持函")))
        return gaps


class Rulebook(ScopedModel):
    """A province programme's rule parameters (R-101): JSON values checked against apps/campaigns/rules.py."""

    programme = models.OneToOneField(Programme, models.CASCADE, related_name="rulebook")
    values = models.JSONField(_("参数"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "programme__org__path"
    scope_chain = True

    def __str__(self) -> str:
        return f"{self.programme} · 规则"


class WorkRules(ScopedModel):
    """A province's 工作细则 (R-101) in its seven sections."""

    SECTIONS = (
        ("overall_flow", _("总体流程")),
        ("quota_allocation", _("名额分配")),
        ("enterprise_recommendation", _("企业内部推荐标准和流程")),
        ("city_selection", _("市级遴选标准和流程")),
        ("provincial_selection", _("省级遴选标准和流程")),
        ("publicity_plan", _("宣传工作方案")),
        ("event_plan", _("区域宣讲活动方案")),
    )

    programme = models.OneToOneField(Programme, models.CASCADE, related_name="work_rules")
    overall_flow = models.TextField(_("总体流程"), blank=True)
    quota_allocation = models.TextField(_("名额分配"), blank=True)
    enterprise_recommendation = models.TextField(_("企业内部推荐标准和流程"), blank=True)
    city_selection = models.TextField(_("市级遴选标准和流程"), blank=True)
    provincial_selection = models.TextField(_("省级遴选标准和流程"), blank=True)
    publicity_plan = models.TextField(_("宣传工作方案"), blank=True)
    event_plan = models.TextField(_("区域宣讲活动方案"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "programme__org__path"
    scope_chain = True

    def __str__(self) -> str:
        return f"{self.programme} · 工作细则"

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, title, text) in the order of R-101."""
        return [(name, str(title), getattr(self, name)) for name, title in self.SECTIONS]

    def empty_sections(self) -> list[str]:
        return [str(title) for name, title in self.SECTIONS if not getattr(self, name).strip()]


class QuotaPlan(ScopedModel):
    """A manual quota table replacing the computed split (R-104). It goes to the centre for approval
    (apps/campaigns/approvals.py) and takes effect once approved; at most one is in force per programme."""

    APPROVAL_KIND = "quota_table"  # its kind of approvable object (apps/campaigns/approvals.py)

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待中心审核")
        IN_FORCE = "in_force", _("生效")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        RETIRED = "retired", _("已停用")

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="quota_plans")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("调整理由"))
    target = models.PositiveIntegerField(_("目标数"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    scope_path = "programme__org__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme"], condition=Q(status="in_force"),
                                    name="quotaplan_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · 手工名额表"


class QuotaRow(ScopedModel):
    plan = models.ForeignKey(QuotaPlan, models.CASCADE, related_name="rows")
    city = models.ForeignKey(Org, models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(_("名额"))

    scope_path = "plan__programme__org__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["plan", "city"], name="quotarow_one_per_city")]
