"""Permission-matrix rows of the campaign and programme pages (the notice pages' rows are apps/notices/tests/matrix.py).

Relations around 浙江省 (the owner of world.zhejiang_programme): own = 浙江省 admin, ancestor = the
centre's admin, descendant = 杭州市 admin, sibling / foreign = 四川省 admin. Around 杭州市: staff is
杭州市's staff member, foreign is 成都市 (another province)."""

from tests.matrix import Row, signed_in

ZJ = lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang")  # noqa: E731
ZJ_FROM_CITY = lambda w: ({"pk": w.zhejiang_programme.pk}, "hangzhou")  # noqa: E731
BRAND = lambda w: ({"pk": w.brand_programme.pk}, "center")  # noqa: E731
CAMPAIGN = lambda w: ({"campaign_id": w.campaign.pk}, "center")  # noqa: E731

# Reading a province's pages: the province, the centre above, the cities below; not another province.
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}
# Reading from a city's point of view: every org of the province reads, another province does not.
READ_CITY = {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 200, "sibling": 200,
             "foreign": 404}
# Editing: only the province's own admins; the centre bounds the rules but does not write them.
EDIT = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
# Staff of a city below never edit the province's pages.
EDIT_CITY = {"anon": 302, "own": 404, "staff": 404, "ancestor": 200, "foreign": 404}
CENTRE_ONLY = {"anon": 302, "own": 200, "descendant": 404}

ROWS = [
    signed_in("campaigns:home"),
    Row("campaigns:campaign_create", lambda w: ({}, "center"), CENTRE_ONLY),
    Row("campaigns:campaign_create", lambda w: ({}, "center"), CENTRE_ONLY, method="POST", data={},
        note="empty form: the centre sees its errors, others 404"),
    Row("campaigns:campaign_detail", CAMPAIGN, {"anon": 302, "own": 200, "descendant": 200}),
    Row("campaigns:campaign_detail", lambda w: ({"campaign_id": w.campaign.pk}, "hangzhou"),
        {"anon": 302, "own": 200, "staff": 200, "foreign": 200}, note="every member reads the campaign"),
    Row("campaigns:campaign_settings", CAMPAIGN, CENTRE_ONLY),
    Row("campaigns:campaign_settings", CAMPAIGN, CENTRE_ONLY, method="POST", data={"province_budget": "abc"},
        note="invalid settings: the centre sees the errors on the form, others 404; nothing changes"),
    Row("campaigns:rule_bounds", CAMPAIGN, CENTRE_ONLY),
    Row("campaigns:rule_bounds", CAMPAIGN, CENTRE_ONLY, method="POST", data={"target": "abc"},
        note="invalid bound: the centre sees the error, others 404"),
    Row("campaigns:programme_detail", ZJ, READ),
    Row("campaigns:programme_detail", ZJ_FROM_CITY, READ_CITY),
    Row("campaigns:programme_detail", BRAND, {"anon": 302, "own": 200, "descendant": 200},
        note="the brand project is read by every org"),
    Row("campaigns:programme_edit", ZJ, EDIT),
    Row("campaigns:programme_application", ZJ, EDIT),
    Row("campaigns:programme_application", ZJ, EDIT, method="POST", data={"credit_code": "91330000MA27U0XX0X"},
        note="a wrong check character: the province sees it at the field, others 404; nothing changes"),
    Row("campaigns:support_letter", ZJ, {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404,
                                         "sibling": 404, "foreign": 404},
        note="the letter of support is the province's and the centre's to read"),
    Row("campaigns:programme_edit", ZJ_FROM_CITY, EDIT_CITY),
    Row("campaigns:programme_edit", ZJ, EDIT, method="POST", data={"project_lead_phone": "123"},
        note="bad phone: the province sees the error, nothing saved"),
    Row("campaigns:programme_edit", BRAND, {"anon": 302, "own": 200, "descendant": 404}),
    Row("campaigns:rulebook", ZJ, READ),
    Row("campaigns:rulebook", ZJ_FROM_CITY, READ_CITY),
    Row("campaigns:rulebook", BRAND, {"own": 404, "descendant": 404}, note="the brand project has no rulebook"),
    Row("campaigns:rulebook_edit", ZJ, EDIT),
    Row("campaigns:rulebook_edit", ZJ_FROM_CITY, EDIT_CITY),
    Row("campaigns:rulebook_edit", ZJ, EDIT, method="POST", data={}),
    Row("campaigns:work_rules", ZJ, READ),
    Row("campaigns:work_rules", ZJ_FROM_CITY, READ_CITY),
    Row("campaigns:work_rules_edit", ZJ, EDIT),
    Row("campaigns:work_rules_edit", ZJ_FROM_CITY, EDIT_CITY),
    Row("campaigns:work_rules_edit", ZJ, EDIT, method="POST", data={"overall_flow": "x" * 20001},
        note="too long: the province sees the error, nothing saved"),
    Row("campaigns:work_rules_docx", ZJ, READ),
    Row("campaigns:work_rules_docx", ZJ_FROM_CITY, READ_CITY),
    Row("campaigns:quotas", ZJ, READ),
    Row("campaigns:quotas", ZJ_FROM_CITY, READ_CITY),
    Row("campaigns:quota_manual", ZJ, EDIT),
    Row("campaigns:quota_manual", ZJ_FROM_CITY, EDIT_CITY),
    Row("campaigns:quota_manual", ZJ, EDIT, method="POST", data={"reason": "调整", "city_330100": "1",
                                                                 "city_330200": "1"},
        note="sum 2 ≠ target 100: the province sees the difference, nothing saved"),
    Row("campaigns:quota_reset", ZJ, {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404,
                                      "sibling": 404, "foreign": 404}, method="POST",
        note="no manual table in force: the province is redirected with a message"),
]
