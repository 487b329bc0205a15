"""Permission-matrix rows of the enterprise registry, the little-giant lists and the enterprise API.

Around 西湖区 (world.xihu_enterprise's county): own = 西湖区 admin, ancestor = 杭州市 admin,
descendant = 西湖科技园科协 admin (an association of the county), sibling = 上城区 admin,
foreign = 武侯区 admin. Around 西湖科技园科协: sibling = 西湖区's enterprise association,
foreign = 武侯区's park. Around 浙江省 (world.little_giant_list's importer): ancestor = the centre,
descendant = 杭州市, sibling / foreign = 四川省.
"""

from tests.matrix import Row

CAMPAIGN_XIHU = lambda w: ({"campaign_id": w.campaign.pk}, "xihu")
CAMPAIGN_HANGZHOU = lambda w: ({"campaign_id": w.campaign.pk}, "hangzhou")
CAMPAIGN_ZHEJIANG = lambda w: ({"campaign_id": w.campaign.pk}, "zhejiang")
ENTERPRISE_XIHU = lambda w: ({"pk": w.xihu_enterprise.pk}, "xihu")
ENTERPRISE_PARK = lambda w: ({"pk": w.xihu_enterprise.pk}, "xihu_park")
LG_LIST = lambda w: ({"pk": w.little_giant_list.pk}, "zhejiang")
LG_ROW = lambda w: ({"pk": w.little_giant_row.pk}, "zhejiang")

# Every member reads the registry page; the rows shown are scoped (another province sees none).
LIST = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200, "foreign": 200}
# A county office and the associations of a county register; a city (and above) only reads.
REGISTER = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 200, "sibling": 200, "foreign": 200}
REGISTER_FROM_CITY = {"anon": 302, "own": 404, "staff": 404, "ancestor": 404, "descendant": 200}
# An enterprise is read along its county's chain and by the county's associations.
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}
READ_FROM_PARK = {"anon": 302, "own": 200, "ancestor": 200, "sibling": 200, "foreign": 404}
# Edited by the county and its associations only (R-106 属地); another county's association: 404.
EDIT = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 200, "sibling": 404, "foreign": 404}
EDIT_FROM_PARK = {"anon": 302, "own": 200, "ancestor": 200, "sibling": 200, "foreign": 404}
# Little-giant lists: a province's admins and the centre's.
IMPORTERS = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200}
LIST_OWNER = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
LIST_OWNER_POST = {"anon": 302, "own": 302, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    Row("enterprises:enterprise_list", CAMPAIGN_XIHU, LIST),
    Row("enterprises:enterprise_create", CAMPAIGN_XIHU, REGISTER),
    Row("enterprises:enterprise_create", CAMPAIGN_HANGZHOU, REGISTER_FROM_CITY),
    Row("enterprises:enterprise_create", CAMPAIGN_XIHU, REGISTER, method="POST", data={"name": "", "credit_code": "1"},
        note="invalid form: registrants see the errors, nothing written; a city gets 404"),
    Row("enterprises:enterprise_detail", ENTERPRISE_XIHU, READ),
    Row("enterprises:enterprise_detail", ENTERPRISE_PARK, READ_FROM_PARK),
    Row("enterprises:enterprise_edit", ENTERPRISE_XIHU, EDIT),
    Row("enterprises:enterprise_edit", ENTERPRISE_PARK, EDIT_FROM_PARK),
    Row("enterprises:enterprise_edit", ENTERPRISE_XIHU, EDIT, method="POST", data={"name": "x", "credit_code": "123"},
        note="bad credit code: editors see the position problems, nothing saved"),
    Row("enterprises:littlegiant_index", CAMPAIGN_ZHEJIANG, IMPORTERS),
    Row("enterprises:littlegiant_index", CAMPAIGN_ZHEJIANG, IMPORTERS, method="POST", data={},
        note="no file: importers see the error"),
    Row("enterprises:littlegiant_template", lambda w: ({}, "zhejiang"), IMPORTERS),
    Row("enterprises:littlegiant_detail", LG_LIST, LIST_OWNER),
    Row("enterprises:littlegiant_rematch", LG_LIST, LIST_OWNER_POST, method="POST"),
    Row("enterprises:littlegiant_resolve", LG_ROW, LIST_OWNER_POST, method="POST", data={"choice": "none"}),
    # The API (DRF router basename "enterprise"): 401 without credentials, scoped like the pages.
    Row("enterprise-list", lambda w: ({}, "xihu"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "foreign": 200}),
    Row("enterprise-detail", ENTERPRISE_XIHU,
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}),
    Row("enterprise-detail", ENTERPRISE_PARK, {"anon": 401, "own": 200, "sibling": 200, "foreign": 404}),
]
