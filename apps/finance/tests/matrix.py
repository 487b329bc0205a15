"""Permission-matrix rows of the ledger (apps/finance), around 浙江省's world.budget (in force), world.expense (with
world.voucher) and world.risky_expense (on the centre's watch list): own = 浙江省's admin, ancestor = the centre,
descendant = 杭州市, sibling / foreign = 四川省. The project's own people keep the books; the centre reads every
project, approves budgets and clears watched entries; a city below and any other province get 404."""

from tests.matrix import Row

LEDGER = lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang")  # noqa: E731
EXPENSE = lambda w: ({"pk": w.expense.pk}, "zhejiang")  # noqa: E731
RISKY = lambda w: ({"pk": w.risky_expense.pk}, "zhejiang")  # noqa: E731
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
KEEP = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
CENTRE_POST = {"anon": 302, "own": 404, "ancestor": 400, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    Row("finance:home", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 200, "descendant": 404, "sibling": 302, "foreign": 302},
        note="a province goes to its own ledger (四川省 to its own); the centre sees every project; a city has none"),
    Row("finance:ledger", LEDGER, READ),
    Row("finance:budget", LEDGER, READ),
    Row("finance:budget", LEDGER, {**KEEP, "own": 200}, method="POST", data={"line_30202": "1"},
        note="sums to 1 yuan, not 200,000: refused on the form, nothing written; the centre does not keep the books"),
    Row("finance:expense_new", LEDGER, KEEP),
    Row("finance:expense_new", LEDGER, KEEP, method="POST", data={"amount": "abc"},
        note="refused at its fields and shown again (200)"),
    Row("finance:statement", LEDGER, READ),
    Row("finance:expense_detail", EXPENSE, READ),
    Row("finance:expense_reverse", EXPENSE, {**KEEP, "own": 400}, method="POST", data={"reason": ""}),
    Row("finance:risk_clear", RISKY, CENTRE_POST, method="POST", data={"note": ""},
        note="only the centre's admin checks a watched entry; an empty note is refused at its field"),
    Row("finance:voucher", lambda w: ({"pk": w.voucher.pk}, "zhejiang"), READ),
]
