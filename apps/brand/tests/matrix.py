"""Permission-matrix rows of the brand project (apps/brand), all owned by the centre: own = its admin, staff = a
staff member (both on the brand team), descendant = 浙江省's admin, who gets the same 404 as for nothing on every
page and endpoint, the media contacts above all (R-502: their details are the brand team's alone)."""

from tests.matrix import Row

PROGRAMME = lambda w: ({"programme_id": w.brand_programme.pk}, "center")  # noqa: E731
CONTACT = lambda w: ({"pk": w.media_contact.pk}, "center")  # noqa: E731
USE = lambda w: ({"pk": w.channel_use.pk}, "center")  # noqa: E731
PK = lambda attr: lambda w: ({"pk": getattr(w, attr).pk}, "center")  # noqa: E731

TEAM = {"anon": 302, "own": 200, "staff": 200, "descendant": 404}
TEAM_REDIRECT = {"anon": 302, "own": 302, "staff": 302, "descendant": 404}
API_TEAM = {"anon": 401, "own": 200, "staff": 200, "descendant": 404}
API_REFUSED = {"anon": 401, "own": 400, "staff": 400, "descendant": 404}

ROWS = [
    Row("brand:home", lambda w: ({}, "center"), TEAM_REDIRECT, note="to the newest brand programme's page"),
    Row("brand:overview", PROGRAMME, TEAM),
    Row("brand:plan", PROGRAMME, TEAM),
    Row("brand:plan", PROGRAMME, TEAM, method="POST", data={"warmup_goals": "预热"},
        note="an incomplete plan: the errors at their fields, nothing submitted"),
    Row("brand:contact_list", PROGRAMME, TEAM),
    Row("brand:contact_new", PROGRAMME, TEAM),
    Row("brand:contact_new", PROGRAMME, TEAM, method="POST", data={"outlet": "新华网"},
        note="an incomplete form: the errors at their fields, nothing recorded"),
    Row("brand:contact_edit", CONTACT, TEAM),
    Row("brand:contact_edit", CONTACT, TEAM, method="POST", data={"outlet": ""}),
    Row("brand:use_list", PROGRAMME, TEAM),
    Row("brand:use_new", PROGRAMME, TEAM),
    Row("brand:use_new", PROGRAMME, TEAM, method="POST", data={"title": "宣讲报道"}),
    Row("brand:use_evidence", USE, TEAM),
    Row("brand:use_remove", USE, TEAM_REDIRECT, method="POST", data={"reason": ""},
        note="no reason: back to the log with the message, nothing removed"),
    Row("brand:deliverable_list", PROGRAMME, TEAM),
    Row("brand:deliverable_new", PROGRAMME, TEAM),
    Row("brand:deliverable_new", PROGRAMME, TEAM, method="POST", data={"title": "海报"},
        note="no kind, no file: the errors at their fields, nothing uploaded"),
    Row("brand:deliverable_replace", PK("brand_deliverable"), TEAM,
        note="the page shows; only a returned, withdrawn or failing version takes a new one"),
    Row("brand:deliverable_file", PK("brand_deliverable"), TEAM),
    Row("brand:report_list", PROGRAMME, TEAM),
    Row("brand:report_new", PROGRAMME, TEAM),
    Row("brand:report_new", PROGRAMME, TEAM, method="POST", data={"title": "综述"}),
    Row("brand:report_detail", PK("overview_report"), TEAM),
    Row("brand:report_xlsx", PK("overview_report"), TEAM),
    Row("brand:report_pdf", PK("overview_report"), TEAM, note="the PDF (503 with the reason where fonts are missing)"),
    Row("brand:report_refresh", PK("overview_report"), TEAM_REDIRECT, method="POST",
        note="the data pack gathered again from today's indicators"),
    # The API (apps/api/brand_api.py).
    Row("brand-plan-list", lambda w: ({}, "center"), API_TEAM),
    Row("brand-plan-detail", PK("brand_plan"), API_TEAM),
    Row("brand-contact-list", lambda w: ({}, "center"), API_TEAM),
    Row("brand-contact-list", lambda w: ({}, "center"), API_REFUSED, method="POST", data={"outlet": "新华网"}),
    Row("brand-contact-detail", CONTACT, API_TEAM),
    Row("brand-use-list", lambda w: ({}, "center"), API_TEAM),
    Row("brand-use-list", lambda w: ({}, "center"), API_REFUSED, method="POST", data={"title": "宣讲报道"}),
    Row("brand-use-detail", USE, API_TEAM),
    Row("brand-deliverable-list", lambda w: ({}, "center"), API_TEAM),
    Row("brand-deliverable-list", lambda w: ({}, "center"), API_REFUSED, method="POST", data={"title": "海报"}),
    Row("brand-deliverable-detail", PK("brand_deliverable"), API_TEAM),
    Row("brand-report-list", lambda w: ({}, "center"), API_TEAM),
    Row("brand-report-list", lambda w: ({}, "center"), API_REFUSED, method="POST", data={"title": "综述"}),
    Row("brand-report-detail", PK("overview_report"), API_TEAM),
]
