from tests.matrix import Row, public, signed_in

ROWS = [
    Row("login", lambda w: ({}, "hangzhou"), {"anon": 200, "own": 302}),
    Row("logout", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 302}, method="POST"),
    signed_in("home"),
    Row("switch_org", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 404, "foreign": 404}, method="POST",
        data={"org": "0"}, note="an org the person does not belong to"),
    Row("org_detail", lambda w: ({"code": w.hangzhou.code}, "hangzhou"),
        {"anon": 302, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
]
