"""Permission-matrix rows of publicity records (apps/publicity), around 浙江省's world.media_report: own = 浙江省
admin, ancestor = the centre, descendant = 杭州市, sibling / foreign = 四川省. Pages without an object act for the
acting org: a province or a city records its own reports."""

from tests.matrix import Row, signed_in

REPORT = lambda w: ({"pk": w.media_report.pk}, "zhejiang")  # noqa: E731
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
RECORDERS = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 200, "sibling": 200, "foreign": 200}

ROWS = [
    signed_in("publicity:report_list"),
    Row("publicity:report_add", lambda w: ({}, "zhejiang"), RECORDERS),
    Row("publicity:report_add", lambda w: ({}, "zhejiang"), RECORDERS, method="POST", data={"outlet": ""},
        note="an incomplete form: the errors at their fields, nothing recorded"),
    Row("publicity:report_evidence", REPORT, READ),
    Row("publicity:plan", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"), READ,
        note="the province and the centre read the publicity plan; a city below and another province do not"),
    Row("publicity:plan", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"), READ, method="POST",
        data={"warmup_content": "预热"}, note="an incomplete plan: the province sees its errors; the centre only reads"),
    signed_in("publicity:video_list"),
    Row("publicity:video_list", lambda w: ({}, "zhejiang"), {"anon": 302, "own": 200, "ancestor": 200,
                                                             "descendant": 200, "sibling": 200}, method="POST",
        data={"title": ""}, note="a province or a city sees the form's errors; the centre, which uploads none, the list"),
    Row("publicity:video_file", lambda w: ({"pk": w.topic_video.pk}, "zhejiang"), READ),
    Row("publicity:story_list", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 200, "foreign": 200},
        note="a province's own stories; the centre and a city have none"),
    Row("publicity:story_edit", lambda w: ({"case_id": w.xihu_submitted_case.pk}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("publicity:story_detail", lambda w: ({"pk": w.story.pk}, "zhejiang"), READ),
    Row("publicity:story_move", lambda w: ({"pk": w.story.pk}, "zhejiang"), {**READ, "own": 302, "ancestor": 404},
        method="POST", data={"to": "edited"}),
    Row("publicity:story_photo", lambda w: ({"pk": w.story.pk}, "zhejiang"), READ),
    Row("publicity:report_remove", REPORT, {**READ, "own": 302, "ancestor": 404}, method="POST",
        data={"reason": "重复登记"}),
    Row("publicity:collection", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 200, "foreign": 200},
        note="a province's own case collection; the centre and a city have none"),
    Row("publicity:collection", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 302, "foreign": 302},
        method="POST", note="no reviewed story yet: refused with its reason, back to the page; nothing queued"),
    Row("publicity:collection_progress", lambda w: ({"pk": w.case_collection.pk}, "zhejiang"), READ),
    Row("publicity:collection_file", lambda w: ({"pk": w.case_collection.pk, "kind": "pdf"}, "zhejiang"), READ),
]
