"""Demo data of the notice cascade (R-102): every demo province's notice; 浙江省's forwarded through most of the tree.

Some orgs deliberately do not act, so the cascade page shows who is missing: the last city does
not forward, every fifth county of the others does not forward, and every third association (and
any association without an admin) does not acknowledge. Everything goes through the services,
so the audit log holds the demo's history like a real one.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.campaigns.demo import DEMO_YEAR
from apps.campaigns.models import Programme
from apps.notices.models import Notice, NoticeDelivery
from apps.notices.services import notice_delivery_acknowledge, notice_delivery_forward, notice_issue
from apps.orgs.demo import LIGHT_CITIES, LIGHT_PROVINCES, demo_admin
from apps.orgs.models import Org

DEMO_PROVINCE = "330000"
DEMO_TITLE = f"关于开展{DEMO_YEAR}年企业典型创新案例征集及宣讲活动的通知"
DEMO_BODY = """各市科协：

为深入实施创新驱动发展战略，发挥企业创新主体作用，经研究，决定联合有关部门开展{year}年企业典型创新案例征集及宣讲活动。现将有关事项通知如下：

一、征集范围：本省行政区域内各类企业在组织创新、技术创新、工艺创新方面的典型案例。
二、推荐程序：企业向所在园区科协或企业科协申报，经区县科协筛查后报市科协，市科协组织遴选后按名额差额推荐至省科协。
三、工作要求：请各市科协及时转发本通知至区县科协，区县科协转发至辖区内所有园区科协和企业科协，并在平台上确认收到。

{issuer}"""
# A municipality (直辖市) writes to its districts, which screen and select themselves.
MUNICIPAL_BODY = """各区科协：

为深入实施创新驱动发展战略，发挥企业创新主体作用，经研究，决定联合有关部门开展{year}年企业典型创新案例征集及宣讲活动。现将有关事项通知如下：

一、征集范围：本市行政区域内各类企业在组织创新、技术创新、工艺创新方面的典型案例。
二、推荐程序：企业向所在园区科协或企业科协申报，经区科协筛查和遴选后按名额差额推荐至市科协。
三、工作要求：请各区科协及时转发本通知至辖区内所有园区科协和企业科协，并在平台上确认收到。

{issuer}"""


def seed_notices(password: str = "") -> list:
    """Every demo province issues its notice. 浙江省's goes through most of the tree (some orgs deliberately do not
    act); the other provinces' have gone less far, as a cascade under way does. Idempotent."""
    programmes = (Programme.plain.filter(campaign__year=DEMO_YEAR, kind=Programme.Kind.PROVINCE)
                  .select_related("org").order_by("org__code"))
    for programme in programmes:
        if not Notice.plain.filter(programme=programme, title=DEMO_TITLE).exists():
            _seed_province(programme, light=programme.org.code in LIGHT_PROVINCES)
    return []


def _seed_province(programme: Programme, *, light: bool) -> None:
    issuer = demo_admin(programme.org)
    if issuer is None:
        return
    province = programme.org
    body = MUNICIPAL_BODY if province.is_municipality else DEMO_BODY
    notice = notice_issue(
        programme=programme, by=issuer, title=DEMO_TITLE,
        body=body.format(year=DEMO_YEAR, issuer=f"{province.name}科学技术协会"),
        joint_issuers="、".join(f"{province.name}{d}" for d in ("科学技术厅", "经济和信息化厅", "市场监督管理局"))
        if not province.is_municipality else "、".join(f"{province.name}{d}" for d in ("科学技术委员会", "经济和信息化委员会")),
        deadline=timezone.localdate() + dt.timedelta(days=14),
    )
    # The first level: cities, or a municipality's districts. A lighter province's cascade is under way: only its
    # first few units have forwarded.
    first = list(NoticeDelivery.plain.filter(notice=notice, org__parent=province).select_related("org")
                 .order_by("org__code"))
    forwarding = first[:LIGHT_CITIES] if light else first[:-1]
    for unit in forwarding:
        _forward(unit, addendum=f"{unit.org.name}：请于截止日期前完成转发，并督促辖区园区、企业科协确认收到。")
    counties = (NoticeDelivery.plain.filter(notice=notice, org__kind=Org.Kind.COUNTY, org__depth=3)
                .select_related("org").order_by("org__code"))
    for index, county in enumerate(counties):
        if index % 5 != 4 and not (light and index % 2):
            _forward(county)
    associations = (NoticeDelivery.plain.filter(notice=notice, org__kind__in=Org.ASSOCIATIONS)
                    .select_related("org").order_by("org__code"))
    for index, association in enumerate(associations):
        user = demo_admin(association.org)
        if user is not None and index % 3 != 2 and not (light and index % 2):
            notice_delivery_acknowledge(delivery=association, by=user)


def _forward(delivery: NoticeDelivery, addendum: str = "") -> None:
    user = demo_admin(delivery.org)
    has_children = delivery.org.children.filter(is_active=True).exists()
    if user is not None and has_children:
        notice_delivery_forward(delivery=delivery, by=user, addendum=addendum)
