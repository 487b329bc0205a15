"""County screening decisions and 「上报市级」 (R-107): pass, screen out with a reason, return for revision."""

import datetime as dt
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.audit.models import AuditEntry
from apps.campaigns.selectors import rulebook_values
from apps.cases.models import Case
from apps.core.errors import NotFound
from apps.core.scoping import scope, scopes_disabled
from apps.orgs.models import User
from apps.rounds.models import Round, RoundEntry
from apps.rounds.selectors import case_outcomes, round_lock_record
from apps.rounds.services import (
    NeedsConfirmation,
    round_entries_decide,
    round_entry_decide,
    round_for,
    round_receive,
    round_report,
    round_transition,
)
from apps.rounds.tests.conftest import CONFIRMED, complete_attachments, submit


@pytest.fixture
def world(campaign):
    with scopes_disabled():
        yield campaign


def decisions(world):
    return list(AuditEntry.plain.filter(action="round_entry.decide").values_list("target_id", flat=True))


def test_r107_county_round_takes_its_deadline_from_the_rulebook(world, xihu_entry):
    assert xihu_entry.round.deadline == rulebook_values(world.zhejiang_programme)["county_report_deadline"]


def test_r107_county_passes_a_case(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    assert xihu_entry.decision == "passed" and xihu_entry.decided_by == world.xihu_admin
    assert decisions(world) == [str(xihu_entry.pk)]


def test_r107_screening_out_needs_a_reason_and_nothing_is_written_without_one(world, xihu_entry):
    with pytest.raises(ValidationError) as exc:
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="out", reason="  ")
    assert "请填写未通过的原因" in exc.value.message_dict["reason"][0]
    xihu_entry.refresh_from_db()
    assert xihu_entry.decision == "pending" and decisions(world) == []


def test_r107_a_screened_out_case_keeps_the_reason_the_submitter_sees(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="out", reason="企业不属于本区县")
    with scope(org=world.xihu_park):  # the recommending association reads its case's outcome
        outcomes = list(case_outcomes(xihu_entry.case))
    assert [(o.round.kind, o.round.org.name, o.decision, o.reason) for o in outcomes] == [
        ("county_screening", "西湖区", "out", "企业不属于本区县")]
    assert outcomes[0].decided_at is not None


def test_returning_needs_comments(world, xihu_entry):
    with pytest.raises(ValidationError) as exc:
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="returned")
    assert "修改意见" in exc.value.message_dict["comment"][0]
    assert Case.plain.get(pk=xihu_entry.case_id).status == "submitted"


def test_a_returned_case_goes_back_to_its_association_and_comes_back_pending(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="returned", comment="请补充成效数据")
    case = Case.plain.get(pk=xihu_entry.case_id)
    assert case.status == "returned" and xihu_entry.comment == "请补充成效数据"
    with pytest.raises(ValidationError, match="已退回修改"):
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    case.status, case.version = "submitted", 2
    case.save()
    again = round_receive(case=case, by=world.xihu_park_admin)
    assert again.pk == xihu_entry.pk and again.decision == "pending" and again.case_version == 2


def test_staff_of_the_county_may_decide(world, xihu_entry, xihu_staff):
    round_entry_decide(entry=xihu_entry, by=xihu_staff, decision="passed", despite=CONFIRMED)
    assert xihu_entry.decision == "passed"


@pytest.mark.parametrize("who", ["hangzhou_admin", "shangcheng_admin", "xihu_park_admin"])
def test_only_the_county_itself_decides(world, xihu_entry, who):
    with pytest.raises(NotFound):
        round_entry_decide(entry=xihu_entry, by=getattr(world, who), decision="passed", despite=CONFIRMED)
    assert decisions(world) == []


def test_bulk_pass_decides_every_selected_entry_and_audits_each(world, xihu_entry):
    others = [submit(world) for _ in range(3)]
    chosen = [xihu_entry.pk, others[0].pk, others[1].pk]
    n = round_entries_decide(round=xihu_entry.round, entry_ids=chosen, by=world.xihu_admin, decision="passed",
                             despite={pk: CONFIRMED for pk in chosen})
    assert n == 3
    states = dict(RoundEntry.plain.values_list("pk", "decision"))
    assert states[xihu_entry.pk] == states[others[0].pk] == states[others[1].pk] == "passed"
    assert states[others[2].pk] == "pending"
    assert sorted(decisions(world)) == sorted(str(e.pk) for e in (xihu_entry, others[0], others[1]))


def test_bulk_screen_out_gives_each_the_one_reason(world, xihu_entry):
    other = submit(world)
    round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, other.pk], by=world.xihu_admin,
                         decision="out", reason="逾期提交")
    assert set(RoundEntry.plain.values_list("decision", "reason")) == {("out", "逾期提交")}


def test_bulk_screen_out_without_a_reason_writes_nothing(world, xihu_entry):
    other = submit(world)
    with pytest.raises(ValidationError):
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, other.pk], by=world.xihu_admin,
                             decision="out")
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"pending"}


def test_bulk_is_all_or_nothing_when_a_selected_case_was_returned(world, xihu_entry):
    other = submit(world)
    round_entry_decide(entry=other, by=world.xihu_admin, decision="returned", comment="补充材料")
    with pytest.raises(ValidationError, match="已退回修改"):
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, other.pk], by=world.xihu_admin,
                             decision="passed")
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"


def test_bulk_refuses_entries_of_another_round(world, xihu_entry):
    foreign = submit(world, county=world.shangcheng, recommender=world.shangcheng_park)
    with pytest.raises(ValidationError, match="不在本轮名单"):
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, foreign.pk], by=world.xihu_admin,
                             decision="passed")
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"pending"}


def test_decisions_on_a_locked_round_are_refused(world, xihu_entry):
    round_transition(round=xihu_entry.round, to="locked", by=world.xihu_admin)
    with pytest.raises(ValidationError, match="已锁定，不能再修改结果"):
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    with pytest.raises(ValidationError, match="已锁定"):
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk], by=world.xihu_admin,
                             decision="passed")
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"


def test_decisions_on_a_closed_round_are_still_allowed(world, xihu_entry):
    round_transition(round=xihu_entry.round, to="closed", by=world.xihu_admin)
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    assert xihu_entry.decision == "passed"


def test_r107_report_is_refused_while_cases_are_pending_and_says_how_many(world, xihu_entry):
    submit(world)
    with pytest.raises(ValidationError, match="还有2件案例待处理"):
        round_report(round=xihu_entry.round, by=world.xihu_admin)
    assert Round.plain.get(pk=xihu_entry.round_id).state == "open"
    assert not RoundEntry.plain.filter(round__kind="city_selection").exists()


def test_r107_report_sends_only_passed_cases_to_the_city_and_freezes_the_county_list(world, xihu_entry):
    out = submit(world)
    returned = submit(world)
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    round_entry_decide(entry=out, by=world.xihu_admin, decision="out", reason="材料不全")
    round_entry_decide(entry=returned, by=world.xihu_admin, decision="returned", comment="补充数据")
    county = round_report(round=xihu_entry.round, by=world.xihu_admin)
    assert county.state == "sent" and county.sent_by == world.xihu_admin
    assert round_lock_record(county).by == world.xihu_admin.display_name
    city = round_for(programme=world.zhejiang_programme, org=world.hangzhou, kind="city_selection")
    assert city.state == "open"
    received = list(RoundEntry.plain.filter(round=city))
    assert [(e.case_id, e.decision, e.source_id) for e in received] == [(xihu_entry.case_id, "pending", xihu_entry.pk)]
    moves = [AuditEntry.plain.filter(action="round.transition", target_id=str(county.pk)).values_list("data", flat=True)]
    assert any('"to":"locked"' in m for m in moves[0]) and any('"to":"sent"' in m for m in moves[0])
    assert AuditEntry.plain.filter(action="round.receive", target_id=str(received[0].pk)).exists()
    # Frozen: no decision, no new case, no second report.
    with pytest.raises(ValidationError, match="已上报"):
        round_entry_decide(entry=out, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    with pytest.raises(ValidationError, match="不再接收"):
        submit(world)
    with pytest.raises(ValidationError, match="不能重复操作"):
        round_report(round=county, by=world.xihu_admin)
    with pytest.raises(ValidationError):
        round_transition(round=county, to="open", by=world.xihu_admin)


def test_a_city_that_locked_its_list_takes_no_county_report(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    city = round_for(programme=world.zhejiang_programme, org=world.hangzhou, kind="city_selection")
    round_transition(round=city, to="open", by=world.hangzhou_admin)
    with pytest.raises(ValidationError, match="遴选名单"):  # a city's list is locked on the selection page
        round_transition(round=city, to="locked", by=world.hangzhou_admin)
    round_transition(round=city, to="locked", by=None, check=False)
    with pytest.raises(ValidationError, match="杭州市已锁定"):
        round_report(round=xihu_entry.round, by=world.xihu_admin)
    assert Round.plain.get(pk=xihu_entry.round_id).state == "open"


def test_only_the_county_reports_its_own_list(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    with pytest.raises(NotFound):
        round_report(round=xihu_entry.round, by=world.hangzhou_admin)
    assert Round.plain.get(pk=xihu_entry.round_id).state == "open"


@pytest.mark.postgres
def test_r107_two_clerks_reporting_at_once_send_the_list_once(transactional_db, tree, xihu_staff):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (one write transaction at a time), so there is no race to test")
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
        entries = [submit(tree) for _ in range(3)]
        round_entries_decide(round=entries[0].round, entry_ids=[e.pk for e in entries], by=tree.xihu_admin,
                             decision="passed", despite={e.pk: CONFIRMED for e in entries})
        round_id = entries[0].round_id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def report(username):
        try:
            with scopes_disabled():
                user = User.objects.get(username=username)
                county = Round.plain.get(pk=round_id)
                barrier.wait(timeout=10)
                round_report(round=county, by=user)
            outcomes.append("sent")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(u,)) for u in (tree.xihu_admin.username, xihu_staff.username)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("sent") == 1
    assert "不能重复操作" in next(o for o in outcomes if o != "sent")
    with scopes_disabled():
        assert RoundEntry.plain.filter(round__kind="city_selection").count() == 3
        assert AuditEntry.plain.filter(action="round.send").count() == 1


# -- passing a case whose checks found problems (R-107) --------------------------------------------------

def decide_rows(world):
    return [json.loads(d) if isinstance(d, str) else d
            for d in AuditEntry.plain.filter(action="round_entry.decide").order_by("id").values_list("data", flat=True)]


def test_r107_passing_a_case_missing_attachments_asks_for_confirmation_and_writes_nothing(world, xihu_entry):
    with pytest.raises(NeedsConfirmation) as exc:
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=[])
    assert "缺4项必备附件" in exc.value.messages[0]
    assert [o.check.id for o in exc.value.findings[xihu_entry.pk]] == ["attachments"]
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending" and decisions(world) == []


def test_r107_passing_despite_confirmed_findings_passes_and_the_audit_row_lists_them(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=["attachments"])
    assert xihu_entry.decision == "passed"
    [row] = decide_rows(world)
    assert row["to"] == "passed" and row["confirmed"] is True
    assert row["despite"] == [{"check": "attachments", "rule": "R-107", "finding": "缺4项必备附件"}]


def test_r107_a_confirmation_covers_only_the_findings_the_person_was_shown(world):
    deadline = rulebook_values(world.zhejiang_programme)["case_submission_deadline"]
    entry = submit(world, submitted_on=deadline + dt.timedelta(days=2))  # late, and without files
    with pytest.raises(NeedsConfirmation) as exc:
        round_entry_decide(entry=entry, by=world.xihu_admin, decision="passed", despite=["attachments"])
    assert [o.finding for o in exc.value.findings[entry.pk]] == ["缺4项必备附件", "逾期2天提交"]
    assert RoundEntry.plain.get(pk=entry.pk).decision == "pending"


def test_passing_a_case_whose_checks_all_hold_needs_no_confirmation(world, xihu_entry):
    complete_attachments(xihu_entry.case)
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=[])
    assert xihu_entry.decision == "passed"
    assert "despite" not in decide_rows(world)[0]


def test_screening_out_or_returning_a_case_with_findings_needs_no_confirmation(world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="out", reason="材料不全", despite=[])
    assert xihu_entry.decision == "out"


def test_no_caller_passes_findings_nobody_confirmed(world, xihu_entry):
    """Not even a command or the demo: passing despite findings always names what was confirmed."""
    with pytest.raises(NeedsConfirmation):
        round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed")
    xihu_entry.refresh_from_db()
    assert xihu_entry.decision == "pending" and decide_rows(world) == []


def test_r107_bulk_pass_with_an_incomplete_case_asks_first_and_passes_none(world, xihu_entry):
    complete = submit(world)
    complete_attachments(complete.case)
    with pytest.raises(NeedsConfirmation) as exc:
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, complete.pk], by=world.xihu_admin,
                             decision="passed", despite={})
    assert set(exc.value.findings) == {xihu_entry.pk}
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"pending"}
    n = round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, complete.pk], by=world.xihu_admin,
                             decision="passed", despite={xihu_entry.pk: {"attachments"}})
    assert n == 2 and set(RoundEntry.plain.values_list("decision", flat=True)) == {"passed"}
    rows = {r["case"]: r for r in decide_rows(world)}
    assert rows[xihu_entry.case_id]["despite"][0]["check"] == "attachments"
    assert "despite" not in rows[complete.case_id]


def test_bulk_return_gives_each_the_one_comment_and_sends_each_case_back(world, xihu_entry):
    other = submit(world)
    with pytest.raises(ValidationError) as exc:
        round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, other.pk], by=world.xihu_admin,
                             decision="returned", comment=" ")
    assert "修改意见" in exc.value.message_dict["comment"][0]
    round_entries_decide(round=xihu_entry.round, entry_ids=[xihu_entry.pk, other.pk], by=world.xihu_admin,
                         decision="returned", comment="请上传盖章推荐表")
    assert set(RoundEntry.plain.values_list("decision", "comment")) == {("returned", "请上传盖章推荐表")}
    assert set(Case.plain.filter(pk__in=[xihu_entry.case_id, other.case_id]).values_list("status", flat=True)) == {
        "returned"}
