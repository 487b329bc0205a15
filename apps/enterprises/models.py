"""The enterprise registry of a campaign (R-106), with credit codes and qualifications, and the imported
专精特新“小巨人” lists (MIIT publishes names only) with how each row was matched to the registry.

The tables keep the names they had when the registry lived in apps/cases (db_table): the move changed
no data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.core.scoping import ScopedModel
from apps.orgs.models import Org

__all__ = ["Enterprise", "LittleGiantList", "LittleGiantRow"]


class Enterprise(ScopedModel):
    """An enterprise of a campaign's registry, registered by its county office or an association of that county.

    Services: apps/enterprises/services.py (enterprise_create, enterprise_update). The 门类/大类
    codes come from apps/enterprises/industry.py (GB/T 4754-2017).
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

    # Offices see the enterprises of their subtree; an association sees those of its own county.
    scope_path = "county__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        db_table = "cases_enterprise"
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


def _no_candidates() -> list:
    return []


class LittleGiantList(ScopedModel):
    """One uploaded file, imported by a province (or the centre) against the enterprises of its subtree.

    `batch` is the batch given on the upload form; rows whose 批次 cell is empty take it.
    """

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="little_giant_lists")
    org = models.ForeignKey(Org, models.PROTECT, related_name="little_giant_lists")
    batch = models.PositiveSmallIntegerField(_("批次（年）"), null=True, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    rematched_at = models.DateTimeField(_("最近重新匹配"), null=True, blank=True)

    # The importing province and the centre above it; the orgs below see only the batches it set.
    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        db_table = "cases_littlegiantlist"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "org", "-created_at"], name="lglist_campaign_org")]

    def __str__(self) -> str:
        return self.file_name


class LittleGiantRow(ScopedModel):
    class Status(models.TextChoices):
        MATCHED = "matched", _("已匹配")
        UNMATCHED = "unmatched", _("未匹配")
        AMBIGUOUS = "ambiguous", _("多个候选")
        RESOLVED = "resolved", _("已人工处理")

    class MatchedBy(models.TextChoices):
        NONE = "", _("无")
        CODE = "code", _("统一社会信用代码")
        NAME = "name", _("企业名称")
        PERSON = "person", _("人工确认")

    OPEN = (Status.UNMATCHED, Status.AMBIGUOUS)

    list = models.ForeignKey(LittleGiantList, models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("企业名称"), max_length=200)
    # NFKC, no spaces, full-width brackets folded: what "exact name" compares (apps/enterprises/little_giants.py).
    name_key = models.CharField(max_length=200)
    credit_code_raw = models.CharField(_("统一社会信用代码（原文）"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)  # only when valid
    code_problem = models.CharField(_("代码问题"), max_length=300, blank=True)
    batch = models.PositiveSmallIntegerField(_("批次（年）"))
    status = models.CharField(_("匹配状态"), max_length=16, choices=Status.choices, default=Status.UNMATCHED)
    matched_by = models.CharField(_("匹配依据"), max_length=8, choices=MatchedBy.choices, blank=True, default="")
    enterprise = models.ForeignKey(Enterprise, models.SET_NULL, null=True, blank=True, related_name="+")
    # Enterprise ids a person may pick from: same-name enterprises, or names that contain each other.
    candidates = models.JSONField(default=_no_candidates, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    resolved_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    scope_path = "list__org__path"

    class Meta(ScopedModel.Meta):
        db_table = "cases_littlegiantrow"
        ordering = ["list", "row_number", "id"]
        indexes = [models.Index(fields=["list", "status", "row_number"], name="lgrow_list_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["matched", "unmatched", "ambiguous", "resolved"]),
                                   name="lgrow_status_known"),
            models.CheckConstraint(condition=Q(batch__gte=2019, batch__lte=2100), name="lgrow_batch_year"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
