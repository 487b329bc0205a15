"""The province's list in a real browser once an objection was upheld (R-106): the solver cannot quietly put the
case back; replacing the list asks first and shows what changes; a person pins the case back with a written
reason; re-locking keeps one public 公示 address, an old link leads there; a failed objection lands on its errors
on a phone; every public 公示 page passes axe-core at 375 px."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import PROVINCE_CANDIDATES, case_row, go, login, province_round_with_cases
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

UPHELD = "数字孪生柔性产线改造"


@pytest.fixture
def world(transactional_db):
    """浙江省's provincial round (tests/browser/conftest.py) with the best list locked and in 公示."""
    from apps.core.scoping import scopes_disabled
    from apps.selection import services

    t = province_round_with_cases("zj-pin-admin", serial_prefix="PXN")
    with scopes_disabled():
        found = services.list_propose(t.round)
        services.list_adopt(round=t.round, by=t.admin, case_ids=found.chosen)
        t.locked = services.list_lock(round=t.round, by=t.admin)
    return t


def _uphold(world):
    from apps.core.scoping import scopes_disabled
    from apps.selection import services

    with scopes_disabled():
        objection = services.objection_submit(locked=world.locked, case_id=world.cases[UPHELD].pk, name="张华",
                                              contact="zh@example.com", reason="该企业已于今年被列入经营异常名录。")
        services.objection_answer(objection=objection, by=world.admin, outcome="upheld",
                                  answer="经核实属实，该案例不再列入名单。")


def _ids(world, titles):
    return {world.cases[t].pk for t in titles}


def test_an_upheld_case_stays_out_of_the_proposal_until_pinned_back_with_a_reason(page, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.selection import services

    _uphold(world)
    login(page, live_server, "zj-pin-admin", PASSWORD)
    page.goto(f"{live_server.url}/selection/rounds/{world.round.pk}/publicity/")
    page.get_by_text("解锁名单", exact=True).click()
    page.get_by_label("解锁原因").fill("异议成立，调整名单")
    go(page, page.get_by_role("button", name="解锁", exact=True))
    assert page.get_by_text("名单已解锁").is_visible()
    assert "异议已认定成立（R-106）" in case_row(page, UPHELD).inner_text()  # still on the list: flagged
    case_row(page, UPHELD).get_by_role("button", name="移出名单").click()  # swapped in place (htmx)
    page.get_by_text("名单现有3件").wait_for()

    go(page, page.get_by_role("button", name="求最优名单（替换当前名单）"))
    incoming = page.locator("ol.changes-in")
    assert page.get_by_text("新列入（1件）").is_visible() and UPHELD not in incoming.inner_text()
    holds = page.locator("section", has=page.get_by_role("heading", name="求解时遵循的决定"))
    assert UPHELD in holds.inner_text() and "异议已认定成立" in holds.inner_text()
    assert_accessible(page)
    go(page, page.get_by_role("button", name="确认替换当前名单"))
    assert page.get_by_text("已采用建议名单：4件（新列入1件，移出0件）").is_visible()
    with scopes_disabled():
        assert world.cases[UPHELD].pk not in services.list_ids(world.round)

    row = case_row(page, UPHELD)  # off the list, and the page says why
    assert "异议已认定成立（R-106）：经核实属实" in row.inner_text()
    assert row.get_by_role("button", name="加入名单").count() == 0
    row.get_by_text("写明理由后指定入选").click()
    go(page, row.get_by_role("button", name="指定入选"))  # no reason: refused at the field
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "须写明复核理由" in summary.inner_text()
    row = case_row(page, UPHELD)
    assert row.locator(".has-error .error").is_visible()
    assert_accessible(page)
    row.get_by_label("复核理由").fill("经复核，该企业已于公示期内移出经营异常名录，恢复推荐")
    go(page, row.get_by_role("button", name="指定入选"))
    assert page.get_by_text(f"已指定入选“{UPHELD}”").is_visible()
    assert "已由" in case_row(page, UPHELD).inner_text() and "恢复推荐" in case_row(page, UPHELD).inner_text()

    go(page, page.get_by_role("button", name="求最优名单（替换当前名单）"))
    page.get_by_text("查看建议名单全部4件").click()
    assert UPHELD in page.locator("details.proposal-all").inner_text()  # proposed again, as pinned
    assert page.get_by_text("移出（1件）").is_visible()  # a list of five: one goes
    go(page, page.get_by_role("button", name="确认替换当前名单"))
    with scopes_disabled():
        listed = set(services.list_ids(world.round))
    assert world.cases[UPHELD].pk in listed and len(listed) == 4


def test_replacing_the_list_shows_what_changes_and_cancelling_keeps_it(page, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round
    from apps.selection import services

    with scopes_disabled():
        services.list_unlock(round=world.round, by=world.admin, reason="重新核对名单")
        Round.plain.filter(pk=world.round.pk).update(state=Round.State.OPEN)
        before = services.list_ids(world.round)
        taken = next(t for t in PROVINCE_CANDIDATES if world.cases[t[0]].pk in before)[0]
        services.list_set(round=world.round, by=world.admin, remove=[world.cases[taken].pk])
        spare = next(t for t, r in PROVINCE_CANDIDATES if world.cases[t].pk not in before and r.endswith("_ent"))
        services.list_set(round=world.round, by=world.admin, add=[world.cases[spare].pk])
    login(page, live_server, "zj-pin-admin", PASSWORD)
    page.goto(f"{live_server.url}/selection/rounds/{world.round.pk}/list/")
    go(page, page.get_by_role("button", name="求最优名单（替换当前名单）"))
    assert taken in page.locator("ol.changes-in").inner_text()
    assert spare in page.locator("ol.changes-out").inner_text()
    assert page.get_by_text("与当前名单相比：新列入1件，移出1件，保留3件。").is_visible()
    go(page, page.get_by_role("link", name="取消，保留当前名单"))
    with scopes_disabled():
        assert world.cases[spare].pk in services.list_ids(world.round)  # nothing replaced


def test_a_relock_keeps_one_public_address_and_an_old_link_leads_to_the_current_notice(phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.selection import services

    first_slug = world.locked.slug
    phone.goto(f"{live_server.url}/gs/{first_slug}/")
    assert phone.get_by_text("发布单位：浙江省").is_visible()
    assert_accessible(phone)
    _uphold(world)
    with scopes_disabled():
        services.list_unlock(round=world.round, by=world.admin, reason="异议成立，调整名单")
        services.list_set(round=world.round, by=world.admin, remove=[world.cases[UPHELD].pk])
    phone.goto(f"{live_server.url}/gs/{first_slug}/")  # being adjusted: the address says so
    assert phone.get_by_text("名单正在调整").is_visible() and phone.get_by_text("异议成立，调整名单").is_visible()
    assert_accessible(phone)
    with scopes_disabled():
        found = services.list_propose(world.round)
        services.list_adopt(round=world.round, by=world.admin, case_ids=found.chosen)
        second = services.list_lock(round=world.round, by=world.admin)

    phone.goto(f"{live_server.url}/gs/{second.slug}/")  # the second lock's own link, from the API say
    assert phone.url.endswith(f"/gs/{first_slug}/")
    assert phone.get_by_text("本次为第2次公示").is_visible()
    assert UPHELD not in phone.locator("ol.gslist").inner_text()
    history = phone.locator("section.gshistory")
    assert "第1次公示" in history.inner_text() and "撤回原因：异议成立，调整名单" in history.inner_text()
    assert phone.locator("section.gscheck").get_by_text(second.sha256).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(phone)

    from django.utils import timezone

    from apps.selection.models import LockedList

    with scopes_disabled():  # the 公示 is over
        today = timezone.localdate()
        LockedList.plain.filter(pk=second.pk).update(starts_on=today - dt.timedelta(days=6),
                                                     ends_on=today - dt.timedelta(days=1))
    phone.reload()
    assert phone.get_by_text("公示期已满").is_visible() and phone.locator("#objection").count() == 0
    assert_accessible(phone)


def _in_view(page, selector) -> bool:
    return page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight;
    }""", selector)


def test_a_failed_objection_lands_on_its_errors_on_a_phone_also_with_the_captcha(phone, live_server, world):
    from apps.core.scoping import scopes_disabled
    from apps.selection import services

    with scopes_disabled():  # this address objected twice already: the image captcha is asked
        for _ in range(services.OBJECTION_CAPTCHA_AFTER):
            services.objection_submit(locked=world.locked, case_id=world.cases[UPHELD].pk, name="李明",
                                      contact="13800138000", reason="该案例所述专利尚未授权，请核实。",
                                      address="127.0.0.1")
    phone.goto(f"{live_server.url}/gs/{world.locked.slug}/")
    assert phone.locator("img[alt^='图片验证码']").is_visible()
    assert_accessible(phone)
    phone.get_by_label("异议案例").select_option(index=1)
    phone.get_by_label("姓名").fill("李明")
    phone.get_by_label("联系方式").fill("12")
    phone.get_by_label("异议的事实和理由").fill("太短")
    go(phone, phone.get_by_role("button", name="提交异议"))
    phone.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert phone.evaluate("window.scrollY > 0")  # not left at the top of the page
    assert _in_view(phone, "#error-summary")
    summary = phone.locator("#error-summary").inner_text()
    assert "联系方式" in summary and "异议的事实和理由" in summary and "图片验证码" in summary
    assert phone.locator("#field-contact.has-error .error").is_visible()
    assert phone.locator("#answer-error").is_visible()
    phone.locator("#error-summary").get_by_role("link", name="图片验证码", exact=False).click()
    assert phone.evaluate("document.activeElement.id") == "answer"
    assert_accessible(phone)
