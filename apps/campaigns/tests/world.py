"""Matrix-world builder: the 2026 campaign with programmes for 浙江省 and 四川省 on the test tree."""

from __future__ import annotations

from apps.campaigns.models import Programme

YEAR = 2026


def build_campaign(world) -> None:
    """Adds world.campaign, world.zhejiang_programme, world.sichuan_programme, world.brand_programme."""
    from apps.campaigns.services import campaign_create

    world.campaign = campaign_create(year=YEAR, name=f"{YEAR}年企业典型创新案例征集及宣讲活动",
                                     by=world.center_admin, provinces=[world.zhejiang, world.sichuan])
    by_org = {p.org_id: p for p in Programme.plain.filter(campaign=world.campaign).select_related("org", "campaign")}
    world.zhejiang_programme = by_org[world.zhejiang.pk]
    world.sichuan_programme = by_org[world.sichuan.pk]
    world.brand_programme = by_org[world.center.pk]


def approved_quota_table(world, quotas: dict, reason: str, *, programme=None):
    """A manual quota table the province sends and the centre approves (R-104): the table then in force."""
    from apps.approvals.selectors import latest_of
    from apps.approvals.services import approval_approve
    from apps.campaigns.approvals import KIND
    from apps.campaigns.services import quota_manual_set

    programme = programme or world.zhejiang_programme
    plan = quota_manual_set(programme=programme, by=world.zhejiang_admin, quotas=quotas, reason=reason)
    approval_approve(request=latest_of(KIND, f"programme:{programme.pk}"), by=world.center_admin)
    plan.refresh_from_db()
    return plan
