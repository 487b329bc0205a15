"""Expert review (R-108, R-109): pools of experts, conflicts of interest, assignments and score sheets.

A round that uses expert review (its config, apps.review.config) assigns each case to k experts of the
round org's pool; each expert fills one score sheet per assigned case on the round's rubric. The same
models carry live presentation scoring: a judge at a meeting scores on an assignment of method "live".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case
from apps.core.scoping import Scope, ScopedModel
from apps.orgs.models import Org
from apps.rounds.models import Round


class Expert(ScopedModel):
    """A person's profile as a reviewer: one per account, whichever pools the person sits in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="expert")
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    # The employer's 统一社会信用代码 when known: a conflict with a case of that enterprise is then exact.
    employer_credit_code = models.CharField(_("工作单位统一社会信用代码"), max_length=18, blank=True)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    # GB/T 4754 sections ("C") or divisions ("C39") the expert knows; matched against the case's enterprise.
    industries = models.JSONField(_("熟悉行业"), default=list, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=6, blank=True)  # GB/T 2260, for same-county conflicts
    title = models.CharField(_("职称/职务"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ScopedModel.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Experts of pools in the org's subtree; an expert sees their own profile.
        in_pool = PoolMember.plain.filter(expert=OuterRef("pk")).filter(scope.subtree("org__path"))
        return Q(Exists(in_pool)) | scope.expert("pk")

    @property
    def phone(self) -> str:
        return self.user.phone


class PoolMember(ScopedModel):
    """An expert in an org's pool (专家库). An expert may sit in several pools."""

    org = models.ForeignKey(Org, models.PROTECT, related_name="pool_members")
    expert = models.ForeignKey(Expert, models.CASCADE, related_name="pools")
    is_active = models.BooleanField(_("在库"), default=True)
    max_load = models.PositiveSmallIntegerField(_("最多评审案例数"), null=True, blank=True)  # empty: the round's
    note = models.CharField(_("备注"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["org", "expert__name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "expert"], name="pool_member_once")]

    def __str__(self) -> str:
        return f"{self.org.name} · {self.expert.name}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("org__path") | scope.expert()


class ExpertInvite(ScopedModel):
    """A link inviting a person into an org's pool; only a keyed hash of the token is stored."""

    DEFAULT_DAYS = 14

    org = models.ForeignKey(Org, models.PROTECT, related_name="expert_invites")
    token_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=11)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    expert = models.ForeignKey(Expert, models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.org.name} · {self.name}"


class ConflictDeclaration(ScopedModel):
    """An expert's own statement of a conflict of interest with a case (回避声明), with the reason."""

    expert = models.ForeignKey(Expert, models.CASCADE, related_name="declarations")
    case = models.ForeignKey(Case, models.CASCADE, related_name="conflict_declarations")
    reason = models.CharField(_("回避原因"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["-declared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["expert", "case"], name="conflict_declared_once")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.case}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("case__recommender__path") | scope.expert()


class Assignment(ScopedModel):
    """An expert asked to score one case in one round, by expert review or as a judge at a live meeting."""

    class Method(models.TextChoices):
        REVIEW = "review", _("专家评审")
        LIVE = "live", _("现场宣讲评分")

    class State(models.TextChoices):
        ACTIVE = "active", _("待评分")
        DECLINED = "declined", _("已回避")
        SUBMITTED = "submitted", _("已提交")

    class Source(models.TextChoices):
        SOLVER = "solver", _("自动分配")
        MANUAL = "manual", _("人工指定")

    round = models.ForeignKey(Round, models.CASCADE, related_name="assignments")
    case = models.ForeignKey(Case, models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="assignments")
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices, default=Method.REVIEW)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.ACTIVE)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.SOLVER)
    industry_match = models.BooleanField(_("行业匹配"), default=False)
    declined_reason = models.CharField(_("回避原因"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)

    class Meta(ScopedModel.Meta):
        ordering = ["round", "case", "expert__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case", "expert", "method"], name="assignment_once"),
        ]
        indexes = [
            models.Index(fields=["expert", "state"], name="assignment_expert_state"),
            models.Index(fields=["round", "method", "state"], name="assignment_round_state"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.case} · {self.expert}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("round__org__path") | scope.expert()


class ScoreSheet(ScopedModel):
    """One expert's scores for one case: a score per rubric criterion (by key), comments, a draft until
    submitted. `total` is the rubric's weighted total, stored at submission for lists; rankings recompute
    it from `scores`."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    assignment = models.OneToOneField(Assignment, models.CASCADE, primary_key=True, related_name="sheet")
    scores = models.JSONField(default=dict, blank=True)  # criterion key → number
    comments = models.JSONField(default=dict, blank=True)  # criterion key → text
    comment = models.TextField(_("总体意见"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    total = models.FloatField(_("总分"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ScopedModel.Meta):
        ordering = ["assignment"]

    def __str__(self) -> str:
        return str(self.assignment)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("assignment__round__org__path") | scope.expert("assignment__expert_id")


class Disagreement(ScopedModel):
    """The chair's resolution of a case whose experts disagree widely (a note, or one more expert)."""

    class Resolution(models.TextChoices):
        NOTED = "noted", _("已说明")
        EXTRA_EXPERT = "extra_expert", _("增派专家")

    round = models.ForeignKey(Round, models.CASCADE, related_name="disagreements")
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    resolution = models.CharField(_("处理方式"), max_length=16, choices=Resolution.choices)
    note = models.TextField(_("说明"))
    spread = models.FloatField(_("分差"))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    resolved_at = models.DateTimeField(auto_now_add=True)

    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["round", "case", "-resolved_at"]

    def __str__(self) -> str:
        return f"{self.round} · {self.case}"


class RankingSnapshot(ScopedModel):
    """A round's ranking as computed when its review closed: the inputs' digest and the result, so that
    `manage.py round_recompute <id>` can recompute it from the stored score sheets and compare."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="ranking_snapshots")
    method = models.CharField(max_length=8, choices=Assignment.Method.choices, default=Assignment.Method.REVIEW)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "round__org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["round", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.round} · {self.created_at:%Y-%m-%d %H:%M}"


class Meeting(ScopedModel):
    """A small presentation meeting (小型宣讲会, R-108): cases presented in order, judges scoring each on their
    phones; a case's result is shown once every judge has submitted for it."""

    class State(models.TextChoices):
        PLANNED = "planned", _("未开始")
        RUNNING = "running", _("进行中")
        FINISHED = "finished", _("已结束")

    round = models.ForeignKey(Round, models.CASCADE, related_name="meetings")
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    minutes_per_case = models.PositiveSmallIntegerField(_("每个案例宣讲时长（分钟）"), default=8)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    current = models.ForeignKey("MeetingItem", models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["round", "starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        judging = MeetingJudge.plain.filter(meeting=OuterRef("pk")).filter(scope.expert())
        return scope.subtree("round__org__path") | Q(Exists(judging))


class MeetingItem(ScopedModel):
    """A case presented at a meeting, in order, with when its presentation started and ended."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"))
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta(ScopedModel.Meta):
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="meeting_item_once")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.position}. {self.case}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        judging = MeetingJudge.plain.filter(meeting=OuterRef("meeting")).filter(scope.expert())
        return scope.subtree("meeting__round__org__path") | Q(Exists(judging))


class MeetingJudge(ScopedModel):
    """An expert judging at a meeting. The QR code printed for them holds a link with a token (only its keyed
    hash is stored) that opens their judge page on their phone for this meeting only."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="judges")
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="judging")
    token_hash = models.CharField(max_length=64, unique=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta(ScopedModel.Meta):
        ordering = ["meeting", "expert__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"], name="meeting_judge_once")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.expert}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("meeting__round__org__path") | scope.expert()
