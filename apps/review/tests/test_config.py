"""A round's review settings as data (apps.review.config): defaults and every check, with its Chinese message."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from apps.review.config import ReviewConfig, default_rubric, level_bands, parse_config, parse_rubric, review_config
from apps.rounds.models import Round


def message(exc_info) -> str:
    return "；".join(exc_info.value.messages)


def refused(data, *, base=None) -> str:
    with pytest.raises(ValidationError) as exc_info:
        parse_config(data, base=base)
    return message(exc_info)


def rubric_refused(items) -> str:
    with pytest.raises(ValidationError) as exc_info:
        parse_rubric(items)
    return message(exc_info)


def item(key="a", name="甲", weight=50, **more) -> dict:
    return {"key": key, "name": name, "weight": weight, **more}


# --- defaults ----------------------------------------------------------------------------------------------------

def test_defaults_are_domain_practice_expert_review_only_five_experts_trimmed_mean():
    config = ReviewConfig()
    assert config.methods == ("review",) and config.weights == {"review": 100}
    assert (config.experts_per_case, config.min_load, config.max_load) == (5, 0, 30)
    assert config.trim is True and config.normalise is False
    assert config.disagreement == 20.0 and config.same_county_conflict is True
    assert config.uses_review and not config.uses_live


def test_default_rubric_is_innovation_30_results_30_demonstration_25_typicality_15():
    rubric = default_rubric()
    assert [(i.key, i.name, i.weight, i.maximum) for i in rubric] == [
        ("innovation", "创新性", 30, 30), ("results", "实施成效", 30, 30),
        ("demonstration", "示范推广价值", 25, 25), ("typicality", "典型性与材料质量", 15, 15)]
    assert ReviewConfig().rubric_total == 100
    # Four level bands per criterion, from 90 % of the maximum down to 0 (test_level_bands_… below).
    assert len(rubric[0].levels) == 4 and rubric[0].levels[0].high == 30 and rubric[0].levels[-1].low == 0


def test_the_default_rubrics_level_bands_are_whole_or_half_points_that_do_not_overlap():
    """What an expert reads beside each criterion: 27–30 / 22.5–26.5, never 27–30 / 22.5–27 (which band owns 27?)."""
    bands = {i.key: [(lv.low, lv.high) for lv in i.levels] for i in default_rubric()}
    assert bands == {
        "innovation": [(27, 30), (22.5, 26.5), (18, 22), (0, 17.5)],
        "results": [(27, 30), (22.5, 26.5), (18, 22), (0, 17.5)],
        "demonstration": [(22.5, 25), (19, 22), (15, 18.5), (0, 14.5)],
        "typicality": [(13.5, 15), (11.5, 13), (9, 11), (0, 8.5)],
    }
    assert [lv.text for lv in default_rubric()[3].levels] == ["典型，材料完整规范", "较典型，材料较完整", "材料有缺项",
                                                             "材料不完整"]


def test_a_small_maximum_keeps_fewer_bands_without_an_empty_one():
    assert level_bands(5) == ((4.5, 5), (4, 4), (3, 3.5), (0, 2.5))
    assert level_bands(2) == ((2, 2), (1.5, 1.5), (0, 1))
    assert level_bands(1) == ((1, 1), (0, 0.5))


@given(st.integers(min_value=10, max_value=10000).map(lambda n: n / 10))
def test_level_bands_cover_0_to_the_maximum_in_half_points_best_first_without_overlap(maximum):
    bands = level_bands(maximum)
    assert bands[0][1] == maximum and bands[-1][0] == 0
    for low, high in bands:
        assert low <= high and (low * 2).is_integer()
    for (low, _high), (_next_low, next_high) in zip(bands, bands[1:]):
        assert next_high == low - 0.5  # the band below ends half a point under this one: no overlap, no gap
    assert all(low >= maximum * 0.6 - 1e-9 for low, _high in bands[:-1])  # above the bottom band: 60 % and up


def test_a_round_that_never_saved_settings_uses_the_defaults():
    assert review_config(Round(config={})) == ReviewConfig()
    assert review_config(Round(config={"screening": {"x": 1}})) == ReviewConfig()
    assert parse_config({}) == ReviewConfig()


def test_stored_settings_read_back_equal():
    """review_configure compares the stored rubric with the new one: a round trip must not change it."""
    config = parse_config({"methods": ["review", "live"], "weights": {"review": 60, "live": 40},
                           "experts_per_case": 7, "normalise": True})
    stored = json.loads(json.dumps(config.as_json()))
    assert parse_config(stored) == config
    assert review_config(Round(config={"review": stored})) == config


def test_keys_not_given_keep_the_base_values():
    base = parse_config({"experts_per_case": 3, "max_load": 8})
    changed = parse_config({"trim": False}, base=base)
    assert (changed.experts_per_case, changed.max_load, changed.trim) == (3, 8, False)


def test_numbers_from_a_form_are_accepted_as_text():
    config = parse_config({"experts_per_case": "7", "min_load": " 2 ", "max_load": "12", "disagreement": "15.5"})
    assert (config.experts_per_case, config.min_load, config.max_load, config.disagreement) == (7, 2, 12, 15.5)
    assert isinstance(config.experts_per_case, int)


def test_options_are_booleans():
    config = parse_config({"normalise": 1, "trim": 0, "same_county_conflict": ""})
    assert (config.normalise, config.trim, config.same_county_conflict) == (True, False, False)


def test_settings_that_are_not_an_object_are_refused():
    assert refused(["review"]) == "评审设置格式不正确"


# --- methods and weights -----------------------------------------------------------------------------------------

def test_methods_keep_a_fixed_order_whatever_order_they_come_in():
    config = parse_config({"methods": ["voting", "review"], "weights": {"review": 70, "voting": 30}})
    assert config.methods == ("review", "voting")


@pytest.mark.parametrize("methods", [[], None, ["review", "lottery"], ["lottery"]])
def test_no_method_or_an_unknown_method_is_refused(methods):
    assert refused({"methods": methods}) == "请至少选择一种评选方式（专家评审、现场宣讲评分、网络投票）"


def test_weights_of_the_chosen_methods_must_sum_to_100():
    assert refused({"methods": ["review", "voting"], "weights": {"review": 80, "voting": 30}}) == (
        "所选评选方式的权重合计应为100%，当前为110%")
    assert refused({"methods": ["review", "voting"], "weights": {"review": 70.5, "voting": 29}}) == (
        "所选评选方式的权重合计应为100%，当前为99.5%")
    assert refused({"weights": {"review": 90}}) == "所选评选方式的权重合计应为100%，当前为90%"


def test_weights_that_sum_to_100_with_fractions_are_accepted():
    config = parse_config({"methods": ["review", "live", "voting"],
                           "weights": {"review": 33.3, "live": 33.3, "voting": 33.4}})
    assert config.weights == {"review": 33.3, "live": 33.3, "voting": 33.4}


def test_a_weight_of_a_method_not_chosen_does_not_count():
    config = parse_config({"methods": ["review"], "weights": {"review": 100, "voting": 50}})
    assert config.methods == ("review",)


def test_a_chosen_method_needs_a_weight():
    assert refused({"methods": ["review", "live"], "weights": {"review": 100}}) == "请填写现场宣讲评分的权重"
    assert refused({"methods": ["review", "live", "voting"], "weights": {"review": 100}}) == (
        "请填写现场宣讲评分、网络投票的权重")
    # Choosing a method without sending weights keeps the base weights, which lack it.
    assert refused({"methods": ["voting"]}) == "请填写网络投票的权重"


def test_a_weight_of_an_unknown_method_is_refused():
    assert refused({"weights": {"lottery": 10, "review": 90}}) == "未知的评选方式“lottery”"


@pytest.mark.parametrize("value, expected", [
    (120, "“专家评审权重”应在0至100之间"), (-1, "“专家评审权重”应在0至100之间"),
    ("abc", "“专家评审权重”应为数字"), (None, "“专家评审权重”应为数字"), ("nan", "“专家评审权重”应在0至100之间"),
])
def test_a_weight_must_be_a_number_from_0_to_100(value, expected):
    assert refused({"weights": {"review": value}}) == expected


# --- experts per case, loads, disagreement -----------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    ({"experts_per_case": 0}, "“每个案例的评审专家数”应在1至15之间"),
    ({"experts_per_case": 16}, "“每个案例的评审专家数”应在1至15之间"),
    ({"experts_per_case": 2.5}, "“每个案例的评审专家数”应为整数"),
    ({"experts_per_case": "五"}, "“每个案例的评审专家数”应为数字"),
    ({"min_load": -1}, "“每位专家最少评审案例数”应在0至500之间"),
    ({"min_load": 501}, "“每位专家最少评审案例数”应在0至500之间"),
    ({"max_load": 0}, "“每位专家最多评审案例数”应在1至500之间"),
    ({"max_load": "inf"}, "“每位专家最多评审案例数”应在1至500之间"),
    ({"max_load": 3.5}, "“每位专家最多评审案例数”应为整数"),
    ({"disagreement": -0.5}, "“分歧提示分差”应在0至1000之间"),
    ({"disagreement": 1001}, "“分歧提示分差”应在0至1000之间"),
    ({"disagreement": ""}, "“分歧提示分差”应为数字"),
])
def test_numbers_out_of_range_are_refused_naming_the_setting_and_the_range(data, expected):
    assert refused(data) == expected


def test_range_bounds_are_accepted():
    config = parse_config({"experts_per_case": 15, "min_load": 500, "max_load": 500, "disagreement": 0})
    assert (config.experts_per_case, config.min_load, config.max_load, config.disagreement) == (15, 500, 500, 0)
    assert parse_config({"experts_per_case": 1, "min_load": 0, "max_load": 1}).experts_per_case == 1


def test_min_load_may_not_exceed_max_load():
    assert refused({"min_load": 5, "max_load": 3}) == "每位专家最少评审案例数不能大于最多评审案例数"
    assert parse_config({"min_load": 3, "max_load": 3}).min_load == 3
    # Checked against the base too: a min above the base's max is refused.
    assert refused({"min_load": 31}) == "每位专家最少评审案例数不能大于最多评审案例数"


# --- the rubric --------------------------------------------------------------------------------------------------

def test_a_rubric_is_read_with_its_weights_maxima_guidance_and_levels():
    rubric = parse_rubric([
        item("novelty", "新颖性", 60, maximum=10, guidance="是否新颖",
             levels=[{"low": 8, "high": 10, "text": "很新"}, {"low": 0, "high": 8}, "bad"]),
        item("impact_2", "影响", 40),
    ])
    assert [(i.key, i.name, i.weight, i.maximum) for i in rubric] == [("novelty", "新颖性", 60, 10),
                                                                         ("impact_2", "影响", 40, 40)]
    assert rubric[0].guidance == "是否新颖"
    # Malformed levels (a missing field, not an object) are left out.
    assert [(lv.low, lv.high, lv.text) for lv in rubric[0].levels] == [(8.0, 10.0, "很新")]


def test_a_rubric_through_the_settings_replaces_the_default():
    config = parse_config({"rubric": [item("a", "甲", 70), item("b", "乙", 30)]})
    assert [i.key for i in config.rubric] == ["a", "b"] and config.rubric_total == 100


@pytest.mark.parametrize("items", [[], "innovation", None, [item(key=f"k{n}") for n in range(13)]])
def test_a_rubric_has_1_to_12_criteria(items):
    assert rubric_refused(items) == "评分标准应有1至12项"


def test_twelve_criteria_are_accepted():
    assert len(parse_rubric([item(key=f"k{n}") for n in range(12)])) == 12


def test_a_criterion_must_be_an_object():
    assert rubric_refused([item(), "b"]) == "评分标准第2项格式不正确"


@pytest.mark.parametrize("key", ["Innovation", "1st", "a-b", "", "创新", "a b", "a" * 25])
def test_a_criterion_key_starts_with_a_lowercase_letter_and_holds_lowercase_digits_underscore(key):
    assert rubric_refused([item(key=key)]) == "评分标准第1项的代码应以小写字母开头，只含小写字母、数字和下划线"


def test_the_longest_key_is_24_characters():
    assert parse_rubric([item(key="a" * 24)])[0].key == "a" * 24


def test_a_duplicate_key_is_refused_naming_the_criterion_and_the_key():
    assert rubric_refused([item("a"), item("b"), item(" a ", "丙")]) == "评分标准第3项的代码“a”重复"


@pytest.mark.parametrize("name", ["", "   ", "名" * 31])
def test_a_criterion_needs_a_name_of_at_most_30_characters(name):
    assert rubric_refused([item(name=name)]) == "评分标准第1项应有名称（不超过30个字）"


@pytest.mark.parametrize("fields, expected", [
    ({"weight": 0}, "“甲的权重”应在0.1至1000之间"),
    ({"weight": 1001}, "“甲的权重”应在0.1至1000之间"),
    ({"weight": None}, "“甲的权重”应为数字"),
    ({"weight": 10, "maximum": 0.5}, "“甲的满分”应在1至1000之间"),
    ({"weight": 10, "maximum": "满分"}, "“甲的满分”应为数字"),
])
def test_weights_and_maxima_are_positive_numbers_in_range(fields, expected):
    assert rubric_refused([{**item(), **fields}]) == expected


def test_the_maximum_defaults_to_the_weight():
    assert parse_rubric([item(weight=20)])[0].maximum == 20


def test_long_guidance_and_level_texts_are_cut():
    found = parse_rubric([item(guidance="说" * 400, levels=[{"low": 0, "high": 1, "text": "字" * 150}])])[0]
    assert len(found.guidance) == 300 and len(found.levels[0].text) == 100


def test_a_rubric_error_inside_the_settings_names_the_criterion():
    assert re.fullmatch(r"评分标准第2项的代码“a”重复", refused({"rubric": [item("a"), item("a", "乙")]}))
