"""Expert-review score aggregation: hand-computed examples of every rule, and order independence as a property."""

import json
import math
from decimal import Decimal
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.review.aggregation import (
    DEFAULT_RUBRIC,
    Criterion,
    Options,
    ScoreError,
    SheetScores,
    aggregate,
    validate_scores,
    weighted_total,
)

# One criterion out of 100: a sheet's score is its total, so the aggregation examples read as plain numbers.
TOTAL = (Criterion("total", "总分", 100, 100),)


def sheet(case_id: int, expert_id: int, total: float) -> SheetScores:
    return SheetScores(case_id, expert_id, {"total": total})


def rows_by_case(ranking):
    return {row.case_id: row for row in ranking.rows}


def used(row) -> dict[int, bool]:
    return {e.expert_id: e.used for e in row.experts}


# --- weighted totals ---------------------------------------------------------------------------------------------

def test_weighted_total_scales_each_score_by_its_weight_over_its_maximum():
    rubric = (Criterion("a", "甲", weight=40, maximum=10), Criterion("b", "乙", weight=35, maximum=20),
              Criterion("c", "丙", weight=25, maximum=5))
    # 7.5/10×40 = 30;  13/20×35 = 22.75;  3.5/5×25 = 17.5;  30 + 22.75 + 17.5 = 70.25
    assert weighted_total(rubric, {"a": 7.5, "b": 13, "c": 3.5}) == 70.25
    assert weighted_total(rubric, {"a": 10, "b": 20, "c": 5}) == 100.0
    assert weighted_total(rubric, {"a": 0, "b": 0, "c": 0}) == 0.0


def test_weighted_total_is_rounded_to_four_places():
    rubric = (Criterion("a", "甲", weight=20, maximum=7),)
    # 3.3/7×20 = 66/7 = 9.428571… → 9.4286
    assert weighted_total(rubric, {"a": 3.3}) == 9.4286


def test_default_rubric_totals_out_of_100_without_float_noise():
    assert [(c.key, c.name, c.weight, c.maximum) for c in DEFAULT_RUBRIC] == [
        ("innovation", "创新性", 30, 30), ("results", "实施成效", 30, 30),
        ("demonstration", "示范推广价值", 25, 25), ("typicality", "典型性与材料质量", 15, 15)]
    # weight = maximum, so the total is the plain sum: 27.3 + 25 + 20.5 + 12.1 = 84.9
    assert weighted_total(DEFAULT_RUBRIC, {"innovation": 27.3, "results": 25, "demonstration": 20.5,
                                           "typicality": 12.1}) == 84.9


def test_any_object_with_key_name_weight_maximum_serves_as_a_criterion():
    """review.config.RubricItem has these attributes; aggregation does not need its own type."""
    class Item(NamedTuple):
        key: str
        name: str
        weight: float
        maximum: float

    # 4/5×50 + 9/10×50 = 40 + 45 = 85
    assert weighted_total((Item("a", "甲", 50, 5), Item("b", "乙", 50, 10)), {"a": 4, "b": 9}) == 85.0


def test_weighted_total_refuses_a_sheet_that_fails_validation():
    with pytest.raises(ScoreError) as error:
        weighted_total(TOTAL, {"total": 101})
    assert error.value.problems == ["“总分”的分数超过满分100分，请填写0至100之间的分数"]


# --- validation --------------------------------------------------------------------------------------------------

def test_validate_scores_names_each_problem_in_rubric_order():
    problems = validate_scores(DEFAULT_RUBRIC, {"innovation": "二十", "results": -1, "demonstration": 25.5,
                                                "extra": 3})
    assert problems == [
        "“创新性”的分数不是数字，请填写0至30之间的分数",
        "“实施成效”的分数不能小于0，请填写0至30之间的分数",
        "“示范推广价值”的分数超过满分25分，请填写0至25之间的分数",
        "缺少“典型性与材料质量”的分数，请填写0至15之间的分数",
        "评分表中的“extra”不是本轮的评分项，请删除",
    ]


def test_validate_scores_allows_one_decimal_place_only():
    rubric = (Criterion("a", "甲", 30, 30),)
    assert validate_scores(rubric, {"a": 27.3}) == []
    assert validate_scores(rubric, {"a": Decimal("27.30")}) == []  # trailing zero: still one place
    assert validate_scores(rubric, {"a": 30}) == []
    assert validate_scores(rubric, {"a": 0}) == []
    assert validate_scores(rubric, {"a": 27.35}) == ["“甲”的分数最多保留1位小数，请修改"]
    assert validate_scores(rubric, {"a": Decimal("0.05")}) == ["“甲”的分数最多保留1位小数，请修改"]


@pytest.mark.parametrize("value", [None, "27", True, float("nan"), float("inf"), Decimal("NaN")])
def test_validate_scores_rejects_what_is_not_a_finite_number(value):
    assert validate_scores((Criterion("a", "甲", 30, 30),), {"a": value}) == ["“甲”的分数不是数字，请填写0至30之间的分数"]


def test_validate_scores_shows_a_fractional_maximum_as_typed():
    assert validate_scores((Criterion("a", "甲", 10, 7.5),), {"a": 8}) == [
        "“甲”的分数超过满分7.5分，请填写0至7.5之间的分数"]


def test_a_criterion_needs_positive_weight_and_maximum():
    with pytest.raises(ValueError):
        Criterion("a", "甲", 0, 10)
    with pytest.raises(ValueError):
        Criterion("a", "甲", 10, -1)


# --- trimmed mean ------------------------------------------------------------------------------------------------

def test_five_scores_drop_the_highest_and_the_lowest():
    ranking = aggregate(TOTAL, [sheet(1, e, x) for e, x in [(1, 90), (2, 85), (3, 80), (4, 75), (5, 50)]])
    row = ranking.rows[0]
    # drop 50 and 90: (85 + 80 + 75) / 3 = 80;  mean_raw = 380 / 5 = 76
    assert (row.score, row.mean_raw, row.n) == (80.0, 76.0, 5)
    assert used(row) == {1: False, 2: True, 3: True, 4: True, 5: False}


def test_four_scores_are_averaged_untrimmed():
    row = aggregate(TOTAL, [sheet(1, e, x) for e, x in [(1, 90), (2, 85), (3, 80), (4, 50)]]).rows[0]
    # (90 + 85 + 80 + 50) / 4 = 305 / 4 = 76.25
    assert row.score == 76.25 and row.mean_raw == 76.25
    assert all(used(row).values())


def test_tied_extremes_drop_the_lowest_expert_id_at_the_bottom_and_the_highest_at_the_top():
    row = aggregate(TOTAL, [sheet(1, e, x) for e, x in [(1, 70), (2, 90), (3, 70), (4, 90), (5, 80)]]).rows[0]
    # by (value, expert): (70,1) (70,3) (80,5) (90,2) (90,4) → drop expert 1 and expert 4; (70 + 80 + 90) / 3 = 80
    assert used(row) == {1: False, 2: True, 3: True, 4: False, 5: True}
    assert row.score == 80.0


def test_trimming_can_be_switched_off_or_start_at_another_count():
    five = [sheet(1, e, x) for e, x in [(1, 90), (2, 85), (3, 80), (4, 75), (5, 50)]]
    assert aggregate(TOTAL, five, Options(trim=False)).rows[0].score == 76.0  # 380 / 5
    three = [sheet(1, e, x) for e, x in [(1, 90), (2, 70), (3, 20)]]
    assert aggregate(TOTAL, three).rows[0].score == 60.0  # 180 / 3, fewer than 5
    assert aggregate(TOTAL, three, Options(trim_min_scores=3)).rows[0].score == 70.0  # only the middle one


def test_options_refuse_a_trim_that_leaves_nothing():
    with pytest.raises(ValueError):
        Options(trim_min_scores=2)
    with pytest.raises(ValueError):
        Options(disagreement=-1)


# --- normalisation -----------------------------------------------------------------------------------------------

LENIENT_A, STRICT_B, BRIDGE_C = 101, 102, 103
# A scores cases 1–2, B scores cases 3–4, C scores all four.
SUBSETS = [
    sheet(1, LENIENT_A, 92), sheet(2, LENIENT_A, 78),   # A: mean 85, sd 7   → z +1, −1
    sheet(3, STRICT_B, 72), sheet(4, STRICT_B, 58),     # B: mean 65, sd 7   → z +1, −1
    sheet(1, BRIDGE_C, 66), sheet(2, BRIDGE_C, 66),     # C: mean 73, deviations −7 −7 +7 +7:
    sheet(3, BRIDGE_C, 80), sheet(4, BRIDGE_C, 80),     #    sd √(4·49/4) = 7 → z −1, −1, +1, +1
]
# Round: (92+78+72+58+66+66+80+80) / 8 = 592 / 8 = 74;
# deviations 18 4 −2 −16 −8 −8 6 6 → squares 324+16+4+256+64+64+36+36 = 800; 800 / 8 = 100; sd = 10.
# normalised = 74 + z × 10: z = +1 → 84, z = −1 → 64.


def test_normalisation_puts_lenient_and_strict_experts_on_one_scale():
    ranking = aggregate(TOTAL, SUBSETS, Options(normalise=True))
    assert (ranking.round_mean, ranking.round_sd) == (74.0, 10.0)
    rows = rows_by_case(ranking)
    assert {c: {e.expert_id: e.normalised for e in rows[c].experts} for c in rows} == {
        1: {LENIENT_A: 84.0, BRIDGE_C: 64.0},
        2: {LENIENT_A: 64.0, BRIDGE_C: 64.0},
        3: {STRICT_B: 84.0, BRIDGE_C: 84.0},
        4: {STRICT_B: 64.0, BRIDGE_C: 84.0},
    }
    # case scores: 1 → (84+64)/2 = 74, 2 → 64, 3 → 84, 4 → (64+84)/2 = 74;
    # mean_raw: 1 → (92+66)/2 = 79, 2 → (78+66)/2 = 72, 3 → (72+80)/2 = 76, 4 → (58+80)/2 = 69
    assert [(r.rank, r.case_id, r.score, r.mean_raw) for r in ranking.rows] == [
        (1, 3, 84.0, 76.0), (2, 1, 74.0, 79.0), (3, 4, 74.0, 69.0), (4, 2, 64.0, 72.0)]
    # spreads of the normalised values: 1 → 20, 2 → 0, 3 → 0, 4 → 20; 20 is not > 20
    assert [(r.case_id, r.spread, r.flagged) for r in ranking.rows] == [
        (3, 0.0, False), (1, 20.0, False), (4, 20.0, False), (2, 0.0, False)]


def test_without_normalisation_the_lenient_experts_case_leads():
    ranking = aggregate(TOTAL, SUBSETS)
    # raw means: 1 → 79, 3 → 76, 2 → 72, 4 → 69; raw spreads 26, 8, 12, 22 → 1 and 4 flagged at 20
    assert [(r.case_id, r.score, r.spread, r.flagged) for r in ranking.rows] == [
        (1, 79.0, 26.0, True), (3, 76.0, 8.0, False), (2, 72.0, 12.0, False), (4, 69.0, 22.0, True)]
    assert all(e.normalised is None for r in ranking.rows for e in r.experts)
    assert (ranking.round_mean, ranking.round_sd) == (74.0, 10.0)  # reported either way


def test_experts_with_one_sheet_or_no_spread_keep_their_raw_totals():
    sheets = [sheet(1, 1, 90), sheet(2, 1, 70),   # expert 1: mean 80, sd 10 → z +1, −1
              sheet(1, 2, 75), sheet(2, 2, 75),   # expert 2: sd 0 → raw
              sheet(1, 3, 60)]                    # expert 3: one sheet → raw
    ranking = aggregate(TOTAL, sheets, Options(normalise=True))
    # round: (90+70+75+75+60)/5 = 370/5 = 74; deviations 16 −4 1 1 −14 → 256+16+1+1+196 = 470;
    # 470/5 = 94; √94 = 9.69535… → 9.6954. Expert 1: 74 ± 9.6954 = 83.6954 / 64.3046.
    assert (ranking.round_mean, ranking.round_sd) == (74.0, 9.6954)
    rows = rows_by_case(ranking)
    assert [(e.expert_id, e.normalised, e.value) for e in rows[1].experts] == [
        (1, 83.6954, 83.6954), (2, None, 75.0), (3, None, 60.0)]
    assert [(e.expert_id, e.normalised, e.value) for e in rows[2].experts] == [(1, 64.3046, 64.3046), (2, None, 75.0)]
    # case 1: (83.6954 + 75 + 60) / 3 = 218.6954 / 3 = 72.89846… → 72.8985; case 2: (64.3046 + 75) / 2 = 69.6523
    assert (rows[1].score, rows[2].score) == (72.8985, 69.6523)
    # spread of case 1: 83.6954 − 60 = 23.6954 > 20
    assert (rows[1].spread, rows[1].flagged) == (23.6954, True)


# --- disagreement ------------------------------------------------------------------------------------------------

def test_a_spread_equal_to_the_threshold_is_not_flagged_one_above_is():
    ranking = aggregate(TOTAL, [sheet(1, 1, 64.4), sheet(1, 2, 44.4),    # 64.4 − 44.4 is 20.000000000000007 in
                                sheet(2, 1, 64.5), sheet(2, 2, 44.4)],   # floating point; rounded: exactly 20
                        Options(disagreement=20))
    rows = rows_by_case(ranking)
    assert (rows[1].spread, rows[1].flagged) == (20.0, False)
    assert (rows[2].spread, rows[2].flagged) == (20.1, True)


def test_spread_is_taken_before_trimming():
    row = aggregate(TOTAL, [sheet(1, e, x) for e, x in [(1, 95), (2, 80), (3, 80), (4, 80), (5, 70)]]).rows[0]
    # trimmed values 80 80 80 agree, but the experts did not: 95 − 70 = 25 > 20
    assert (row.score, row.spread, row.flagged) == (80.0, 25.0, True)


# --- ranking -----------------------------------------------------------------------------------------------------

def test_equal_scores_rank_by_raw_mean_then_case_id_with_distinct_ranks():
    sheets = ([sheet(7, e, x) for e, x in [(1, 90), (2, 80), (3, 80), (4, 80), (5, 50)]]   # 80, raw mean 76
              + [sheet(3, e, 80) for e in range(1, 6)]                                     # 80, raw mean 80
              + [sheet(2, e, 80) for e in range(1, 6)]                                     # 80, raw mean 80
              + [sheet(9, 1, 81)])                                                         # 81
    ranking = aggregate(TOTAL, sheets)
    assert [(r.rank, r.case_id, r.score, r.mean_raw) for r in ranking.rows] == [
        (1, 9, 81.0, 81.0), (2, 2, 80.0, 80.0), (3, 3, 80.0, 80.0), (4, 7, 80.0, 76.0)]


def test_no_sheets_no_rows():
    ranking = aggregate(TOTAL, [])
    assert (ranking.rows, ranking.round_mean, ranking.round_sd) == ((), 0.0, 0.0)


def test_two_sheets_of_one_expert_for_one_case_are_refused():
    with pytest.raises(ScoreError) as error:
        aggregate(TOTAL, [sheet(4, 2, 80), sheet(4, 2, 70)])
    assert error.value.problems == ["专家2对案例4提交了两份评分表，请只保留一份"]


def test_an_invalid_sheet_is_refused_with_its_expert_and_case():
    with pytest.raises(ScoreError) as error:
        aggregate(TOTAL, [sheet(1, 1, 80), SheetScores(4, 2, {})])
    assert error.value.problems == ["专家2对案例4的评分表：缺少“总分”的分数，请填写0至100之间的分数"]


def test_as_dict_is_json_ready():
    data = aggregate(TOTAL, SUBSETS, Options(normalise=True)).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["options"] == {"normalise": True, "trim": True, "trim_min_scores": 5, "disagreement": 20.0}
    assert data["rows"][0]["experts"][0] == {"expert_id": STRICT_B, "raw": 72.0, "normalised": 84.0, "used": True}


# --- properties --------------------------------------------------------------------------------------------------

def _sheet_strategy():
    score = {c.key: st.integers(0, int(c.maximum * 10)).map(lambda tenths: tenths / 10) for c in DEFAULT_RUBRIC}
    pairs = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 7)), min_size=0, max_size=30, unique=True)
    return pairs.flatmap(lambda ps: st.tuples(*[st.fixed_dictionaries(score).map(
        lambda scores, p=p: SheetScores(p[0], p[1], scores)) for p in ps]).map(list))


OPTIONS = st.builds(Options, normalise=st.booleans(), trim=st.booleans(), trim_min_scores=st.integers(3, 7),
                    disagreement=st.sampled_from([0.0, 5.0, 20.0]))


@settings(max_examples=150, deadline=None)
@given(sheets=_sheet_strategy(), options=OPTIONS, data=st.data())
def test_shuffled_sheets_give_byte_identical_snapshots(sheets, options, data):
    shuffled = data.draw(st.permutations(sheets))
    first = json.dumps(aggregate(DEFAULT_RUBRIC, sheets, options).as_dict(), sort_keys=True)
    assert json.dumps(aggregate(DEFAULT_RUBRIC, shuffled, options).as_dict(), sort_keys=True) == first


@settings(max_examples=150, deadline=None)
@given(sheets=_sheet_strategy(), options=OPTIONS)
def test_every_scored_case_is_ranked_once_by_the_documented_order(sheets, options):
    ranking = aggregate(DEFAULT_RUBRIC, sheets, options)
    assert sorted(r.case_id for r in ranking.rows) == sorted({s.case_id for s in sheets})
    assert [r.rank for r in ranking.rows] == list(range(1, len(ranking.rows) + 1))
    keys = [(-r.score, -r.mean_raw, r.case_id) for r in ranking.rows]
    assert keys == sorted(keys)
    for row in ranking.rows:
        values = [e.value for e in row.experts]
        kept = [e.value for e in row.experts if e.used]
        trims = options.trim and row.n >= options.trim_min_scores
        assert len(kept) == (row.n - 2 if trims else row.n)
        assert min(values) - 1e-4 <= row.score <= max(values) + 1e-4
        assert math.isclose(row.spread, max(values) - min(values), abs_tol=1e-4)
        assert row.flagged == (row.spread > options.disagreement)
        assert all(0 <= e.raw <= 100 for e in row.experts)
        assert all((e.normalised is None) or options.normalise for e in row.experts)
