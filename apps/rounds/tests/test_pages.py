"""Round pages as a county clerk and a city use them (R-107)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.todos import todos_for
from apps.orgs.scoping import scope, scopes_disabled
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_entry_decide, round_for, round_transition
from apps.rounds.tests.conftest import submit


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
    assert "还有 1 个案例待处理" in page


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
    client.force_login(world.xihu_admin)
    response = client.post(reverse("rounds:round_bulk", args=[xihu_entry.round_id]),
                           {"decision": "passed", "entries": [xihu_entry.pk, other.pk]}, follow=True)
    assert "已处理2个案例" in response.content.decode()
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
    assert "还有1个案例待处理" in client.post(report, follow=True).content.decode()
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed")
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
    assert any("1个案例待处理" in t.text and t.rule == "R-107" for t in todos)
    round_entry_decide(entry=xihu_entry, by=world.xihu_admin, decision="passed")
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
