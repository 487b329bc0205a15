"""Approvals: something a lower org submits to a higher org, which approves it or returns it with comments; a
returned thing is resubmitted as a new version (one row per version). What kinds of thing there are, who
approves each and what approval unlocks: apps/approvals/kinds.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope, ScopedModel
from apps.orgs.models import Org


class ApprovalRequest(ScopedModel):
    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(_("类型"), max_length=32)
    object_id = models.PositiveBigIntegerField()  # the version's row of the kind's model
    thread = models.CharField(max_length=64)  # what the versions share, e.g. "programme:12"
    version = models.PositiveIntegerField()  # 1, then 2 after a return and a resubmission …
    title = models.CharField(_("名称"), max_length=200)  # as it read when submitted
    submitter = models.ForeignKey(Org, models.PROTECT, related_name="+", verbose_name=_("报送单位"))
    approver = models.ForeignKey(Org, models.PROTECT, related_name="+", verbose_name=_("审核单位"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField()
    decide_by = models.DateField(_("审核期限"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    resubmit_by = models.DateField(_("重新报送期限"), null=True, blank=True)  # after a return

    class Meta(ScopedModel.Meta):
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One version of a thing waits at a time: two clerks submitting at once make one request.
            models.UniqueConstraint(fields=["kind", "thread"], condition=Q(state="pending"),
                                    name="approval_one_pending_per_thread"),
            models.UniqueConstraint(fields=["kind", "thread", "version"], name="approval_version_once"),
            models.CheckConstraint(condition=Q(state__in=["pending", "approved", "returned", "withdrawn"]),
                                   name="approval_state_known"),
        ]
        indexes = [models.Index(fields=["approver", "state", "decide_by"], name="approval_inbox")]

    def __str__(self) -> str:
        return gettext("%(title)s（第%(n)d版）") % {"title": self.title, "n": self.version}

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # The submitting org and the offices above it (the approver among them) see the request.
        return scope.subtree("submitter__path") | scope.subtree("approver__path")
