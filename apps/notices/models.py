"""The notice cascade (R-102): province → city → county → every association, each acknowledging.

The models began in apps.campaigns and moved here without moving data: their tables keep the names they had
there (`db_table`), and the migrations moved only Django's state (notices 0001, campaigns 0002)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.core.scoping import ScopedModel
from apps.orgs.models import Org

__all__ = ["Notice", "NoticeAttachment", "NoticeDelivery"]


class Notice(ScopedModel):
    programme = models.ForeignKey(Programme, models.CASCADE, related_name="notices")
    issuer = models.ForeignKey(Org, models.PROTECT, related_name="issued_notices")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    # the province issues "jointly with relevant departments"; the departments, as printed.
    joint_issuers = models.CharField(_("联合发文单位"), max_length=200, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "issuer__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        db_table = "campaigns_notice"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["issuer", "-created_at"], name="notice_issuer_time")]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(ScopedModel):
    notice = models.ForeignKey(Notice, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="notices/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    # The type read from the file's first bytes when it was uploaded, never from its name.
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    # An addendum's attachments belong to the delivery of the org that added them.
    added_by_org = models.ForeignKey(Org, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "notice__issuer__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        db_table = "campaigns_noticeattachment"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class NoticeDelivery(ScopedModel):
    """The notice as it reached one org: who sent it, when it was received and forwarded.

    `addendum` is what this org added when it forwarded the notice (the orgs below read it).
    """

    class State(models.TextChoices):
        TO_ACKNOWLEDGE = "to_acknowledge", _("待确认收到")
        TO_FORWARD = "to_forward", _("待转发")
        DONE = "done", _("已完成")

    # Who forwards to whom; an association has nothing below and only acknowledges.
    FORWARDS_TO = {Org.Kind.CITY: (Org.Kind.COUNTY,), Org.Kind.COUNTY: Org.ASSOCIATIONS}

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="deliveries")
    org = models.ForeignKey(Org, models.CASCADE, related_name="notice_deliveries")
    sender = models.ForeignKey(Org, models.PROTECT, related_name="+")
    addendum = models.TextField(_("补充说明"), blank=True)
    delivered_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    # An org sees deliveries to itself and below (its cascade), and those of the orgs
    # above it (their addenda reach it).
    scope_path = "org__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        db_table = "campaigns_noticedelivery"
        constraints = [models.UniqueConstraint(fields=["notice", "org"], name="delivery_once_per_org")]
        indexes = [models.Index(fields=["org", "received_at"], name="delivery_org_received")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.org}"

    @classmethod
    def forwards(cls, kind: str) -> bool:
        return kind in cls.FORWARDS_TO

    def state_for(self, kind: str) -> str:
        """What the receiving org (of this kind) still has to do."""
        if self.forwards(kind):
            return self.State.DONE if self.forwarded_at else (
                self.State.TO_FORWARD if self.received_at else self.State.TO_ACKNOWLEDGE)
        return self.State.DONE if self.received_at else self.State.TO_ACKNOWLEDGE
