"""A round's list while the org puts it together: the cases on it (checked against the rules by the
validator at every change). Locking, 公示 and sending build on it (issue 7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.cases.models import Case
from apps.orgs.scoping import Scope, ScopedModel
from apps.rounds.models import Round


class ListItem(ScopedModel):
    round = models.ForeignKey(Round, models.CASCADE, related_name="list_items", db_index=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["round", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="listitem_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.case_id}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("round__org__path")
