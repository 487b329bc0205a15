"""The formula published with a locked list states the rules the round actually applies (R-108, R-109): its methods
and weights, for expert review and live scoring whether the judges' totals are normalised per judge and whether,
from how many judges, the highest and lowest are dropped, the vote score, and that a missing part counts 0.
Each test changes the round's review settings, locks a list as an admin does and reads the result document."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import configure, make_expert, scores, submitted_sheet
from apps.selection import results, services

HOW = ("每位评委的总分按该评委本人所评总分的平均分和标准差，换算到本轮同一评选方式全部评委总分的平均分和标准差；"
       "只评1件案例或所评总分都相同的评委保持原分")
TRIMMED = ("{subject}为该案例各评委总分（满分{total}分）的平均：有5位及以上评委评分时，去掉一个最高分和一个最低分后平均，"
           "不足5位时全部平均")
UNTRIMMED = "{subject}为该案例全部评委总分（满分{total}分）的平均，不去掉最高分和最低分"
NORMALISED_TRIMMED = "评委总分先按评委标准化，再去掉最高分和最低分并求平均：" + HOW
NORMALISED = "评委总分先按评委标准化，再求平均：" + HOW
RAW = "评委总分不做标准化，按原始总分计算"
VOTES = "网络投票得分 = 100 × 票数 ÷ 本轮最高票数（工作细则，R-108）"
MISSING = "尚无某项得分的案例，该项按0分计"

SUBJECTS = {("review",): "专家评审得分", ("live",): "现场宣讲评分得分", ("review", "live"): "专家评审得分和现场宣讲评分得分"}
TERMS = {"review": "专家评审得分", "live": "现场宣讲评分得分", "voting": "网络投票得分"}


def _locked_formula(round, entries, admin, **settings) -> list[str]:
    """Set the round's review settings, lock a valid list and return the locked document's sentences."""
    with scopes_disabled():
        configure(round, **settings)
        services.list_set(round=round, by=admin, add=[entries[0].case_id, entries[1].case_id])
        locked = services.list_lock(round=round, by=admin)
    assert locked.sha256 == results.digest(locked.result)
    return locked.result["formula"]["sentences"]


@pytest.mark.parametrize("judged", [("review",), ("live",), ("review", "live")], ids="+".join)
@pytest.mark.parametrize("trim", [True, False], ids=["trim", "no-trim"])
@pytest.mark.parametrize("normalise", [True, False], ids=["normalise", "raw"])
def test_the_locked_formula_states_whether_scores_are_normalised_and_trimmed(small, entries, campaign, judged, trim,
                                                                            normalise):
    weights = {m: 100 / len(judged) for m in judged}
    sentences = _locked_formula(small, entries, campaign.hangzhou_admin, methods=list(judged), weights=weights,
                                trim=trim, normalise=normalise)
    mean = (TRIMMED if trim else UNTRIMMED).format(subject=SUBJECTS[judged], total=100)
    scale = (NORMALISED_TRIMMED if trim else NORMALISED) if normalise else RAW
    terms = " + ".join(f"{TERMS[m]} × {100 // len(judged)}%" for m in judged)
    assert sentences == [f"综合得分 = {terms}", mean, scale, MISSING]
    text = "\n".join(sentences)
    assert ("去掉一个最高分和一个最低分" in text) is trim and ("不去掉最高分和最低分" in text) is not trim
    assert ("按评委标准化" in text) is normalise and ("不做标准化" in text) is not normalise


@pytest.mark.parametrize("methods,weights,expected", [
    (["review", "voting"], {"review": 70, "voting": 30},
     ["综合得分 = 专家评审得分 × 70% + 网络投票得分 × 30%", TRIMMED.format(subject="专家评审得分", total=100), RAW, VOTES]),
    (["live", "voting"], {"live": 60, "voting": 40},
     ["综合得分 = 现场宣讲评分得分 × 60% + 网络投票得分 × 40%", TRIMMED.format(subject="现场宣讲评分得分", total=100),
      RAW, VOTES]),
    (["review", "live", "voting"], {"review": 50, "live": 30, "voting": 20},
     ["综合得分 = 专家评审得分 × 50% + 现场宣讲评分得分 × 30% + 网络投票得分 × 20%",
      TRIMMED.format(subject="专家评审得分和现场宣讲评分得分", total=100), RAW, VOTES]),
    (["voting"], {"voting": 100}, ["综合得分 = 网络投票得分 × 100%", VOTES]),
    (["review", "voting"], {"review": 62.5, "voting": 37.5},
     ["综合得分 = 专家评审得分 × 62.5% + 网络投票得分 × 37.5%", TRIMMED.format(subject="专家评审得分", total=100), RAW,
      VOTES]),
], ids=["review+voting", "live+voting", "all three", "voting only", "fractional weights"])
def test_the_locked_formula_states_the_methods_and_their_weights(small, entries, campaign, methods, weights, expected):
    sentences = _locked_formula(small, entries, campaign.hangzhou_admin, methods=methods, weights=weights,
                                trim=True, normalise=False)
    assert sentences == expected + [MISSING]


def test_a_round_with_votes_only_states_no_judges_rule(small, entries, campaign):
    sentences = _locked_formula(small, entries, campaign.hangzhou_admin, methods=["voting"], weights={"voting": 100})
    assert not any("评委" in sentence for sentence in sentences)


def test_the_full_marks_stated_are_the_rubrics(small, entries, campaign):
    rubric = [{"key": "innovation", "name": "创新性", "weight": 50, "maximum": 50},
              {"key": "results", "name": "实施成效", "weight": 30, "maximum": 30}]
    sentences = _locked_formula(small, entries, campaign.hangzhou_admin, rubric=rubric, trim=False)
    assert UNTRIMMED.format(subject="专家评审得分", total=80) in sentences


@pytest.mark.parametrize("trim", [True, False])
def test_the_judges_from_whom_trimming_starts_are_those_the_aggregation_used(small, entries, campaign, trim):
    with scopes_disabled():
        configure(small, trim=trim)
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
        document = services.list_lock(round=small, by=campaign.hangzhou_admin).result
    options = document["formula"]["review_options"]["review"]
    assert options["trim"] is trim
    stated = f"有{options['trim_min_scores']}位及以上评委评分时，去掉一个最高分和一个最低分"
    assert (stated in document["formula"]["sentences"][1]) is trim


def test_a_list_locked_with_normalised_untrimmed_scores_recomputes_identical(small, entries, campaign):
    """The recompute builds the same sentences from the same settings, so the digests agree."""
    with scopes_disabled():
        zhou, wu = make_expert("周教授", org=campaign.hangzhou), make_expert("吴研究员", org=campaign.hangzhou)
        submitted_sheet(small, entries[0].case, zhou, scores(24, 24, 20, 12))
        submitted_sheet(small, entries[1].case, zhou, scores(27, 27, 22.5, 13.5))
        submitted_sheet(small, entries[0].case, wu, scores(18, 18, 15, 9))
        submitted_sheet(small, entries[1].case, wu, scores(21, 21, 17, 10))
    sentences = _locked_formula(small, entries, campaign.hangzhou_admin, normalise=True, trim=False)
    assert NORMALISED in sentences and UNTRIMMED.format(subject="专家评审得分", total=100) in sentences
    out = io.StringIO()
    call_command("round_recompute", str(small.pk), stdout=out)
    assert "locked list 1 (2 cases): identical to the result locked on" in out.getvalue()
