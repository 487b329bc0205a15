"""Permission-matrix rows of the case list, its export, the county's case import, and the cases/rounds API."""

from tests.matrix import Row

# Every signed-in person has a case list of their own org (scoped inside): the page itself is open.
OWN_LIST = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200, "foreign": 200}
# The import is the county's own: its admins/staff only; the city above and every other org get 404.
COUNTY_ONLY = {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
# A submitted case of 西湖区: the county and the offices above read it; the recommending association
# (descendant of the county) reads its own; another county or province gets 404.
CASE_READERS = {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}


def _xihu(world):
    return {}, "xihu"


ROWS = [
    Row("cases:list", _xihu, OWN_LIST),
    Row("cases:list_export", _xihu, OWN_LIST),
    Row("cases:import", lambda w: ({"code": w.xihu.code}, "xihu"), COUNTY_ONLY),
    Row("cases:import", lambda w: ({"code": w.xihu.code}, "xihu"), {"anon": 302, "own": 200, "ancestor": 404,
                                                                   "sibling": 404, "foreign": 404},
        method="POST", data={}, note="an empty form is shown again with its error; nothing is written"),
    Row("cases:import_template", lambda w: ({"code": w.xihu.code}, "xihu"), COUNTY_ONLY),
    Row("case-list", _xihu, {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "foreign": 200}),
    Row("case-detail", lambda w: ({"pk": w.xihu_submitted_case.pk}, "xihu"), CASE_READERS),
    Row("round-list", _xihu, {"anon": 401, "own": 200, "descendant": 200, "foreign": 200}),
    # 西湖区's screening round: the county and above; its associations read its state (a parent's round);
    # another county does not see it.
    Row("round-detail", lambda w: ({"pk": w.xihu_submitted_case.round_entries.first().round_id}, "xihu"),
        CASE_READERS),
]
