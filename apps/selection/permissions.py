"""Who may do what with a round's list: the org running a scored round checks, proposes and edits its list;
offices above watch. The same predicates as the round's review (apps.review.permissions), named for selection."""

from __future__ import annotations

from apps.review.permissions import access_review_round, can_run_review, can_view_review

can_run_selection = can_run_review
can_view_selection = can_view_review
access_selection_round = access_review_round
