"""Round pages as a county clerk and a city use them (R-107)."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.scoping import scope, scopes_disabled
from apps.core.todos import todos_for
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_entry_decide, round_for, round_transition
from apps.rounds.tests.conftest import CONFIRMED, complete_attachments, submit


@pytest.fixture
def world(campaign):
    with scopes_disabled():
        yield campaign


def detail(entry_or_round):
    pk = entry_or_round.round_id if isinstance(entry_or_round, RoundEntry) else entry_or_round.pk
    return reverse("rounds:round_detail", args=[pk])


def test_the_county_list_shows_received_cases_with_checklist_and_actions(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry)).content.decode()
    assert xihu_entry.case.title in page
    assert "资格检查" in page and "上报市级" in page and "批量处理勾选的案例" in page
    assert "还有 1 件案例待处理" in page


def test_the_round_list_of_a_city_shows_its_counties_rounds_with_counts(client, world, xihu_entry):
    submit(world, county=world.shangcheng, recommender=world.shangcheng_park)
    client.force_login(world.hangzhou_admin)
    page = client.get(reverse("rounds:round_list")).content.decode()
    assert "西湖区 · 区县筛查" in page and "上城区 · 区县筛查" in page
    client.force_login(world.xihu_admin)
    page = client.get(reverse("rounds:round_list")).content.decode()
    assert "西湖区 · 区县筛查" in page and "上城区" not in page


def test_screening_out_without_a_reason_shows_the_message_and_writes_nothing(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    url = reverse("rounds:entry_detail", args=[xihu_entry.pk])
    response = client.post(url, {"decision": "out", "reason": ""})
    assert response.status_code == 200
    assert "请填写未通过的原因" in response.content.decode()
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"
    response = client.post(url, {"decision": "out", "reason": "不属于创新案例"})
    assert response.status_code == 302
    assert RoundEntry.plain.get(pk=xihu_entry.pk).reason == "不属于创新案例"


def test_returning_from_the_page_needs_comments(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    url = reverse("rounds:entry_detail", args=[xihu_entry.pk])
    assert "请填写修改意见" in client.post(url, {"decision": "returned"}).content.decode()
    assert client.post(url, {"decision": "returned", "comment": "补充数据"}).status_code == 302
    assert xihu_entry.case.__class__.plain.get(pk=xihu_entry.case_id).status == "returned"


def test_bulk_pass_from_the_list(client, world, xihu_entry):
    other = submit(world)
    for entry in (xihu_entry, other):
        complete_attachments(entry.case)
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]),
                           {"decision": "passed", "entries": [xihu_entry.pk, other.pk]}, follow=True)
    assert "已处理2件案例" in response.content.decode()
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"passed"}


def test_bulk_without_a_selection_says_so(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]), {"decision": "passed"},
                           follow=True)
    assert "请先勾选要处理的案例" in response.content.decode()


def test_a_decision_on_a_locked_round_is_refused_with_a_clear_message(client, world, xihu_entry):
    round_transition(round=xihu_entry.round, to="locked", by=world.xihu_admin)
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]),
                           {"decision": "passed", "entries": [xihu_entry.pk]}, follow=True)
    assert "名单已锁定，不能再修改结果" in response.content.decode()
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"


def test_r107_report_to_city_from_the_page_and_the_city_sees_the_list(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    report = reverse("rounds:round_report", args=[xihu_entry.round_id])
    assert "还有1件案例待处理" in client.post(report, follow=True).content.decode()
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    page = client.post(report, follow=True).content.decode()
    assert "已上报市级：1个通过的案例已送达杭州市" in page
    assert "名单已上报市级，结果不能再修改" in page
    city = round_for(programme=world.zhejiang_programme, org=world.hangzhou, kind="city_selection")
    client.force_login(world.hangzhou_admin)
    page = client.get(detail(city)).content.decode()
    assert xihu_entry.case.title in page and "西湖区" in page
    assert "批量处理勾选的案例" not in page  # the city's selection work comes later
    client.force_login(world.ningbo_admin)
    assert client.get(detail(city)).status_code == 404


def test_another_countys_round_answers_404(client, world, xihu_entry):
    client.force_login(world.shangcheng_admin)
    assert client.get(detail(xihu_entry)).status_code == 404
    assert client.get(reverse("rounds:entry_detail", args=[xihu_entry.pk])).status_code == 404


def test_the_county_list_makes_the_same_number_of_queries_for_10_and_60_cases(client, world):
    first = submit(world)
    for _ in range(9):
        submit(world)
    client.force_login(world.xihu_admin)
    url = detail(first)
    client.get(url)  # warm: the similarity fingerprints are stored on first use

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ten = count()
    for _ in range(50):
        submit(world)
    client.get(url)
    sixty = count()
    assert RoundEntry.plain.filter(round_id=first.round_id).count() == 60
    assert ten == sixty


def test_the_home_page_lists_cases_to_screen_for_the_county(world, xihu_entry):
    with scope(org=world.xihu):
        todos = todos_for(world.xihu_admin, world.xihu)
    assert any("1件案例待处理" in t.text and t.rule == "R-107" for t in todos)
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    with scope(org=world.xihu):
        todos = todos_for(world.xihu_admin, world.xihu)
    assert any("请上报市级" in t.text for t in todos)


def test_moves_are_offered_with_chinese_labels(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry)).content.decode()
    assert "截止接收" in page and "锁定名单" in page
    response = client.post(reverse("rounds:round_move", args=[xihu_entry.round_id]), {"to": "closed"}, follow=True)
    assert Round.plain.get(pk=xihu_entry.round_id).state == "closed"
    assert "重新开放" in response.content.decode()


# -- what the checks found ---------------------------------------------------------------------------------

def test_r107_the_list_badge_states_what_was_found_and_names_the_rule_after_it(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry)).content.decode()
    assert '<span class="badge bad">缺4项必备附件</span>' in page
    assert '<small class="check-name">必备附件齐全 · R-107</small>' in page
    assert '<span class="badge bad">必备附件齐全</span>' not in page


def test_a_row_whose_checks_all_hold_says_so_with_their_number(client, world, xihu_entry):
    complete_attachments(xihu_entry.case)
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry)).content.decode()
    assert '<span class="badge ok">5项检查均符合</span>' in page


def test_the_case_page_shows_the_finding_in_its_checklist(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(reverse("rounds:entry_detail", args=[xihu_entry.pk])).content.decode()
    assert '<span class="badge bad">缺4项必备附件</span>' in page and "不符合</span>" not in page


# -- passing an incomplete case asks first -----------------------------------------------------------------

def decide_audit(entry):
    from apps.audit.models import AuditEntry

    return [json.loads(d) for d in AuditEntry.plain.filter(action="round_entry.decide", target_id=str(entry.pk))
            .values_list("data", flat=True)]


def test_r107_passing_an_incomplete_case_shows_what_is_missing_and_passes_only_when_confirmed(
        client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    url = reverse("rounds:entry_detail", args=[xihu_entry.pk])
    response = client.post(url, {"decision": "passed"})
    page = response.content.decode()
    assert response.status_code == 200 and "确认通过该案例" in page
    assert '<span class="badge bad">缺4项必备附件</span>' in page and "请上传盖章推荐表" in page
    assert '<input type="hidden" name="despite" value="attachments">' in page and "仍然通过" in page
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending" and decide_audit(xihu_entry) == []
    response = client.post(url, {"decision": "passed", "confirm": "1", "despite": ["attachments"]})
    assert response.status_code == 302
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "passed"
    assert decide_audit(xihu_entry)[0]["despite"][0]["finding"] == "缺4项必备附件"


def test_the_listed_checks_without_the_confirm_flag_do_not_pass_the_case(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    url = reverse("rounds:entry_detail", args=[xihu_entry.pk])
    page = client.post(url, {"decision": "passed", "despite": ["attachments"]}).content.decode()
    assert "确认通过该案例" in page
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"


def test_r107_bulk_pass_of_incomplete_cases_lists_each_with_its_findings_then_passes_on_confirmation(
        client, world, xihu_entry):
    complete = submit(world)
    complete_attachments(complete.case)
    client.force_login(world.xihu_admin)
    url = reverse("rounds:round_bulk", args=[xihu_entry.round_id])
    response = client.post(url, {"decision": "passed", "entries": [xihu_entry.pk, complete.pk]})
    page = response.content.decode()
    assert response.status_code == 200 and "确认通过所选案例" in page
    assert xihu_entry.case.title in page and "缺4项必备附件" in page and "另有1件案例检查均符合" in page
    assert f'name="despite" value="{xihu_entry.pk}:attachments"' in page
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"pending"}
    response = client.post(url, {"decision": "passed", "entries": [xihu_entry.pk, complete.pk], "confirm": "1",
                                 "despite": [f"{xihu_entry.pk}:attachments"]}, follow=True)
    assert "已处理2件案例" in response.content.decode()
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"passed"}


# -- the bulk panel's text boxes ---------------------------------------------------------------------------

def test_bulk_labels_say_which_action_needs_each_box(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry)).content.decode()
    assert "未通过原因（选择“未通过”时必填，推荐单位可见）" in page
    assert "修改意见（选择“退回修改”时必填，推荐单位可见）" in page
    assert 'data-show-for="out"' in page and 'data-show-for="returned"' in page
    assert "js/rounds.js" in page


def test_bulk_screen_out_without_a_reason_is_refused_at_the_reason_box_keeping_the_ticks(client, world, xihu_entry):
    other = submit(world)
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]),
                           {"decision": "out", "reason": "", "entries": [xihu_entry.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page and 'href="#id_bulk_reason"' in page
    assert '<div class="field has-error" id="field-reason">' in page
    assert f'value="{xihu_entry.pk}" checked' in page and f'value="{other.pk}" checked' not in page
    assert set(RoundEntry.plain.values_list("decision", flat=True)) == {"pending"}


def test_bulk_return_without_comments_is_refused_at_the_comment_box(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]),
                       {"decision": "returned", "entries": [xihu_entry.pk]}).content.decode()
    assert '<div class="field has-error" id="field-comment">' in page and "请填写修改意见" in page
    assert RoundEntry.plain.get(pk=xihu_entry.pk).decision == "pending"


# -- the deadline box ----------------------------------------------------------------------------------------

def test_the_deadline_date_box_holds_the_date_in_iso_form(client, world, xihu_entry):
    round_ = Round.plain.get(pk=xihu_entry.round_id)
    round_.deadline = dt.date(2027, 9, 10)
    round_.save()
    client.force_login(world.xihu_admin)
    page = client.get(detail(xihu_entry), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert re.search(r'<input type="date" name="deadline" value="2027-09-10"', page)


def test_a_bad_deadline_is_refused_at_the_date_box_and_nothing_changes(client, world, xihu_entry):
    before = Round.plain.get(pk=xihu_entry.round_id).deadline
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_deadline", args=[xihu_entry.round_id]), {"deadline": "2027-13-45"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="field has-error" id="field-deadline">' in page and "请填写有效的日期" in page
    assert '<details class="inline-edit" open>' in page
    assert Round.plain.get(pk=xihu_entry.round_id).deadline == before


def test_a_good_deadline_is_saved(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_deadline", args=[xihu_entry.round_id]), {"deadline": "2026-09-20"})
    assert response.status_code == 302
    assert Round.plain.get(pk=xihu_entry.round_id).deadline == dt.date(2026, 9, 20)


# -- deciding again --------------------------------------------------------------------------------------

def test_a_screened_out_case_opened_again_states_its_result_and_keeps_its_reason_in_the_box(client, world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="out", reason="企业主营业务与案例无关")
    client.force_login(world.xihu_admin)
    page = client.get(reverse("rounds:entry_detail", args=[xihu_entry.pk])).content.decode()
    assert "重新处理" in page and "当前结果为“未通过”" in page
    assert re.search(r'<textarea name="reason" id="id_reason"[^>]*>企业主营业务与案例无关</textarea>', page)
    assert re.search(r'class="card current">.{0,400}value="out"', page, re.S)


def test_a_passed_case_opened_again_states_it_was_passed(client, world, xihu_entry):
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed", despite=CONFIRMED)
    client.force_login(world.xihu_admin)
    page = client.get(reverse("rounds:entry_detail", args=[xihu_entry.pk])).content.decode()
    assert "当前结果为“通过”" in page
    assert re.search(r'class="card current">.{0,400}value="passed"', page, re.S)
    assert re.search(r'<textarea name="reason" id="id_reason"[^>]*></textarea>', page)


def test_a_pending_case_has_no_current_result(client, world, xihu_entry):
    client.force_login(world.xihu_admin)
    page = client.get(reverse("rounds:entry_detail", args=[xihu_entry.pk])).content.decode()
    assert "当前结果" not in page and "card current" not in page
