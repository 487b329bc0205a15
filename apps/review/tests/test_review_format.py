"""How review pages write scores and totals (the `points` filter; static/js/score.js writes the same)."""

import pytest

from apps.review.templatetags.review_format import points


@pytest.mark.parametrize("value, shown", [
    (83.5, "83.5"), (84.0, "84"), (84, "84"), (77.9333, "77.93"), (0.0, "0"), (26.5, "26.5"),
    (12.345, "12.35"),  # half up on the decimal digits, not on the binary value (12.345 is 12.3449999…)
    (99.995, "100"), (82.6649, "82.66"), (None, ""), ("", ""), ("—", "—"),
])
def test_a_score_is_written_with_at_most_two_decimals_half_up_and_no_trailing_zeros(value, shown):
    assert points(value) == shown
