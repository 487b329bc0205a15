"""Permission-matrix rows of the case pages (R-106).

The case's owning org is 西湖科技园科协 (xihu_park): own = its admin, ancestor = 西湖区's admin,
sibling = 西湖区's enterprise association, foreign = 武侯区's park association. Rows owned by "xihu" look at a
submitted case from the county's side: own = 西湖区, ancestor = 杭州市, descendant = xihu_park (the
recommender), sibling = 上城区, foreign = 武侯区. The invitation pages need no login: the token is the key.
"""

from tests.matrix import Row


def _version(case):
    from apps.cases.services import version_token

    case.refresh_from_db()
    return version_token(case)


DRAFT = lambda w: ({"pk": w.xihu_case.pk}, "xihu_park")
SUBMITTED = lambda w: ({"pk": w.xihu_submitted_case.pk}, "xihu_park")
SUBMITTED_FROM_COUNTY = lambda w: ({"pk": w.xihu_submitted_case.pk}, "xihu")
INVITE = lambda w: ({"token": w.xihu_invite_token}, "xihu_park")
BAD_TOKEN = lambda w: ({"token": "not-a-token"}, "xihu_park")
REVOKE = lambda w: ({"pk": w.xihu_case.pk, "invite_id": w.xihu_invite.pk}, "xihu_park")

# A draft is the association's own: the county above does not read it, nobody beside it does.
OWNER_ONLY = {"anon": 302, "own": 200, "ancestor": 404, "sibling": 404, "foreign": 404}
OWNER_ACTS = {"anon": 302, "own": 302, "ancestor": 404, "sibling": 404, "foreign": 404}
# A submitted case: the recommender, its county and every office above read it; another county does not.
READ_SUBMITTED = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}
READ_SUBMITTED_PARK = {"anon": 302, "own": 200, "ancestor": 200, "sibling": 404, "foreign": 404}
TOKEN_IS_THE_KEY = {"anon": 200, "own": 200, "foreign": 200}

ROWS = [
    Row("cases:case_create", lambda w: ({}, "xihu_park"),
        {"anon": 302, "own": 200, "ancestor": 404, "sibling": 200, "foreign": 200},
        note="every association may start its own cases; a county may not"),
    Row("cases:case_create", lambda w: ({}, "xihu_park"),
        {"anon": 302, "own": 302, "ancestor": 404, "sibling": 302, "foreign": 200}, method="POST",
        data=lambda w: {"enterprise": w.xihu_enterprise.pk},
        note="西湖区's associations create; 武侯区's park cannot choose a 西湖区 enterprise (form error)"),
    Row("cases:case_detail", DRAFT, OWNER_ONLY),
    Row("cases:case_detail", SUBMITTED, READ_SUBMITTED_PARK),
    Row("cases:case_detail", SUBMITTED_FROM_COUNTY, READ_SUBMITTED),
    Row("cases:case_edit", DRAFT, OWNER_ONLY),
    Row("cases:case_edit", DRAFT, OWNER_ONLY, method="POST",
        data=lambda w: {"title": "标" * 301, "loaded_version": _version(w.xihu_case), "action": "save"},
        note="a title beyond what a draft holds (10 × 30): the owner sees the error at the field, nothing saved"),
    Row("cases:case_edit", SUBMITTED, {"anon": 302, "own": 302, "ancestor": 302, "sibling": 404, "foreign": 404},
        note="a submitted case is not edited: readers are sent to its page"),
    Row("cases:case_autosave", DRAFT, OWNER_ONLY, method="POST",
        data=lambda w: {"title": "数字孪生柔性产线", "loaded_version": _version(w.xihu_case)}),
    Row("cases:case_withdraw", SUBMITTED, OWNER_ACTS, method="POST"),
    Row("cases:case_versions", DRAFT, OWNER_ONLY),
    Row("cases:case_versions", SUBMITTED_FROM_COUNTY, READ_SUBMITTED),
    Row("cases:case_diff", SUBMITTED_FROM_COUNTY, READ_SUBMITTED),
    Row("cases:case_diff", SUBMITTED, READ_SUBMITTED_PARK, data={"a": "1", "b": "draft"}),
    Row("cases:case_invites", DRAFT, OWNER_ONLY),
    Row("cases:case_invites", DRAFT, OWNER_ONLY, method="POST", data={"contact_name": "王工", "days": 7},
        note="the owner sees the new link once"),
    Row("cases:case_invites", SUBMITTED, {"anon": 302, "own": 200, "ancestor": 404, "sibling": 404, "foreign": 404},
        note="the county reads the case but not its invitation links"),
    Row("cases:case_invite_revoke", REVOKE, OWNER_ACTS, method="POST"),
    Row("cases:case_invite_fill", INVITE, TOKEN_IS_THE_KEY),
    Row("cases:case_invite_fill", BAD_TOKEN, {"anon": 410, "own": 410}, note="unknown, expired, revoked alike"),
    Row("cases:case_invite_fill", INVITE, {"anon": 200}, method="POST",
        data=lambda w: {"title": "标" * 301, "loaded_version": _version(w.xihu_case)},
        note="beyond what a draft holds: the contact sees the error at the field, nothing saved"),
    Row("cases:case_invite_autosave", INVITE, {"anon": 200, "own": 200}, method="POST",
        data=lambda w: {"abstract": "企业联系人补充的摘要。", "loaded_version": _version(w.xihu_case)}),
    Row("cases:case_invite_autosave", BAD_TOKEN, {"anon": 410}, method="POST", data={"title": "x"}),
]
