"""统一社会信用代码 (GB 32100-2015): normalise, check, and say which position is wrong.

18 characters over the 31-character alphabet below (no I, O, Z, S, V). Position 1 is
the registering-authority class, 2 the organisation type, 3–8 the registering
authority's region code (digits; historical codes occur, so the form is checked, never
the code against today's region list), 9–17 the organisation code, 18 the check
character: weights w_i = 3^(i-1) mod 31, check = alphabet[(31 − Σ v_i·w_i mod 31) mod 31].
"""

from __future__ import annotations

import re
import unicodedata
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
# Registering-authority classes in use: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
# 7 宗教, 8 工会, 9 市场监管（工商）, A 中央军委改革和编制办公室, N 农业, Y 其他.
AUTHORITY_CLASSES = "123456789ANY"
LENGTH = 18
# A code of the right form (class, type, six region digits, nine organisation characters and the check
# character from the alphabet): only the check character is left to compute.
WELL_FORMED = re.compile(r"[1-9ANY][1-9][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")


def normalise(raw: str) -> str:
    """NFKC (full-width to half-width), upper-case, without spaces of any kind."""
    # str.split() without arguments splits at every character for which isspace() is true.
    return "".join(unicodedata.normalize("NFKC", raw or "").upper().split())


def check_character(first17: str) -> str:
    total = sum(map(mul, map(VALUE.__getitem__, first17), WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problems(raw: str) -> list[str]:
    """Every problem with the code, in words that name the position. Empty when valid."""
    code = normalise(raw)
    if WELL_FORMED.fullmatch(code):
        return [] if check_character(code[:17]) == code[17] else [_("统一社会信用代码第18位校验码不正确，请核对营业执照")]
    if not code:
        return [_("请填写统一社会信用代码")]
    if len(code) != LENGTH:
        return [_("统一社会信用代码应为18位，当前为%(n)d位") % {"n": len(code)}]
    found = []
    for pos, ch in enumerate(code, start=1):
        if ch not in VALUE:
            found.append(_("统一社会信用代码第%(pos)d位“%(ch)s”不是有效字符（代码不使用I、O、Z、S、V）") % {"pos": pos, "ch": ch})
    if found:
        return found
    if code[0] not in AUTHORITY_CLASSES:
        found.append(_("统一社会信用代码第1位（登记管理部门代码）“%(ch)s”不正确") % {"ch": code[0]})
    if not "1" <= code[1] <= "9":
        found.append(_("统一社会信用代码第2位（机构类别代码）“%(ch)s”不正确") % {"ch": code[1]})
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            found.append(_("统一社会信用代码第%(pos)d位应为数字（第3至8位为登记管理机关行政区划码）") % {"pos": pos})
            break
    if not found and check_character(code[:17]) != code[17]:
        found.append(_("统一社会信用代码第18位校验码不正确，请核对营业执照"))
    return found


def is_valid(raw: str) -> bool:
    return not problems(raw)


def validate_credit_code(raw: str) -> str:
    """Return the normalised code, or raise a ValidationError listing every problem."""
    found = problems(raw)
    if found:
        raise ValidationError(found)
    return normalise(raw)


def make_code(*, authority: str = "9", kind: str = "1", region: str, serial: str) -> str:
    """A well-formed code (for demo data): the 17 given characters plus their check character."""
    body = f"{authority}{kind}{region}{serial}"
    if len(body) != 17 or any(ch not in VALUE for ch in body):
        raise ValueError(f"not 17 characters of the code alphabet: {body!r}")
    return body + check_character(body)
