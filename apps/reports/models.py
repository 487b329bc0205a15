"""Reminders (催办) an office sends to a unit below it that is late; the overview shows the last one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedModel
from apps.orgs.models import Org
from apps.rounds.models import Round


class Reminder(ScopedModel):
    org = models.ForeignKey(Org, models.CASCADE, related_name="reminders")  # the unit reminded
    round = models.ForeignKey(Round, models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("催办时间"))
    emails = models.PositiveIntegerField(default=0)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["org", "-sent_at"], name="reminder_org_time")]

    def __str__(self) -> str:
        return f"{self.org} · {self.sent_at:%Y-%m-%d}"
