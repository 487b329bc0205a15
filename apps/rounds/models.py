"""Rounds: one org's step of turning the cases its children sent into a locked list for its parent.

Every level uses the same two models; levels differ only by data (kind, config, deadlines):
a county's screening (R-107), a city's selection (R-108), the province's selection (R-109) and
presenter selection (R-110), the centre's story collection (R-506).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.cases.models import Case
from apps.core.scoping import Scope, ScopedModel
from apps.orgs.models import Org
from apps.rounds.kinds import Kind, RoundKind, kind_of, runs


class Round(ScopedModel):
    """One org's round of one kind in one programme. What a kind is (who runs it, where its list goes, its rule,
    how it decides) is in apps/rounds/kinds.py; its state changes only in apps/rounds/services.py."""

    Kind = Kind

    class State(models.TextChoices):
        DRAFT = "draft", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已截止")
        LOCKED = "locked", _("已锁定")
        SENT = "sent", _("已上报")

    # Allowed moves. A closed round may reopen (a deadline extended); a locked list may be unlocked
    # before it is sent; once sent it is the parent's input and stays as it is.
    TRANSITIONS = {
        State.DRAFT: {State.OPEN},
        State.OPEN: {State.CLOSED, State.LOCKED},
        State.CLOSED: {State.OPEN, State.LOCKED},
        State.LOCKED: {State.OPEN, State.SENT},
        State.SENT: set(),
    }
    # Labels of the moves a round page offers, by (from, to).
    MOVE_LABEL = {
        (State.DRAFT, State.OPEN): _("开始接收"),
        (State.OPEN, State.CLOSED): _("截止接收"),
        (State.CLOSED, State.OPEN): _("重新开放"),
        (State.OPEN, State.LOCKED): _("锁定名单"),
        (State.CLOSED, State.LOCKED): _("锁定名单"),
        (State.LOCKED, State.OPEN): _("解锁"),
    }

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="rounds")
    org = models.ForeignKey(Org, models.PROTECT, related_name="rounds")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.DRAFT)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    # Methods, weights, rules and checklists of this round, as data (each later issue adds keys).
    config = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    # The org running it and every office above; below, those whose cases it takes (its children
    # read its state and deadline).
    scope_path = "org__path"
    scope_chain = True

    class Meta(ScopedModel.Meta):
        ordering = ["programme", "kind", "org__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "org", "kind"], name="round_one_per_org_kind"),
        ]
        indexes = [models.Index(fields=["org", "kind", "state"], name="round_org_kind_state")]

    def __str__(self) -> str:
        return f"{self.org.name} · {self.get_kind_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.OPEN, self.State.CLOSED)

    @property
    def spec(self) -> RoundKind:
        """The kinds table's row of this round (apps/rounds/kinds.py)."""
        return kind_of(self)

    @property
    def rule(self) -> str:
        return self.spec.rule

    @property
    def takes_decisions(self) -> bool:
        """Entries may be decided now: the round is open, or closed but not yet locked."""
        return self.state in (self.State.OPEN, self.State.CLOSED) and bool(self.spec.decisions)

    @property
    def has_list(self) -> bool:
        """The round's list is chosen on the selection pages (not by decisions on entries)."""
        return self.spec.makes_list

    @property
    def send_label(self) -> str:
        spec = self.spec
        if spec.send_label_own and spec.feeds and runs(self.org, spec.feeds):
            return str(spec.send_label_own)
        return str(spec.send_label)


class RoundEntry(ScopedModel):
    """A case in a round, with the round's decision about it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待处理")
        PASSED = "passed", _("通过")
        OUT = "out", _("未通过")
        RETURNED = "returned", _("退回修改")

    round = models.ForeignKey(Round, models.CASCADE, related_name="entries", db_index=False)  # unique (round, case)
    case = models.ForeignKey(Case, models.CASCADE, related_name="round_entries")
    # The entry of the round below that sent this case up (empty for cases submitted directly).
    source = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    decision = models.CharField(_("结果"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("原因"), blank=True)  # shown to the submitter when a case is screened out
    comment = models.TextField(_("修改意见"), blank=True)  # what to revise, when returned
    case_version = models.PositiveIntegerField(default=0)  # the version this decision is about
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="roundentry_once_per_round")]
        indexes = [models.Index(fields=["round", "decision", "id"], name="roundentry_round_decision")]

    def __str__(self) -> str:
        return f"{self.round} · {self.case}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # The round's org and above see the whole list; the recommender sees its own cases' outcomes.
        return scope.subtree("round__org__path") | scope.subtree("case__recommender__path")


class CaseFingerprint(models.Model):
    """A case's MinHash signature for near-duplicate search across its province (R-107 flags).

    Derived data, refreshed lazily from the case's text when the case changed (apps/rounds/similarity.py);
    never listed to anyone, so it has no scoped manager: what a page shows of another county's case is
    decided by the page, not by this table.
    """

    case = models.OneToOneField(Case, models.CASCADE, primary_key=True, related_name="fingerprint")
    case_updated_at = models.DateTimeField()  # the case's updated_at the signature was computed from
    signature = models.BinaryField()
    shingle_count = models.PositiveIntegerField(default=0)

    plain = models.Manager()
