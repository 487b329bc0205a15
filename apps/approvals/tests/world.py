"""Matrix-world builder and helpers of the approvals tests: 浙江省's manual quota table (R-104) waiting for the
centre's decision.

The campaigns builder's world has the rulebook's default target of 100 for 浙江省, whose cities are 杭州市 (3
associations) and 宁波市 (2): the computed Hamilton split is 60 / 40, and a manual table must sum to 100."""

from __future__ import annotations

from apps.approvals.models import ApprovalRequest
from apps.campaigns.approvals import KIND
from apps.campaigns.models import QuotaPlan
from apps.campaigns.services import quota_manual_set

NINGBO_PARKS = {"330100": 55, "330200": 45}  # a manual table of target 100
NINGBO_PARKS_REASON = "宁波市新增两个园区"


def submit_table(world, quotas: dict[str, int], reason: str, *, by=None) -> ApprovalRequest:
    """浙江省 sends a manual quota table to the centre; the request that waits for the centre's decision."""
    plan = quota_manual_set(programme=world.zhejiang_programme, by=by or world.zhejiang_admin, quotas=quotas,
                            reason=reason)
    return ApprovalRequest.plain.select_related("submitter", "approver").get(kind=KIND, object_id=plan.pk)


def build(world) -> None:
    """Adds world.approval: 浙江省's manual quota table, pending with the centre (world.quota_plan its table)."""
    world.approval = submit_table(world, NINGBO_PARKS, NINGBO_PARKS_REASON)
    world.quota_plan = QuotaPlan.plain.get(pk=world.approval.object_id)
