from tests.matrix import Row, public

PROVINCE_READERS = {"anon": 401, "own": 200, "descendant": 200, "ancestor": 200, "sibling": 404, "foreign": 404}

ROWS = [
    public("api-schema"),
    public("api-docs"),
    Row("api-token", lambda w: ({}, None), {"anon": 400}, method="POST", data={"username": "x", "password": "y"}),
    Row("org-list", lambda w: ({}, "hangzhou"), {"anon": 401, "own": 200, "foreign": 200}),
    Row("org-detail", lambda w: ({"code": w.xihu.code}, "xihu"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("programme-list", lambda w: ({}, "hangzhou"), {"anon": 401, "own": 200, "foreign": 200}),
    Row("programme-detail", lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang"), PROVINCE_READERS),
    Row("programme-quotas", lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang"), PROVINCE_READERS),
]
