from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope, ScopedManager

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One decision, append-only and chained to the row before it by a keyed hash (services.entry_hash).

    No foreign keys: a row must never change because something it names was edited
    or deleted. On PostgreSQL triggers reject UPDATE and DELETE (migration 0002) and TRUNCATE (0003).
    """

    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    # Path of the org the decision belongs to, so each org reads the log of its subtree.
    org_path = models.CharField(max_length=255, blank=True)
    data = models.TextField(help_text="canonical JSON")
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["id"]
        constraints = [
            # Two writers that read the same head cannot both append: the chain cannot fork.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_no_fork"),
        ]
        indexes = [
            models.Index(fields=["org_path", "id"], name="audit_org_path"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("org_path")


class AuditHead(models.Model):
    """A single row holding the chain's last hash; locked while a row is appended."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)
