"""Presentation teams and events (issue 17, items 1, 2 and 5): presenters come from the locked list and are
replaced with a reason; an event's plan goes to the centre and the event may be held only once the plan as it
stands is approved; R-202, R-203 and R-204 measured, with the 31 October deadline counted in Beijing time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.audit.models import AuditEntry
from apps.campaigns.indicators import Status, indicator_for
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.events import services
from apps.events.approvals import KIND
from apps.events.models import Event, EventPlan, Presenter

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def event_data(w, **changes) -> dict:
    start = timezone.now().astimezone(BEIJING).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=10)
    return {"title": "浙江省企业创新案例宣讲会", "mode": "both", "venue": "杭州未来科技城", "in_tech_park": True,
            "park_name": "杭州未来科技城", "starts_at": start, "ends_at": start + dt.timedelta(hours=3),
            "agenda": [{"time": "09:30", "item": "开幕致辞", "who": "省科协"}], "guests": ["王明 · 省科技厅"],
            "media": ["浙江日报"], "presenters": [p.pk for p in w.presenters], **changes}


def planned(w, **changes) -> Event:
    with scopes_disabled():
        event = services.event_create(org=w.zhejiang, programme=w.zhejiang_programme, by=w.zhejiang_admin,
                                      **event_data(w, **changes))
        services.event_file_add(event=event, by=w.zhejiang_admin, kind="slides",
                                upload=SimpleUploadedFile("宣讲.pdf", PDF, content_type="application/pdf"))
    return event


def decide(w, event, approve: bool, comment: str = "请补充嘉宾名单"):
    with scopes_disabled():
        request = latest_of(KIND, f"event:{event.pk}")
        if approve:
            return approval_approve(request=request, by=w.center_admin)
        return approval_return(request=request, by=w.center_admin, comment=comment)


def move_to_the_past(event) -> None:
    with scopes_disabled():
        Event.plain.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3),
                                               ends_at=timezone.now() - dt.timedelta(hours=1))


# -- the team (R-201) ----------------------------------------------------------------------------------

def test_r201_a_presenter_only_for_a_case_on_the_locked_list(team, system):
    w = team
    from apps.rounds.tests.conftest import submit

    other = submit(w).case
    with pytest.raises(ValidationError) as refused:
        services.presenter_add(org=w.zhejiang, programme=w.zhejiang_programme, case_id=other.pk, by=w.zhejiang_admin,
                               name="李四", title="经理", organisation="某公司", phone="13900000002", bio="简介")
    assert "已锁定名单" in refused.value.message_dict["case"][0]
    with pytest.raises(ValidationError) as refused:
        services.presenter_add(org=w.zhejiang, programme=w.zhejiang_programme, case_id=w.cases[2].pk,
                               by=w.zhejiang_admin, name="", title="经理", organisation="某公司", phone="123", bio="")
    assert set(refused.value.message_dict) == {"name", "phone", "bio"}
    with pytest.raises(NotFound):
        services.presenter_add(org=w.zhejiang, programme=w.zhejiang_programme, case_id=w.cases[2].pk,
                               by=w.hangzhou_admin, name="李四", title="经理", organisation="某公司",
                               phone="13900000002", bio="简介")


def test_r201_a_replaced_presenter_stays_on_record_with_the_reason_and_hands_over_the_events(team, system):
    w = team
    event = planned(w)
    old = w.presenters[0]
    new = services.presenter_replace(presenter=old, by=w.zhejiang_admin, reason="原宣讲人工作调动",
                                     name="赵六", title="副总经理", organisation="某公司", phone="13900000003",
                                     bio="负责项目实施。")
    old.refresh_from_db()
    assert (old.active, old.replaced_by, old.replace_reason) == (False, new, "原宣讲人工作调动")
    assert set(event.presenters.all()) == {new, w.presenters[1]}
    row = AuditEntry.plain.get(action="presenter.replace")
    assert "原宣讲人工作调动" in row.data
    with pytest.raises(ValidationError) as refused:
        services.presenter_replace(presenter=new, by=w.zhejiang_admin, reason="", name="钱七", title="经理",
                                   organisation="某公司", phone="13900000004", bio="简介")
    assert "reason" in refused.value.message_dict


# -- events and their plans (R-202, R-203) --------------------------------------------------------------

def test_r203_an_event_cannot_be_held_before_its_plan_is_approved_and_the_refusal_names_the_state(team, system):
    w = team
    event = planned(w)
    move_to_the_past(event)
    with pytest.raises(ValidationError, match="方案目前：未报送"):
        services.event_mark_held(event=event, by=w.zhejiang_admin)
    services.event_plan_submit(event=event, by=w.zhejiang_admin)
    with pytest.raises(ValidationError, match="方案目前：第1版待中心审核"):
        services.event_mark_held(event=event, by=w.zhejiang_admin)
    with pytest.raises(ValidationError, match="正在中心审核，不能修改"):
        services.event_update(event=event, by=w.zhejiang_admin, **event_data(w, title="改名"))
    decide(w, event, approve=False, comment="请补充媒体名单")
    with pytest.raises(ValidationError, match="方案目前：第1版已退回"):
        services.event_mark_held(event=event, by=w.zhejiang_admin)
    assert Event.plain.get(pk=event.pk).state == Event.State.PLANNING


def test_r203_a_returned_plan_is_resubmitted_approved_and_the_event_held_and_reported(team, system):
    w = team
    event = planned(w)
    services.event_plan_submit(event=event, by=w.zhejiang_admin)
    decide(w, event, approve=False)
    services.event_update(event=event, by=w.zhejiang_admin,
                          **event_data(w, guests=["王明 · 省科技厅", "李华 · 省经信厅"],
                                       starts_at=event.starts_at, ends_at=event.ends_at))
    second = services.event_plan_submit(event=event, by=w.zhejiang_admin)
    assert second.number == 2 and second.snapshot["guests"] == ["王明 · 省科技厅", "李华 · 省经信厅"]
    decide(w, event, approve=True)
    assert EventPlan.plain.get(pk=second.pk).status == EventPlan.Status.APPROVED
    with pytest.raises(ValidationError, match="活动尚未开始"):
        services.event_mark_held(event=event, by=w.zhejiang_admin)
    move_to_the_past(event)
    # Moving the event changed the plan: the approved version no longer matches.
    with pytest.raises(ValidationError, match="审核通过后有修改"):
        services.event_mark_held(event=event, by=w.zhejiang_admin)
    services.event_plan_submit(event=event, by=w.zhejiang_admin)
    decide(w, event, approve=True)
    held = services.event_mark_held(event=event, by=w.zhejiang_admin)
    assert held.state == Event.State.HELD and held.held_at is not None
    with pytest.raises(ValidationError) as refused:
        services.event_report(event=held, by=w.zhejiang_admin, attendance_onsite=-1, coverage=["ftp://x"])
    assert set(refused.value.message_dict) == {"attendance_onsite", "coverage"}
    services.event_report(event=held, by=w.zhejiang_admin, attendance_onsite=320, attendance_online=5400,
                          stream_views=12000, stream_platforms="新华网、抖音",
                          coverage=["https://news.example.cn/a", "https://news.example.cn/a"])
    held.refresh_from_db()
    assert (held.attendance_onsite, held.coverage) == (320, ["https://news.example.cn/a"])


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"), ({"venue": "", "mode": "offline"}, "venue"),
    ({"in_tech_park": True, "park_name": ""}, "park_name"), ({"presenters": [999999]}, "presenters")])
def test_a_bad_event_is_refused_at_its_field_and_nothing_is_made(team, system, changes, field):
    w = team
    with pytest.raises(ValidationError) as refused:
        services.event_create(org=w.zhejiang, programme=w.zhejiang_programme, by=w.zhejiang_admin,
                              **event_data(w, **changes))
    assert field in refused.value.message_dict
    assert not Event.plain.exists()


def test_a_plan_without_materials_or_agenda_is_not_sent(team, system):
    w = team
    with scopes_disabled():
        event = services.event_create(org=w.zhejiang, programme=w.zhejiang_programme, by=w.zhejiang_admin,
                                      **event_data(w, agenda=[]))
    with pytest.raises(ValidationError) as refused:
        services.event_plan_submit(event=event, by=w.zhejiang_admin)
    assert any("议程" in m for m in refused.value.messages) and any("宣讲材料" in m for m in refused.value.messages)
    assert not EventPlan.plain.exists()


def test_a_material_that_is_not_what_it_claims_is_refused(team, system):
    w = team
    event = planned(w)
    with pytest.raises(ValidationError) as refused:
        services.event_file_add(event=event, by=w.zhejiang_admin, kind="slides",
                                upload=SimpleUploadedFile("宣讲.pdf", b"MZ\x90\x00binary", content_type="application/pdf"))
    assert refused.value.message_dict["file"]


# -- indicators (R-202…R-204) -----------------------------------------------------------------------------

def held_event(w, start: dt.datetime, *, in_park: bool = True) -> Event:
    """An event held at `start` (set up directly: the workflow itself is tested above)."""
    with scopes_disabled():
        event = Event.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, title="省级宣讲会",
                                   venue="杭州", in_tech_park=in_park, park_name="杭州未来科技城" if in_park else "",
                                   starts_at=start, ends_at=start + dt.timedelta(hours=2), state="held", held_at=start)
        EventPlan.plain.create(event=event, number=1, snapshot={}, digest="0" * 64, status="approved")
    return event


def r204(w, moment: dt.datetime):
    with scopes_disabled():
        return indicator_for(w.zhejiang_programme, "R-204", now=moment)


def test_r204_turns_at_risk_30_days_before_31_october_and_failed_after_it_in_beijing_time(team, system):
    w = team
    year = timezone.localdate().year
    assert r204(w, dt.datetime(year, 9, 30, 23, 59, 59, tzinfo=BEIJING)).status == Status.NOT_DUE
    assert r204(w, dt.datetime(year, 10, 1, 0, 0, 0, tzinfo=BEIJING)).status == Status.AT_RISK
    assert r204(w, dt.datetime(year, 10, 31, 23, 59, 59, tzinfo=BEIJING)).status == Status.AT_RISK
    assert r204(w, dt.datetime(year, 11, 1, 0, 0, 0, tzinfo=BEIJING)).status == Status.FAILED
    # 31 October 16:00 UTC is already 1 November in Beijing.
    assert r204(w, dt.datetime(year, 10, 31, 16, 0, 0, tzinfo=dt.timezone.utc)).status == Status.FAILED
    # An event held at 23:30 on 31 October (Beijing) is on time, one at 00:30 on 1 November is not.
    late = held_event(w, dt.datetime(year, 11, 1, 0, 30, tzinfo=BEIJING))
    assert r204(w, dt.datetime(year, 11, 2, tzinfo=BEIJING)).status == Status.FAILED
    with scopes_disabled():
        Event.plain.filter(pk=late.pk).delete()
    held_event(w, dt.datetime(year, 10, 31, 23, 30, tzinfo=BEIJING))
    found = r204(w, dt.datetime(year, 11, 2, tzinfo=BEIJING))
    assert found.status == Status.MET and str(year) in found.value_text


def test_r202_counts_provincial_events_held_in_a_tech_park(team, system):
    w = team
    year = timezone.localdate().year
    held_event(w, dt.datetime(year, 9, 10, 10, tzinfo=BEIJING), in_park=False)
    with scopes_disabled():
        found = indicator_for(w.zhejiang_programme, "R-202", now=dt.datetime(year, 9, 20, tzinfo=BEIJING))
    assert (found.value, found.status) == (0, Status.NOT_DUE) and "未在科技园区" in found.notes[0]
    held_event(w, dt.datetime(year, 9, 12, 10, tzinfo=BEIJING))
    with scopes_disabled():
        found = indicator_for(w.zhejiang_programme, "R-202", now=dt.datetime(year, 9, 20, tzinfo=BEIJING))
    assert (found.value, found.status) == (1, Status.MET)


def test_r203_an_event_within_two_weeks_without_an_approved_plan_is_at_risk(team, system):
    w = team
    planned(w)  # ten days ahead, not yet sent
    with scopes_disabled():
        found = indicator_for(w.zhejiang_programme, "R-203")
    assert found.status == Status.AT_RISK and "浙江省企业创新案例宣讲会" in found.notes[0]


def test_a_city_forms_its_own_team_from_its_own_list(team, system):
    w = team
    from apps.rounds.models import Round
    from apps.selection.models import LockedList

    with scopes_disabled():
        city = Round.plain.create(programme=w.zhejiang_programme, org=w.hangzhou, kind="city_selection",
                                  state=Round.State.SENT)
        today = timezone.localdate()
        LockedList.plain.create(round=city, number=1, slug="evtcity00001", case_ids=[w.cases[2].pk], starts_on=today,
                                ends_on=today, result={"inputs": []}, sha256="0" * 64)
    presenter = services.presenter_add(org=w.hangzhou, programme=w.zhejiang_programme, case_id=w.cases[2].pk,
                                       by=w.hangzhou_admin, name="孙八", title="经理", organisation="某公司",
                                       phone="13900000005", bio="简介")
    assert Presenter.plain.get(pk=presenter.pk).org == w.hangzhou


def test_r203_an_approved_plan_stays_approved_when_read_in_another_language(team, system):
    """The version's digest covers the plan's data, not how its form and time read in the submitter's language."""
    from django.utils import translation

    from apps.events.selectors import plan_state

    w = team
    event = planned(w)
    with translation.override("zh-hans"):
        services.event_plan_submit(event=event, by=w.zhejiang_admin)
        decide(w, event, approve=True)
    with translation.override("en"):
        assert plan_state(event).approved
        move_to_the_past(event)  # a real change of the plan: no longer the approved one
        assert not plan_state(Event.plain.get(pk=event.pk)).approved
