"""The association's case pages in a real browser: nothing typed is lost (over a limit, leaving the page), every
problem of a submit at its field and in the summary the page lands on, the list's total, and axe-core on every
page an association uses, on a phone."""

import re

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login
from tests.browser.test_case_flow import field
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PARK_ADMIN = "admin-330106-p001"
LONG_TITLE = "基于数字孪生与工业互联网平台的离散制造企业柔性产线协同改造实践探索"  # 33 characters against 30
PRACTICE = ("第一阶段梳理换型工序，建立设备台账和工艺参数库；第二阶段搭建数字孪生模型，打通设备数据与生产计划；"
            "第三阶段上线换型参数自动推演，班组按推演结果调整产线。") * 16  # about 1,200 characters


@pytest.fixture
def drafts(transactional_db):
    """The test tree and campaign, submissions open, and a complete draft of 西湖科技园科协 with its files
    (file rows only), plus an invitation link for the enterprise's contact."""
    from apps.campaigns.tests.world import build_campaign
    from apps.cases.services import case_invite_create
    from apps.cases.tests.case_world import attach_required_files, open_submissions
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree, make_case, make_enterprise

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        open_submissions(t)
        t.enterprise = make_enterprise(t.campaign, t.xihu, name="杭州西湖智能装备有限公司")
        t.case = make_case(t.enterprise, t.xihu_park)
        attach_required_files(t.case)
        _invite, t.invite_token = case_invite_create(case=t.case, by=t.xihu_park_admin)
    return t


def _reload(case):
    from apps.cases.models import Case
    from apps.core.scoping import scopes_disabled

    with scopes_disabled():
        return Case.plain.get(pk=case.pk)


def _dialogs(page) -> list:
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    return seen


def test_text_over_a_limit_is_kept_when_the_person_leaves_and_comes_back(page, live_server, drafts):
    """A title of 33 characters against 30 once made autosave save nothing; one click away lost 1,200 characters."""
    dialogs = _dialogs(page)
    login(page, live_server, PARK_ADMIN, PASSWORD)
    edit = f"{live_server.url}/cases/{drafts.case.pk}/edit/"
    page.goto(edit)
    page.get_by_label("案例标题").fill(LONG_TITLE)
    counter = page.locator("#count-id_title")
    assert counter.inner_text() == "33 / 30 字，超出 3 字"
    assert "over" in counter.get_attribute("class")
    assert "over-limit" in page.locator("#field-title").get_attribute("class")  # red at the field while typing
    field(page, "主要做法").fill(PRACTICE)
    status = page.locator("#autosave-status")
    field(page, "主要做法").blur()
    page.wait_for_function("document.getElementById('autosave-status').textContent.startsWith('已保存 ')")
    assert re.fullmatch(r"已保存 \d\d:\d\d", status.inner_text())

    go(page, page.get_by_role("link", name="查看案例"))
    assert dialogs == []  # everything was saved: leaving asks nothing
    page.goto(edit)
    assert page.get_by_label("案例标题").input_value() == LONG_TITLE
    assert field(page, "主要做法").input_value() == PRACTICE.strip()
    assert "over" in page.locator("#count-id_title").get_attribute("class")
    case = _reload(drafts.case)
    assert (case.title, case.practice) == (LONG_TITLE, PRACTICE.strip())


def test_a_refused_save_says_unsaved_and_leaving_asks_first(page, live_server, drafts):
    dialogs = _dialogs(page)
    login(page, live_server, PARK_ADMIN, PASSWORD)
    page.goto(f"{live_server.url}/cases/{drafts.case.pk}/edit/")
    page.get_by_label("摘要").fill("摘" * 3001)  # beyond what a draft holds (10 × 300)
    page.get_by_label("摘要").blur()
    page.wait_for_function("document.getElementById('autosave-status').textContent.startsWith('未保存')")
    assert "摘要过长，草稿最多保存3000字" in page.locator("#autosave-status").inner_text()

    page.get_by_role("link", name="查看案例").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]  # the browser asked before dropping the typing
    assert page.url.endswith(f"/cases/{drafts.case.pk}/edit/")
    assert page.get_by_label("摘要").input_value() == "摘" * 3001


def test_a_page_shown_again_after_a_refused_save_button_still_guards_the_text(page, live_server, drafts):
    dialogs = _dialogs(page)
    login(page, live_server, PARK_ADMIN, PASSWORD)
    page.goto(f"{live_server.url}/cases/{drafts.case.pk}/edit/")
    page.route("**/autosave/", lambda route: route.abort())  # only the button's own post reaches the server
    page.get_by_label(re.compile("^摘要")).fill("摘" * 3001)
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert "摘要过长，草稿最多保存3000字" in page.locator("#field-abstract").inner_text()
    assert page.locator("#autosave-status").inner_text().startswith("未保存")
    page.get_by_role("link", name="查看案例").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_a_network_failure_says_unsaved_and_leaving_asks_first(page, live_server, drafts):
    dialogs = _dialogs(page)
    login(page, live_server, PARK_ADMIN, PASSWORD)
    page.goto(f"{live_server.url}/cases/{drafts.case.pk}/edit/")
    page.route("**/autosave/", lambda route: route.abort())
    page.get_by_label("经济效益").fill("年节约成本约九百万元。")
    page.get_by_label("经济效益").blur()
    page.wait_for_function("document.getElementById('autosave-status').textContent.startsWith('未保存')")
    page.get_by_role("link", name="查看案例").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_a_submit_with_three_problems_shows_each_at_its_field_and_all_in_the_summary(phone, live_server, drafts):
    login(phone, live_server, PARK_ADMIN, PASSWORD)
    phone.goto(f"{live_server.url}/cases/{drafts.case.pk}/edit/")
    phone.get_by_label("案例标题").fill(LONG_TITLE)
    phone.get_by_label("联系人手机").fill("")
    phone.get_by_label(re.compile("承诺材料真实")).uncheck()
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存并提交").first.click()

    summary = phone.locator("#error-summary")
    items = summary.locator("li")
    assert items.count() == 3
    expected = {"title": "案例标题不能超过30字，当前33字，请删减3字", "contact_phone": "请填写联系人手机",
                "consent_truthful": "请勾选“承诺材料真实”"}
    for name, text in expected.items():
        field = phone.locator(f"#field-{name}")
        assert "has-error" in field.get_attribute("class")
        assert field.locator("p.error").inner_text() == text
        assert summary.locator(f'a[href="#id_{name}"]').inner_text().endswith(text)
    # The page lands on the summary: focused, and in view on the phone's screen (not the top of the page).
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    top = phone.evaluate("document.getElementById('error-summary').getBoundingClientRect().top")
    assert 0 <= top < 200 and phone.evaluate("window.scrollY") > 0
    assert _reload(drafts.case).title == LONG_TITLE and _reload(drafts.case).status == "draft"
    assert_accessible(phone)

    summary.locator('a[href="#id_title"]').click()
    assert phone.evaluate("document.getElementById('id_title').getBoundingClientRect().top") < 740


def test_the_case_list_shows_its_total(page, live_server, drafts):
    from apps.core.scoping import scopes_disabled
    from tests.factories import make_case

    with scopes_disabled():
        for n in range(2):
            make_case(drafts.enterprise, drafts.xihu_park, title=f"第{n + 2}个草稿案例")
    login(page, live_server, PARK_ADMIN, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    assert page.locator("#list-total").inner_text() == "共 3 件"


def test_every_page_an_association_uses_passes_axe_on_a_phone(phone, live_server, drafts):
    login(phone, live_server, PARK_ADMIN, PASSWORD)
    pk = drafts.case.pk
    for path in ("/cases/", "/cases/new/", f"/cases/{pk}/edit/", f"/cases/{pk}/edit/?check=1", f"/cases/{pk}/",
                 f"/cases/{pk}/attachments/", f"/cases/{pk}/invites/"):
        phone.goto(live_server.url + path)
        assert_accessible(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/cases/invite/{drafts.invite_token}/")  # the invited contact, no account
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
