"""Members: an org admin manages the people of its org and the orgs below (issue 3 item 2)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.orgs.models import Membership, User
from apps.orgs.services import (
    member_add_existing,
    member_invite,
    member_password_reset,
    membership_add,
    membership_remove,
    user_password_change,
)
from tests.factories import PASSWORD, make_user


def snapshot():
    return User.objects.count(), Membership.tree.count(), AuditEntry.log.count()


def membership(user, org):
    return Membership.tree.select_related("org", "user").get(user=user, org=org)


# Adding an existing account.

def test_an_admin_adds_an_existing_account_found_by_username(tree, system):
    li = make_user("clerk-li", "李文", phone="13800000001")
    m = member_add_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    assert (m.user, m.org, m.role, m.is_active) == (li, tree.xihu, "staff", True)
    assert AuditEntry.log.filter(action="membership.add", target_id=str(m.pk)).count() == 1


def test_an_admin_adds_an_existing_account_found_by_phone(tree, system):
    li = make_user("clerk-li", "李文", phone="13800000001")
    m = member_add_existing(org=tree.xihu_park, by=tree.hangzhou_admin, who="13800000001", role="admin")
    assert m.user == li and m.role == "admin"


def test_an_unknown_account_is_refused_in_words_and_nothing_is_written(tree, system):
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        member_add_existing(org=tree.xihu, by=tree.xihu_admin, who="nobody", role="staff")
    assert err.value.message_dict["who"][0].startswith("未找到用户名或手机号码为“nobody”的账号")
    assert snapshot() == before


def test_adding_the_same_role_twice_is_refused(tree, system):
    with pytest.raises(ValidationError, match="已是该单位的管理员"):
        member_add_existing(org=tree.xihu, by=tree.hangzhou_admin, who="admin-330106", role="admin")


def test_a_deactivated_account_cannot_be_added(tree, system):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError, match="已停用"):
        member_add_existing(org=tree.xihu, by=tree.xihu_admin, who="gone", role="staff")


def test_staff_cannot_manage_members_of_their_own_org(tree, system):
    make_user("clerk-li")
    with pytest.raises(Http404):
        member_add_existing(org=tree.hangzhou, by=tree.hangzhou_staff, who="clerk-li", role="staff")


def test_an_admin_cannot_add_members_to_a_sibling_org(tree, system):
    make_user("clerk-li")
    with pytest.raises(Http404):
        member_add_existing(org=tree.shangcheng, by=tree.xihu_admin, who="clerk-li", role="staff")


# Creating an account.

def test_an_admin_creates_an_account_with_a_generated_password_shown_once(tree, system):
    before_audit = AuditEntry.log.count()
    m, password = member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="wang-fang",
                                full_name="王芳", phone="13912345678", email="wf@example.cn")
    user = m.user
    assert password and len(password) >= 12 and user.check_password(password)
    assert (user.full_name, user.phone, user.email) == ("王芳", "13912345678", "wf@example.cn")
    actions = list(AuditEntry.log.filter(pk__gt=0).order_by("id").values_list("action", flat=True))[before_audit:]
    assert actions == ["user.create", "membership.add"]
    created = AuditEntry.log.get(action="user.create", target_id=str(user.pk))
    assert created.actor_label == "admin-330106" and created.org_path == tree.xihu.path
    assert json.loads(created.data) == {"username": "wang-fang", "full_name": "王芳", "generated_password": True}
    assert password not in created.data


def test_an_admin_may_type_the_initial_password(tree, system):
    m, shown = member_invite(org=tree.xihu, by=tree.xihu_admin, role="admin", username="zhao",
                             full_name="赵强", password="Xihu-2026-start")
    assert shown is None and m.user.check_password("Xihu-2026-start")


@pytest.mark.parametrize("field,kw,message", [
    ("phone", {"phone": "12345678901"}, "手机号码应为以1开头的11位数字"),
    ("phone", {"phone": "1381234567"}, "手机号码应为以1开头的11位数字"),
    ("username", {"username": "admin-330106"}, "用户名admin-330106已被使用"),
    ("username", {"username": "ADMIN-330106"}, "已被使用"),
    ("username", {"username": "王 芳"}, "用户名只能包含字母、数字和"),
    ("full_name", {"full_name": " "}, "请填写姓名"),
    ("email", {"email": "not-an-email"}, "电子邮箱格式不正确"),
    ("password", {"password": "123"}, ""),
    ("role", {"role": "boss"}, "角色不正确"),
])
def test_a_bad_new_account_is_refused_in_words_and_nothing_is_written(tree, system, field, kw, message):
    make_user("phone-owner", phone="13700000000")
    args = dict(org=tree.xihu, by=tree.xihu_admin, role="staff", username="wang-fang", full_name="王芳")
    args.update(kw)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        member_invite(**args)
    assert message in err.value.message_dict[field][0]
    assert snapshot() == before


def test_a_phone_already_used_is_refused(tree, system):
    make_user("phone-owner", phone="13700000000")
    with pytest.raises(ValidationError, match="手机号码13700000000已被其他账号使用"):
        member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="x1", full_name="某人",
                      phone="13700000000")


# Removing a role.

def test_an_admin_removes_a_role_below_and_it_is_audited(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    membership_remove(membership=m, by=tree.hangzhou_admin)
    m.refresh_from_db()
    assert not m.is_active
    entry = AuditEntry.log.get(action="membership.remove", target_id=str(m.pk))
    assert entry.actor_label == "admin-330100" and entry.org_path == tree.xihu.path


def test_removing_a_role_twice_is_refused(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    membership_remove(membership=m, by=tree.hangzhou_admin)
    before = snapshot()
    with pytest.raises(ValidationError, match="无需再移除"):
        membership_remove(membership=m, by=tree.hangzhou_admin)
    assert snapshot() == before


def test_a_county_admin_cannot_remove_its_city_admin(tree, system):
    with pytest.raises(Http404):
        membership_remove(membership=membership(tree.hangzhou_admin, tree.hangzhou), by=tree.xihu_admin)


# Resetting a password.

def test_an_admin_resets_the_password_of_a_member_below_and_it_is_audited(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    new = member_password_reset(membership=m, by=tree.hangzhou_admin)
    m.user.refresh_from_db()
    assert m.user.check_password(new) and not m.user.check_password(PASSWORD)
    entry = AuditEntry.log.get(action="user.password_reset", target_id=str(m.user.pk))
    assert entry.actor_label == "admin-330100" and entry.org_path == tree.xihu.path and new not in entry.data


def test_a_typed_reset_password_must_pass_the_password_rules(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        member_password_reset(membership=m, by=tree.hangzhou_admin, password="12345678")
    assert "password" in err.value.message_dict
    assert snapshot() == before


def test_a_reset_is_refused_when_the_person_also_works_outside_the_admins_subtree(tree, system):
    """Hangzhou may not take over an account that Ningbo relies on; Zhejiang, above both, may."""
    li = make_user("clerk-li", "李文")
    membership_add(org=tree.xihu, user=li, role="staff", by=tree.xihu_admin)
    membership_add(org=tree.haishu, user=li, role="staff", by=tree.haishu_admin)
    m = membership(li, tree.xihu)
    before = snapshot()
    with pytest.raises(ValidationError, match="在您管理范围以外的单位也有角色，不能由您重置密码"):
        member_password_reset(membership=m, by=tree.hangzhou_admin)
    assert snapshot() == before
    li.refresh_from_db()
    assert li.check_password(PASSWORD)
    assert member_password_reset(membership=m, by=tree.zhejiang_admin)


def test_an_admin_cannot_reset_the_password_of_someone_above(tree, system):
    with pytest.raises(Http404):
        member_password_reset(membership=membership(tree.hangzhou_admin, tree.hangzhou), by=tree.xihu_admin)


def test_an_admin_resets_their_own_password_only_in_my_account(tree, system):
    with pytest.raises(ValidationError, match="我的账号"):
        member_password_reset(membership=membership(tree.xihu_admin, tree.xihu), by=tree.xihu_admin)


def test_a_removed_member_has_no_password_reset_here(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    membership_remove(membership=m, by=tree.hangzhou_admin)
    with pytest.raises(ValidationError, match="已不是该单位的成员"):
        member_password_reset(membership=m, by=tree.hangzhou_admin)


# My account.

def test_a_person_changes_their_own_password_and_it_is_audited(tree, system):
    user_password_change(user=tree.xihu_admin, old_password=PASSWORD, new_password="Westlake-2026-new")
    tree.xihu_admin.refresh_from_db()
    assert tree.xihu_admin.check_password("Westlake-2026-new")
    entry = AuditEntry.log.get(action="user.password_change")
    assert entry.actor_label == "admin-330106" and entry.org_path == tree.xihu.path
    assert "Westlake" not in entry.data


def test_a_wrong_old_password_changes_nothing(tree, system):
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        user_password_change(user=tree.xihu_admin, old_password="wrong", new_password="Westlake-2026-new")
    assert err.value.message_dict["old_password"] == ["原密码不正确，请重新输入"]
    assert snapshot() == before


# The pages.

def test_the_member_page_adds_an_existing_account(client, tree, system):
    make_user("clerk-li", "李文")
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("member_add", args=["330106"]),
                           {"mode": "existing", "existing-who": "clerk-li", "existing-role": "staff"})
    assert response.status_code == 302 and response["Location"] == reverse("org_detail", args=["330106"])
    assert Membership.tree.filter(user__username="clerk-li", org=tree.xihu, is_active=True).exists()


def test_the_member_page_shows_a_service_error_on_its_field(client, tree, system):
    client.force_login(tree.xihu_admin)
    before = snapshot()
    response = client.post(reverse("member_add", args=["330106"]), {
        "mode": "new", "new-username": "wang", "new-full_name": "王芳", "new-phone": "12345", "new-role": "staff"})
    assert response.status_code == 200
    assert "手机号码应为以1开头的11位数字" in response.content.decode()
    assert snapshot() == before


def test_the_generated_password_is_shown_once_and_not_cached(client, tree, system):
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("member_add", args=["330106"]), {
        "mode": "new", "new-username": "wang", "new-full_name": "王芳", "new-role": "staff"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="wang")
    password = response.context["password"]
    assert user.check_password(password) and password in response.content.decode()


def test_the_remove_button_deactivates_the_role(client, tree, system):
    m = membership(tree.hangzhou_staff, tree.hangzhou)
    client.force_login(tree.hangzhou_admin)
    response = client.post(reverse("member_remove", args=[m.pk]))
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active


def test_the_reset_page_refuses_in_words_when_the_person_works_elsewhere(client, tree, system):
    li = make_user("clerk-li", "李文")
    membership_add(org=tree.xihu, user=li, role="staff", by=tree.xihu_admin)
    membership_add(org=tree.haishu, user=li, role="staff", by=tree.haishu_admin)
    client.force_login(tree.hangzhou_admin)
    response = client.post(reverse("member_password", args=[membership(li, tree.xihu).pk]), {"password": ""})
    assert response.status_code == 200
    assert "在您管理范围以外的单位也有角色" in response.content.decode()


def test_my_account_page_changes_the_password_and_keeps_me_signed_in(client, tree, system):
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("account"), {
        "old_password": PASSWORD, "new_password1": "Westlake-2026-new", "new_password2": "Westlake-2026-new"})
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200  # still signed in
    tree.xihu_admin.refresh_from_db()
    assert tree.xihu_admin.check_password("Westlake-2026-new")
    assert AuditEntry.log.filter(action="user.password_change").count() == 1


def test_my_account_page_shows_a_wrong_old_password_in_words(client, tree, system):
    client.force_login(tree.xihu_admin)
    before = snapshot()
    response = client.post(reverse("account"), {
        "old_password": "wrong", "new_password1": "Westlake-2026-new", "new_password2": "Westlake-2026-new"})
    assert response.status_code == 200
    assert snapshot() == before
