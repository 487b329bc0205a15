from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope, ScopedManager
from apps.orgs import regions

PHONE_RE = r"^1[3-9]\d{9}$"
phone_validator = RegexValidator(PHONE_RE, _("手机号码应为以1开头的11位数字"))


class User(AbstractUser):
    """A person: officials, staff, experts. Roles come from memberships, not from the user."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[phone_validator])
    # Set when an admin chose the password (a new account's first one, or a reset): the person replaces it at
    # the next log-in before anything else (apps.orgs.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Org(models.Model):
    """A node of the tree: centre → province → city → county → park / enterprise association."""

    class Kind(models.TextChoices):
        CENTER = "center", _("中心")
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("区县")
        PARK = "park", _("园区科协")
        ENTERPRISE = "enterprise", _("企业科协")

    PARENT_KIND = {
        Kind.CENTER: None,
        Kind.PROVINCE: Kind.CENTER,
        Kind.CITY: Kind.PROVINCE,
        Kind.COUNTY: Kind.CITY,
        Kind.PARK: Kind.COUNTY,
        Kind.ENTERPRISE: Kind.COUNTY,
    }
    # A municipality (直辖市: 北京、天津、上海、重庆) has no city level in GB/T 2260: its districts are counties directly
    # under it, and each takes the city's role as well as the county's (quotas, the city round, presenters per
    # city: apps/rounds/kinds.py). The depth of a city, and of a municipality's district (centre 0, province 1):
    CITY_DEPTH = 2
    ADMINISTRATIVE = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)
    CITY_ROLE = (Kind.CITY, Kind.COUNTY)  # the kinds that may sit at CITY_DEPTH
    ASSOCIATIONS = (Kind.PARK, Kind.ENTERPRISE)

    kind = models.CharField(_("级别"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # Codes from the root down, each followed by "/": "000000/330000/330100/".
    # "Everything under X" is the range [X.path, X.path + "~"), one B-tree scan on any database.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    plain = models.Manager()  # structural look-ups (ancestor chains, log-in); never for listings

    class Meta:
        base_manager_name = "plain"
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path")]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9A-Z-]+$"), name="org_code_alphabet"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree() | scope.chain()

    @property
    def is_association(self) -> bool:
        return self.kind in self.ASSOCIATIONS

    @property
    def audit_path(self) -> str:
        """The subtree an audit row about this org belongs to (apps.audit reads it without knowing orgs)."""
        return self.path

    @property
    def is_municipality(self) -> bool:
        """A province with no city level (直辖市), by its region code (apps/orgs/regions.py)."""
        return self.kind == self.Kind.PROVINCE and regions.is_municipality(self.region_code or self.code)

    @property
    def takes_city_role(self) -> bool:
        """A city, or a municipality's district (a county directly under its province)."""
        return self.depth == self.CITY_DEPTH and self.kind in self.CITY_ROLE

    @classmethod
    def parent_kinds(cls, kind: str) -> tuple[str, ...]:
        """The kinds an org of `kind` may sit under: the usual one, and a province for a county (a municipality's
        district)."""
        usual = cls.PARENT_KIND[cls.Kind(kind)]
        if usual is None:
            return ()
        return (usual, cls.Kind.PROVINCE) if kind == cls.Kind.COUNTY else (usual,)

    def is_under(self, other: "Org") -> bool:
        """True when self is `other` or lies below it."""
        return self.path.startswith(other.path)

    def ancestor_codes(self) -> list[str]:
        return [p for p in self.path.split("/") if p]

    @property
    def public_name(self) -> str:
        """The org as the public reads it on a notice or a vote. An administrative org is named after its region
        and stands for that region's association of science and technology (杭州市 → 杭州市科学技术协会); the
        centre and the park and enterprise associations carry their full names already."""
        name = self.name.strip()
        if self.kind in self.ADMINISTRATIVE and not name.endswith(("科协", "协会")):
            return gettext("%(region)s科学技术协会") % {"region": name}
        return name


class Membership(models.Model):
    """A person's role at an org. Expert and centre-reviewer roles come later, in the same table."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("管理员")
        STAFF = "staff", _("工作人员")

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Org, models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.org} · {self.get_role_display()}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("org__path")


class MembershipInvitation(models.Model):
    """An org's offer of a role to an existing account. It counts only once the person accepts it, signed in
    as themself: an admin cannot make someone else's account part of their org (and then reset its password)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待接受")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已拒绝")
        REVOKED = "revoked", _("已撤回")

    DAYS = 14

    org = models.ForeignKey(Org, models.CASCADE, related_name="membership_invitations")
    user = models.ForeignKey(User, models.CASCADE, related_name="membership_invitations")
    role = models.CharField(_("角色"), max_length=16, choices=Membership.Role.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open offer per person, org and role: a second click does not stack invitations.
            models.UniqueConstraint(fields=["org", "user", "role"], condition=Q(state="pending"),
                                    name="membership_invitation_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.get_role_display()} · {self.pk}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return scope.subtree("org__path")


class Message(models.Model):
    """An in-app message to an org (reminders, notices); every member of the org sees it."""

    org = models.ForeignKey(Org, models.CASCADE, related_name="messages")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    sender = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="message_org_time")]

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # Messages are private to their org: an ancestor does not read a child's inbox.
        if scope.org is None:
            return Q(pk__in=[])
        return Q(org=scope.org)
