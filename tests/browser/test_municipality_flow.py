"""A municipality (直辖市, issue 16 item 3) in a real browser, from the notice to a locked list: 上海市 issues its
notice, which goes straight to its districts; 浦东新区 forwards it on a phone and a park association
acknowledges it; the associations' cases come in; 浦东新区 screens them and passes them into its own selection
round (no city in between), asks for the best list under its quota, and locks it for 公示."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from apps.campaigns.models import Programme, Rulebook
    from apps.campaigns.services import campaign_create
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_municipality, build_tree

    with scopes_disabled():
        t = build_municipality(build_tree())
        t.campaign = campaign_create(year=2026, name="2026年企业典型创新案例征集及宣讲活动", by=t.center_admin,
                                     provinces=[t.shanghai])
        t.programme = Programme.plain.get(campaign=t.campaign, org=t.shanghai)
        book = Rulebook.plain.get(programme=t.programme)
        book.values = {**book.values, "target": 6, "surplus_ratio": "0.5"}  # 浦东新区: quota 4, a list of ≥ 6
        book.save()
    return t


def submit_cases(t, n: int) -> list:
    """The associations of 浦东新区 submit `n` cases (each of its own enterprise), as the case form does."""
    from django.utils import timezone

    from apps.cases.levels import levels
    from apps.core.scoping import scopes_disabled
    from apps.rounds.tests.conftest import distinct_fields
    from tests.factories import make_case, make_enterprise

    recommenders = [t.pudong_park, t.pudong_park2, t.pudong_ent]
    cases = []
    with scopes_disabled():
        for i in range(n):
            enterprise = make_enterprise(t.campaign, t.pudong, name=f"浦东测试企业{i}有限公司", serial=f"PDB{i:06d}")
            case = make_case(enterprise, recommenders[i % 3], status="submitted", version=1,
                             submitted_at=timezone.now(), title=f"张江创新案例{i}", **distinct_fields(700 + i))
            levels().receive(case=case, by=None)
            cases.append(case)
    return cases


def test_a_municipality_goes_from_its_notice_to_a_districts_locked_list(page, phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round
    from apps.selection.models import LockedList

    page.on("dialog", lambda dialog: dialog.accept())
    # 上海市 issues its notice: it goes to its districts, there is no city level.
    login(page, live_server, "admin-310000", PASSWORD)
    go(page, page.get_by_role("link", name="通知", exact=True).first)
    go(page, page.get_by_role("link", name="下发通知").first)
    page.get_by_label("标题").fill("关于开展2026年企业典型创新案例征集活动的通知")
    page.get_by_label("正文").fill("请各区科协转发至辖区园区科协和企业科协，并组织推荐。")
    go(page, page.get_by_role("button", name="下发"))
    assert "关于开展2026年企业典型创新案例征集活动的通知" in page.content()

    # 浦东新区, on a phone, forwards it to its associations; one of them acknowledges it.
    login(phone, live_server, "admin-310115", PASSWORD)
    go(phone, phone.get_by_role("link", name=re.compile("关于开展2026年")).first)
    go(phone, phone.get_by_role("link", name="转发至下级单位"))
    assert "张江科学城科协" in phone.content() and "金桥开发区科协" in phone.content()
    go(phone, phone.get_by_role("button", name="确认转发"))
    phone.context.clear_cookies()
    login(phone, live_server, "admin-310115-p001", PASSWORD)
    go(phone, phone.get_by_role("link", name=re.compile("关于开展2026年")).first)
    go(phone, phone.get_by_role("button", name="确认收到"))
    assert phone.get_by_role("button", name="确认收到").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The cascade page of 上海市 shows districts, then associations: no empty city level.
    page.goto(f"{live_server.url}/campaigns/notices/")
    go(page, page.get_by_role("link", name=re.compile("关于开展2026年")).first)
    go(page, page.get_by_role("link", name=re.compile("转发情况|逐级")).first)
    levels = page.locator("h2, h3").all_inner_texts()
    assert any("区县" in text for text in levels) and not any(text.startswith("市") for text in levels)

    # The associations' cases come in; 浦东新区 screens them and passes them into its own selection round.
    cases = submit_cases(world, 7)
    page.context.clear_cookies()
    login(page, live_server, "admin-310115", PASSWORD)
    page.goto(f"{live_server.url}/rounds/")
    go(page, page.get_by_role("link", name=re.compile("浦东新区.*区县筛查|区县筛查")).first)
    for case in cases:
        page.get_by_label(f"选择《{case.title}》").check()
    go(page, page.get_by_role("button", name="执行"))
    go(page, page.get_by_role("button", name=re.compile("仍然通过")))
    assert page.get_by_text("已处理7件案例").is_visible()
    go(page, page.get_by_role("button", name="转入本区遴选"))
    assert page.get_by_text("已转入本区遴选：7个通过的案例已送达浦东新区").is_visible()
    with scopes_disabled():
        selection = Round.plain.get(programme=world.programme, kind=Round.Kind.CITY_SELECTION)
    assert selection.org_id == world.pudong.pk

    # Its list: the best list under its quota, then locked for 公示.
    page.goto(f"{live_server.url}/selection/rounds/{selection.pk}/list/")
    assert_accessible(page)
    go(page, page.get_by_role("button", name="求最优名单（替换当前名单）"))
    go(page, page.get_by_role("button", name="确认替换当前名单"))
    expect(page.get_by_text("名单符合本轮全部规则。")).to_be_visible()
    go(page, page.get_by_role("button", name=re.compile("锁定名单并公示")))
    expect(page.get_by_text(re.compile(r"名单已锁定（\d+件）"))).to_be_visible()
    with scopes_disabled():
        locked = LockedList.plain.get(round=selection)
        assert Round.plain.get(pk=selection.pk).state == Round.State.LOCKED
    assert len(locked.case_ids) >= 6 and {row["city"] for row in locked.lines()} == {"浦东新区"}
