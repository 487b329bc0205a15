"""Permission-matrix rows of the overview of the units below and its reminders, and of the monthly reports (R-403)
around world.monthly_report (浙江省's July draft): own = 浙江省's admin, ancestor = the centre, descendant = 杭州市,
sibling / foreign = 四川省. The project's own people write and send it; the centre reads it; nobody else does."""

from tests.matrix import Row

READ_REPORT = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
WRITE_REPORT = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    # Every administrative office sees its own units; an association has none (404).
    Row("reports:units", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 200, "staff": 200, "ancestor": 200,
                                                      "descendant": 200, "sibling": 200, "foreign": 200}),
    Row("reports:units", lambda w: ({}, "xihu_park"), {"anon": 302, "own": 404}, note="an association has no units"),
    # Only the office directly above a unit reminds it; others learn nothing (404). 西湖区 has no open round in
    # the world, so its own office is told so in words and sent back (302).
    Row("reports:unit_remind", lambda w: ({"code": w.xihu.code}, "xihu"),
        {"anon": 302, "own": 404, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
    Row("reports:monthly", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200},
        note="a province's own reports, the centre's grid of every project; a city reports nothing"),
    Row("reports:monthly_draft", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 302, "descendant": 404, "sibling": 302, "foreign": 302},
        method="POST", data={"month": "2026-07"},
        note="each drafts its own project's report (the centre its brand project's) and is sent to it"),
    Row("reports:monthly_detail", lambda w: ({"pk": w.monthly_report.pk}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("reports:monthly_detail", lambda w: ({"pk": w.monthly_report.pk}, "zhejiang"),
        {"anon": 302, "own": 400, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST", data={"progress": "", "submit": "1"}, note="sent empty: refused at its field"),
    Row("reports:monthly_refresh", lambda w: ({"pk": w.monthly_report.pk}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
    # Final reports and the acceptance (world.final_report: 浙江省's performance report, a draft).
    Row("reports:final", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200}),
    Row("reports:final_draft", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 302, "descendant": 404, "sibling": 302, "foreign": 302},
        method="POST", data={"kind": "summary"}, note="each drafts its own project's report"),
    Row("reports:final_detail", lambda w: ({"pk": w.final_report.pk}, "zhejiang"), READ_REPORT),
    Row("reports:final_detail", lambda w: ({"pk": w.final_report.pk}, "zhejiang"),
        {**WRITE_REPORT, "own": 400}, method="POST", data={"social_score": "99"},
        note="a score beyond its weight: refused at its field, nothing written"),
    Row("reports:final_refresh", lambda w: ({"pk": w.final_report.pk}, "zhejiang"), {**WRITE_REPORT, "own": 302},
        method="POST"),
    Row("reports:final_docx", lambda w: ({"pk": w.final_report.pk}, "zhejiang"), READ_REPORT),
    Row("reports:final_evidence", lambda w: ({"pk": w.final_evidence.pk}, "zhejiang"), READ_REPORT),
    Row("reports:acceptance", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"), READ_REPORT),
    Row("reports:acceptance", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"),
        {**WRITE_REPORT, "own": 404, "ancestor": 400}, method="POST", data={"result": "passed"},
        note="only the centre's admin records it; without comments and reviewers it is refused at its fields"),
    # Dashboards: the centre's national view; a province goes to its own project's.
    Row("reports:dashboard", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 200, "descendant": 404, "sibling": 302, "foreign": 302}),
    Row("reports:dashboard_refresh", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 404, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404}, method="POST"),
    Row("reports:dashboard_export", lambda w: ({"fmt": "xlsx"}, "zhejiang"),
        {"anon": 302, "own": 404, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("reports:project_dashboard", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"), READ_REPORT),
]
