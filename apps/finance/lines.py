"""The spending lines of a project's ledger (R-401): items of the government economic classification of
expenditure (政府支出经济分类, the 部门预算支出经济分类科目 published by the Ministry of Finance; codes and names are
public facts). These are the lines a campaign project commonly spends on; a budget may use any of them.

Two lines carry rules checked on entry (apps/finance/services.py, values in the rulebook): 30203 咨询费 holds
expert fees, paid per person-day within the published range; 30215 会议费 is capped per person-day. 30227 委托业务费
is watched for subcontracting (R-402)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LINES: tuple[tuple[str, str], ...] = (
    ("30201", _("办公费")),
    ("30202", _("印刷费")),
    ("30203", _("咨询费")),
    ("30207", _("邮电费")),
    ("30211", _("差旅费")),
    ("30214", _("租赁费")),
    ("30215", _("会议费")),
    ("30216", _("培训费")),
    ("30226", _("劳务费")),
    ("30227", _("委托业务费")),
    ("30239", _("其他交通费用")),
    ("30299", _("其他商品和服务支出")),
)
CODES = tuple(code for code, _label in LINES)
EXPERT_FEES = "30203"
MEETINGS = "30215"
COMMISSIONED = "30227"


def label_of(code: str) -> str:
    return str(dict(LINES).get(code, code))


def line_text(code: str) -> str:
    """「30215 会议费」"""
    return f"{code} {label_of(code)}"
