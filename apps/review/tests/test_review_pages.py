"""Expert review's pages as the city's clerk and an expert use them (R-108), and the ranking page's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.review.models import Assignment, ScoreSheet
from apps.review.tests.conftest import add_cases, configure, scores, submitted_sheet


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def zhou_assignment(assigned, cases, pool) -> Assignment:
    """周教授's assignment on 西湖科技园's case (the solver's unique choice, see test_review_services)."""
    return Assignment.plain.get(round=assigned, case=cases[0], expert=pool.zhou)


def score_url(assignment) -> str:
    return reverse("review:score", args=[assignment.pk])


# --- the round's review page -------------------------------------------------------------------------------------

def test_the_review_page_lists_cases_and_offers_assignment_before_any(client, campaign, city_round, cases):
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(reverse("review:round", args=[city_round.pk])))
    assert all(case.title in text for case in cases)
    assert "自动分配专家" in text and "还没有分配专家" in text
    assert "本页有4件案例的专家不足3位" in text


def test_assigning_from_the_page_reports_the_result_and_lists_the_experts(client, campaign, city_round, cases, pool):
    client.force_login(campaign.hangzhou_admin)
    response = client.post(reverse("review:round_assign", args=[city_round.pk]), follow=True)
    text = page(response)
    assert "已求得最优分配：新增12项分配，行业不匹配0项" in text
    assert all(expert.name in text for expert in pool.all)
    assert "专家不足" not in text
    with scopes_disabled():
        assert Assignment.plain.filter(round=city_round).count() == 12


def test_an_infeasible_assignment_shows_its_reasons_on_the_page(client, campaign, city_round, cases, pool):
    configure(city_round, experts_per_case=5)
    client.force_login(campaign.hangzhou_admin)
    text = page(client.post(reverse("review:round_assign", args=[city_round.pk]), follow=True))
    assert "无法按现有条件完成分配" in text and f"案例“{cases[0].title}”需要5位，只有4位专家可以评审" in text


def test_a_county_gets_404_on_the_review_and_ranking_pages(client, campaign, city_round, cases):
    client.force_login(campaign.xihu_admin)
    assert client.get(reverse("review:round", args=[city_round.pk])).status_code == 404
    assert client.get(reverse("review:ranking", args=[city_round.pk])).status_code == 404


# --- the ranking page --------------------------------------------------------------------------------------------

def test_the_ranking_page_shows_ranks_scores_and_the_disagreement(client, campaign, city_round, pool):
    with scopes_disabled():
        a, b = add_cases(campaign, city_round, 2)
        for case, sheets in ((a, (scores(24, 24, 20, 12), scores(21, 21, 17.5, 10.5), scores(27, 27, 22.5, 13.5))),
                             (b, (scores(26, 26, 21, 12), scores(18, 18, 15, 9), scores(22, 23, 19, 11)))):
            for expert, values in zip((pool.zhou, pool.wang, pool.chen), sheets):
                submitted_sheet(city_round, case, expert, values)
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(reverse("review:ranking", args=[city_round.pk])))
    assert text.index(a.title) < text.index(b.title)
    assert "80.00" in text and "73.33" in text
    assert text.count('class="flagged"') == 1 and "分歧" in text
    assert "周教授 85.0" in text and "王总工 60.0" in text
    assert "保存排名快照" in text


def test_the_ranking_page_without_sheets_says_so(client, campaign, city_round, cases):
    client.force_login(campaign.hangzhou_admin)
    text = page(client.get(reverse("review:ranking", args=[city_round.pk])))
    assert "还没有专家提交评分" in text and "另有4件案例尚无已提交的评分" in text


def ranking_queries(client, round) -> int:
    url = reverse("review:ranking", args=[round.pk])
    page(client.get(url))  # session and caches warm
    with CaptureQueriesContext(connection) as captured:
        page(client.get(url))
    return len(captured)


def test_the_ranking_page_makes_as_many_queries_for_12_cases_as_for_3(client, campaign, city_round, pool):
    def scored_cases(n):
        with scopes_disabled():
            for case in add_cases(campaign, city_round, n):
                for expert in (pool.zhou, pool.wang, pool.chen):
                    submitted_sheet(city_round, case, expert, scores(20, 20, 20, 10))

    client.force_login(campaign.hangzhou_admin)
    scored_cases(3)
    for_3 = ranking_queries(client, city_round)
    scored_cases(9)
    for_12 = ranking_queries(client, city_round)
    print(f"ranking page queries: {for_3} for 3 cases, {for_12} for 12 cases")
    assert for_3 == for_12
    # 15 today: session, user, memberships, round, sheets, cases, expert names, resolutions, unscored count,
    # last snapshot, the nav's expert profile and campaign, and the session save (savepoint, update, release).
    assert for_12 <= 15


# --- the expert's pages ------------------------------------------------------------------------------------------

def test_the_experts_list_shows_only_their_own_cases(client, assigned, cases, pool):
    client.force_login(pool.zhou.user)
    text = page(client.get(reverse("review:my")))
    assert cases[0].title in text and cases[2].title in text  # 周's two cases
    assert cases[1].title not in text and cases[3].title not in text
    assert "您已完成 0 / 2 件案例的评分" in text


def test_a_person_without_an_expert_profile_gets_404_on_the_experts_list(client, campaign, assigned):
    client.force_login(campaign.hangzhou_admin)
    assert client.get(reverse("review:my")).status_code == 404


def test_the_scoring_page_shows_the_case_and_the_rubric(client, zhou_assignment, cases):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.get(score_url(zhou_assignment)))
    assert cases[0].title in text and cases[0].abstract in text and cases[0].practice[:50] in text
    for name, maximum in (("创新性", 30), ("实施成效", 30), ("示范推广价值", 25), ("典型性与材料质量", 15)):
        assert name in text and f"满分 {maximum}" in text
    assert 'name="score_innovation"' in text and "申请回避" in text


def test_saving_a_draft_from_the_page(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    response = client.post(score_url(zhou_assignment), {"action": "save", "score_innovation": "26",
                                                        "comment_innovation": "有新意"})
    assert response.status_code == 302 and response.url == score_url(zhou_assignment)
    with scopes_disabled():
        sheet = ScoreSheet.plain.get(assignment=zhou_assignment)
    assert (sheet.state, sheet.scores, sheet.comments) == ("draft", {"innovation": 26.0}, {"innovation": "有新意"})
    text = page(client.get(score_url(zhou_assignment)))
    assert 'value="26.0"' in text or 'value="26"' in text


def test_submitting_with_errors_shows_them_and_keeps_the_entries(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.post(score_url(zhou_assignment), {"action": "submit", "score_innovation": "26",
                                                         "score_results": "35"}))
    assert "“实施成效”的分数超过满分30分，请填写0至30之间的分数" in text
    assert "缺少“示范推广价值”的分数" in text and "缺少“典型性与材料质量”的分数" in text
    assert 'value="35"' in text
    with scopes_disabled():
        assert not ScoreSheet.plain.filter(assignment=zhou_assignment).exists()
        assert Assignment.plain.get(pk=zhou_assignment.pk).state == "active"


def test_submitting_a_valid_sheet_redirects_to_the_list_and_the_sheet_is_final(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    response = client.post(score_url(zhou_assignment), {
        "action": "submit", "score_innovation": "27", "score_results": "24.5", "score_demonstration": "20",
        "score_typicality": "12", "comment": "材料扎实"})
    assert response.status_code == 302 and response.url == reverse("review:my")
    with scopes_disabled():
        sheet = ScoreSheet.plain.get(assignment=zhou_assignment)
        assert (sheet.state, sheet.total) == ("submitted", 83.5)
        assert Assignment.plain.get(pk=zhou_assignment.pk).state == "submitted"
    text = page(client.get(score_url(zhou_assignment)))
    assert "您的评分（已提交）" in text and "总分 83.5" in text and 'name="score_innovation"' not in text
    assert "您已完成 1 / 2 件案例的评分" in page(client.get(reverse("review:my")))


def test_another_expert_gets_404_on_the_scoring_page(client, zhou_assignment, pool):
    client.force_login(pool.wang.user)
    assert client.get(score_url(zhou_assignment)).status_code == 404
    assert client.post(score_url(zhou_assignment), {"action": "save", "score_innovation": "1"}).status_code == 404


def test_declining_from_the_page_takes_the_case_off_the_experts_list(client, zhou_assignment, cases):
    client.force_login(zhou_assignment.expert.user)
    response = client.post(reverse("review:decline", args=[zhou_assignment.pk]), {"reason": "曾在该企业兼职"},
                           follow=True)
    text = page(response)
    assert f"已申请回避《{cases[0].title}》" in text
    assert f"<strong>{cases[0].title}</strong>" not in text
    assert client.get(score_url(zhou_assignment)).status_code == 404


def test_a_pool_keeper_revokes_an_invitation_and_its_link_stops_working(client, world):
    from django.urls import reverse

    from tests.factories import PASSWORD

    client.login(username=world.hangzhou_admin.username, password=PASSWORD)
    response = client.post(reverse("review:pool_invite_revoke", args=[world.expert_invite.pk]), follow=True)
    assert "已撤销给郑专家的邀请" in response.content.decode()
    client.logout()
    page = client.get(reverse("review:join", args=[world.expert_invite_token]))
    assert page.status_code == 404 and "邀请链接无效" in page.content.decode()


# --- a failed submit: every problem at its field and in the summary -------------------------------------------

def field_html(text: str, name: str) -> str:
    """The markup of one field of core/field.html (its wrapper up to the next field or fieldset)."""
    start = text.index(f'id="field-{name}"')
    start = text.rindex("<div", 0, start)
    return text[start:text.index("</div>", start)]


def test_a_failed_submit_shows_each_problem_at_its_field_and_all_in_the_summary(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.post(score_url(zhou_assignment), {"action": "submit", "score_innovation": "26",
                                                         "score_results": "35", "comment_results": "数据翔实"}))
    summary = text[text.index('id="error-summary"'):text.index("</div>", text.index('id="error-summary"'))]
    assert summary.count("<li>") == 3 and 'href="#id_score_results"' in summary
    results = field_html(text, "score_results")
    assert "has-error" in results and "“实施成效”的分数超过满分30分" in results and 'value="35"' in results
    assert "缺少“示范推广价值”的分数" in field_html(text, "score_demonstration")
    assert "has-error" not in field_html(text, "score_innovation")
    assert "数据翔实" in text


def test_the_confirmation_after_submitting_shows_the_total(client, zhou_assignment, cases):
    client.force_login(zhou_assignment.expert.user)
    response = client.post(score_url(zhou_assignment), {
        "action": "submit", "score_innovation": "27", "score_results": "24.5", "score_demonstration": "20",
        "score_typicality": "12"}, follow=True)
    assert f"已提交对《{cases[0].title}》的评分：总分 83.5（满分 100）" in page(response)


def test_the_score_page_shows_the_running_total_with_each_criterions_weight_and_maximum(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.get(score_url(zhou_assignment)))
    assert 'id="running-total"' in text and "js/score.js" in text
    assert 'data-weight="25" data-maximum="25" data-score="demonstration"' in text


def test_declining_without_a_reason_shows_the_problem_at_the_field_and_changes_nothing(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.post(reverse("review:decline", args=[zhou_assignment.pk]), {"reason": "  "}))
    assert 'id="error-summary"' in text and "<details class=\"card\" open>" in text
    assert "请填写回避原因" in field_html(text, "reason")
    # The sheet on the same page still posts to the score page, not to the decline address it was shown at.
    assert f'action="{score_url(zhou_assignment)}"' in text
    with scopes_disabled():
        assert Assignment.plain.get(pk=zhou_assignment.pk).state == "active"


def test_the_profile_page_names_every_problem_at_once(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    text = page(client.post(reverse("review:my_profile"), {"name": "", "employer_credit_code": "914403001922038217",
                                                            "region_code": "999999"}))
    assert "请填写专家姓名（不超过50个字）" in field_html(text, "name")
    assert "统一社会信用代码第18位校验码不正确" in field_html(text, "employer_credit_code")
    assert "不是有效的行政区划代码" in field_html(text, "region_code")
    with scopes_disabled():
        assert zhou_assignment.expert.name == type(zhou_assignment.expert).plain.get(pk=zhou_assignment.expert.pk).name


def test_the_join_page_names_a_missing_password_and_code_at_once(client, world):
    text = page(client.post(reverse("review:join", args=[world.expert_invite_token]),
                            {"action": "accept", "name": "郑专家"}))
    assert 'id="error-summary"' in text
    assert "请填写登录密码" in field_html(text, "password")
    assert "请输入6位数字短信验证码" in field_html(text, "code")


def test_declining_after_submitting_says_why_on_the_page_that_no_longer_offers_it(client, zhou_assignment):
    client.force_login(zhou_assignment.expert.user)
    client.post(score_url(zhou_assignment), {"action": "submit", "score_innovation": "27", "score_results": "24",
                                             "score_demonstration": "20", "score_typicality": "12"})
    response = client.post(reverse("review:decline", args=[zhou_assignment.pk]), {"reason": "曾在该企业兼职"},
                           follow=True)
    assert "您已提交该案例的评分，不能再申请回避" in page(response) and "您的评分（已提交）" in page(response)
