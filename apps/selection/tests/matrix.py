"""Permission-matrix rows of the selection pages: the round's org reads its composite ranking, the office above
watches, others get 404."""

from apps.review.tests.matrix import SEE, city_round
from tests.matrix import Row

ROWS = [Row("selection:composite", city_round, SEE)]
