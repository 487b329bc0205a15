"""A round's composite score (R-108, R-109): expert review, live presentation and online voting combined by
the round's weights (Round.config["review"], set on the review settings page). The formula is data and is
printed on the ranking page in words, so anyone with access can recompute a case's total from its parts.

- Expert review and live presentation: the case's aggregated score of that method (apps.review.aggregation:
  the mean of the judges' totals, normalised per judge and trimmed when the settings say so), out of the
  rubric's total (100 by default). The sentences state the round's own settings, not a fixed text.
- Online voting: the poll's vote score by the rulebook's formula (apps.voting.services.vote_scores: by default
  100 × votes ÷ the round's top count), from the certified tally once there is one, else from the valid votes.
- A part a case does not have yet counts 0 (the page says so); totals are rounded to 4 decimals and ties are
  broken by the case id, so the order is the same on every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.review import aggregation
from apps.review.config import ReviewConfig, method_label, review_config
from apps.review.services import ranking_of, ranking_scores
from apps.rounds.models import Round, RoundEntry
from apps.voting import services as voting
from apps.voting.models import Poll

OUT_OF_LIST = (RoundEntry.Decision.OUT, RoundEntry.Decision.RETURNED)


@dataclass(frozen=True)
class Part:
    method: str
    score: float | None  # None: the case has no score of this method yet (counts 0)
    detail: str = ""  # e.g. "5位专家" or "128票"


@dataclass(frozen=True)
class Row:
    rank: int
    entry_id: int
    case_id: int
    total: float
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Composite:
    methods: tuple[str, ...]
    weights: dict
    rows: tuple[Row, ...]
    formula: tuple[str, ...]  # the formula in sentences, for the page
    poll: Poll | None
    rankings: dict = field(default_factory=dict)  # method → apps.review.aggregation.Ranking it was built from


def _voting_parts(round: Round) -> tuple[Poll | None, dict[int, tuple[float, int]]]:
    poll = Poll.plain.filter(round=round).first()
    if poll is None:
        return None, {}
    counts = voting.tally_counts(poll)
    scores = voting.vote_scores(poll, counts)
    return poll, {entry: (scores[entry], n) for entry, n in counts.items()}


def formula_lines(config: ReviewConfig, poll: Poll | None) -> tuple[str, ...]:
    """The formula in sentences, as the round's settings apply it: the methods and weights; for review and live
    scoring the mean of the judges' totals, whether they are normalised per judge and whether (from how many
    judges) the highest and lowest are dropped, as apps.review.aggregation computes them; the vote score; a
    missing part. Printed on the ranking page and hashed into every locked list's result document."""
    methods = tuple(config.methods)
    terms = " + ".join(_("%(method)s得分 × %(weight)s%%") % {"method": method_label(m),
                                                           "weight": _number(config.weights.get(m, 0))}
                       for m in methods)
    lines = [_("综合得分 = %(terms)s") % {"terms": terms}]
    judged = tuple(m for m in ("review", "live") if m in methods)
    if judged:
        lines.extend(_judged_lines(judged, config))
    if "voting" in methods:
        if poll is None:
            lines.append(_("网络投票尚未设置，投票得分暂按0分计"))
        else:
            lines.append(_("网络投票得分 = %(formula)s（工作细则，R-108）") % {"formula": poll.get_formula_display()})
    lines.append(_("尚无某项得分的案例，该项按0分计"))
    return tuple(lines)


def _judged_lines(judged: tuple[str, ...], config: ReviewConfig) -> tuple[str, str]:
    """How a case's review or live score comes from its judges' totals. ranking_of takes normalise and trim from
    the settings and leaves the threshold of trimming at aggregation.Options' default."""
    subject = {("review",): _("专家评审得分"), ("live",): _("现场宣讲评分得分"),
               ("review", "live"): _("专家评审得分和现场宣讲评分得分")}[judged]
    values = {"subject": subject, "total": _number(config.rubric_total), "n": aggregation.Options().trim_min_scores}
    if config.trim:
        mean = _("%(subject)s为该案例各评委总分（满分%(total)s分）的平均：有%(n)d位及以上评委评分时，去掉一个最高分和"
                 "一个最低分后平均，不足%(n)d位时全部平均") % values
    else:
        mean = _("%(subject)s为该案例全部评委总分（满分%(total)s分）的平均，不去掉最高分和最低分") % values
    if config.normalise:
        how = _("每位评委的总分按该评委本人所评总分的平均分和标准差，换算到本轮同一评选方式全部评委总分的平均分和标准差；"
                "只评1件案例或所评总分都相同的评委保持原分")
        scale = (_("评委总分先按评委标准化，再去掉最高分和最低分并求平均：%(how)s") if config.trim
                 else _("评委总分先按评委标准化，再求平均：%(how)s")) % {"how": how}
    else:
        scale = _("评委总分不做标准化，按原始总分计算")
    return mean, scale


def _number(value) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def composite_of(round: Round, *, with_rankings: bool = False, config: ReviewConfig | None = None) -> Composite:
    """The round's composite ranking. The review and live parts come from the cached per-case scores unless
    `with_rankings` asks for the full rankings (every expert's sheet, for the recomputable result). `config` is
    the round's review settings when the caller has read them already (apps.selection.context)."""
    config = config or review_config(round)
    methods = tuple(config.methods)
    weights = {m: float(config.weights.get(m, 0)) for m in methods}
    entries = list(RoundEntry.plain.filter(round=round).exclude(decision__in=OUT_OF_LIST).order_by()
                   .values_list("pk", "case_id"))
    method_scores: dict[str, dict[int, tuple[float, int]]] = {}
    rankings = {}
    for method in ("review", "live"):
        if method not in methods:
            continue
        if with_rankings:
            rankings[method] = ranking_of(round, method, config)
            method_scores[method] = {r.case_id: (r.score, r.n) for r in rankings[method].rows}
        else:
            method_scores[method] = ranking_scores(round, method, config)
    poll, votes = _voting_parts(round) if "voting" in methods else (None, {})
    rows = []
    votes_text, judges_text = _("%(n)d票"), _("%(n)d位评委")  # translated once, not once a case
    for entry_id, case_id in entries:
        parts, total = [], 0.0
        for method in methods:
            if method == "voting":
                score, n = votes.get(entry_id, (0.0, 0)) if poll is not None else (None, 0)
                detail = votes_text % {"n": n} if poll is not None else ""
            else:
                found = method_scores[method].get(case_id)
                score, detail = (found[0], judges_text % {"n": found[1]}) if found else (None, "")
            parts.append(Part(method, score, detail))
            total += (score or 0.0) * weights[method] / 100.0
        rows.append((round_half(total), case_id, entry_id, tuple(parts)))
    rows.sort(key=lambda r: (-r[0], r[1]))
    ranked = tuple(Row(rank=n, entry_id=entry, case_id=case, total=total, parts=parts)
                   for n, (total, case, entry, parts) in enumerate(rows, start=1))
    return Composite(methods=methods, weights=weights, rows=ranked, formula=formula_lines(config, poll),
                     poll=poll, rankings=rankings)


def round_half(value: float) -> float:
    """4 decimals, half away from zero (float noise cannot flip a tie)."""
    return math.floor(abs(value) * 10_000 + 0.5 + 1e-9) / 10_000 * (1 if value >= 0 else -1)
