"""Permission-matrix rows of the round pages. A round's list is for its org and the offices above;
the associations below see only their own cases' outcomes (on the case page); other counties get 404."""

from tests.matrix import Row, signed_in

SEE = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
WORK = {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}


def xihu_round(world):
    return {"pk": world.xihu_round.pk}, "xihu"


def xihu_entry(world):
    return {"pk": world.xihu_entry.pk}, "xihu"


def xihu_pair(world):
    return {"pk": world.xihu_round.pk, "a": world.xihu_entry.case_id, "b": world.shangcheng_twin_case.pk}, "xihu"


ROWS = [
    signed_in("rounds:round_list", org="xihu"),
    Row("rounds:round_detail", xihu_round, SEE),
    Row("rounds:round_detail", lambda w: ({"pk": w.hangzhou_round.pk}, "hangzhou"),
        {**SEE, "staff": 200}, note="the city's round: read-only for now, another city or a county gets 404"),
    Row("rounds:entry_detail", xihu_entry, SEE),
    Row("rounds:similar_pair", xihu_pair, SEE,
        note="上城区 (sibling) owns the other case of the pair but not this round: 404 here"),
    Row("rounds:round_move", xihu_round, WORK, method="POST", data={"to": "closed"}),
    Row("rounds:round_report", xihu_round, WORK, method="POST", note="refused with a message (a case is pending)"),
    Row("rounds:round_deadline", xihu_round, {**WORK, "ancestor": 302}, method="POST",
        data={"deadline": "2026-09-15"}, note="an admin above may extend a county's deadline"),
    Row("rounds:round_bulk", xihu_round, WORK, method="POST",
        data=lambda w: {"decision": "passed", "entries": [w.xihu_entry.pk]}),
    Row("rounds:entry_detail", xihu_entry, WORK, method="POST", data={"decision": "passed"}),
]
