"""A round's list while the org puts it together (ListItem: the cases on it, checked against the rules by the
validator at every change; ListPin: the cases people pinned on or off it, which every proposal respects), the
list as locked and publicly noticed (LockedList, 公示), and objections to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case
from apps.core.scoping import ScopedModel
from apps.rounds.models import Round


class ListItem(ScopedModel):
    round = models.ForeignKey(Round, models.CASCADE, related_name="list_items", db_index=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["round", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="listitem_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.case_id}"


class ListPin(ScopedModel):
    """A person's decision about one candidate of a round, which the solver must respect: the case is on every
    proposal (include) or on none (exclude). A case whose objection was upheld (R-106) is kept off proposals
    without a pin; pinning it back needs a written reason. Every pin and unpin is audited."""

    class Kind(models.TextChoices):
        INCLUDE = "include", _("指定入选")
        EXCLUDE = "exclude", _("排除")

    round = models.ForeignKey(Round, models.CASCADE, related_name="list_pins", db_index=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    reason = models.TextField(_("理由"), blank=True)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    pinned_at = models.DateTimeField(auto_now=True)

    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["round", "pinned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="listpin_once_per_round"),
            models.CheckConstraint(condition=Q(kind__in=["include", "exclude"]), name="listpin_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.case_id}:{self.kind}"


class LockedList(ScopedModel):
    """A round's list as locked, with its 公示 (public notice) period and the result anyone can recompute.

    Locking freezes the list: the case ids, the rules it broke at that moment (only with the rulebook's
    override and a written reason), and the result document (formula, inputs without personal data, ranking,
    list) with its SHA-256. Unlocking withdraws it (the row stays as history); a round has at most one live
    locked list, which the database enforces, so two admins locking at once make one lock.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="locked_lists", db_index=False)
    number = models.PositiveIntegerField()  # 1 for the round's first lock, 2 after an unlock and relock …
    # /gs/<slug>/. The first lock's slug is the round's one public 公示 address for good: it shows whichever
    # list is in force and the history; a later lock's slug leads there (apps.selection.selectors.notice_slug).
    slug = models.CharField(max_length=16, unique=True)
    case_ids = models.JSONField(default=list)  # in ranking order
    violations = models.JSONField(default=list, blank=True)  # [{"rule": "R-105", "message": …}] locked over
    override_reason = models.TextField(blank=True)
    starts_on = models.DateField()  # 公示 from … to … (Beijing dates, both included)
    ends_on = models.DateField()
    result = models.JSONField(default=dict)  # the recomputable result document (selection.results)
    sha256 = models.CharField(max_length=64)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    withdraw_reason = models.TextField(blank=True)

    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["round", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="lockedlist_number_per_round"),
            models.UniqueConstraint(fields=["round"], condition=Q(withdrawn_at__isnull=True),
                                    name="lockedlist_one_live_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    def lines(self) -> list[dict]:
        """The list as noticed, in its order: each case's row of the frozen result (title, enterprise, city,
        channel), so the 公示 never shows a title edited after locking."""
        rows = {row["case_id"]: row for row in self.result.get("inputs", [])}
        blank = {"title": "", "enterprise": "", "city": "", "channel": ""}
        return [rows.get(c, {**blank, "case_id": c}) for c in self.case_ids]


class Objection(ScopedModel):
    """An objection to a case on a list in 公示, sent through the public page, and the round's answer."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待答复")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    locked_list = models.ForeignKey(LockedList, models.CASCADE, related_name="objections")
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    reason = models.TextField(_("异议内容"))
    address_hash = models.CharField(max_length=32, blank=True)  # HMAC of the sender's address (rate limits)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    scope_path = "locked_list__round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["locked_list", "created_at", "id"]
        indexes = [models.Index(fields=["locked_list", "outcome"], name="objection_list_outcome")]

    def __str__(self) -> str:
        # No name: this label goes into the unchangeable audit log, and an objector's name is personal data.
        return f"{self.locked_list} · {self.case_id} · 异议{self.pk}"
