"""Public online voting (R-108, R-109): a poll per round, phone-verified voters, votes and their integrity.

The rules that must never break live in the database, so concurrent requests cannot break them either:
at most one vote per voter, case and day (`vote_once_per_case_day`), and at most N a day per voter, each vote
taking one of the numbered slots 1…N of that voter's day (`vote_slot_per_day`). A day is a day in
Asia/Shanghai. Phone numbers and addresses are kept only as keyed hashes (apps.voting.hashing).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedModel
from apps.rounds.models import Round, RoundEntry

MAX_VOTES_PER_DAY = 50  # a hard ceiling whatever a rulebook says (slot check constraint)


class Poll(ScopedModel):
    """The public vote of one round: its page, window and rules (copied from the rulebook while no vote
    exists, then frozen), and once it has ended, its certified tally."""

    class Counts(models.TextChoices):
        HIDDEN = "hidden", _("投票结束前不显示")
        DELAYED = "delayed", _("定时刷新显示")
        LIVE = "live", _("实时显示")

    class Formula(models.TextChoices):
        TOP = "top", _("100 × 票数 ÷ 本轮最高票数")
        TOTAL = "total", _("100 × 票数 ÷ 本轮有效总票数")

    round = models.OneToOneField(Round, models.PROTECT, related_name="poll")
    slug = models.CharField(max_length=16, unique=True)  # the public address /v/<slug>/
    title = models.CharField(_("投票标题"), max_length=80)
    intro = models.TextField(_("投票说明"), max_length=2000, blank=True)
    opens_at = models.DateTimeField(_("投票开始时间"))
    closes_at = models.DateTimeField(_("投票截止时间"))
    published = models.BooleanField(_("已公开"), default=False)
    votes_per_day = models.PositiveSmallIntegerField(_("每人每天可投票数"), default=5)
    counts = models.CharField(_("票数显示方式"), max_length=8, choices=Counts.choices, default=Counts.DELAYED)
    refresh_minutes = models.PositiveSmallIntegerField(_("票数刷新间隔（分钟）"), default=60)
    formula = models.CharField(_("投票得分计算方法"), max_length=8, choices=Formula.choices, default=Formula.TOP)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The org running the round and every office above it.
    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="poll_window_order"),
            models.CheckConstraint(condition=Q(votes_per_day__gte=1, votes_per_day__lte=MAX_VOTES_PER_DAY),
                                   name="poll_votes_per_day_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Voter(models.Model):
    """A verified phone, known only by its HMAC-SHA256 under VOTE_PHONE_PEPPER (never the number)."""

    phone_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"voter {self.pk}"


class PhoneCode(ScopedModel):
    """A one-time code sent to a phone: 6 digits, valid 5 minutes, 3 attempts. Kept as a keyed hash, with the
    hashed address it was asked from, so the anomaly report can see failure rates per address."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="codes", db_index=False)
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=32)
    net_hash = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    sent = models.BooleanField(default=True)  # False: the gateway failed, nothing reached the phone

    scope_path = "poll__round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="phonecode_phone_time"),
            models.Index(fields=["poll", "created_at"], name="phonecode_poll_time"),
        ]


class Invalidation(ScopedModel):
    """An admin's decision that some votes do not count: one vote, or every vote an anomaly flag names.
    Reversible: reverting puts the votes back (both audited)."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="invalidations")
    reason = models.TextField(_("原因"), max_length=500)
    flag = models.CharField(_("依据的异常标记"), max_length=120, blank=True)
    count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reverted_at = models.DateTimeField(null=True, blank=True)
    revert_reason = models.TextField(_("撤销原因"), max_length=500, blank=True)

    scope_path = "poll__round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.poll} · {self.reason[:20]}"


class Vote(ScopedModel):
    poll = models.ForeignKey(Poll, models.CASCADE, related_name="votes", db_index=False)
    entry = models.ForeignKey(RoundEntry, models.PROTECT, related_name="votes", db_index=False)
    voter = models.ForeignKey(Voter, models.PROTECT, related_name="votes", db_index=False)
    day = models.DateField()  # in Asia/Shanghai
    slot = models.PositiveSmallIntegerField()  # 1…votes_per_day: which of the voter's votes of the day
    created_at = models.DateTimeField()
    ip_hash = models.CharField(max_length=32)
    net_hash = models.CharField(max_length=32)  # the /24 (IPv4) or /48 (IPv6) network
    user_agent = models.CharField(max_length=200, blank=True)
    invalidation = models.ForeignKey(Invalidation, models.SET_NULL, null=True, blank=True, related_name="votes")

    scope_path = "poll__round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter", "day", "entry"], name="vote_once_per_case_day"),
            models.UniqueConstraint(fields=["poll", "voter", "day", "slot"], name="vote_slot_per_day"),
            models.CheckConstraint(condition=Q(slot__gte=1, slot__lte=MAX_VOTES_PER_DAY), name="vote_slot_range"),
        ]
        # Every index is paid by every vote (bench/vote_load): the tally, bursts and a case's votes use this
        # one; the reports by address and network read a poll's votes through its first column.
        indexes = [models.Index(fields=["poll", "entry", "created_at"], name="vote_poll_entry_time")]

    def __str__(self) -> str:
        return f"vote {self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.invalidation_id is None


class Certificate(ScopedModel):
    """The final tally of a poll after it closed: every case's valid votes and the SHA-256 of the whole vote
    set (each vote's id, case, voter, day, time and validity), so anyone holding the export can check it."""

    poll = models.OneToOneField(Poll, models.PROTECT, related_name="certificate")
    digest = models.CharField(max_length=64)
    valid_votes = models.PositiveIntegerField()
    invalid_votes = models.PositiveIntegerField()
    tally = models.JSONField()  # [{"entry": id, "case": id, "title": …, "votes": n, "score": "…"}] by rank
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "poll__round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at"]
