"""Permission-matrix rows of exhibits (apps/exhibits), around world.exhibit: proposed by 西湖科技园科协 (xihu_park),
waiting for 浙江省. Seen from the park: own = its admin, ancestor = 西湖区, sibling = 杭州某科技有限公司科协 (another
association of the county), foreign = 武侯高新园科协 (四川省). Seen from the province: own = 浙江省's admin,
ancestor = the centre, descendant = 杭州市, sibling / foreign = 四川省. The proposing org and every office above it
read; only the proposing org's people change it; only the province's admin shortlists or declines."""

from tests.matrix import Row

PARK = lambda w: ({"pk": w.exhibit.pk}, "xihu_park")  # noqa: E731
PROVINCE = lambda w: ({"pk": w.exhibit.pk}, "zhejiang")  # noqa: E731
PHOTO_PARK = lambda w: ({"pk": w.exhibit.pk, "photo_pk": w.exhibit_photo.pk}, "xihu_park")  # noqa: E731
PHOTO_PROVINCE = lambda w: ({"pk": w.exhibit.pk, "photo_pk": w.exhibit_photo.pk}, "zhejiang")  # noqa: E731

READ_PARK = {"anon": 302, "own": 200, "ancestor": 200, "sibling": 404, "foreign": 404}
READ_PROVINCE = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}
EVERY_ORG = {"anon": 302, "own": 200, "ancestor": 200, "sibling": 200, "foreign": 200}
PROPOSERS = EVERY_ORG  # an association or a county of a province with a programme
NOT_PROPOSERS = {"anon": 302, "own": 404, "ancestor": 404, "descendant": 404}
EDITORS = {"anon": 302, "own": 200, "ancestor": 404, "sibling": 404, "foreign": 404}
DECIDERS = {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
NOT_DECIDERS = {"anon": 302, "own": 404, "ancestor": 404, "sibling": 404, "foreign": 404}
DATA = {"name": "", "innovation": "七轴力控"}

API_READ_PARK = {**READ_PARK, "anon": 401}
API_DECIDE = {"anon": 401, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    Row("exhibits:exhibit_list", lambda w: ({}, "xihu_park"), EVERY_ORG,
        note="every org reads the exhibits of its subtree (an empty list where there are none)"),
    Row("exhibits:exhibit_list", lambda w: ({}, "zhejiang"), {**READ_PROVINCE, "sibling": 200, "foreign": 200}),
    Row("exhibits:exhibit_new", lambda w: ({}, "xihu_park"), PROPOSERS),
    Row("exhibits:exhibit_new", lambda w: ({}, "zhejiang"), NOT_PROPOSERS,
        note="a province, the centre and a city register no enterprises, so they propose no exhibits"),
    Row("exhibits:exhibit_new", lambda w: ({}, "xihu_park"), PROPOSERS, method="POST", data=DATA,
        note="an incomplete form: the errors at their fields, nothing recorded"),
    Row("exhibits:exhibit_new", lambda w: ({}, "zhejiang"), NOT_PROPOSERS, method="POST", data=DATA),
    Row("exhibits:exhibit_detail", PARK, READ_PARK),
    Row("exhibits:exhibit_detail", PROVINCE, READ_PROVINCE),
    Row("exhibits:exhibit_edit", PARK, EDITORS, note="only the proposing org's own people change it"),
    Row("exhibits:exhibit_edit", PROVINCE, {"anon": 302, "own": 404, "ancestor": 404, "descendant": 404}),
    Row("exhibits:exhibit_edit", PARK, EDITORS, method="POST", data=DATA,
        note="an incomplete form: the errors at their fields, nothing changed"),
    Row("exhibits:exhibit_shortlist", PROVINCE, DECIDERS, method="POST"),
    Row("exhibits:exhibit_shortlist", PARK, NOT_DECIDERS, method="POST"),
    Row("exhibits:exhibit_decline", PROVINCE, DECIDERS, method="POST", data={"reason": "同类展品已推荐"}),
    Row("exhibits:exhibit_decline", PROVINCE, {**DECIDERS, "own": 200}, method="POST", data={"reason": ""},
        note="no reason: the exhibit's page again, the error at the field"),
    Row("exhibits:exhibit_decline", PARK, NOT_DECIDERS, method="POST", data={"reason": "同类展品已推荐"}),
    Row("exhibits:exhibit_photo", PHOTO_PARK, READ_PARK),
    Row("exhibits:exhibit_photo", PHOTO_PROVINCE, READ_PROVINCE),
    # The API (apps/api/exhibit_api.py).
    Row("exhibit-list", lambda w: ({}, "zhejiang"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200, "foreign": 200}),
    Row("exhibit-detail", PARK, API_READ_PARK),
    Row("exhibit-detail", PROVINCE, {**READ_PROVINCE, "anon": 401}),
    Row("exhibit-propose", lambda w: ({}, "xihu_park"), {**PROPOSERS, "anon": 401, "own": 400, "ancestor": 400,
                                                          "sibling": 400, "foreign": 400}, method="POST",
        data={"name": ""}, note="a proposer is told what is missing; anyone else gets 404"),
    Row("exhibit-propose", lambda w: ({}, "zhejiang"), {**NOT_PROPOSERS, "anon": 401}, method="POST",
        data={"name": ""}),
    Row("exhibit-shortlist", PROVINCE, API_DECIDE, method="POST"),
    Row("exhibit-decline", PROVINCE, API_DECIDE, method="POST", data={"reason": "同类展品已推荐"}),
    Row("exhibit-decline", PARK, {**NOT_DECIDERS, "anon": 401}, method="POST", data={"reason": "同类展品已推荐"}),
]
