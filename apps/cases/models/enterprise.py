"""The enterprise registry of a campaign (R-106), with credit codes and qualifications."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.orgs.models import Org
from apps.core.scoping import Scope, ScopedModel

__all__ = ["Enterprise"]


class Enterprise(ScopedModel):
    """An enterprise of a campaign's registry, registered by its county office or an association of that county.

    Services: apps/cases/enterprise_services.py (enterprise_create, enterprise_update). The 门类/大类
    codes come from apps/cases/industry.py (GB/T 4754-2017).
    """

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
    created_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ScopedModel.Meta):
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "credit_code"], name="enterprise_one_per_credit_code"),
            models.CheckConstraint(condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                                   name="enterprise_credit_code_form"),
            models.CheckConstraint(condition=Q(rd_spend__isnull=True) | Q(rd_spend__gte=0),
                                   name="enterprise_rd_spend_nonnegative"),
            # MIIT's first little-giant batch is 2019.
            models.CheckConstraint(condition=Q(little_giant_batch__isnull=True)
                                   | Q(little_giant_batch__gte=2019, little_giant_batch__lte=2100),
                                   name="enterprise_little_giant_batch_year"),
            models.CheckConstraint(condition=Q(industry_division="") | ~Q(industry_section=""),
                                   name="enterprise_division_needs_section"),
        ]
        indexes = [
            models.Index(fields=["campaign", "county"], name="enterprise_county"),
            models.Index(fields=["campaign", "name"], name="enterprise_campaign_name"),
            models.Index(fields=["campaign", "industry_section"], name="enterprise_campaign_section"),
            models.Index(fields=["campaign", "little_giant_batch"], name="enterprise_campaign_lgbatch"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Offices see the enterprises of their subtree; an association sees those of its own county.
        return scope.subtree("county__path") | scope.chain("county__path")
