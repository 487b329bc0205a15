"""A round's selection context, read once and passed on: what a lock, a proposal, a check and a result document
need of the round (its review settings, rulebook values, rules, target, composite ranking and candidates). Each
of these reads the database; built here once, none of them is read twice in one request."""

from __future__ import annotations

from dataclasses import dataclass

from apps.review.config import ReviewConfig, review_config
from apps.rounds.kinds import Inputs, kind_of
from apps.rounds.models import Round
from apps.rounds.rules import Candidate, Rule
from apps.selection.composite import Composite, composite_of
from apps.selection.selectors import candidates_for, rule_inputs


@dataclass(frozen=True)
class RoundContext:
    round: Round
    config: ReviewConfig  # the round's review settings (methods, weights, normalisation, trimming)
    inputs: Inputs  # the rulebook values (and the quota table, read when a rule needs it)
    rules: list[Rule]
    target: int | None  # the count a proposal aims at, if any
    composite: Composite
    candidates: list[Candidate]

    @property
    def values(self) -> dict:
        return self.inputs.values


def round_context(round: Round, *, with_rankings: bool = False) -> RoundContext:
    """The round's context; `with_rankings` keeps every expert's sheet in the composite (the result document)."""
    spec = kind_of(round)
    config = review_config(round)
    inputs = rule_inputs(round)
    composite = composite_of(round, with_rankings=with_rankings, config=config)
    return RoundContext(round=round, config=config, inputs=inputs, rules=spec.rules(inputs),
                        target=spec.target(inputs) if spec.target else None, composite=composite,
                        candidates=candidates_for(round, composite))
