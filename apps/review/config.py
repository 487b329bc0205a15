"""A round's review settings, kept as data in Round.config["review"] (ARCHITECTURE: levels differ by data).

Which methods the round uses (expert review, live presentation, online voting — voting arrives with its
own issue), the methods' weights, the rubric, experts per case, load bounds, normalisation, trimming,
the disagreement threshold and whether a same-county expert counts as conflicted.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.rounds.kinds import METHODS
from apps.rounds.models import Round

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}$")


def method_label(method: str) -> str:
    return {"review": _("专家评审"), "live": _("现场宣讲评分"), "voting": _("网络投票")}.get(method, method)


@dataclass(frozen=True)
class Level:
    """A level descriptor of a criterion: the score range it covers and what it looks like."""

    low: float
    high: float
    text: str


@dataclass(frozen=True)
class RubricItem:
    key: str
    name: str
    weight: float
    maximum: float
    guidance: str = ""
    levels: tuple[Level, ...] = ()


# The level bands of the default rubric: a level starts at this share of the criterion's maximum.
BAND_SHARES = (0.9, 0.75, 0.6)


def _half_up(value: float) -> float:
    """The smallest multiple of 0.5 not below `value` (the 1e-9 absorbs float noise: 0.9 × 15 is 13.500000000000002)."""
    return math.ceil(value * 2 - 1e-9) / 2


def level_bands(maximum: float, shares: tuple[float, ...] = BAND_SHARES) -> tuple[tuple[float, float], ...]:
    """Score ranges (low, high) of a criterion's levels, best first, in whole and half points that do not overlap.

    A level starts at the first half point at or above its share of the maximum and ends half a point below the
    level above it, e.g. for 30 points: 27–30, 22.5–26.5, 18–22, 0–17.5. An expert reads on which level a score
    falls without guessing which of two touching bands owns the boundary. A share that would leave a level with
    no half point of its own (a small maximum) is skipped, so the levels still cover 0 to the maximum."""
    top = float(maximum)
    bands: list[tuple[float, float]] = []
    high = top
    for share in shares:
        low = _half_up(top * share)
        if low > high or low <= 0:
            continue
        bands.append((low, high))
        high = low - 0.5
    if high >= 0:
        bands.append((0.0, high))
    return tuple(bands)


def _levels(high: float, *texts: str) -> tuple[Level, ...]:
    """The level descriptors of a criterion of maximum `high`: the texts from best to worst on level_bands (the
    worst text stays with the band from 0 when a small maximum has fewer bands than texts)."""
    bands = level_bands(high)
    texts = texts[:len(bands) - 1] + texts[-1:]
    return tuple(Level(low, top, text) for (low, top), text in zip(bands, texts))


def default_rubric() -> tuple[RubricItem, ...]:
    """DOMAIN.md's common practice: 创新性 30 / 实施成效 30 / 示范推广价值 25 / 典型性与材料质量 15.

    The rubric is campaign data, stored with a round's settings and printed on score sheets: it is built in
    Chinese whatever the language of the page that saves the settings (the English catalogue still holds
    the names for reference)."""
    with translation.override("zh-hans"):
        return _default_rubric()


def _default_rubric() -> tuple[RubricItem, ...]:
    return (
        RubricItem("innovation", _("创新性"), 30, 30, _("创新内容是否新颖、有突破，是否形成自主知识产权或新模式"),
                   _levels(30, _("原创性突出，行业领先"), _("有明显创新"), _("有一定改进"), _("创新不明显"))),
        RubricItem("results", _("实施成效"), 30, 30, _("经济效益和社会效益是否显著，有无数据佐证"),
                   _levels(30, _("成效显著，数据翔实"), _("成效明显"), _("有一定成效"), _("成效不清楚"))),
        RubricItem("demonstration", _("示范推广价值"), 25, 25, _("做法能否被同行借鉴、复制和推广"),
                   _levels(25, _("可在行业广泛推广"), _("可在同类企业推广"), _("推广范围有限"), _("难以推广"))),
        RubricItem("typicality", _("典型性与材料质量"), 15, 15, _("案例是否典型，材料是否真实、完整、规范"),
                   _levels(15, _("典型，材料完整规范"), _("较典型，材料较完整"), _("材料有缺项"), _("材料不完整"))),
    )


@dataclass(frozen=True)
class ReviewConfig:
    methods: tuple[str, ...] = ("review",)
    weights: dict = field(default_factory=lambda: {"review": 100.0})  # method → percent of the composite
    experts_per_case: int = 5
    min_load: int = 0
    max_load: int = 30
    normalise: bool = False
    trim: bool = True
    disagreement: float = 20.0
    same_county_conflict: bool = True
    rubric: tuple[RubricItem, ...] = field(default_factory=default_rubric)

    @property
    def uses_review(self) -> bool:
        return "review" in self.methods

    @property
    def uses_live(self) -> bool:
        return "live" in self.methods

    @property
    def rubric_total(self) -> float:
        return math.fsum(item.weight for item in self.rubric)

    def as_json(self) -> dict:
        data = asdict(self)
        data["methods"] = list(self.methods)
        data["rubric"] = [{**asdict(item), "levels": [asdict(level) for level in item.levels]} for item in self.rubric]
        return data


def review_config(round: Round) -> ReviewConfig:
    """The round's settings, defaults filled in (a round that never saved any uses the defaults)."""
    stored = (round.config or {}).get("review")
    if not stored:
        return ReviewConfig()
    return parse_config(stored)


def _number(value, label: str, *, low: float, high: float, integer: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("“%(label)s”应为数字") % {"label": label})
    if not math.isfinite(number) or number < low or number > high:
        raise ValidationError(_("“%(label)s”应在%(low)s至%(high)s之间") % {"label": label, "low": _fmt(low),
                                                                         "high": _fmt(high)})
    if integer and not number.is_integer():
        raise ValidationError(_("“%(label)s”应为整数") % {"label": label})
    return int(number) if integer else number


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def parse_rubric(items) -> tuple[RubricItem, ...]:
    """The rubric from JSON-like data, checked: 1–12 criteria, unique keys, weights and maxima > 0."""
    if not isinstance(items, (list, tuple)) or not 1 <= len(items) <= 12:
        raise ValidationError(_("评分标准应有1至12项"))
    rubric, keys = [], set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError(_("评分标准第%(n)d项格式不正确") % {"n": n})
        key = str(item.get("key", "")).strip()
        name = str(item.get("name", "")).strip()
        if not KEY_RE.match(key):
            raise ValidationError(_("评分标准第%(n)d项的代码应以小写字母开头，只含小写字母、数字和下划线") % {"n": n})
        if key in keys:
            raise ValidationError(_("评分标准第%(n)d项的代码“%(key)s”重复") % {"n": n, "key": key})
        if not name or len(name) > 30:
            raise ValidationError(_("评分标准第%(n)d项应有名称（不超过30个字）") % {"n": n})
        keys.add(key)
        weight = _number(item.get("weight"), _("%(name)s的权重") % {"name": name}, low=0.1, high=1000)
        maximum = _number(item.get("maximum", weight), _("%(name)s的满分") % {"name": name}, low=1, high=1000)
        levels = tuple(Level(float(lv["low"]), float(lv["high"]), str(lv["text"])[:100])
                       for lv in item.get("levels") or ()
                       if isinstance(lv, dict) and {"low", "high", "text"} <= set(lv))
        rubric.append(RubricItem(key, name, weight, maximum, str(item.get("guidance", ""))[:300], levels))
    return tuple(rubric)


def parse_config(data: dict, *, base: ReviewConfig | None = None) -> ReviewConfig:
    """Settings from JSON-like data (a form, the API, the stored config), each checked with a Chinese message.
    Keys not given keep `base`'s values (the defaults when no base)."""
    config = base or ReviewConfig()
    if not isinstance(data, dict):
        raise ValidationError(_("评审设置格式不正确"))
    changes: dict = {}
    if "methods" in data:
        methods = tuple(m for m in METHODS if m in set(data["methods"] or ()))
        unknown = set(data["methods"] or ()) - set(METHODS)
        if unknown or not methods:
            raise ValidationError(_("请至少选择一种评选方式（专家评审、现场宣讲评分、网络投票）"))
        changes["methods"] = methods
    if "weights" in data:
        weights = {}
        for method, value in (data["weights"] or {}).items():
            if method not in METHODS:
                raise ValidationError(_("未知的评选方式“%(m)s”") % {"m": method})
            weights[method] = _number(value, _("%(m)s权重") % {"m": method_label(method)}, low=0, high=100)
        changes["weights"] = weights
    for key, label, low, high in (("experts_per_case", _("每个案例的评审专家数"), 1, 15),
                                  ("min_load", _("每位专家最少评审案例数"), 0, 500),
                                  ("max_load", _("每位专家最多评审案例数"), 1, 500)):
        if key in data:
            changes[key] = _number(data[key], label, low=low, high=high, integer=True)
    if "disagreement" in data:
        changes["disagreement"] = _number(data["disagreement"], _("分歧提示分差"), low=0, high=1000)
    for key in ("normalise", "trim", "same_county_conflict"):
        if key in data:
            changes[key] = bool(data[key])
    if "rubric" in data:
        changes["rubric"] = parse_rubric(data["rubric"])
    config = replace(config, **changes)
    if config.min_load > config.max_load:
        raise ValidationError(_("每位专家最少评审案例数不能大于最多评审案例数"))
    missing = [method_label(m) for m in config.methods if m not in config.weights]
    if missing:
        raise ValidationError(_("请填写%(methods)s的权重") % {"methods": "、".join(missing)})
    used = {m: w for m, w in config.weights.items() if m in config.methods}
    if not math.isclose(math.fsum(used.values()), 100, abs_tol=1e-6):
        raise ValidationError(_("所选评选方式的权重合计应为100%%，当前为%(sum)s%%") % {"sum": _fmt(math.fsum(used.values()))})
    return config
