"""Adds the case list's objects to the permission-matrix world: a submitted case of 西湖区 in its
county's screening round (made here unless an earlier builder made world.xihu_submitted_case)."""

from __future__ import annotations


def submitted_case(enterprise, recommender, by, **fields):
    """A case submitted as version 1 and received by its county's screening round, as a submission does."""
    from django.db import transaction
    from django.utils import timezone

    from apps.cases.levels import levels
    from tests.factories import make_case

    with transaction.atomic():
        case = make_case(enterprise, recommender, status="submitted", version=1, submitted_at=timezone.now(),
                         **fields)
        levels().receive(case=case, by=by)
    return case


def build(world) -> None:
    from tests.factories import make_enterprise

    if getattr(world, "xihu_submitted_case", None) is None:
        enterprise = getattr(world, "xihu_enterprise", None) or make_enterprise(world.campaign, world.xihu,
                                                                                 name="杭州西湖列表测试有限公司",
                                                                                 serial="MA2PBME09")
        world.xihu_submitted_case = submitted_case(enterprise, world.xihu_park, world.xihu_park_admin)


def build_list_cases(tree):
    """For the list tests: cases across two cities and two counties, in every state a list shows.

    tree.cases: name → case. 西湖区 has a draft and two submitted cases (park and enterprise channel,
    one from a little giant in 制造业), 上城区 one submitted, 海曙区 (宁波) one submitted and one
    returned; the county of 西湖区 has passed one of its cases.
    """
    from apps.campaigns.tests.world import build_campaign
    from apps.rounds.models import RoundEntry
    from tests.factories import make_case, make_enterprise

    build_campaign(tree)
    tree.ent_xihu_maker = make_enterprise(tree.campaign, tree.xihu, name="杭州西湖智能装备有限公司", serial="MA2PBMEM2",
                                      industry_section="C", industry_division="34", little_giant_batch=2021)
    tree.ent_xihu_soft = make_enterprise(tree.campaign, tree.xihu, name="杭州西溪软件有限公司", serial="MA2PBME01",
                                     industry_section="I", industry_division="65")
    tree.ent_shangcheng = make_enterprise(tree.campaign, tree.shangcheng, name="杭州上城数据有限公司", serial="MA2DATA01")
    tree.ent_haishu = make_enterprise(tree.campaign, tree.haishu, name="宁波海曙机械股份有限公司", serial="MA2MECH01")
    c = {}
    c["xihu_draft"] = make_case(tree.ent_xihu_soft, tree.xihu_park, title="西溪软件草稿案例")
    c["xihu_park"] = submitted_case(tree.ent_xihu_maker, tree.xihu_park, tree.xihu_park_admin, title="数字孪生柔性产线")
    c["xihu_ent"] = submitted_case(tree.ent_xihu_soft, tree.xihu_ent, tree.xihu_admin, title="低代码平台助力政务服务",
                                   type="organisational")
    c["shangcheng"] = submitted_case(tree.ent_shangcheng, tree.shangcheng_park, tree.shangcheng_admin,
                                     title="城市数据大脑")
    c["haishu"] = submitted_case(tree.ent_haishu, tree.haishu_park, tree.haishu_park_admin, title="精密轴承工艺革新",
                                 type="process")
    c["haishu_returned"] = make_case(tree.ent_haishu, tree.haishu_ent, status="returned", version=1,
                                     title="被退回的案例")
    RoundEntry.plain.filter(case=c["xihu_park"]).update(decision=RoundEntry.Decision.PASSED)
    tree.cases = c
    return tree
