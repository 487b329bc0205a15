"""Permission-matrix rows of the presentation team and events (apps/events).

Around 浙江省 (world.event, world.presenter): own = 浙江省 admin, ancestor = the centre's admin, descendant = 杭州市
admin, sibling / foreign = 四川省 admin. The province plans and reports its events; the centre reads them; a city
below and another province get the same 404 as for nothing. Pages without an object act for the acting org: a
province and a city form teams and hold events; the centre does not.
"""

from tests.matrix import Row, signed_in

EVENT = lambda w: ({"pk": w.event.pk}, "zhejiang")  # noqa: E731
HELD = lambda w: ({"pk": w.held_event.pk}, "zhejiang")  # noqa: E731
FILE = lambda w: ({"pk": w.event_file.pk}, "zhejiang")  # noqa: E731
PRESENTER = lambda w: ({"pk": w.presenter.pk}, "zhejiang")  # noqa: E731
ACTING = lambda w: ({}, "zhejiang")  # noqa: E731

READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
EDIT = {**READ, "ancestor": 404}
ACT = {**EDIT, "own": 302}  # a POST that runs (or is refused with a message) and redirects
HOLDERS = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 200, "sibling": 200, "foreign": 200}

ROWS = [
    signed_in("events:event_list"),
    Row("events:event_create", ACTING, HOLDERS, note="a province or a city registers its own events; not the centre"),
    Row("events:event_create", ACTING, HOLDERS, method="POST", data={"title": ""},
        note="an empty form: the errors at their fields, nothing made"),
    Row("events:event_detail", EVENT, READ),
    Row("events:event_edit", EVENT, EDIT),
    Row("events:event_submit", EVENT, ACT, method="POST",
        note="the world's plan has no agenda: refused with what is missing, nothing sent"),
    Row("events:event_held", EVENT, ACT, method="POST", note="refused: the plan is not approved"),
    Row("events:event_report", HELD, EDIT),
    Row("events:event_report", EVENT, {**EDIT, "own": 404}, note="no report before the event is held"),
    Row("events:event_file_add", EVENT, ACT, method="POST", data={}, note="no file: the errors shown, nothing stored"),
    Row("events:event_file", FILE, READ),
    Row("events:event_file_remove", FILE, ACT, method="POST"),
    Row("events:team", ACTING, HOLDERS),
    Row("events:presenter_add", lambda w: ({"case_id": w.xihu_submitted_case.pk}, "zhejiang"),
        {**HOLDERS, "descendant": 404, "sibling": 404, "foreign": 404},
        note="only a case on the acting org's own locked list"),
    Row("events:presenter_replace", PRESENTER, EDIT),
    Row("events:presenter_photo", PRESENTER, READ),
]
