"""Quota apportionment (R-103, R-104, R-105): the pure function, by hand-computed examples and properties."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.campaigns.quota import ApportionmentError, City, apportion, min_list_length

ZHEJIANG = [  # the 11 cities of 浙江省 with association counts (260 in all)
    City("330100", "杭州市", 52), City("330200", "宁波市", 34), City("330300", "温州市", 34),
    City("330400", "嘉兴市", 21), City("330500", "湖州市", 18), City("330600", "绍兴市", 27),
    City("330700", "金华市", 25), City("330800", "衢州市", 9), City("330900", "舟山市", 6),
    City("331000", "台州市", 23), City("331100", "丽水市", 11),
]


def quotas(lines):
    return {line.code: line.quota for line in lines}


def test_r104_target_100_among_11_cities_by_largest_remainder():
    """Exact shares are c·100/260 = c·5/13; floors sum to 96; the 4 seats left go to the remainders
    12/13 (湖州), 11/13 (台州), 8/13 (金华), 6/13 (衢州)."""
    lines = apportion(100, ZHEJIANG)
    assert quotas(lines) == {
        "330100": 20, "330200": 13, "330300": 13, "330400": 8, "330500": 7, "330600": 10,
        "330700": 10, "330800": 4, "330900": 2, "331000": 9, "331100": 4,
    }
    by_code = {line.code: line for line in lines}
    assert by_code["330500"].exact == Fraction(90, 13)
    assert by_code["330500"].floor == 6 and by_code["330500"].remainder == Fraction(12, 13)
    assert [line.code for line in lines if line.plus_one] == ["330500", "330700", "330800", "331000"]
    assert by_code["330100"].remainder == 0 and not by_code["330100"].plus_one


def test_r105_minimum_list_lengths_of_the_11_city_example():
    lines = apportion(100, ZHEJIANG, surplus=Decimal("0.20"))
    assert [line.min_list_length for line in lines] == [24, 16, 16, 10, 9, 12, 12, 5, 3, 11, 5]


def test_r105_min_list_length_is_exact_where_floats_are_not():
    """(1 + 0.1) × 10 is 11.000000000000002 in floating point; the exact ceiling is 11."""
    assert min_list_length(5, Decimal("0.20")) == 6
    assert min_list_length(10, Decimal("0.10")) == 11
    assert min_list_length(100, "0.10") == 110
    assert min_list_length(0, Decimal("0.20")) == 0


def test_r104_equal_remainders_go_to_the_city_with_more_associations():
    """Target 2 among 1 and 3 associations: shares 0.5 and 1.5, both remainders 0.5; 3 associations win."""
    lines = apportion(2, [City("330100", "杭州市", 1), City("330200", "宁波市", 3)])
    assert quotas(lines) == {"330100": 0, "330200": 2}


def test_r104_equal_remainders_and_counts_go_to_the_smaller_region_code():
    lines = apportion(1, [City("330200", "宁波市", 4), City("330100", "杭州市", 4)])
    assert quotas(lines) == {"330100": 1, "330200": 0}


def test_r104_cities_without_associations_get_nothing():
    lines = apportion(10, [City("330100", "杭州市", 5), City("330900", "舟山市", 0)])
    assert quotas(lines) == {"330100": 10, "330900": 0}


def test_r104_guarantee_gives_one_and_reapportions_the_rest():
    """Without the option 杭州 takes all 5; with it 宁波 and 温州 get 1 each and 杭州 the other 3."""
    cities = [City("330100", "杭州市", 100), City("330200", "宁波市", 1), City("330300", "温州市", 1),
              City("330900", "舟山市", 0)]
    assert quotas(apportion(5, cities)) == {"330100": 5, "330200": 0, "330300": 0, "330900": 0}
    lines = apportion(5, cities, guarantee_one=True)
    assert quotas(lines) == {"330100": 3, "330200": 1, "330300": 1, "330900": 0}
    assert [line.code for line in lines if line.guaranteed] == ["330200", "330300"]


def test_r104_guarantee_repeats_until_stable():
    """Round 1 of target 4 over 10/3/1 gives 3/1/0; 温州 is set aside with 1 and the 3 seats left
    are apportioned again over 10/3: 2.31 and 0.69 → 2 and 1."""
    cities = [City("330100", "杭州市", 10), City("330200", "宁波市", 3), City("330300", "温州市", 1)]
    assert quotas(apportion(4, cities)) == {"330100": 3, "330200": 1, "330300": 0}
    assert quotas(apportion(4, cities, guarantee_one=True)) == {"330100": 2, "330200": 1, "330300": 1}


def test_r104_guarantee_with_a_target_below_the_number_of_cities_is_a_clear_error():
    cities = [City("330100", "杭州市", 3), City("330200", "宁波市", 2), City("330300", "温州市", 1)]
    with pytest.raises(ApportionmentError, match="目标数2小于有科协的市的数量3"):
        apportion(2, cities, guarantee_one=True)


def test_r104_a_province_without_associations_cannot_be_apportioned():
    with pytest.raises(ApportionmentError, match="尚无园区科协或企业科协"):
        apportion(100, [City("330100", "杭州市", 0)])


city_lists = (
    st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=25)
    .filter(any)
    .map(lambda counts: [City(f"{330100 + 100 * i}", f"市{i}", n) for i, n in enumerate(counts)])
)


@settings(max_examples=300, deadline=None)
@given(target=st.integers(min_value=0, max_value=500), cities=city_lists)
def test_r104_property_quotas_sum_to_the_target(target, cities):
    assert sum(line.quota for line in apportion(target, cities)) == target


@settings(max_examples=300, deadline=None)
@given(target=st.integers(min_value=0, max_value=500), cities=city_lists)
def test_r104_property_each_quota_lies_within_1_of_its_exact_share(target, cities):
    total = sum(c.associations for c in cities)
    for line, city in zip(apportion(target, cities), sorted(cities, key=lambda c: c.code)):
        exact = Fraction(target * city.associations, total)
        assert line.exact == exact
        assert abs(line.quota - exact) < 1
        assert line.quota in (line.floor, line.floor + 1)


@settings(max_examples=200, deadline=None)
@given(target=st.integers(min_value=0, max_value=500), cities=city_lists, seed=st.integers())
def test_r104_property_deterministic_and_independent_of_input_order(target, cities, seed):
    shuffled = list(cities)
    random.Random(seed).shuffle(shuffled)
    assert apportion(target, shuffled) == apportion(target, cities)
    if target >= sum(1 for c in cities if c.associations):
        assert apportion(target, shuffled, guarantee_one=True) == apportion(target, cities, guarantee_one=True)


@settings(max_examples=300, deadline=None)
@given(target=st.integers(min_value=0, max_value=500), cities=city_lists)
def test_r104_property_guarantee_gives_every_city_with_an_association_at_least_one(target, cities):
    with_assoc = sum(1 for c in cities if c.associations)
    if target < with_assoc:
        with pytest.raises(ApportionmentError):
            apportion(target, cities, guarantee_one=True)
        return
    lines = apportion(target, cities, guarantee_one=True)
    assert sum(line.quota for line in lines) == target
    for line in lines:
        assert line.quota >= 1 if line.associations else line.quota == 0
        if line.guaranteed:
            assert line.quota == 1


@settings(max_examples=200, deadline=None)
@given(quota=st.integers(min_value=0, max_value=1000),
       surplus=st.decimals(min_value=0, max_value=1, places=2))
def test_r105_property_min_list_length_is_the_smallest_integer_at_least_the_ratio(quota, surplus):
    n = min_list_length(quota, surplus)
    assert n >= (1 + Fraction(str(surplus))) * quota > n - 1
