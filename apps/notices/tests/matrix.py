"""Permission-matrix rows of the notice cascade (R-102). The world comes from world.build in this folder."""

from tests.matrix import Row, signed_in

ANON = {"anon": 302}


def _issue_data(w):
    return {"programme": w.zhejiang_programme.pk, "title": "关于报送典型案例的补充通知", "body": "请按要求报送。"}


ROWS = [
    signed_in("notices:notice_list"),
    signed_in("notices:inbox"),
    # The issue page is the acting province's own page (no object in the URL): another province's
    # admin sees the form for its own programmes, so there is no sibling/foreign column.
    Row("notices:notice_issue", lambda w: ({}, "zhejiang"),
        {**ANON, "own": 200, "ancestor": 404, "descendant": 404},
        note="only an admin of a province that holds a programme issues"),
    Row("notices:notice_issue", lambda w: ({}, "zhejiang"),
        {**ANON, "own": 302, "ancestor": 404, "descendant": 404}, method="POST", data=_issue_data),
    Row("notices:notice_detail", lambda w: ({"pk": w.notice.pk}, "zhejiang"),
        {**ANON, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404},
        note="the centre reads; another province does not"),
    Row("notices:notice_detail", lambda w: ({"pk": w.notice.pk}, "hangzhou"),
        {"own": 200, "staff": 200, "sibling": 200, "foreign": 404}, note="宁波市 received it too"),
    Row("notices:notice_detail", lambda w: ({"pk": w.notice.pk}, "xihu_park"),
        {"own": 200, "ancestor": 200, "sibling": 200, "foreign": 404}),
    Row("notices:notice_cascade", lambda w: ({"pk": w.notice.pk}, "zhejiang"),
        {**ANON, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404},
        note="the centre reads it all, a city reads its own part"),
    Row("notices:notice_cascade", lambda w: ({"pk": w.notice.pk}, "xihu_park"),
        {"own": 404, "ancestor": 200}, note="an association has no cascade below it"),
    Row("notices:notice_remind", lambda w: ({"pk": w.notice.pk}, "zhejiang"),
        {**ANON, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404}, method="POST",
        data={"level": "city"}, note="reminders come from the issuing province only"),
    Row("notices:notice_delivery_forward", lambda w: ({"pk": w.hangzhou_delivery.pk}, "hangzhou"),
        {**ANON, "own": 200, "staff": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("notices:notice_delivery_forward", lambda w: ({"pk": w.hangzhou_delivery.pk}, "hangzhou"),
        {**ANON, "own": 200, "staff": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST", data={"addendum": "再次转发"},
        note="already forwarded: the refusal is shown on the page (200), nothing written"),
    Row("notices:notice_delivery_forward", lambda w: ({"pk": w.xihu_park_delivery.pk}, "xihu_park"),
        {"own": 404, "ancestor": 404}, note="an association has nothing below it to forward to"),
    Row("notices:notice_delivery_acknowledge", lambda w: ({"pk": w.xihu_park_delivery.pk}, "xihu_park"),
        {**ANON, "own": 302, "ancestor": 404, "sibling": 404, "foreign": 404}, method="POST",
        note="a county does not acknowledge for its association"),
    Row("notices:notice_attachment", lambda w: ({"pk": w.hangzhou_file.pk}, "hangzhou"),
        {**ANON, "own": 200, "staff": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404},
        note="an addendum's file goes down its chain, not to a sibling city"),
    Row("notices:notice_attachment", lambda w: ({"pk": w.notice_file.pk}, "xihu_park"),
        {**ANON, "own": 200, "ancestor": 200, "sibling": 200, "foreign": 404}),
    Row("notices:message_read", lambda w: ({"pk": w.hangzhou_message.pk}, "hangzhou"),
        {**ANON, "own": 302, "staff": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST", note="an org's inbox is its own"),
]
