"""State changes of the org tree and its people. Each writes its audit row in its transaction."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ensure, NotFound
from apps.orgs import permissions
from apps.orgs.models import PHONE_RE, Membership, Org, User

CODE_RE = re.compile(r"^[0-9A-Z-]{2,32}$")


def _check_parent(kind: str, parent: Org | None) -> None:
    wanted = Org.PARENT_KIND[Org.Kind(kind)]
    if wanted is None:
        if parent is not None:
            raise ValidationError(_("中心不能有上级单位"))
        return
    if parent is None or parent.kind != wanted:
        raise ValidationError(
            _("%(kind)s的上级单位必须是%(parent)s")
            % {"kind": Org.Kind(kind).label, "parent": Org.Kind(wanted).label}
        )


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
        if Org.tree.filter(code=code).exists():
            raise ValidationError(_("单位代码%(code)s已存在") % {"code": code})
        org = Org.tree.create(
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
        membership, created = Membership.tree.get_or_create(user=user, org=org, role=role)
        if not created and membership.is_active:
            raise ValidationError(_("%(name)s已是该单位的%(role)s") % {"name": user, "role": membership.get_role_display()})
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership.add", target=membership, org=org,
                     data={"user": user.username, "role": role})
    return membership


def membership_remove(*, membership: Membership, by: User) -> Membership:
    ensure(permissions.can_manage_members(by, membership.org), NotFound)
    if membership.user_id == by.pk and membership.role == Membership.Role.ADMIN and membership.org.kind == Org.Kind.CENTER:
        raise ValidationError(_("不能撤销自己在中心的管理员角色"))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership.remove", target=membership, org=membership.org,
                     data={"user": membership.user.username, "role": membership.role})
    return membership
