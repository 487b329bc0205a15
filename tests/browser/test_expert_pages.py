"""The pages an expert uses, on a phone (R-108): a failed submit lands on its summary with each problem at its
field, the running total while scoring equals the total the server stores, every page passes axe-core, the
expert reads no rule ids, and the sheet's bars leave the screen to the sheet."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import city_round_with_cases, go, login
from tests.factories import PASSWORD, admin_of, make_user

pytestmark = pytest.mark.browser

# Weights that differ from the maxima, so that the running total must weigh each score as the server does.
WEIGHTED_RUBRIC = [
    {"key": "innovation", "name": "创新性", "weight": 40, "maximum": 10},
    {"key": "results", "name": "实施成效", "weight": 30, "maximum": 30},
    {"key": "demonstration", "name": "示范推广价值", "weight": 20, "maximum": 25},
    {"key": "typicality", "name": "典型性与材料质量", "weight": 10, "maximum": 15},
]


@pytest.fixture
def review(transactional_db):
    """杭州市's city round with two cases and a live meeting presenting the second; 周专家 is in the pool,
    assigned to both cases for expert review and judges the meeting; 郑专家 has a pending invitation."""
    from django.utils import timezone

    from apps.core.scoping import scopes_disabled
    from apps.review.meetings import meeting_add_judge, meeting_create, meeting_next, meeting_set_cases
    from apps.review.models import Assignment, Expert, PoolMember
    from apps.review.services import expert_invite_create, review_configure

    t = city_round_with_cases([("xihu", "数字孪生柔性产线改造"), ("shangcheng", "绿色低碳工艺革新")])
    with scopes_disabled():
        user = make_user("expert-zhou", "周专家", "13900001001")
        t.zhou = Expert.plain.create(user=user, name="周专家", employer="浙江大学", industries=["C"])
        PoolMember.plain.create(org=t.hangzhou, expert=t.zhou)
        t.chair = admin_of(t.hangzhou, "hz-chair")
        review_configure(round=t.round, by=t.chair,
                         data={"methods": ["review", "live"], "weights": {"review": 70, "live": 30}})
        t.assignments = [Assignment.plain.create(round=t.round, case=case, expert=t.zhou) for case in t.cases]
        t.meeting = meeting_create(round=t.round, by=t.chair, title="杭州市小型宣讲会（一）", starts_at=timezone.now())
        meeting_set_cases(meeting=t.meeting, by=t.chair, case_ids=[t.cases[1].pk])
        meeting_add_judge(meeting=t.meeting, by=t.chair, expert=t.zhou)
        meeting_next(meeting=t.meeting, by=t.chair)
        _invite, t.invite_token = expert_invite_create(org=t.hangzhou, by=t.chair, name="郑专家", phone="13900001003")
    return t


@pytest.fixture
def weighted(review):
    from apps.core.scoping import scopes_disabled
    from apps.review.services import review_configure

    with scopes_disabled():
        review_configure(round=review.round, by=review.chair, data={"rubric": WEIGHTED_RUBRIC})
    return review


def as_zhou(page, live_server):
    login(page, live_server, "expert-zhou", PASSWORD)


def score_url(live_server, assignment) -> str:
    return f"{live_server.url}/review/me/{assignment.pk}/"


def submit(page, button="提交评分"):
    page.once("dialog", lambda dialog: dialog.accept())
    go(page, page.get_by_role("button", name=button))


def lands_on_the_summary(page) -> None:
    """The summary is focused and on screen: a phone shows what to fix, not the top of the page."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    height = page.viewport_size["height"]
    # scrollIntoView may leave it a fraction of a pixel above the top edge
    assert box is not None and -2 <= box["y"] < height, f"the summary is off screen at y={box and box['y']}"


# --- errors: the summary and each field -------------------------------------------------------------------------

def test_a_sheet_submitted_with_errors_lands_on_the_summary_with_each_problem_at_its_field(phone, live_server,
                                                                                         review):
    from apps.core.scoping import scopes_disabled
    from apps.review.models import ScoreSheet

    as_zhou(phone, live_server)
    phone.goto(score_url(live_server, review.assignments[0]))
    phone.locator("#id_score_innovation").fill("26")
    phone.locator("#id_score_results").fill("35")
    phone.locator("#id_comment_results").fill("数据翔实")
    submit(phone)

    lands_on_the_summary(phone)
    summary = phone.locator("#error-summary li")
    expect(summary).to_have_count(3)
    expect(summary.nth(0)).to_contain_text("“实施成效”的分数超过满分30分")
    expect(summary.nth(1)).to_contain_text("缺少“示范推广价值”的分数")
    expect(summary.nth(2)).to_contain_text("缺少“典型性与材料质量”的分数")
    # Each problem sits under its own field, which is marked; the field without a problem is not.
    for key, text in (("results", "超过满分30分"), ("demonstration", "缺少“示范推广价值”的分数"),
                      ("typicality", "缺少“典型性与材料质量”的分数")):
        field = phone.locator(f"#field-score_{key}")
        expect(field).to_have_class(re.compile("has-error"))
        expect(field.locator(".error")).to_contain_text(text)
    expect(phone.locator("#field-score_innovation")).not_to_have_class(re.compile("has-error"))
    # A summary link takes the expert to the field; what was typed is still there; nothing was saved.
    phone.locator("#error-summary a").nth(0).click()
    expect(phone.locator("#id_score_results")).to_be_focused()
    expect(phone.locator("#id_score_results")).to_have_value("35")
    expect(phone.locator("#id_comment_results")).to_have_value("数据翔实")
    with scopes_disabled():
        assert not ScoreSheet.plain.exists()


def test_the_judge_page_lands_on_the_summary_with_each_problem_at_its_field(phone, live_server, review):
    as_zhou(phone, live_server)
    phone.goto(f"{live_server.url}/review/meetings/{review.meeting.pk}/judge/")
    expect(phone.get_by_text("绿色低碳工艺革新")).to_be_visible()
    phone.get_by_label("创新性").fill("31")
    phone.get_by_label("实施成效").fill("25")
    phone.get_by_label("意见（可不填）").fill("表达清楚")
    go(phone, phone.get_by_role("button", name="提交评分"))

    lands_on_the_summary(phone)
    expect(phone.locator("#error-summary li")).to_have_count(3)
    expect(phone.locator("#field-score_innovation .error")).to_contain_text("“创新性”的分数超过满分30分")
    expect(phone.locator("#field-score_typicality .error")).to_contain_text("缺少“典型性与材料质量”的分数")
    expect(phone.locator("#field-score_results")).not_to_have_class(re.compile("has-error"))
    expect(phone.get_by_label("意见（可不填）")).to_have_value("表达清楚")

    phone.get_by_label("创新性").fill("27")
    phone.get_by_label("示范推广价值").fill("20")
    phone.get_by_label("典型性与材料质量").fill("12.5")
    go(phone, phone.get_by_role("button", name="提交评分"))
    expect(phone.get_by_text("已提交对《绿色低碳工艺革新》的评分：总分 84.5（满分 100）")).to_be_visible()


def test_a_decline_without_a_reason_shows_the_problem_at_the_field(phone, live_server, review):
    as_zhou(phone, live_server)
    phone.goto(score_url(live_server, review.assignments[0]))
    phone.get_by_text("申请回避", exact=True).first.click()
    go(phone, phone.get_by_role("button", name="申请回避"))
    lands_on_the_summary(phone)
    expect(phone.locator("#field-reason .error")).to_have_text("请填写回避原因")


# --- the running total ------------------------------------------------------------------------------------------

def test_the_running_total_follows_the_typing_and_equals_the_servers_total(phone, live_server, weighted):
    from apps.core.scoping import scopes_disabled
    from apps.review.models import ScoreSheet
    from apps.review.templatetags.review_format import points

    as_zhou(phone, live_server)
    phone.goto(score_url(live_server, weighted.assignments[0]))
    total = phone.locator("#running-total")
    expect(total).to_be_visible()
    expect(total.locator(".total-value")).to_have_text("0")
    expect(total).to_contain_text("/ 100")
    # 创新性 weighs 40 on a maximum of 10: 7.5 counts 30.
    phone.locator("#id_score_innovation").fill("7.5")
    expect(total.locator(".total-value")).to_have_text("30")
    expect(total.locator(".total-note")).to_have_text("已评 1/4 项")
    phone.locator("#id_score_results").fill("24")
    expect(total.locator(".total-value")).to_have_text("54")
    # A score the server would refuse does not count, and the note says so.
    phone.locator("#id_score_demonstration").fill("19.55")
    expect(total.locator(".total-value")).to_have_text("54")
    expect(total.locator(".total-note")).to_have_text("有 1 项分数需修改")
    phone.locator("#id_score_demonstration").fill("19.5")  # 19.5 / 25 × 20 = 15.6
    phone.locator("#id_score_typicality").fill("12.5")  # 12.5 / 15 × 10 = 8.333…
    expect(total.locator(".total-value")).to_have_text("77.93")
    expect(total.locator(".total-note")).to_have_text("")

    submit(phone)
    expect(phone.get_by_text(re.compile(r"总分 77\.93（满分 100）"))).to_be_visible()
    with scopes_disabled():
        stored = ScoreSheet.plain.get(assignment=weighted.assignments[0]).total
    assert stored == pytest.approx(77.9333) and points(stored) == "77.93"
    phone.goto(score_url(live_server, weighted.assignments[0]))
    expect(phone.get_by_text("总分 77.93（满分 100）")).to_be_visible()


def test_the_running_total_is_the_servers_total_for_many_sheets_on_an_uneven_rubric(phone, live_server, review):
    """Weights and maxima whose quotients have no short decimal form: the total the page writes is, sheet after
    sheet, what aggregation.weighted_total stores, written by the points filter."""
    import random

    from apps.core.scoping import scopes_disabled
    from apps.review.aggregation import weighted_total
    from apps.review.services import review_configure
    from apps.review.templatetags.review_format import points

    rubric = [{"key": "a", "name": "甲", "weight": 33.3, "maximum": 7}, {"key": "b", "name": "乙", "weight": 26.7,
              "maximum": 30}, {"key": "c", "name": "丙", "weight": 22.2, "maximum": 9},
              {"key": "d", "name": "丁", "weight": 17.8, "maximum": 13}]
    with scopes_disabled():
        config = review_configure(round=review.round, by=review.chair, data={"rubric": rubric})
    as_zhou(phone, live_server)
    phone.goto(score_url(live_server, review.assignments[0]))
    rng = random.Random(20261206)
    for _ in range(300):
        values = {item.key: rng.randint(0, int(item.maximum * 10)) / 10 for item in config.rubric}
        shown = phone.evaluate("""(values) => {
            let form;
            for (const [key, value] of Object.entries(values)) {
                const input = document.getElementById("id_score_" + key);
                input.value = value;
                form = input.form;
            }
            form.dispatchEvent(new Event("input"));
            return document.querySelector("#running-total .total-value").textContent;
        }""", {key: str(value) for key, value in values.items()})
        assert shown == points(weighted_total(config.rubric, values)), values


def test_a_saved_draft_opens_with_its_running_total(phone, live_server, weighted):
    as_zhou(phone, live_server)
    phone.goto(score_url(live_server, weighted.assignments[0]))
    phone.locator("#id_score_innovation").fill("8")
    phone.locator("#id_score_typicality").fill("15")
    go(phone, phone.get_by_role("button", name="保存草稿"))
    expect(phone.locator("#running-total .total-value")).to_have_text("42")  # 8/10×40 + 15/15×10
    expect(phone.locator("#running-total .total-note")).to_have_text("已评 2/4 项")


# --- accessibility, words, room on the screen ------------------------------------------------------------------

def expert_pages(live_server, review) -> dict[str, str]:
    return {
        "my": f"{live_server.url}/review/me/",
        "score": score_url(live_server, review.assignments[0]),
        "profile": f"{live_server.url}/review/me/profile/",
        "judge": f"{live_server.url}/review/meetings/{review.meeting.pk}/judge/",
        "home": f"{live_server.url}/",
    }


def test_every_page_an_expert_uses_passes_axe_on_a_phone(phone, live_server, review):
    from apps.core.scoping import scopes_disabled
    from apps.review.services import sheet_save

    with scopes_disabled():  # one task done, one to do: both looks of the list
        sheet_save(assignment=review.assignments[1], by=review.zhou.user, submit=True,
                   scores={"innovation": 27, "results": 25, "demonstration": 20, "typicality": 12})
    phone.goto(f"{live_server.url}/review/join/{review.invite_token}/")
    assert_accessible(phone)
    go(phone, phone.get_by_role("button", name="接受邀请"))  # nothing filled in: the page with its errors
    lands_on_the_summary(phone)
    assert_accessible(phone)

    as_zhou(phone, live_server)
    for name, url in expert_pages(live_server, review).items():
        phone.goto(url)
        assert_accessible(phone)
    # The pages with a failed submit's summary and marked fields.
    phone.goto(score_url(live_server, review.assignments[0]))
    phone.locator("#id_score_innovation").fill("35")
    submit(phone)
    lands_on_the_summary(phone)
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/review/me/profile/")
    phone.get_by_label("姓名").fill("")
    go(phone, phone.get_by_role("button", name="保存"))
    lands_on_the_summary(phone)
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/review/meetings/{review.meeting.pk}/judge/")
    go(phone, phone.get_by_role("button", name="提交评分"))
    lands_on_the_summary(phone)
    assert_accessible(phone)


def test_an_expert_reads_no_rule_ids_on_their_pages(phone, live_server, review):
    as_zhou(phone, live_server)
    for name, url in expert_pages(live_server, review).items():
        phone.goto(url)
        text = phone.locator("body").inner_text()
        assert not re.search(r"R-\d{3}", text), f"{name} shows a rule id: {re.findall(r'R-[0-9]{3}', text)}"
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_text("杭州市市级遴选：2件案例待评分")).to_be_visible()


def test_the_header_and_the_sheets_bar_take_at_most_a_fifth_of_an_800px_phone(browser, live_server, review):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    try:
        page = context.new_page()
        as_zhou(page, live_server)
        page.goto(score_url(live_server, review.assignments[0]))
        header = page.locator("header.topbar").bounding_box()["height"]
        bar = page.locator(".actions.sticky").bounding_box()["height"]
        print(f"on a 375×800 phone: header {header:.0f}px, the sheet's sticky bar {bar:.0f}px")
        assert bar <= 64, f"the sheet's sticky bar is {bar:.0f}px high"
        assert header + bar <= 0.2 * 800, f"header {header:.0f}px + bar {bar:.0f}px exceed 160px"
    finally:
        context.close()
