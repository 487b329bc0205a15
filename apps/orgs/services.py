"""State changes of the org tree and its people. Each writes its audit row in its transaction."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure
from apps.orgs import permissions
from apps.orgs.models import PHONE_RE, Membership, MembershipInvitation, Org, User
from apps.orgs.selectors import user_find
from apps.orgs.tokens import tokens_revoke_all

CODE_RE = re.compile(r"^[0-9A-Z-]{2,32}$")


def _check_parent(kind: str, parent: Org | None) -> None:
    wanted = Org.parent_kinds(kind)
    if not wanted:
        if parent is not None:
            raise ValidationError(_("中心不能有上级单位"))
        return
    usual = Org.PARENT_KIND[Org.Kind(kind)]
    if parent is None or parent.kind not in wanted:
        raise ValidationError(
            _("%(kind)s的上级单位必须是%(parent)s")
            % {"kind": Org.Kind(kind).label, "parent": Org.Kind(usual).label}
        )
    # A municipality (直辖市) has districts directly under it and no cities; any other province has cities.
    if kind == Org.Kind.COUNTY and parent.kind == Org.Kind.PROVINCE and not parent.is_municipality:
        raise ValidationError(_("%(province)s不是直辖市，区县的上级单位必须是市") % {"province": parent.name})
    if kind == Org.Kind.CITY and parent.is_municipality:
        raise ValidationError(_("%(province)s是直辖市，没有市级单位，区县直接设在%(province)s之下")
                              % {"province": parent.name})


def org_create(*, kind: str, code: str, name: str, parent: Org | None, region_code: str = "",
               by: User | None = None, audit: bool = True) -> Org:
    """Add a node under `parent`. Its path is the parent's path plus its own code."""
    code = code.strip().upper()
    name = name.strip()
    if not CODE_RE.match(code):
        raise ValidationError(_("单位代码只能包含数字、大写字母和“-”，长度2至32位"))
    if not name:
        raise ValidationError(_("请填写单位名称"))
    _check_parent(kind, parent)
    path = (parent.path if parent else "") + code + "/"
    with transaction.atomic():
        if Org.plain.filter(code=code).exists():
            raise ValidationError(_("单位代码%(code)s已存在") % {"code": code})
        org = Org.plain.create(
            kind=kind, code=code, name=name, parent=parent, region_code=region_code,
            path=path, depth=path.count("/") - 1,
        )
        if audit:
            audit_record(actor=by, action="org.create", target=org,
                         data={"kind": kind, "code": code, "name": name, "parent": parent.code if parent else None})
    return org


def user_create(*, username: str, full_name: str, phone: str = "", password: str | None = None,
                email: str = "") -> User:
    if phone and not re.match(PHONE_RE, phone):
        raise ValidationError(_("手机号码应为以1开头的11位数字"))
    if re.match(PHONE_RE, username) and username != phone:
        # Log-in takes a phone number too (apps.orgs.backends): a user name that is a number must be the
        # account's own, or it would stand between a person and their own number.
        raise ValidationError(_("用户名%(u)s是手机号码，只能用作该号码本人账号的用户名") % {"u": username})
    if phone and User.objects.filter(username=phone).exclude(username=username).exists():
        raise ValidationError(_("手机号码%(p)s已是其他账号的用户名") % {"p": phone})
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(_("用户名或手机号码已被使用")) from exc
    return user


def membership_add(*, org: Org, user: User, role: str, by: User | None, check: bool = True) -> Membership:
    """Give a person a role at an org. An org's admin manages its own org and the orgs below."""
    if check:
        ensure(permissions.can_manage_members(by, org), NotFound)
    if role not in Membership.Role.values:
        raise ValidationError(_("角色不正确"))
    with transaction.atomic():
        membership, created = Membership.plain.get_or_create(user=user, org=org, role=role)
        if not created and membership.is_active:
            raise ValidationError(_("%(name)s已是该单位的%(role)s") % {"name": user, "role": membership.get_role_display()})
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership.add", target=membership, org=org,
                     data={"user": user.username, "role": role})
    return membership


def membership_remove(*, membership: Membership, by: User) -> Membership:
    ensure(permissions.can_manage_members(by, membership.org), NotFound)
    if not membership.is_active:
        raise ValidationError(_("%(name)s已不是该单位的%(role)s，无需再移除")
                              % {"name": membership.user, "role": membership.get_role_display()})
    if membership.user_id == by.pk and membership.role == Membership.Role.ADMIN and membership.org.kind == Org.Kind.CENTER:
        raise ValidationError(_("不能撤销自己在中心的管理员角色"))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        # A person with no role left has no business with the API: their tokens end with the last role.
        last = not Membership.plain.filter(user=membership.user, is_active=True).exists()
        revoked = tokens_revoke_all(membership.user) if last else 0
        audit_record(actor=by, action="membership.remove", target=membership, org=membership.org,
                     data={"user": membership.user.username, "role": membership.role, "api_tokens_revoked": revoked})
    return membership


# Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 12) -> str:
    """A random initial password, shown once to the admin who hands it over."""
    while True:
        pw = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def _home_org(user: User) -> Org | None:
    """The highest org a person belongs to: where their own account changes are logged."""
    m = (Membership.plain.filter(user=user, is_active=True).select_related("org")
         .order_by("org__depth", "org__path").first())
    return m.org if m else None


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def member_invite_existing(*, org: Org, by: User, who: str, role: str) -> MembershipInvitation:
    """Offer an existing account (found by username or phone) a role at `org`. It takes effect only when the
    person accepts it, signed in as themself (invitation_accept): nobody becomes part of an org, and so
    falls under its admins, without their consent."""
    ensure(permissions.can_manage_members(by, org), NotFound)
    who = (who or "").strip()
    if not who:
        raise ValidationError({"who": [_("请填写用户名或手机号码")]})
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("角色不正确")]})
    user = user_find(who)
    if user is None:
        raise ValidationError({"who": [
            _("未找到用户名或手机号码为“%(who)s”的账号。请核对，或在下方新建账号") % {"who": who}]})
    if not user.is_active:
        raise ValidationError({"who": [_("账号%(name)s已停用，不能添加为成员") % {"name": user.username}]})
    if Membership.plain.filter(user=user, org=org, role=role, is_active=True).exists():
        raise ValidationError({"who": [_("%(name)s已是该单位的%(role)s") % {
            "name": user, "role": Membership.Role(role).label}]})
    with transaction.atomic():
        if MembershipInvitation.plain.select_for_update().filter(
                org=org, user=user, role=role, state=MembershipInvitation.State.PENDING,
                expires_at__gt=timezone.now()).exists():
            raise ValidationError({"who": [_("已向%(name)s发出过邀请，正在等待其接受") % {"name": user}]})
        MembershipInvitation.plain.filter(org=org, user=user, role=role,
                                         state=MembershipInvitation.State.PENDING).update(
            state=MembershipInvitation.State.REVOKED, decided_at=timezone.now())  # an expired one makes way
        invitation = MembershipInvitation.plain.create(
            org=org, user=user, role=role, invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=MembershipInvitation.DAYS))
        audit_record(actor=by, action="membership.invite", target=invitation, org=org,
                     data={"user": user.username, "role": role})
    return invitation


def _pending(invitation: MembershipInvitation) -> MembershipInvitation:
    """The invitation locked, if it can still be answered; else a ValidationError that says why not."""
    fresh = MembershipInvitation.plain.select_for_update().select_related("org", "user").get(pk=invitation.pk)
    if fresh.state != MembershipInvitation.State.PENDING:
        raise ValidationError(_("该邀请已%(state)s，不能再处理") % {"state": fresh.get_state_display()})
    if fresh.expires_at <= timezone.now():
        raise ValidationError(_("该邀请已过期，请联系%(org)s重新邀请") % {"org": fresh.org.name})
    return fresh


def invitation_accept(*, invitation: MembershipInvitation, by: User) -> Membership:
    """The invited person, signed in, accepts: the role starts now."""
    ensure(permissions.can_answer_invitation(by, invitation), NotFound)
    with transaction.atomic():
        fresh = _pending(invitation)
        if not fresh.org.is_active:
            raise ValidationError(_("%(org)s已停用，不能加入") % {"org": fresh.org.name})
        membership, created = Membership.plain.get_or_create(user=by, org=fresh.org, role=fresh.role)
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        fresh.state, fresh.decided_at = MembershipInvitation.State.ACCEPTED, timezone.now()
        fresh.save(update_fields=["state", "decided_at"])
        audit_record(actor=by, action="membership.add", target=membership, org=fresh.org,
                     data={"user": by.username, "role": fresh.role, "invitation": fresh.pk,
                           "invited_by": fresh.invited_by_id})
    return membership


def invitation_decline(*, invitation: MembershipInvitation, by: User) -> MembershipInvitation:
    ensure(permissions.can_answer_invitation(by, invitation), NotFound)
    with transaction.atomic():
        fresh = _pending(invitation)
        fresh.state, fresh.decided_at = MembershipInvitation.State.DECLINED, timezone.now()
        fresh.save(update_fields=["state", "decided_at"])
        audit_record(actor=by, action="membership.invitation_decline", target=fresh, org=fresh.org,
                     data={"user": by.username, "role": fresh.role})
    return fresh


def invitation_revoke(*, invitation: MembershipInvitation, by: User) -> MembershipInvitation:
    """The inviting org withdraws an invitation not yet answered."""
    ensure(permissions.can_manage_members(by, invitation.org), NotFound)
    with transaction.atomic():
        fresh = MembershipInvitation.plain.select_for_update().select_related("org", "user").get(pk=invitation.pk)
        if fresh.state != MembershipInvitation.State.PENDING:
            raise ValidationError(_("该邀请已%(state)s，不能撤回") % {"state": fresh.get_state_display()})
        fresh.state, fresh.decided_at = MembershipInvitation.State.REVOKED, timezone.now()
        fresh.save(update_fields=["state", "decided_at"])
        audit_record(actor=by, action="membership.invitation_revoke", target=fresh, org=fresh.org,
                     data={"user": fresh.user.username, "role": fresh.role})
    return fresh


def member_invite(*, org: Org, by: User, role: str, username: str, full_name: str, phone: str = "",
                  email: str = "", password: str = "") -> tuple[Membership, str | None]:
    """Create an account and give it a role at `org`, in one transaction with two audit rows.

    Without a password one is generated and returned, to be shown once to the admin;
    with a typed one, None is returned.
    """
    ensure(permissions.can_manage_members(by, org), NotFound)
    username, full_name = username.strip(), full_name.strip()
    phone, email = phone.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("请填写用户名")]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = [_("用户名只能包含字母、数字和 @ . + - _，不超过150个字符")]
        if len(username) > 150:
            errors["username"] = [_("用户名只能包含字母、数字和 @ . + - _，不超过150个字符")]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("用户名%(u)s已被使用。如要添加已有账号，请使用上方“添加已有账号”") % {"u": username}]
        elif re.match(PHONE_RE, username) and username != phone.strip():
            errors["username"] = [_("用户名%(u)s是手机号码：只有本人的手机号码才能用作用户名，请在“手机号码”中填写同一号码，"
                                    "或改用其他用户名") % {"u": username}]
    if not full_name:
        errors["full_name"] = [_("请填写姓名")]
    elif len(full_name) > 50:
        errors["full_name"] = [_("姓名不能超过50个字")]
    if phone:
        if not re.match(PHONE_RE, phone):
            errors["phone"] = [_("手机号码应为以1开头的11位数字")]
        elif User.objects.filter(Q(phone=phone) | Q(username=phone)).exclude(username=username).exists():
            errors["phone"] = [_("手机号码%(p)s已被其他账号使用。如要添加该账号，请使用上方“添加已有账号”") % {"p": phone}]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确")]
    if role not in Membership.Role.values:
        errors["role"] = [_("角色不正确")]
    generated = None
    if not password:
        password = generated = generate_password()
    else:
        try:
            _check_password(password, User(username=username, full_name=full_name, email=email))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = user_create(username=username, full_name=full_name, phone=phone, email=email, password=password)
        user.must_change_password = True  # chosen by the admin: the person replaces it at the first log-in
        user.save(update_fields=["must_change_password"])
        audit_record(actor=by, action="user.create", target=user, org=org,
                     data={"username": user.username, "full_name": user.full_name,
                           "generated_password": generated is not None})
        membership = membership_add(org=org, user=user, role=role, by=by)
    return membership, generated


def member_password_reset(*, membership: Membership, by: User, password: str = "") -> str:
    """Set a new password for a member; returns it, to be shown once to the admin.

    Only when every role the person holds lies in orgs the admin administers: otherwise the
    admin could take over an account that a higher or foreign org relies on.
    """
    ensure(permissions.can_manage_members(by, membership.org), NotFound)
    user = membership.user
    if not membership.is_active:
        raise ValidationError(_("%(name)s已不是该单位的成员，不能重置其密码") % {"name": user})
    if user.pk == by.pk:
        raise ValidationError(_("不能在这里重置自己的密码，请在“我的账号”中修改"))
    outside = permissions.grants_outside(by, user)
    if user.is_superuser or outside:
        raise ValidationError(
            _("为保护账号安全，%(name)s的账号还有不是由您授予的身份（%(what)s），不能由您重置密码。"
              "请本人修改密码，或联系授予这些身份的单位") % {"name": user, "what": "、".join(outside) or _("系统管理员")})
    if password:
        _check_password(password, user)
    else:
        password = generate_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True  # the admin knows it: the person replaces it at the next log-in
        user.save(update_fields=["password", "must_change_password"])
        revoked = tokens_revoke_all(user)
        audit_record(actor=by, action="user.password_reset", target=user, org=membership.org,
                     data={"username": user.username, "api_tokens_revoked": revoked})
    return password


def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A signed-in person changes their own password."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("原密码不正确，请重新输入")]})
    _check_password(new_password, user, field="new_password1")
    if user.check_password(new_password):
        raise ValidationError({"new_password1": [_("新密码不能与原密码相同")]})
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        revoked = tokens_revoke_all(user)
        audit_record(actor=user, action="user.password_change", target=user, org=_home_org(user),
                     data={"username": user.username, "api_tokens_revoked": revoked})
    return user
