"""Permission-matrix rows of the approvals pages, on world.approval: 浙江省's manual quota table (R-104) waiting for
the centre's decision (apps/approvals/tests/world.py).

Relations around 浙江省 (the submitter): own = 浙江省 admin, ancestor = the centre's admin (the approver), descendant =
杭州市 admin, sibling / foreign = 四川省 admin. A request is read by the people of the submitting org and of the
approving org, each with the orgs above them (can_view_approval): a city below the province does not read its
province's submissions. Each row runs in a savepoint of the shared world, so a row that approves or withdraws
leaves the request pending for the next."""

from tests.matrix import Row

APPROVAL = lambda w: ({"pk": w.approval.pk}, "zhejiang")  # noqa: E731
APPROVAL_FROM_CITY = lambda w: ({"pk": w.approval.pk}, "hangzhou")  # noqa: E731

# Everyone has an inbox: what waits for their acting org's decision and what it submitted (often empty).
INBOX = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200}
# The submitting province and the centre read the request; the cities below and other provinces get a 404.
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
READ_FROM_CITY = {"anon": 302, "own": 404, "staff": 404, "ancestor": 200, "descendant": 404, "sibling": 404,
                  "foreign": 404}
# Only the approver's people decide: the centre; the province that submitted reads but does not decide.
DECIDE = {"anon": 302, "own": 404, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
# Only the submitting org's own people withdraw: the centre above it decides instead (returns with a comment).
WITHDRAW = {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    Row("approvals:inbox", lambda w: ({}, "zhejiang"), INBOX),
    Row("approvals:inbox", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 200, "staff": 200, "foreign": 200},
        data={"tab": "sent"}, note="what the org submitted: an empty list with its empty state"),
    Row("approvals:detail", APPROVAL, READ),
    Row("approvals:detail", APPROVAL_FROM_CITY, READ_FROM_CITY, note="a city's staff do not read the province's"),
    Row("approvals:detail", APPROVAL, DECIDE, method="POST", data={},
        note="no decision chosen: the centre sees the form's error, nothing decided; others 404"),
    Row("approvals:detail", APPROVAL, DECIDE, method="POST", data={"decision": "return", "comment": ""},
        note="a return without a comment: the centre sees the message at the comment, nothing decided"),
    Row("approvals:withdraw", APPROVAL, WITHDRAW, method="POST",
        note="the province withdraws and is redirected to the request; the savepoint undoes it for the next row"),
]
