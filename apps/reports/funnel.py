"""The selection funnel of a project (submitted → screened → cities' lists → the provincial list → presenters →
stories), read from its rule indicators only: R-106's cases submitted, R-107's cases that passed county screening,
R-108's cases on the cities' lists sent up, R-109's provincial list, R-110's presenters and R-305's stories
reviewed. The monthly reports and the dashboard show these stages; nothing here counts a second time."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as L

from apps.campaigns.indicators import Indicator

STAGES = (
    ("submitted", L("推荐案例"), "R-106", None),
    ("screened", L("通过区县筛查"), "R-107", "passed"),
    ("city_lists", L("市级推荐名单"), "R-108", "cases"),
    ("province_list", L("省级遴选名单"), "R-109", None),
    ("presenters", L("宣讲人"), "R-110", None),
    ("stories", L("案例故事"), "R-305", None),
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    rule: str
    value: int


def funnel(indicators: list[Indicator]) -> list[Stage]:
    """The stages from a project's indicators (a stage whose rule does not apply, or is not met with a number,
    counts 0)."""
    by_rule = {i.rule: i for i in indicators}
    stages = []
    for key, label, rule, figure in STAGES:
        indicator = by_rule.get(rule)
        value = 0
        if indicator is not None:
            raw = indicator.figures.get(figure, 0) if figure else indicator.value
            value = raw if isinstance(raw, int) else 0
        stages.append(Stage(key, str(label), rule, value))
    return stages
