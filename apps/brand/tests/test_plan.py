"""The brand plan (R-501) through the approvals: the brand team submits it, the centre's admin approves it, the person
who submitted a version never decides on it, and the approved version is in force until a later one is approved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.approvals.permissions import can_decide_approval
from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.approvals.todos import approval_todos
from apps.brand.approvals import KIND, thread
from apps.brand.models import BrandPlan
from apps.brand.services import brand_plan_submit
from apps.brand.tests.world import plan_phases
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled

pytestmark = pytest.mark.django_db


def submit(w, by=None):
    return brand_plan_submit(programme=w.brand_programme, by=by or w.brand_staff, phases=plan_phases(w.brand_programme))


def request_of(w):
    return latest_of(KIND, thread(w.brand_programme.pk))


def test_r501_the_brand_team_submits_and_the_centres_admin_approves(brand_world):
    w = brand_world
    with scopes_disabled():
        plan = submit(w)
        request = request_of(w)
        assert (request.submitter, request.approver) == (w.center, w.center)
        assert not can_decide_approval(w.brand_staff, request) and can_decide_approval(w.center_admin, request)
        approval_approve(request=request, by=w.center_admin, comment="同意")
        plan.refresh_from_db()
    assert plan.status == BrandPlan.Status.IN_FORCE


def test_r501_nobody_approves_their_own_submission(brand_world):
    w = brand_world
    with scopes_disabled():
        submit(w, by=w.center_admin)
        with pytest.raises(NotFound):
            approval_approve(request=request_of(w), by=w.center_admin)
        # …and it is not on their to-do list as something to decide, while it is on the others'.
        assert not [t for t in approval_todos(w.center_admin, w.center) if "待审核" in t.text]
        assert [t for t in approval_todos(w.brand_staff, w.center) if "待审核" in t.text]
        approval_approve(request=request_of(w), by=w.brand_staff)


def test_r501_a_province_neither_submits_nor_decides(brand_world):
    w = brand_world
    with scopes_disabled():
        with pytest.raises(NotFound):
            submit(w, by=w.zhejiang_admin)
        submit(w)
        assert not can_decide_approval(w.zhejiang_admin, request_of(w))


def test_r501_a_phase_outside_the_period_or_without_goals_is_refused_at_its_fields(brand_world):
    w = brand_world
    phases = plan_phases(w.brand_programme)
    phases["warmup"]["start"] = w.brand_programme.period_start.replace(day=1, month=1)
    phases["summary"]["goals"] = " "
    phases["collection"]["channels"] = ["fax"]
    with scopes_disabled():
        with pytest.raises(ValidationError) as caught:
            brand_plan_submit(programme=w.brand_programme, by=w.brand_staff, phases=phases)
        assert not BrandPlan.plain.exists() and request_of(w) is None
    assert set(caught.value.message_dict) == {"warmup_start", "summary_goals", "collection_channels"}


def test_r501_a_later_approved_version_retires_the_one_in_force(brand_world):
    w = brand_world
    with scopes_disabled():
        first = submit(w)
        approval_approve(request=request_of(w), by=w.center_admin)
        second = submit(w)
        approval_return(request=request_of(w), by=w.center_admin, comment="请补充区域宣讲的重点城市")
        third = submit(w)
        approval_approve(request=request_of(w), by=w.center_admin)
        statuses = [BrandPlan.plain.get(pk=p.pk).status for p in (first, second, third)]
    assert statuses == [BrandPlan.Status.RETIRED, BrandPlan.Status.RETURNED, BrandPlan.Status.IN_FORCE]


def test_r501_the_plan_page_submits_and_shows_errors_at_the_fields(client, brand_world):
    w = brand_world
    client.force_login(w.brand_staff)
    url = f"/brand/{w.brand_programme.pk}/plan/"
    response = client.post(url, {"warmup_goals": "发布主视觉"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="field-warmup_start"' in page and "请填写预热阶段的起止日期" in page
    assert "发布主视觉" in page  # the typing kept
    data = {}
    for key, phase in plan_phases(w.brand_programme).items():
        data.update({f"{key}_start": phase["start"].isoformat(), f"{key}_end": phase["end"].isoformat(),
                     f"{key}_goals": phase["goals"], f"{key}_channels": phase["channels"]})
    response = client.post(url, data)
    assert response.status_code == 302
    with scopes_disabled():
        assert BrandPlan.plain.get().status == BrandPlan.Status.PENDING
