"""The yearly campaign and its programmes: one per province (R-101…R-405) and the brand project (R-5xx)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Org
from apps.orgs.scoping import Scope, ScopedManager

__all__ = ["Campaign", "Programme"]


class Campaign(models.Model):
    """One year's campaign, created by the centre."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2020) & Q(year__lte=2100), name="campaign_year_range")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Every org works on the national campaign; the public scope sees none.
        return Q() if scope.org is not None else Q(pk__in=[])


class Programme(models.Model):
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
    budget = models.DecimalField(_("经费（元）"), max_digits=12, decimal_places=2)
    period_start = models.DateField(_("实施开始"))
    period_end = models.DateField(_("实施结束"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["campaign", "kind", "org__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org", "kind"], name="programme_one_per_org"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="programme_period_order"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="programme_budget_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} · {self.org.name}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # A city or county reads its province's programme (the chain); the centre reads all.
        return scope.subtree("org__path") | scope.chain("org__path")
