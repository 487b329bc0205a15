"""Expert-review score aggregation: pure functions, no database.

Experts fill in one score sheet per assigned case on a rubric; this module turns the submitted sheets of a
round into one ranked table that anyone with access can recompute to the same bytes. The rules:

1. **Per-expert total.** A sheet's total is Σ score_i / maximum_i × weight_i over the rubric's criteria
   (math.fsum), rounded to 4 places. With the default rubric (weight = maximum, 30/30/25/15) it is out of 100.
   A sheet must pass `validate_scores` (every criterion present, a finite number, 0 ≤ score ≤ maximum, at most
   1 decimal place, no criterion the rubric lacks); otherwise `ScoreError`.
2. **Normalisation** (`Options.normalise`), for rounds where experts score different subsets of cases, so that a
   lenient or a strict expert does not decide which cases their subset holds. round_mean and round_sd are the
   mean and the population SD of all per-expert totals of the round (each rounded to 4 places). For each expert
   e, mean_e and sd_e (population SD) are taken over e's own totals; each total x becomes
   z = (x − mean_e) / sd_e and normalised = round_mean + z × round_sd (rounded to 4 places): every expert's
   scores are put on the round's common mean and spread. An expert with fewer than 2 sheets, or whose totals
   are all equal (sd_e = 0), keeps the raw totals: there is no spread to rescale and z is undefined.
   Such experts show `normalised = None`. Without the option every `normalised` is None and raw totals are used.
   Caveat of z-scores: an expert who barely separates the cases is stretched to the round's full spread.
3. **The value used** for a case is the normalised total where there is one, else the raw total.
4. **Trimmed mean** (`Options.trim`): with ≥ `trim_min_scores` values (default 5) exactly one highest and one
   lowest value are dropped and the rest averaged; with fewer, all values are averaged. The values are ordered
   by (value, expert_id); the first and the last are dropped: among equal lowest values the lowest expert_id is
   dropped, among equal highest values the highest expert_id. Which tied one is dropped never changes the mean,
   only which expert is marked `used=False`.
5. **Disagreement**: spread = max − min of all of a case's used-for-aggregation values (normalised where
   normalising), taken *before* trimming, because trimming removes exactly the outliers the flag is meant to
   show. spread > `Options.disagreement` flags the case; a spread equal to the threshold is not flagged.
6. **Ranking**: score descending, then mean_raw (plain mean of all raw totals, untrimmed) descending, then
   case_id ascending. Ranks are 1..n, distinct and consecutive even when scores are equal: a selection list
   needs a strict order for its cut-off; equal scores stay visible in the table, and a tie broken only by
   case_id is arbitrary (a human decides such a tie).
7. **Determinism**: sheets are sorted by (case_id, expert_id) first, sums use math.fsum (exactly rounded, so
   independent of order), and every stored number is rounded to 4 places with Python's round() (half to even
   on the binary value; the same inputs always round the same way) when it is produced. Later stages compute
   from the rounded numbers the table shows. So a recompute of the same sheets gives a byte-identical
   `json.dumps(ranking.as_dict(), sort_keys=True)`, whatever the order the sheets came in.
8. A case without submitted sheets is not in the rows; the caller lists it as 未评分. Two sheets of one expert
   for one case are an error (no rule could choose between them).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any, Iterable, Mapping, Protocol, Sequence

from django.utils.translation import gettext as _

PLACES = 4


def _round(x: float) -> float:
    """4 places; + 0.0 turns -0.0 into 0.0 so the JSON never shows "-0.0"."""
    return round(x, PLACES) + 0.0


def _finite(value: object) -> Decimal | None:
    """The number as a Decimal with the digits a person typed (27.3, not 27.29999…), or None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest repr, i.e. what was typed
    else:
        return None
    return number if number.is_finite() else None


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():f}"


class CriterionLike(Protocol):
    """Anything with these attributes serves as a criterion (e.g. review.config.RubricItem)."""

    key: str
    name: str
    weight: float
    maximum: float


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: float
    maximum: float
    levels: tuple = ()  # level descriptors; not used in aggregation

    def __post_init__(self) -> None:
        for attribute in ("weight", "maximum"):
            value = _finite(getattr(self, attribute))
            if value is None or value <= 0:
                raise ValueError(_("评分项“%(name)s”的权重和满分应为大于0的数") % {"name": self.name})
            object.__setattr__(self, attribute, float(value))


# Data, not UI text: a campaign copies its rubric (names included) into its rulebook.
DEFAULT_RUBRIC: tuple[Criterion, ...] = (
    Criterion("innovation", "创新性", 30, 30),
    Criterion("results", "实施成效", 30, 30),
    Criterion("demonstration", "示范推广价值", 25, 25),
    Criterion("typicality", "典型性与材料质量", 15, 15),
)


@dataclass(frozen=True)
class SheetScores:
    """One submitted score sheet: criterion key → score."""

    case_id: int
    expert_id: int
    scores: Mapping[str, float]


class ScoreError(ValueError):
    """Sheets that cannot be aggregated; `problems` are Chinese sentences for the user."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class Options:
    normalise: bool = False
    trim: bool = True
    trim_min_scores: int = 5
    disagreement: float = 20.0

    def __post_init__(self) -> None:
        if self.trim_min_scores < 3:
            # Dropping two of fewer than three values leaves nothing to average.
            raise ValueError(_("去掉最高分和最低分至少需要3个分数"))
        if not math.isfinite(self.disagreement) or self.disagreement < 0:
            raise ValueError(_("分歧提示分差应为不小于0的数"))


@dataclass(frozen=True)
class ExpertScore:
    expert_id: int
    raw: float
    normalised: float | None  # None: not rescaled (normalisation off, < 2 sheets or sd = 0); raw is used
    used: bool  # False when trimmed away

    @property
    def value(self) -> float:
        """The value this expert contributes to the case's score and spread."""
        return self.raw if self.normalised is None else self.normalised


@dataclass(frozen=True)
class RankRow:
    rank: int
    case_id: int
    score: float
    mean_raw: float
    n: int
    experts: tuple[ExpertScore, ...]
    spread: float
    flagged: bool


@dataclass(frozen=True)
class Ranking:
    rows: tuple[RankRow, ...]
    round_mean: float
    round_sd: float
    options: Options

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (lists, not tuples), for a stored snapshot compared on recompute."""
        return {
            "options": asdict(self.options),
            "round_mean": self.round_mean,
            "round_sd": self.round_sd,
            "rows": [
                {
                    "rank": row.rank, "case_id": row.case_id, "score": row.score, "mean_raw": row.mean_raw,
                    "n": row.n, "spread": row.spread, "flagged": row.flagged,
                    "experts": [{"expert_id": e.expert_id, "raw": e.raw, "normalised": e.normalised, "used": e.used}
                                for e in row.experts],
                }
                for row in self.rows
            ],
        }


def validate_scores(rubric: Sequence[CriterionLike], scores: Mapping[str, object]) -> list[str]:
    """What is wrong with one sheet, one sentence per criterion, in rubric order; [] when it can be counted."""
    return [problem for problems in score_problems(rubric, scores).values() for problem in problems]


def score_problems(rubric: Sequence[CriterionLike], scores: Mapping[str, object]) -> dict[str, list[str]]:
    """validate_scores' sentences under the key they concern: each criterion's key in rubric order, then each key
    of `scores` that is no criterion. Only keys with a problem appear. A form shows each at its field."""
    problems: dict[str, list[str]] = {}
    for criterion in rubric:
        maximum = _finite(criterion.maximum)
        names = {"name": criterion.name, "max": _fmt(maximum) if maximum is not None else criterion.maximum}
        if criterion.key not in scores:
            problems[criterion.key] = [_("缺少“%(name)s”的分数，请填写0至%(max)s之间的分数") % names]
            continue
        value = _finite(scores[criterion.key])
        if value is None:
            problem = _("“%(name)s”的分数不是数字，请填写0至%(max)s之间的分数") % names
        elif value < 0:
            problem = _("“%(name)s”的分数不能小于0，请填写0至%(max)s之间的分数") % names
        elif maximum is not None and value > maximum:
            problem = _("“%(name)s”的分数超过满分%(max)s分，请填写0至%(max)s之间的分数") % names
        elif value != value.quantize(Decimal("0.1")):
            problem = _("“%(name)s”的分数最多保留1位小数，请修改") % names
        else:
            continue
        problems[criterion.key] = [problem]
    known = {criterion.key for criterion in rubric}
    for key in sorted(set(scores) - known, key=str):
        problems[key] = [_("评分表中的“%(key)s”不是本轮的评分项，请删除") % {"key": key}]
    return problems


def weighted_total(rubric: Sequence[CriterionLike], scores: Mapping[str, object]) -> float:
    """Σ score / maximum × weight, rounded to 4 places; `ScoreError` if the sheet fails `validate_scores`."""
    problems = validate_scores(rubric, scores)
    if problems:
        raise ScoreError(problems)
    return _round(math.fsum(float(scores[c.key]) * float(c.weight) / float(c.maximum) for c in rubric))


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population SD, exactly summed (so independent of the order of `values`)."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((x - mean) ** 2 for x in values) / len(values))


def _trimmed(values: list[tuple[float, int]], options: Options) -> set[int]:
    """The expert_ids whose values count: all, or all but the first and last by (value, expert_id)."""
    ordered = sorted(values)
    if options.trim and len(ordered) >= options.trim_min_scores:
        ordered = ordered[1:-1]
    return {expert_id for _value, expert_id in ordered}


def aggregate(rubric: Sequence[CriterionLike], sheets: Iterable[SheetScores], options: Options = Options()) -> Ranking:
    """The round's ranked table from its submitted sheets, by the rules in this module's docstring."""
    rubric = tuple(rubric)
    if len({c.key for c in rubric}) != len(rubric):
        raise ValueError(_("评分标准中有重复的评分项代码"))

    totals: dict[tuple[int, int], float] = {}
    for sheet in sorted(sheets, key=lambda s: (s.case_id, s.expert_id)):
        key = (sheet.case_id, sheet.expert_id)
        where = {"expert": sheet.expert_id, "case": sheet.case_id}
        if key in totals:
            raise ScoreError([_("专家%(expert)s对案例%(case)s提交了两份评分表，请只保留一份") % where])
        try:
            totals[key] = weighted_total(rubric, sheet.scores)
        except ScoreError as error:
            prefix = _("专家%(expert)s对案例%(case)s的评分表：") % where
            raise ScoreError([prefix + problem for problem in error.problems]) from None

    round_mean, round_sd = (_round(x) for x in _mean_sd(list(totals.values()))) if totals else (0.0, 0.0)

    normalised: dict[tuple[int, int], float] = {}
    if options.normalise:
        by_expert: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (case_id, expert_id), total in totals.items():
            by_expert[expert_id].append((case_id, total))
        for expert_id, own in by_expert.items():
            values = [total for _case, total in own]
            if len(values) < 2 or max(values) == min(values):
                continue  # no spread to rescale: keeps the raw totals
            mean_e, sd_e = _mean_sd(values)
            for case_id, total in own:
                normalised[(case_id, expert_id)] = _round(round_mean + (total - mean_e) / sd_e * round_sd)

    by_case: dict[int, list[int]] = defaultdict(list)
    for case_id, expert_id in totals:  # already in (case_id, expert_id) order
        by_case[case_id].append(expert_id)

    rows = []
    for case_id, expert_ids in by_case.items():
        values = {e: normalised.get((case_id, e), totals[(case_id, e)]) for e in expert_ids}
        used = _trimmed([(value, e) for e, value in values.items()], options)
        experts = tuple(ExpertScore(e, totals[(case_id, e)], normalised.get((case_id, e)), e in used)
                        for e in expert_ids)
        spread = _round(max(values.values()) - min(values.values()))
        rows.append(RankRow(
            rank=0, case_id=case_id,
            score=_round(math.fsum(values[e] for e in used) / len(used)),
            mean_raw=_round(math.fsum(totals[(case_id, e)] for e in expert_ids) / len(expert_ids)),
            n=len(expert_ids), experts=experts, spread=spread, flagged=spread > options.disagreement,
        ))
    rows.sort(key=lambda r: (-r.score, -r.mean_raw, r.case_id))
    ranked = tuple(replace(row, rank=i) for i, row in enumerate(rows, start=1))
    return Ranking(rows=ranked, round_mean=round_mean, round_sd=round_sd, options=options)
