"""Members: an org admin manages the people of its org and the orgs below (issue 3 item 2)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.orgs.models import Membership, MembershipInvitation, User
from apps.orgs.services import (
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    member_invite,
    member_invite_existing,
    member_password_reset,
    membership_add,
    membership_remove,
    user_password_change,
)
from apps.review.models import Expert, PoolMember
from tests.factories import PASSWORD, make_user


def snapshot():
    return User.objects.count(), Membership.plain.count(), AuditEntry.plain.count()


def membership(user, org):
    return Membership.plain.select_related("org", "user").get(user=user, org=org)


# Inviting an existing account: it counts only once the person accepts, signed in as themself.

def test_an_admin_invites_an_existing_account_and_the_role_starts_when_the_person_accepts(tree, system):
    li = make_user("clerk-li", "李文", phone="13800000001")
    invitation = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    assert (invitation.user, invitation.org, invitation.role, invitation.state) == (li, tree.xihu, "staff", "pending")
    assert not Membership.plain.filter(user=li).exists(), "nothing changes before the person answers"
    m = invitation_accept(invitation=invitation, by=li)
    assert (m.user, m.org, m.role, m.is_active) == (li, tree.xihu, "staff", True)
    assert AuditEntry.plain.filter(action="membership.invite", target_id=str(invitation.pk)).count() == 1
    assert AuditEntry.plain.filter(action="membership.add", target_id=str(m.pk)).count() == 1
    with pytest.raises(ValidationError, match="已接受"):
        invitation_accept(invitation=invitation, by=li)


def test_an_admin_invites_an_existing_account_found_by_phone(tree, system):
    li = make_user("clerk-li", "李文", phone="13800000001")
    invitation = member_invite_existing(org=tree.xihu_park, by=tree.hangzhou_admin, who="13800000001", role="admin")
    assert invitation.user == li and invitation.role == "admin"


def test_only_the_invited_person_answers_an_invitation(tree, system):
    li = make_user("clerk-li", "李文")
    invitation = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    for someone in (tree.xihu_admin, tree.hangzhou_admin, tree.center_admin):
        with pytest.raises(Http404):
            invitation_accept(invitation=invitation, by=someone)
        with pytest.raises(Http404):
            invitation_decline(invitation=invitation, by=someone)
    assert not Membership.plain.filter(user=li).exists()


def test_a_declined_revoked_or_expired_invitation_gives_no_role(tree, system):
    li = make_user("clerk-li", "李文")
    declined = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    invitation_decline(invitation=declined, by=li)
    revoked = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    invitation_revoke(invitation=revoked, by=tree.xihu_admin)
    expired = member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="admin")
    MembershipInvitation.plain.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for invitation, words in ((declined, "已拒绝"), (revoked, "已撤回"), (expired, "已过期")):
        with pytest.raises(ValidationError, match=words):
            invitation_accept(invitation=invitation, by=li)
    assert not Membership.plain.filter(user=li).exists()


def test_a_second_invitation_while_one_waits_is_refused(tree, system):
    make_user("clerk-li", "李文")
    member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="clerk-li", role="staff")
    with pytest.raises(ValidationError, match="正在等待其接受"):
        member_invite_existing(org=tree.xihu, by=tree.hangzhou_admin, who="clerk-li", role="staff")


def test_an_unknown_account_is_refused_in_words_and_nothing_is_written(tree, system):
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="nobody", role="staff")
    assert err.value.message_dict["who"][0].startswith("未找到用户名或手机号码为“nobody”的账号")
    assert snapshot() == before


def test_inviting_someone_to_a_role_they_hold_is_refused(tree, system):
    with pytest.raises(ValidationError, match="已是该单位的管理员"):
        member_invite_existing(org=tree.xihu, by=tree.hangzhou_admin, who="admin-330106", role="admin")


def test_a_deactivated_account_cannot_be_invited(tree, system):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError, match="已停用"):
        member_invite_existing(org=tree.xihu, by=tree.xihu_admin, who="gone", role="staff")


def test_staff_cannot_manage_members_of_their_own_org(tree, system):
    make_user("clerk-li")
    with pytest.raises(Http404):
        member_invite_existing(org=tree.hangzhou, by=tree.hangzhou_staff, who="clerk-li", role="staff")


def test_an_admin_cannot_invite_members_to_a_sibling_org(tree, system):
    make_user("clerk-li")
    with pytest.raises(Http404):
        member_invite_existing(org=tree.shangcheng, by=tree.xihu_admin, who="clerk-li", role="staff")


# The attack: an association admin makes a foreign expert's account its own, resets its password, scores.

def test_attack_an_association_admin_cannot_take_over_an_expert_in_another_province(tree, system):
    """Step by step: an expert of 成都's pool (an account that is only an expert) is found by phone, added as
    staff of a 西湖区 association, and its password reset. Adding needs the expert's own consent; the reset is
    refused because the account holds an expert profile and a pool place that no org admin granted."""
    expert_user = make_user("13900000088", "冯专家", phone="13900000088")
    expert = Expert.plain.create(user=expert_user, name="冯专家", employer="四川大学")
    PoolMember.plain.create(org=tree.chengdu, expert=expert)
    attacker = tree.xihu_park_admin
    invitation = member_invite_existing(org=tree.xihu_park, by=attacker, who="13900000088", role="staff")
    assert not Membership.plain.filter(user=expert_user).exists(), "step 1: no role without the expert's consent"
    with pytest.raises(Http404):
        invitation_accept(invitation=invitation, by=attacker)
    # Even had the expert accepted (say, tricked), the reset stays refused: the expert profile was not granted
    # by the association.
    m = invitation_accept(invitation=invitation, by=expert_user)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        member_password_reset(membership=m, by=attacker)
    assert "评审专家身份（成都市专家库）" in refused.value.messages[0]
    assert "不能由您重置密码" in refused.value.messages[0]
    assert snapshot() == before
    expert_user.refresh_from_db()
    assert expert_user.check_password(PASSWORD)


def test_a_reset_is_refused_for_an_expert_profile_even_outside_every_pool(tree, system):
    li = make_user("clerk-li", "李文")
    membership_add(org=tree.xihu, user=li, role="staff", by=tree.xihu_admin)
    Expert.plain.create(user=li, name="李文")
    with pytest.raises(ValidationError, match="评审专家身份"):
        member_password_reset(membership=membership(li, tree.xihu), by=tree.hangzhou_admin)


def test_a_password_set_by_an_admin_must_be_changed_at_the_next_log_in(client, tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    new = member_password_reset(membership=m, by=tree.hangzhou_admin)
    assert client.login(username="admin-330106", password=new)
    for url in (reverse("home"), reverse("org_detail", args=["330106"]), reverse("cases:list")):
        sent = client.get(url)
        assert sent.status_code == 302 and sent["Location"].startswith(reverse("account") + "?next=")
    assert client.get("/api/v1/orgs/").status_code == 403
    assert "请先修改密码" in client.get(reverse("account")).content.decode()
    changed = client.post(reverse("account") + "?next=/", {
        "old_password": new, "new_password1": "Westlake-2026-own", "new_password2": "Westlake-2026-own"})
    assert changed.status_code == 302 and changed["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    tree.xihu_admin.refresh_from_db()
    assert not tree.xihu_admin.must_change_password


def test_an_account_created_with_an_admins_password_must_change_it(tree, system):
    m, generated = member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="wang", full_name="王芳")
    assert m.user.must_change_password


def test_the_new_password_must_differ_from_the_one_the_admin_chose(tree, system):
    m = membership(tree.xihu_admin, tree.xihu)
    new = member_password_reset(membership=m, by=tree.hangzhou_admin)
    with pytest.raises(ValidationError) as same:
        user_password_change(user=User.objects.get(pk=m.user_id), old_password=new, new_password=new)
    assert same.value.message_dict == {"new_password1": ["新密码不能与原密码相同"]}


@pytest.mark.parametrize("username,phone", [("13900000001", ""), ("13900000001", "13900000002")])
def test_a_username_that_is_a_phone_number_must_be_the_accounts_own(tree, system, username, phone):
    with pytest.raises(ValidationError) as refused:
        member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username=username, full_name="王芳",
                      phone=phone)
    assert "只有本人的手机号码才能用作用户名" in refused.value.message_dict["username"][0]


def test_a_phone_that_is_another_accounts_username_is_refused(tree, system):
    User.objects.create_user(username="13900000003", password=PASSWORD)  # an older account named by a number
    with pytest.raises(ValidationError) as refused:
        member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="wang", full_name="王芳",
                      phone="13900000003")
    assert "已被其他账号使用" in refused.value.message_dict["phone"][0]


def test_ones_own_phone_number_may_be_the_username(tree, system):
    m, _pw = member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="13900000004",
                           full_name="王芳", phone="13900000004")
    assert m.user.username == m.user.phone == "13900000004"


# Creating an account.

def test_an_admin_creates_an_account_with_a_generated_password_shown_once(tree, system):
    before_audit = AuditEntry.plain.count()
    m, password = member_invite(org=tree.xihu, by=tree.xihu_admin, role="staff", username="wang-fang",
                                full_name="王芳", phone="13912345678", email="wf@example.cn")
    user = m.user
    assert password and len(password) >= 12 and user.check_password(password)
    assert (user.full_name, user.phone, user.email) == ("王芳", "13912345678", "wf@example.cn")
    actions = list(AuditEntry.plain.filter(pk__gt=0).order_by("id").values_list("action", flat=True))[before_audit:]
    assert actions == ["user.create", "membership.add"]
    created = AuditEntry.plain.get(action="user.create", target_id=str(user.pk))
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
    entry = AuditEntry.plain.get(action="membership.remove", target_id=str(m.pk))
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
    entry = AuditEntry.plain.get(action="user.password_reset", target_id=str(m.user.pk))
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
    with pytest.raises(ValidationError, match="海曙区的工作人员），不能由您重置密码"):
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
    entry = AuditEntry.plain.get(action="user.password_change")
    assert entry.actor_label == "admin-330106" and entry.org_path == tree.xihu.path
    assert "Westlake" not in entry.data


def test_a_wrong_old_password_changes_nothing(tree, system):
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        user_password_change(user=tree.xihu_admin, old_password="wrong", new_password="Westlake-2026-new")
    assert err.value.message_dict["old_password"] == ["原密码不正确，请重新输入"]
    assert snapshot() == before


# The pages.

def test_the_member_page_invites_an_existing_account_who_accepts_on_my_account(client, tree, system):
    li = make_user("clerk-li", "李文")
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("member_add", args=["330106"]),
                           {"mode": "existing", "existing-who": "clerk-li", "existing-role": "staff"})
    assert response.status_code == 302 and response["Location"] == reverse("org_detail", args=["330106"])
    invitation = MembershipInvitation.plain.get(user=li)
    assert "待接受的邀请" in client.get(reverse("org_detail", args=["330106"])).content.decode()
    client.force_login(li)
    home = client.get(reverse("home")).content.decode()
    assert "西湖区邀请您担任工作人员，请确认是否接受" in home
    assert "待确认的邀请" in client.get(reverse("account")).content.decode()
    accepted = client.post(reverse("invitation_accept", args=[invitation.pk]))
    assert accepted.status_code == 302
    assert Membership.plain.filter(user=li, org=tree.xihu, is_active=True).exists()


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
    assert "不能由您重置密码" in response.content.decode()


def test_my_account_page_changes_the_password_and_keeps_me_signed_in(client, tree, system):
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("account"), {
        "old_password": PASSWORD, "new_password1": "Westlake-2026-new", "new_password2": "Westlake-2026-new"})
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200  # still signed in
    tree.xihu_admin.refresh_from_db()
    assert tree.xihu_admin.check_password("Westlake-2026-new")
    assert AuditEntry.plain.filter(action="user.password_change").count() == 1


def test_my_account_page_shows_a_wrong_old_password_in_words(client, tree, system):
    client.force_login(tree.xihu_admin)
    before = snapshot()
    response = client.post(reverse("account"), {
        "old_password": "wrong", "new_password1": "Westlake-2026-new", "new_password2": "Westlake-2026-new"})
    assert response.status_code == 200
    assert snapshot() == before


def test_the_member_page_lists_every_problem_in_a_summary_and_at_each_field(client, tree, system):
    client.force_login(tree.xihu_admin)
    response = client.post(reverse("member_add", args=["330106"]), {
        "mode": "new", "new-username": "", "new-full_name": "", "new-phone": "12345", "new-role": "staff"})
    page = response.content.decode()
    summary = page[page.index('id="error-summary"'):page.index("</div>", page.index('id="error-summary"'))]
    for message in ("手机号码应为以1开头的11位数字",):
        assert message in summary and page.count(message) >= 2  # in the summary and at its field
    assert 'href="#id_new-phone"' in summary and "autofocus" in page[page.index('id="error-summary"') - 120:]
