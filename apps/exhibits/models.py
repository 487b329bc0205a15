"""Exhibits (展品, R-307): little-giant enterprises' exhibits for the centre's show at the China Science and
Technology Museum (中国科技馆). A county office or an association of the county proposes one on behalf of an
enterprise of the little-giant list; the province shortlists it and sends it to the centre, which accepts or
declines it through the approvals (apps/exhibits/approvals.py). docs/exhibits.md describes the flow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign, Programme
from apps.core.scoping import ScopedModel
from apps.enterprises.models import Enterprise
from apps.orgs.models import Org


class Exhibit(ScopedModel):
    """One proposed exhibit: what innovation it shows, why it is representative, how visitors interact with it,
    its size, weight and power needs, and 1–5 photos (ExhibitPhoto)."""

    APPROVAL_KIND = "exhibit"

    class State(models.TextChoices):
        PROPOSED = "proposed", _("已申报")
        SHORTLISTED = "shortlisted", _("省级已推荐，待中心确定")
        ACCEPTED = "accepted", _("中心确定参展")
        DECLINED = "declined", _("未入选")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="exhibits")
    org = models.ForeignKey(Org, models.PROTECT, related_name="exhibits")  # the proposing county or association
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="exhibits")
    name = models.CharField(_("展品名称"), max_length=60)
    innovation = models.TextField(_("创新点"))
    representative = models.TextField(_("代表性说明"))
    interaction = models.TextField(_("互动方式"))
    length_cm = models.PositiveIntegerField(_("长（厘米）"))
    width_cm = models.PositiveIntegerField(_("宽（厘米）"))
    height_cm = models.PositiveIntegerField(_("高（厘米）"))
    weight_kg = models.DecimalField(_("重量（千克）"), max_digits=8, decimal_places=1)
    power = models.CharField(_("电力需求"), max_length=100)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PROPOSED)
    decline_reason = models.TextField(_("未入选原因"), blank=True)
    declined_by = models.ForeignKey(Org, models.PROTECT, null=True, blank=True, related_name="+")  # province or centre
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    shortlisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    # The proposing org, the offices above it (county, city, province, centre) read it; a sibling does not.
    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["proposed", "shortlisted", "accepted", "declined"]),
                                   name="exhibit_state_known"),
            models.CheckConstraint(condition=Q(length_cm__gt=0, width_cm__gt=0, height_cm__gt=0, weight_kg__gt=0),
                                   name="exhibit_size_positive"),
            # A declined exhibit keeps the reason its proposer reads.
            models.CheckConstraint(condition=~Q(state="declined") | ~Q(decline_reason=""),
                                   name="exhibit_declined_has_reason"),
        ]
        indexes = [
            models.Index(fields=["programme", "state"], name="exhibit_programme_state"),
            models.Index(fields=["org", "state"], name="exhibit_org_state"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_text(self) -> str:
        return f"{self.length_cm}×{self.width_cm}×{self.height_cm} cm"


class ExhibitPhoto(ScopedModel):
    """A photo of an exhibit (JPEG or PNG, re-encoded without EXIF by apps/core/files.py)."""

    exhibit = models.ForeignKey(Exhibit, models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="exhibits/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    scope_path = "exhibit__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["exhibit", "id"]

    def __str__(self) -> str:
        return self.name
