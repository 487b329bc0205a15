"""Issue 7 in a real browser, the province's whole step: its admin asks for the best list, swaps a case and sees
the park-share rule (R-109) break, fixes it, locks the list, opens its 公示, a member of the public objects on
the public page (on a phone), the admin answers the objection, and once the 公示 is over sends the list to the
centre. The cases then sit in the centre's story round and the province's presenter round."""

import datetime as dt

import pytest

from tests.browser.conftest import case_row, go, login, province_round_with_cases
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

@pytest.fixture
def world(transactional_db):
    return province_round_with_cases("zj-list-admin", serial_prefix="PRW")


def _toggle(page, title, button):
    row = case_row(page, title)
    row.get_by_role("button", name=button).click()
    row.get_by_role("button", name="加入名单" if button == "移出名单" else "移出名单").wait_for()


def test_a_province_admin_proposes_swaps_fixes_locks_answers_and_sends(page, phone, live_server, world):
    from django.utils import timezone

    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round, RoundEntry
    from apps.selection.models import LockedList, Objection

    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of lock and send
    login(page, live_server, "zj-list-admin", PASSWORD)
    page.goto(f"{live_server.url}/selection/rounds/{world.round.pk}/list/")
    go(page, page.get_by_role("button", name="求最优名单（替换当前名单）"))
    assert page.get_by_text("新列入（4件）").is_visible()  # asked first, with what changes
    go(page, page.get_by_role("button", name="确认替换当前名单"))
    assert page.get_by_text("已采用建议名单：4件").is_visible()
    assert page.get_by_text("名单符合本轮全部规则。").is_visible()

    go(page, page.get_by_role("link", name="只看名单"))
    on_list = [t for t in world.cases if case_row(page, t).count()]
    park = [t for t in on_list if world.cases[t].channel == "park"]
    outside = [t for t in world.cases if t not in on_list and world.cases[t].channel == "enterprise"]
    assert len(on_list) == 4 and len(park) == 2 and outside
    page.goto(f"{live_server.url}/selection/rounds/{world.round.pk}/list/")
    _toggle(page, park[0], "移出名单")  # the swap: one park case out, an enterprise case in
    _toggle(page, outside[0], "加入名单")
    violation = page.locator(".violations li", has_text="R-109")
    assert violation.count() == 1 and "园区科协" in violation.inner_text()
    assert page.get_by_text("名单符合全部规则后才能锁定。").is_visible()

    _toggle(page, outside[0], "移出名单")  # the fix
    _toggle(page, park[0], "加入名单")
    assert page.locator(".violations li", has_text="R-109").count() == 0
    go(page, page.get_by_role("button", name="锁定名单并公示5天"))
    assert page.get_by_text("名单已锁定（4件）").is_visible()
    assert page.get_by_text("公示中").first.is_visible()
    public_url = page.get_by_role("link", name="/gs/").get_attribute("href")

    # The public objects on its phone, first forgetting the contact, then properly.
    phone.goto(public_url)
    assert phone.get_by_text("浙江省省级遴选名单公示").is_visible()
    phone.get_by_label("异议案例").select_option(index=1)
    phone.get_by_label("姓名").fill("李明")
    phone.get_by_label("异议的事实和理由").fill("该案例所述专利尚未授权，与申报材料不符，请核实。")
    go(phone, phone.get_by_role("button", name="提交异议"))
    assert phone.locator("#field-contact .error", has_text="请填写手机号码、固定电话").is_visible()
    assert phone.locator("#error-summary", has_text="请填写手机号码、固定电话").is_visible()
    phone.get_by_label("联系方式").fill("13800138000")
    go(phone, phone.get_by_role("button", name="提交异议"))
    assert phone.get_by_text("已收到您的异议").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.reload()
    assert page.get_by_text("还有1条异议未答复").is_visible()
    assert page.get_by_role("button", name="报送中心").count() == 0
    objection = page.locator("article.objection")
    assert "专利尚未授权" in objection.inner_text()
    objection.get_by_label("异议不成立").check()
    objection.get_by_label("答复意见").fill("经核实，该专利已于今年3月授权，申报材料属实。")
    go(page, objection.get_by_role("button", name="提交答复"))
    assert page.get_by_text("已答复李明的异议：异议不成立").is_visible()
    assert page.get_by_text("公示期至").is_visible()  # answered, but the 公示 still runs

    with scopes_disabled():  # five days pass
        today = timezone.localdate()
        LockedList.plain.filter(round=world.round).update(starts_on=today - dt.timedelta(days=6),
                                                          ends_on=today - dt.timedelta(days=1))
    page.reload()
    assert page.get_by_text("公示期满，异议均已答复，可以报送中心。").is_visible()
    go(page, page.get_by_role("button", name="报送中心"))
    assert page.get_by_text("已报送中心：4件案例。").is_visible()
    with scopes_disabled():
        assert Round.plain.get(pk=world.round.pk).state == Round.State.SENT
        locked = LockedList.plain.get(round=world.round)
        assert Objection.plain.get().outcome == "dismissed"
        for kind in (Round.Kind.NATIONAL_STORY, Round.Kind.PRESENTER_SELECTION):
            received = RoundEntry.plain.filter(round__kind=kind).values_list("case_id", flat=True)
            assert sorted(received) == sorted(locked.case_ids)
