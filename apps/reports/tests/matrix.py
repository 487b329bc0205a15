"""Permission-matrix rows of the overview of the units below and its reminders."""

from tests.matrix import Row

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
]
