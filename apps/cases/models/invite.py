"""Expiring links that let an enterprise's contact fill a case draft without an account."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases.models.case import Case
from apps.core.scoping import ScopedModel

__all__ = ["CaseInvite"]


class CaseInvite(ScopedModel):
    """An invitation link to one case's draft. Only a keyed hash of the token is stored, so a copy of the
    database does not hand out working links; the link dies at `expires_at` or when revoked."""

    DEFAULT_DAYS = 7

    case = models.ForeignKey(Case, models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64, unique=True)
    contact_name = models.CharField(_("受邀联系人"), max_length=50, blank=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    scope_path = "case__recommender__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.contact_name or _('邀请链接')}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已撤销"))
        if self.expires_at <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))
