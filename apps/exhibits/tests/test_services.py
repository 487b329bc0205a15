"""Exhibits (R-307): proposed on behalf of little-giant enterprises by the people who register them, shortlisted by
the province, accepted or declined by the centre through the approvals. Each refusal is at its field and changes
nothing; each change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from apps.approvals.models import ApprovalRequest
from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return, approval_withdraw
from apps.approvals.todos import approval_todos
from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scope
from apps.exhibits import services
from apps.exhibits.approvals import EXHIBIT, KIND, thread
from apps.exhibits.models import Exhibit, ExhibitPhoto
from apps.exhibits.tests.conftest import FIELDS, photo, propose
from apps.orgs.models import Membership
from tests.factories import admin_of

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.plain.filter(action__startswith="exhibit.").order_by("id").values_list("action", flat=True))


def edit(w, exhibit, by=None, **changes):
    values = {**FIELDS, "enterprise_id": exhibit.enterprise_id, **changes}
    return services.exhibit_update(exhibit=exhibit, by=by or w.xihu_park_admin, **values)


def test_r307_an_association_proposes_an_exhibit_of_a_little_giant_with_its_photos(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w, photos=[photo("正面.png"), photo("侧面.png", size=(90, 120))])
    assert (exhibit.state, exhibit.programme, exhibit.org, exhibit.enterprise) == (
        Exhibit.State.PROPOSED, w.zhejiang_programme, w.xihu_park, w.giant)
    assert exhibit.weight_kg == Decimal("85.5") and exhibit.size_text == "120×80×160 cm"
    assert sorted(ExhibitPhoto.plain.filter(exhibit=exhibit).values_list("name", flat=True)) == ["侧面.png", "正面.png"]
    assert actions() == ["exhibit.propose"]


def test_a_county_office_proposes_too(exhibit_world, system):
    w = exhibit_world
    assert propose(w, org=w.xihu, by=w.xihu_admin).org == w.xihu


def test_every_problem_is_at_its_field_and_nothing_is_written(exhibit_world, system):
    w = exhibit_world
    with pytest.raises(ValidationError) as refused:
        propose(w, name="", innovation="", representative=" ", interaction="", length_cm="abc", width_cm=0,
                height_cm=99999, weight_kg="-1", power="",
                photos=[photo(), SimpleUploadedFile("假图.png", b"<html>no</html>", content_type="image/png")])
    assert set(refused.value.message_dict) == {"name", "innovation", "representative", "interaction", "length_cm",
                                               "width_cm", "height_cm", "weight_kg", "power", "photos"}
    assert "假图.png" in refused.value.message_dict["photos"][0]
    assert not Exhibit.plain.exists() and not ExhibitPhoto.plain.exists() and actions() == []


def test_r307_an_enterprise_outside_the_little_giant_list_is_refused_at_its_field(exhibit_world, system):
    w = exhibit_world
    with pytest.raises(ValidationError) as refused:
        propose(w, enterprise=w.ordinary)
    assert refused.value.message_dict == {
        "enterprise": ["杭州西湖普通贸易有限公司不在专精特新“小巨人”名单中，只有“小巨人”企业可以申报展品"]}
    assert not Exhibit.plain.exists()


def test_an_enterprise_of_another_county_is_refused_at_its_field(exhibit_world, system):
    """属地 (R-106): an association proposes for its own county's enterprises only."""
    w = exhibit_world
    for enterprise in (w.shangcheng_giant, w.wuhou_giant):
        with pytest.raises(ValidationError) as refused:
            propose(w, enterprise=enterprise)
        assert list(refused.value.message_dict) == ["enterprise"]
    assert not Exhibit.plain.exists()


def test_someone_of_another_county_or_province_gets_not_found(exhibit_world, system):
    w = exhibit_world
    for org, by in ((w.xihu_park, w.wuhou_admin), (w.xihu_park, w.xihu_ent_admin), (w.zhejiang, w.zhejiang_admin),
                    (w.hangzhou, w.hangzhou_admin), (w.center, w.center_admin)):
        with pytest.raises(NotFound):
            propose(w, org=org, by=by)
    exhibit = propose(w)
    with pytest.raises(NotFound):
        edit(w, exhibit, by=w.xihu_ent_admin, name="别人的展品")
    with pytest.raises(NotFound):
        edit(w, exhibit, by=w.xihu_admin, name="区县改名")  # the office above reads, the proposing org changes
    for by in (w.sichuan_admin, w.hangzhou_admin, w.center_admin, w.xihu_admin):
        with pytest.raises(NotFound):
            services.exhibit_shortlist(exhibit=exhibit, by=by)
        with pytest.raises(NotFound):
            services.exhibit_decline(exhibit=exhibit, by=by, reason="不推荐")
    assert Exhibit.plain.get().state == Exhibit.State.PROPOSED and actions() == ["exhibit.propose"]


def test_a_provinces_staff_member_does_not_decide(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w)
    staff = admin_of(w.zhejiang, "staff-330000", role=Membership.Role.STAFF)
    with pytest.raises(NotFound):
        services.exhibit_shortlist(exhibit=exhibit, by=staff)


@pytest.mark.parametrize("count,ok", [(0, False), (1, True), (5, True), (6, False)])
def test_an_exhibit_has_one_to_five_photos(exhibit_world, system, count, ok):
    w = exhibit_world
    if ok:
        assert ExhibitPhoto.plain.filter(exhibit=propose(w, photos=[photo() for _ in range(count)])).count() == count
    else:
        with pytest.raises(ValidationError) as refused:
            propose(w, photos=[photo() for _ in range(count)])
        assert list(refused.value.message_dict) == ["photos"]


def test_the_proposing_org_changes_its_exhibit_and_its_photos_while_proposed(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w)
    first = ExhibitPhoto.plain.get(exhibit=exhibit)
    with pytest.raises(ValidationError) as refused:
        edit(w, exhibit, remove_photos=[first.pk])
    assert list(refused.value.message_dict) == ["photos"] and ExhibitPhoto.plain.filter(pk=first.pk).exists()
    edit(w, exhibit, name="智能协作机械臂（二代）", power="无需用电", remove_photos=[first.pk], photos=[photo("新.png")])
    exhibit.refresh_from_db()
    assert (exhibit.name, exhibit.power) == ("智能协作机械臂（二代）", "无需用电")
    assert list(ExhibitPhoto.plain.filter(exhibit=exhibit).values_list("name", flat=True)) == ["新.png"]
    assert actions() == ["exhibit.propose", "exhibit.update"]
    services.exhibit_shortlist(exhibit=exhibit, by=w.zhejiang_admin)
    with pytest.raises(ValidationError) as refused:
        edit(w, exhibit, name="送审后再改")
    assert "不能再修改" in refused.value.messages[0]
    assert Exhibit.plain.get().name == "智能协作机械臂（二代）"


def test_r307_the_province_shortlists_and_the_exhibit_waits_in_the_centres_inbox(exhibit_world, system):
    w = exhibit_world
    exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    assert exhibit.state == Exhibit.State.SHORTLISTED and exhibit.shortlisted_by == w.zhejiang_admin
    request = latest_of(KIND, thread(exhibit))
    assert (request.state, request.submitter, request.approver) == ("pending", w.zhejiang, w.center)
    lines = EXHIBIT.summary(exhibit)
    for text in ("杭州西湖智能装备有限公司（西湖区）", "2023年", "七轴力控协作机械臂", "国产协作机器人",
                 "观众牵引机械臂示教", "120×80×160 cm", "85.5千克", "220V，约800W"):
        assert any(text in line for line in lines), text
    assert actions() == ["exhibit.propose", "exhibit.shortlist"]
    assert AuditEntry.plain.filter(action="approval.submit").count() == 1
    with pytest.raises(ValidationError):
        services.exhibit_shortlist(exhibit=exhibit, by=w.zhejiang_admin)
    with pytest.raises(ValidationError):
        services.exhibit_decline(exhibit=exhibit, by=w.zhejiang_admin, reason="改主意了")


def test_r307_the_centres_approval_accepts_the_exhibit(exhibit_world, system):
    w = exhibit_world
    exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    approval_approve(request=latest_of(KIND, thread(exhibit)), by=w.center_admin, comment="同意参展")
    exhibit.refresh_from_db()
    assert (exhibit.state, exhibit.decided_by) == (Exhibit.State.ACCEPTED, w.center_admin)


def test_r307_the_centres_return_declines_it_with_the_comment_as_reason_and_asks_no_resubmission(exhibit_world,
                                                                                                 system):
    w = exhibit_world
    exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    request = approval_return(request=latest_of(KIND, thread(exhibit)), by=w.center_admin,
                              comment="展品用电超出展厅条件")
    exhibit.refresh_from_db()
    assert (exhibit.state, exhibit.decline_reason, exhibit.declined_by) == (
        Exhibit.State.DECLINED, "展品用电超出展厅条件", w.center)
    assert request.resubmit_by is None
    with scope(org=w.zhejiang):
        assert [t for t in approval_todos(w.zhejiang_admin, w.zhejiang) if "展品" in str(t.text)] == []


def test_a_withdrawn_exhibit_is_proposed_again_and_may_be_sent_as_a_new_version(exhibit_world, system):
    w = exhibit_world
    exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    approval_withdraw(request=latest_of(KIND, thread(exhibit)), by=w.zhejiang_admin)
    exhibit.refresh_from_db()
    assert exhibit.state == Exhibit.State.PROPOSED and exhibit.shortlisted_at is None
    services.exhibit_shortlist(exhibit=exhibit, by=w.zhejiang_admin)
    assert latest_of(KIND, thread(exhibit)).version == 2


def test_the_province_declines_with_a_reason_the_proposer_reads(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w)
    with pytest.raises(ValidationError) as refused:
        services.exhibit_decline(exhibit=exhibit, by=w.zhejiang_admin, reason="  ")
    assert list(refused.value.message_dict) == ["reason"]
    assert Exhibit.plain.get().state == Exhibit.State.PROPOSED and actions() == ["exhibit.propose"]
    services.exhibit_decline(exhibit=exhibit, by=w.zhejiang_admin, reason="同类展品已推荐")
    exhibit.refresh_from_db()
    assert (exhibit.state, exhibit.decline_reason, exhibit.declined_by) == (
        Exhibit.State.DECLINED, "同类展品已推荐", w.zhejiang)
    assert actions() == ["exhibit.propose", "exhibit.decline"]
    assert not ApprovalRequest.plain.exists()
    with pytest.raises(ValidationError):
        services.exhibit_shortlist(exhibit=exhibit, by=w.zhejiang_admin)


@pytest.mark.parametrize("change", [{"length_cm": 0}, {"weight_kg": Decimal("0")}, {"state": "lost"},
                                    {"state": "declined", "decline_reason": ""}])
def test_the_database_holds_the_states_sizes_and_reasons(exhibit_world, system, change):
    w = exhibit_world
    exhibit = propose(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exhibit.plain.filter(pk=exhibit.pk).update(**change)


def test_a_province_never_sees_another_provinces_exhibits(exhibit_world, system):
    w = exhibit_world
    exhibit = propose(w)
    for org, seen in ((w.center, [exhibit.pk]), (w.zhejiang, [exhibit.pk]), (w.hangzhou, [exhibit.pk]),
                      (w.xihu, [exhibit.pk]), (w.xihu_park, [exhibit.pk]), (w.sichuan, []), (w.xihu_ent, []),
                      (w.shangcheng, [])):
        with scope(org=org):
            assert list(Exhibit.objects.values_list("pk", flat=True)) == seen, org.name
            assert ExhibitPhoto.objects.exists() == bool(seen)
