"""统一社会信用代码 checks with the examples of DOMAIN.md."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from apps.core.creditcode import ALPHABET, is_valid, make_code, normalise, problems, validate_credit_code

VALID = ["914403001922038216", "9144030071526726XG", "91440300192317458F", "91350900587527783P",
         "91620105L015101280", "92340602MA2PBMEM24", "121200004013590816"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code):
    assert problems(code) == []


@pytest.mark.parametrize("code,message", [
    ("914403001922038217", "第18位校验码不正确"),
    ("91110000600037341N", "第18位校验码不正确"),
    ("91440300192203821", "应为18位，当前为17位"),
    ("9144030019220382160", "应为18位，当前为19位"),
    ("9144030019220382I6", "第17位“I”不是有效字符"),
    ("91440300O922038216", "第9位“O”不是有效字符"),
    ("000000000000000000", "第1位"),
    ("914A0300192203821X", "第4位应为数字"),
    ("", "请填写统一社会信用代码"),
])
def test_invalid_codes_say_which_position_is_wrong(code, message):
    found = problems(code)
    assert found and message in " ".join(found)


def test_input_is_normalised_before_checking():
    assert normalise(" ９１４４ 0300 1922 0382 16　") == "914403001922038216"
    assert validate_credit_code("9144030071526726xg") == "9144030071526726XG"


def test_validate_raises_with_every_problem():
    with pytest.raises(ValidationError) as err:
        validate_credit_code("91440300I92203S216")
    assert len(err.value.messages) == 2


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.text(alphabet=ALPHABET, min_size=9, max_size=9))
def test_made_codes_are_valid_and_one_changed_character_is_caught(region, serial):
    code = make_code(region=region, serial=serial)
    assert is_valid(code)
    pos = 17
    wrong = ALPHABET[(ALPHABET.index(code[pos]) + 1) % 31]
    assert not is_valid(code[:pos] + wrong)


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.text(alphabet=ALPHABET, min_size=9, max_size=9),
       st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_any_single_character_change_at_any_position_is_caught(region, serial, pos, shift):
    """The weights 3^(i-1) mod 31 are never 0 mod 31, so every one-character change moves the check sum."""
    code = make_code(region=region, serial=serial)
    changed = code[:pos] + ALPHABET[(ALPHABET.index(code[pos]) + shift) % 31] + code[pos + 1:]
    assert not is_valid(changed)


def test_full_width_and_lower_case_input_is_checked_after_normalising():
    code = "9144030071526726XG"
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in code.lower())
    assert problems(fullwidth) == [] and validate_credit_code(fullwidth) == code
