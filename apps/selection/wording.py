"""How the validator and the solver name things in their sentences: cases, groups and units. One place, so a
rule reads the same in a violation and in an explanation.

Units ("企业", "市" …) sit inside sentences such as 同一企业最多1件; they carry the message context
"selection unit" so their English is a lowercase singular noun ("at most 1 per enterprise"), apart from the
same words used as headings elsewhere.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.rounds.rules import Candidate


def label(candidate: Candidate) -> str:
    return candidate.label or _("案例%(id)d") % {"id": candidate.id}


def labels(candidates: list[Candidate]) -> str:
    return "、".join(f"“{label(c)}”" for c in candidates)


def unit(attribute: str) -> str:
    return {"enterprise": pgettext("selection unit", "企业"), "city": pgettext("selection unit", "市"),
            "province": pgettext("selection unit", "省"),
            "channel": pgettext("selection unit", "推荐渠道")}.get(attribute, attribute)


def group_name(attribute: str, group, names: dict) -> str:
    if group in names:
        return str(names[group])
    if group is None:
        return _("未注明%(unit)s的案例") % {"unit": unit(attribute)}
    return _("编号为%(group)s的%(unit)s") % {"group": group, "unit": unit(attribute)}


def value_label(attribute: str, value) -> str:
    if attribute == "channel" and value in ("park", "enterprise"):
        return _("园区科协推荐") if value == "park" else _("企业科协推荐")
    return f"{attribute}={value}"


def percent(minimum: float) -> str:
    """0.3 → "30", 1/3 → "33.3333": the share as the rulebook states it, without float noise."""
    return f"{round(minimum * 100, 4):g}"


RULE_ID = re.compile(r"\s*[（(]\s*R-\d+(?:\s*[、,，/]\s*R-\d+)*\s*[）)]|\s*R-\d+\s*")


def public_text(sentence: str) -> str:
    """A rule's sentence as the public reads it: the rule in words, without its id ("（R-105）" is for officials,
    whose pages name rules by id)."""
    return RULE_ID.sub("", sentence).strip()
