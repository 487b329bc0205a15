"""Expert review in a real browser on a phone (R-108): the city admin opens its round and auto-assigns experts;
an expert scores two cases on the phone; the chair sees the ranking."""

import re

import pytest

from tests.browser.conftest import city_round_with_cases, go, login, nav
from tests.factories import PASSWORD, admin_of, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from apps.core.scoping import scopes_disabled
    from apps.review.models import Expert, PoolMember
    from apps.review.services import review_configure

    t = city_round_with_cases([("xihu", "数字孪生柔性产线改造"), ("xihu", "供应链协同平台建设"),
                               ("shangcheng", "绿色低碳工艺革新")])
    with scopes_disabled():
        t.experts = []
        for n, name in enumerate(("周专家", "吴专家", "郑专家")):
            user = make_user(f"expert{n}", name, f"1390000100{n}")
            expert = Expert.plain.create(user=user, name=name, employer="浙江大学", industries=["C"])
            PoolMember.plain.create(org=t.hangzhou, expert=expert)
            t.experts.append(expert)
        t.chair = admin_of(t.hangzhou, "hz-chair")
        review_configure(round=t.round, by=t.chair, data={"experts_per_case": 2, "max_load": 3})
    return t


def test_the_city_assigns_an_expert_scores_two_cases_on_a_phone_and_the_chair_sees_the_ranking(
        phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.review.models import Assignment

    login(phone, live_server, "hz-chair", PASSWORD)
    phone.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    go(phone, phone.get_by_role("link", name="专家评审").first)
    go(phone, phone.get_by_role("button", name="自动分配专家"))
    assert phone.get_by_text(re.compile("已求得最优分配：新增6项分配")).is_visible()
    # The progress table lists all three experts, two cases each.
    assert phone.locator("table.progress tbody tr").count() == 3

    with scopes_disabled():
        first = world.experts[0]
        mine = list(Assignment.plain.filter(expert=first).order_by("case_id"))
    assert len(mine) == 2

    phone.context.clear_cookies()
    login(phone, live_server, first.user.username, PASSWORD)
    nav(phone, "我的评审")
    assert phone.get_by_text("已完成 0 / 2 件案例的评分").is_visible()
    for n, assignment in enumerate(mine):
        go(phone, phone.get_by_role("link", name=assignment.case.title))
        # The case text is on the page; a score per criterion on a 375-px screen.
        assert phone.get_by_role("heading", name=assignment.case.title).is_visible()
        phone.get_by_label("分数").nth(0).fill(str(26 - n))
        phone.get_by_label("分数").nth(1).fill("25")
        go(phone, phone.get_by_role("button", name="保存草稿"))
        assert phone.get_by_text("已保存草稿").is_visible()
        # Submitting with two criteria blank lists both problems, at the top and at each field, and keeps the draft.
        phone.once("dialog", lambda dialog: dialog.accept())
        go(phone, phone.get_by_role("button", name="提交评分"))
        for key, name in (("demonstration", "示范推广价值"), ("typicality", "典型性与材料质量")):
            assert phone.locator("#error-summary").get_by_text(re.compile(f"缺少“{name}”的分数")).is_visible()
            assert phone.locator(f"#field-score_{key}").get_by_text(re.compile(f"缺少“{name}”的分数")).is_visible()
        assert phone.locator("#running-total .total-value").inner_text() == str(26 - n + 25)
        phone.get_by_label("分数").nth(2).fill("20")
        phone.get_by_label("分数").nth(3).fill("12.5")
        phone.once("dialog", lambda dialog: dialog.accept())
        go(phone, phone.get_by_role("button", name="提交评分"))
        total = 26 - n + 25 + 20 + 12.5
        assert phone.get_by_text(f"已提交对《{assignment.case.title}》的评分：总分 {total:g}（满分 100）").is_visible()
    assert phone.get_by_text("已完成 2 / 2 件案例的评分").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the expert's list scrolls sideways on a phone ({width}px)"

    phone.context.clear_cookies()
    login(phone, live_server, "hz-chair", PASSWORD)
    phone.goto(f"{live_server.url}/review/rounds/{world.round.pk}/ranking/")
    rows = phone.locator("table.ranking tbody tr")
    assert rows.count() == 2
    # 26 + 25 + 20 + 12.5 = 83.5 for the first case, 82.5 for the second: one score each, ranked in that order.
    assert "83.50" in rows.nth(0).inner_text() and mine[0].case.title in rows.nth(0).inner_text()
    assert "82.50" in rows.nth(1).inner_text()
    assert phone.get_by_text(re.compile("另有1件案例尚无已提交的评分")).is_visible()
