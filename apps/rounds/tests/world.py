"""Adds rounds to the permission-matrix world.

world.xihu_round: 西湖区's county screening round, open, with world.xihu_entry (the case-form area's
world.xihu_submitted_case when its builder made one, else a case made here) pending in it.
world.shangcheng_twin_case: a case of 上城区 with the same text, so the pair is flagged (R-107).
world.hangzhou_round: 杭州市's city selection round (the county's list goes there when reported).
"""

import datetime as dt

from django.utils import timezone

from apps.rounds.models import Round
from apps.rounds.services import round_for, round_receive
from tests.factories import make_case, make_enterprise


def _submitted(enterprise, recommender, title):
    year = enterprise.campaign.year
    return make_case(enterprise, recommender, status="submitted", version=1, title=title,
                     submitted_at=timezone.make_aware(dt.datetime(year, 8, 1, 10, 0)))


def build(world) -> None:
    case = getattr(world, "xihu_submitted_case", None)
    if case is None:
        enterprise = make_enterprise(world.campaign, world.xihu, name="杭州西湖筛查示例科技有限公司", serial="RND000001")
        case = _submitted(enterprise, world.xihu_park, "数字孪生驱动的柔性产线改造")
        world.xihu_submitted_case = case
    entry = case.round_entries.filter(round__kind=Round.Kind.COUNTY_SCREENING).first()
    if entry is None:
        entry = round_receive(case=case, by=world.xihu_park_admin)
    world.xihu_entry = entry
    world.xihu_round = entry.round
    twin_enterprise = make_enterprise(world.campaign, world.shangcheng, name="杭州上城相似案例有限公司",
                                      serial="RND000002")
    world.shangcheng_twin_case = _submitted(twin_enterprise, world.shangcheng_park, "柔性产线数字孪生改造实践")
    for name in ("abstract", "background", "practice", "innovation", "results", "insights"):
        setattr(world.shangcheng_twin_case, name, getattr(case, name))
    world.shangcheng_twin_case.save()
    round_receive(case=world.shangcheng_twin_case, by=world.shangcheng_admin)
    world.hangzhou_round = round_for(programme=world.xihu_round.programme, org=world.hangzhou,
                                     kind=Round.Kind.CITY_SELECTION)
