"""The rulebook's parameters (R-101): every number of DOMAIN.md as data, with its R-id.

Each `RuleSpec` says what a province's rulebook holds for one parameter: its type, its
default (from DOMAIN.md), and on which side the centre may bound it. A province edits
its values inside the campaign's bounds; the centre sets the bounds.

Values are kept as JSON: ints and bools as such, shares as decimal strings ("0.30",
never floats), dates as ISO strings. `RuleSpec.coerce` turns any accepted input into
the Python value (int, Decimal, date, bool, str) and `RuleSpec.dump` back into JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext

INT, SHARE, DATE, BOOL, CHOICE = "int", "share", "date", "bool", "choice"
MIN, MAX = "min", "max"


@dataclass(frozen=True)
class RuleSpec:
    key: str
    rule: str  # R-id
    label: str  # Chinese, lazy
    type: str
    default: Any  # a value, or a callable(year) -> value for dates
    bound: str | None = None  # which side the centre may bound: MIN, MAX or None
    default_bound: Any = None  # the centre's default bound; None means "the default value"
    choices: tuple[tuple[str, str], ...] = ()
    unit: str = ""  # 件, 天, 票 …: a key of _counted (how a number reads with it, singular and plural)
    lowest: int | None = 0  # a hard floor for ints, whatever the bounds
    highest: int | None = None  # a hard ceiling for ints (a day of the month: 28)
    audience: tuple[str, ...] = ()  # for deadlines: the org kinds who must act by then
    help: str = ""

    # -- values ---------------------------------------------------------------------------
    def default_for(self, year: int) -> Any:
        return self.default(year) if callable(self.default) else self.default

    def bound_default_for(self, year: int) -> Any:
        if self.bound is None:
            return None
        value = self.default_bound if self.default_bound is not None else self.default
        return value(year) if callable(value) else value

    def coerce(self, raw: Any) -> Any:
        """The Python value for `raw` (a JSON value, a form value or a Python value)."""
        label = str(self.label)
        if self.type == INT:
            if isinstance(raw, bool):
                raise ValidationError(_("%(label)s应为整数") % {"label": label})
            try:
                value = int(str(raw).strip()) if not isinstance(raw, int) else raw
            except (TypeError, ValueError):
                raise ValidationError(_("%(label)s应为整数") % {"label": label})
            if self.lowest is not None and value < self.lowest:
                raise ValidationError(_("%(label)s不能小于%(n)s") % {"label": label, "n": self.lowest})
            if self.highest is not None and value > self.highest:
                raise ValidationError(_("%(label)s不能大于%(n)s") % {"label": label, "n": self.highest})
            return value
        if self.type == SHARE:
            try:
                value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
            except (InvalidOperation, TypeError, ValueError):
                raise ValidationError(_("%(label)s应为0至1之间的小数") % {"label": label})
            if not value.is_finite() or value < 0 or value > 1:
                raise ValidationError(_("%(label)s应在0%%至100%%之间") % {"label": label})
            return value.quantize(Decimal("0.0001")).normalize() if value != 0 else Decimal("0")
        if self.type == DATE:
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            try:
                return dt.date.fromisoformat(str(raw).strip())
            except (TypeError, ValueError):
                raise ValidationError(_("%(label)s应为日期（年-月-日）") % {"label": label})
        if self.type == BOOL:
            if isinstance(raw, bool):
                return raw
            if str(raw).strip().lower() in {"1", "true", "yes", "on"}:
                return True
            if str(raw).strip().lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValidationError(_("%(label)s应为“是”或“否”") % {"label": label})
        if self.type == CHOICE:
            value = str(raw)
            if value not in {c for c, _label in self.choices}:
                raise ValidationError(_("%(label)s的取值不在可选范围内") % {"label": label})
            return value
        raise ValueError(f"unknown rule type {self.type}")

    def dump(self, value: Any) -> Any:
        if self.type == SHARE:
            return format(value, "f")
        if self.type == DATE:
            return value.isoformat()
        return value

    def display(self, value: Any) -> str:
        """The value as a person reads it: 30%, 2026年10月31日, 是."""
        if value is None:
            return "—"
        if self.type == SHARE:
            pct = (value * 100).normalize()
            return f"{pct:f}%"
        if self.type == DATE:
            return date_format(value, "Y年n月j日")
        if self.type == BOOL:
            return _("是") if value else _("否")
        if self.type == CHOICE:
            return str(dict(self.choices).get(value, value))
        return _counted(value, self.unit) if self.unit else str(value)


def _counted(n: int, unit: str) -> str:
    """A number with its unit, as a person reads it: 100件 / "100 cases", 1件 / "1 case"."""
    forms = {
        "件": npgettext("rulebook value", "%(n)d件", "%(n)d件", n),
        "天": npgettext("rulebook value", "%(n)d天", "%(n)d天", n),
        "票": npgettext("rulebook value", "%(n)d票", "%(n)d票", n),
        "分钟": npgettext("rulebook value", "%(n)d分钟", "%(n)d分钟", n),
        "人": npgettext("rulebook value", "%(n)d人", "%(n)d人", n),
        "场": npgettext("rulebook value", "%(n)d场", "%(n)d场", n),
        "篇": npgettext("rulebook value", "%(n)d篇", "%(n)d篇", n),
        "条": npgettext("rulebook value", "%(n)d条", "%(n)d条", n),
        "家": npgettext("rulebook value", "%(n)d家", "%(n)d家", n),
        "次": npgettext("rulebook value", "%(n)d次", "%(n)d次", n),
        "元": npgettext("rulebook value", "%(n)d元", "%(n)d元", n),
        "日": npgettext("rulebook value", "每月%(n)d日", "每月%(n)d日", n),
    }
    return forms.get(unit, f"%(n)d{unit}") % {"n": n}


def _d(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


L = gettext_lazy
CENTER, PROVINCE, CITY, COUNTY, PARK, ENTERPRISE = "center", "province", "city", "county", "park", "enterprise"

SURPLUS_CITY_TO_PROVINCE = "city_to_province"
SURPLUS_COUNTY_TO_CITY = "county_to_city"
SURPLUS_BOTH = "both"

SPECS: list[RuleSpec] = [
    RuleSpec("target", "R-103", L("每省征集宣传案例数（目标）"), INT, 100, bound=MIN, unit="件", lowest=1),
    RuleSpec("quota_method", "R-104", L("名额分配方法"), CHOICE, "hamilton",
             choices=(("hamilton", L("按园区和企业科协数量比例，最大余额法（Hamilton）")),)),
    RuleSpec("quota_guarantee_one", "R-104", L("有科协的市至少分配1个名额"), BOOL, True),
    RuleSpec("surplus_ratio", "R-105", L("差额比例"), SHARE, Decimal("0.20"), bound=MIN),
    RuleSpec("surplus_applies_to", "R-105", L("差额比例适用的名单"), CHOICE, SURPLUS_CITY_TO_PROVINCE,
             choices=((SURPLUS_CITY_TO_PROVINCE, L("市级向省级推荐的名单")),
                      (SURPLUS_COUNTY_TO_CITY, L("区县向市级上报的名单")),
                      (SURPLUS_BOTH, L("以上两级名单")))),
    RuleSpec("city_per_enterprise_max", "R-108", L("市级推荐名单中每家企业案例数上限"), INT, 1, bound=MAX,
             unit="件", lowest=1),
    # Selected lists (R-105, R-106 公开): whether a list that breaks a selection rule may still be locked with a
    # written reason (e.g. a city with fewer candidates than its surplus needs), and how long a locked list is
    # publicly noticed (公示) before it is sent up.
    RuleSpec("list_override", "R-105", L("名单不符合遴选规则时，允许写明理由后锁定"), BOOL, False,
             help=L("资格规则（只能列入通过下级筛查的案例）不能例外")),
    RuleSpec("publicity_days", "R-106", L("遴选名单公示天数"), INT, 5, bound=MIN, unit="天", lowest=1),
    RuleSpec("province_max", "R-109", L("省级遴选案例数上限"), INT, 100, bound=MAX, unit="件", lowest=1),
    RuleSpec("province_park_share_min", "R-109", L("省级遴选园区科协推荐比例"), SHARE, Decimal("0.30"), bound=MIN),
    # Online voting at the city and province rounds (R-108, R-109; DOMAIN.md "Online voting").
    RuleSpec("votes_per_day", "R-108", L("网络投票每人每天可投票数"), INT, 5, bound=MAX, default_bound=20,
             unit="票", lowest=1, help=L("同一案例每人每天最多1票；“天”按北京时间计")),
    RuleSpec("vote_counts", "R-108", L("投票期间票数显示方式"), CHOICE, "delayed",
             choices=(("hidden", L("投票结束前不显示")), ("delayed", L("定时刷新显示")), ("live", L("实时显示")))),
    RuleSpec("vote_count_refresh_minutes", "R-108", L("票数定时刷新间隔"), INT, 60, unit="分钟", lowest=1),
    RuleSpec("vote_score_formula", "R-108", L("投票得分计算方法"), CHOICE, "top",
             choices=(("top", L("100 × 票数 ÷ 本轮最高票数")), ("total", L("100 × 票数 ÷ 本轮有效总票数")))),
    RuleSpec("presenters", "R-110", L("宣讲人数"), INT, 10, bound=MIN, unit="人", lowest=1),
    RuleSpec("presenters_per_city_max", "R-110", L("每市宣讲人数上限"), INT, 2, bound=MAX, unit="人", lowest=1),
    RuleSpec("presenters_park_share_min", "R-110", L("宣讲人园区科协推荐比例"), SHARE, Decimal("0.30"), bound=MIN),
    RuleSpec("provincial_events_min", "R-202", L("省级宣讲活动场次下限"), INT, 1, bound=MIN, unit="场", lowest=1),
    RuleSpec("provincial_event_deadline", "R-204", L("首场省级宣讲活动截止日期"), DATE, _d(10, 31), bound=MAX,
             audience=(PROVINCE,)),
    RuleSpec("media_reports_min", "R-303", L("省级媒体报道篇数下限"), INT, 5, bound=MIN, unit="篇"),
    RuleSpec("overview_reports_min", "R-303", L("权威主流媒体综述报道篇数下限"), INT, 1, bound=MIN, unit="篇"),
    RuleSpec("topic_videos_min", "R-304", L("专题视频条数下限"), INT, 30, bound=MIN, unit="条"),
    RuleSpec("topic_video_minutes", "R-304", L("专题视频时长（约）"), INT, 2, unit="分钟", lowest=1),
    RuleSpec("stories", "R-305", L("案例故事篇数"), INT, 100, bound=MIN, unit="篇"),
    RuleSpec("exhibits_min", "R-307", L("向中心推荐展品件数下限"), INT, 1, bound=MIN, unit="件"),
    # The brand project's numbers: the centre's own programme reads them; a province's rulebook does not
    # show them (audience: the centre, see province_specs).
    RuleSpec("brand_media_contacts_min", "R-502", L("品牌项目联系媒体家数下限"), INT, 20, unit="家",
             audience=(CENTER,)),
    RuleSpec("brand_channel_uses_min", "R-502", L("品牌项目年度媒体渠道使用次数下限"), INT, 100, unit="次",
             audience=(CENTER,)),
    RuleSpec("brand_promo_video_seconds_min", "R-504", L("品牌项目宣传片时长下限"), INT, 270, unit="秒",
             audience=(CENTER,)),
    RuleSpec("brand_promo_video_seconds_max", "R-504", L("品牌项目宣传片时长上限"), INT, 330, unit="秒",
             audience=(CENTER,)),
    RuleSpec("brand_topic_stories_min", "R-503", L("活动专栏发布案例故事篇数下限"), INT, 100, unit="篇",
             audience=(CENTER,), help=L("《企业创新故事集》的故事取自活动专栏已发布的故事")),
    RuleSpec("brand_topic_reports_min", "R-503", L("活动专栏发布报道和图文篇数下限"), INT, 12, unit="篇",
             audience=(CENTER,), help=L("各省媒体报道和专栏图文合计，每省至少1篇")),
    RuleSpec("brand_overview_reports_min", "R-505", L("品牌项目综述报道篇数下限"), INT, 3, unit="篇",
             audience=(CENTER,)),
    # The ledger's rules checked on entry (R-401, R-402; apps/finance/services.py): expert fees per person-day within
    # the published range (中央财政科研项目专家咨询费管理办法: 900–2,400 yuan a person-day across grades), the meeting
    # cost per person-day (中央和国家机关会议费管理办法, 三、四类会议 550 yuan), and the sum paid to one party under
    # 委托业务费 above which a written justification is due and the centre watches the entry.
    RuleSpec("expert_fee_day_min", "R-401", L("专家咨询费标准下限（每人每天）"), INT, 900, unit="元", lowest=1),
    RuleSpec("expert_fee_day_max", "R-401", L("专家咨询费标准上限（每人每天）"), INT, 2400, bound=MAX, unit="元",
             lowest=1),
    RuleSpec("meeting_cost_day_max", "R-401", L("会议费综合定额（每人每天）"), INT, 550, bound=MAX, unit="元", lowest=1),
    RuleSpec("commission_payee_threshold", "R-402", L("委托业务费支付同一受托方需书面说明的累计金额"), INT, 20000,
             bound=MAX, unit="元", lowest=1, help=L("超过该金额的委托业务须写明不属于转包、分包的理由，并列入中心关注清单")),
    # Monthly progress reports: the report of a month is due on this day of the month after.
    RuleSpec("monthly_report_due_day", "R-403", L("月度进展报告报送截止日"), INT, 5, bound=MAX, unit="日", lowest=1, highest=28,
             help=L("每月1日自动生成上月报告草稿，省级科协补充情况说明后在截止日前报送中心")),
    RuleSpec("mobilisation_deadline", "R-102", L("动员部署完成日期"), DATE, _d(7, 31),
             audience=(PROVINCE, CITY, COUNTY, PARK, ENTERPRISE),
             help=L("工作细则定稿、通知逐级转发并由各园区和企业科协确认收到的日期")),
    RuleSpec("case_submission_deadline", "R-106", L("园区和企业科协推荐案例截止日期"), DATE, _d(8, 31),
             audience=(PROVINCE, CITY, COUNTY, PARK, ENTERPRISE)),
    RuleSpec("county_report_deadline", "R-107", L("区县科协上报市级截止日期"), DATE, _d(9, 10),
             audience=(PROVINCE, CITY, COUNTY)),
    RuleSpec("city_recommendation_deadline", "R-108", L("市级科协向省级推荐截止日期"), DATE, _d(9, 25),
             audience=(PROVINCE, CITY)),
    RuleSpec("provincial_selection_deadline", "R-109", L("省级遴选完成日期"), DATE, _d(10, 15),
             audience=(PROVINCE,)),
]

SPEC_BY_KEY: dict[str, RuleSpec] = {s.key: s for s in SPECS}
# Deadlines of the flow, in the order the steps happen (each no later than the next).
DEADLINE_ORDER = ("mobilisation_deadline", "case_submission_deadline", "county_report_deadline",
                  "city_recommendation_deadline", "provincial_selection_deadline")
# The rulebook's key numbers printed in the work rules and shown on summaries.
KEY_NUMBERS = ("target", "quota_guarantee_one", "surplus_ratio", "surplus_applies_to", "city_per_enterprise_max",
               "province_max", "province_park_share_min", "presenters", "presenters_per_city_max",
               "presenters_park_share_min", "provincial_events_min", "provincial_event_deadline",
               "media_reports_min", "overview_reports_min", "topic_videos_min", "stories", "exhibits_min",
               *DEADLINE_ORDER)


def province_specs() -> list[RuleSpec]:
    """The parameters a province's rulebook shows and edits: all but the brand project's (audience: the centre
    alone), which keep their defaults and are read by the brand programme's indicators."""
    return [s for s in SPECS if s.audience != (CENTER,)]


def spec(key: str) -> RuleSpec:
    return SPEC_BY_KEY[key]


def default_values(year: int) -> dict[str, Any]:
    """The JSON values of a fresh rulebook."""
    return {s.key: s.dump(s.coerce(s.default_for(year))) for s in SPECS}


def default_bounds(year: int) -> dict[str, dict[str, Any]]:
    """The JSON bounds of a fresh campaign: {key: {"min": …} or {"max": …}}."""
    return {s.key: {s.bound: s.dump(s.coerce(s.bound_default_for(year)))} for s in SPECS if s.bound}


def load_values(raw: dict, year: int) -> dict[str, Any]:
    """Python values for every spec; a key missing from `raw` takes its default."""
    out = {}
    for s in SPECS:
        out[s.key] = s.coerce(raw[s.key]) if s.key in raw else s.default_for(year)
    return out


def load_bounds(raw: dict, year: int) -> dict[str, dict[str, Any]]:
    """{key: {side: python value}} for every boundable spec; a side absent or null is unbounded."""
    out: dict[str, dict[str, Any]] = {}
    for s in SPECS:
        if not s.bound:
            continue
        entry = raw.get(s.key, {s.bound: s.dump(s.bound_default_for(year))})
        value = entry.get(s.bound) if isinstance(entry, dict) else None
        out[s.key] = {s.bound: s.coerce(value) if value not in (None, "") else None}
    return out


@dataclass
class BoundBreach:
    key: str
    rule: str
    message: str


def bound_breaches(values: dict[str, Any], bounds: dict[str, dict[str, Any]]) -> list[BoundBreach]:
    """Each value outside the centre's bounds, in words naming the bound and the rule."""
    out = []
    for s in SPECS:
        limit = bounds.get(s.key, {}).get(s.bound) if s.bound else None
        if limit is None:
            continue
        value = values[s.key]
        if s.bound == MIN and value < limit:
            if s.type == DATE:
                text = _("%(label)s不得早于中心规定的%(bound)s（%(rule)s）")
            else:
                text = _("%(label)s不得低于中心规定的%(bound)s（%(rule)s）")
        elif s.bound == MAX and value > limit:
            if s.type == DATE:
                text = _("%(label)s不得晚于中心规定的%(bound)s（%(rule)s）")
            else:
                text = _("%(label)s不得高于中心规定的%(bound)s（%(rule)s）")
        else:
            continue
        out.append(BoundBreach(s.key, s.rule, text % {"label": s.label, "bound": s.display(limit), "rule": s.rule}))
    return out


def period_errors(values: dict[str, Any], period: tuple[dt.date, dt.date]) -> list[str]:
    """Each rulebook date outside the programme's period (R-405)."""
    errors = []
    start, end = period
    for s in SPECS:
        if s.type == DATE and not (start <= values[s.key] <= end):
            errors.append(_("%(label)s（%(value)s）应在项目实施期%(start)s至%(end)s之内（R-405）") % {
                "label": s.label, "value": s.display(values[s.key]),
                "start": date_format(start, "Y年n月j日"), "end": date_format(end, "Y年n月j日")})
    return errors


def consistency_errors(values: dict[str, Any], period: tuple[dt.date, dt.date]) -> list[str]:
    """Rules between parameters: deadlines inside the programme period and in flow order."""
    errors = period_errors(values, period)
    for earlier, later in zip(DEADLINE_ORDER, DEADLINE_ORDER[1:]):
        a, b = spec(earlier), spec(later)
        if values[earlier] > values[later]:
            errors.append(_("%(a)s不能晚于%(b)s，请按推荐流程先后设置") % {"a": a.label, "b": b.label})
    if values["presenters"] > values["province_max"]:
        errors.append(_("宣讲人数（%(n)s人）不能多于省级遴选案例数上限（%(m)s件）（R-110）") % {
            "n": values["presenters"], "m": values["province_max"]})
    return errors


@dataclass(frozen=True)
class RuleRow:
    """One line of the rulebook page."""

    spec: RuleSpec
    value: Any
    bound: Any
    breach: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def value_display(self) -> str:
        return self.spec.display(self.value)

    @property
    def bound_display(self) -> str:
        if self.bound is None:
            return ""
        sign = "≥" if self.spec.bound == MIN else "≤"
        if self.spec.type == DATE:
            sign = _("不早于") if self.spec.bound == MIN else _("不晚于")
        return f"{sign} {self.spec.display(self.bound)}"
