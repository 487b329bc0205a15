from tests.matrix import Row, signed_in

# Who may act on an org's people: its admins and the admins above; nobody else learns it exists.
MANAGE = {"anon": 302, "own": 200, "staff": 404, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
# Who answers an invitation: the invited person alone.
ANSWER = {"anon": 302, "own": 404, "staff": 404, "ancestor": 404, "descendant": 302, "sibling": 404, "foreign": 404}
# Who may import below a province: its admins and the centre's.
IMPORT = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}


def _staff_membership(w):
    from apps.orgs.models import Membership

    return {"pk": Membership.plain.get(user=w.hangzhou_staff, org=w.hangzhou).pk}, "hangzhou"


ROWS = [
    Row("login", lambda w: ({}, "hangzhou"), {"anon": 200, "own": 302}),
    Row("logout", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 302}, method="POST"),
    signed_in("home"),
    Row("switch_org", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 404, "foreign": 404}, method="POST",
        data={"org": "0"}, note="an org the person does not belong to"),
    Row("org_detail", lambda w: ({"code": w.hangzhou.code}, "hangzhou"),
        {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("org_detail", lambda w: ({"code": w.hangzhou.code}, "hangzhou"),
        {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404},
        data={"q": "西", "kind": "county"}, note="subtree search"),
    signed_in("account"),
    Row("account", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 200, "foreign": 200}, method="POST",
        data={"old_password": "wrong"}, note="a wrong old password shows the form again"),
    Row("member_add", lambda w: ({"code": w.hangzhou.code}, "hangzhou"), MANAGE),
    Row("member_add", lambda w: ({"code": w.hangzhou.code}, "hangzhou"), MANAGE, method="POST",
        data={"mode": "existing", "existing-who": "nobody", "existing-role": "staff"},
        note="an unknown account: the form again with the error"),
    Row("member_remove", _staff_membership,
        {"anon": 302, "own": 302, "staff": 404, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
    Row("member_password", _staff_membership, MANAGE),
    Row("member_password", _staff_membership, MANAGE, method="POST", data={"password": ""},
        note="the new password is shown once"),
    # An invitation to an existing account (world.invitation: 杭州市 offers 西湖区's admin, the "descendant", a
    # staff role). Only the invited person answers it; only the inviting org's admins withdraw it.
    Row("invitation_accept", lambda w: ({"pk": w.invitation.pk}, "hangzhou"), ANSWER, method="POST"),
    Row("invitation_decline", lambda w: ({"pk": w.invitation.pk}, "hangzhou"), ANSWER, method="POST"),
    Row("invitation_revoke", lambda w: ({"pk": w.invitation.pk}, "hangzhou"),
        {"anon": 302, "own": 302, "staff": 404, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
    # API tokens on "my account": everyone makes their own; world.api_token is 杭州市's admin's, ended by them alone.
    Row("account_token_new", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 200, "foreign": 200}, method="POST"),
    Row("account_token_revoke", lambda w: ({"key": w.api_token_key}, "hangzhou"),
        {"anon": 302, "own": 302, "staff": 404, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
    Row("org_import", lambda w: ({"code": w.zhejiang.code}, "zhejiang"), IMPORT),
    Row("org_import", lambda w: ({"code": w.zhejiang.code}, "zhejiang"), IMPORT, method="POST", data={},
        note="no file: the form again with the error"),
    Row("org_import", lambda w: ({"code": w.hangzhou.code}, "hangzhou"),
        {"anon": 302, "own": 404, "ancestor": 404, "foreign": 404}, note="only a province imports"),
    Row("org_import_template", lambda w: ({"code": w.zhejiang.code}, "zhejiang"), IMPORT),
]
