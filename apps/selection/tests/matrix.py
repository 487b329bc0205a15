"""Permission-matrix rows of the selection pages: the round's org reads its composite ranking, the office above
watches, others get 404."""

from apps.review.tests.matrix import SEE, city_round
from tests.matrix import Row

ROWS = [Row("selection:composite", city_round, SEE)]

WORK = {"anon": 302, "own": 302, "staff": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
ROWS += [
    Row("selection:list_propose", city_round, WORK, method="POST",
        note="the world's rules allow no list: 302 back with the explanation"),
    Row("selection:list", city_round, SEE),
    Row("selection:list_toggle", city_round, WORK, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "action": "add"}),
]
