"""Issue 17 in a real browser: a province registers its provincial event and sends the plan with its slides to the
centre; the centre returns it with a comment on a phone; the province adds the guests asked for and resubmits;
the centre approves; the province marks the event held and fills its report. On the programme page the R-204
indicator turns from at risk to met."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from apps.campaigns.models import Rulebook
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.events.services import presenter_add
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        programme = t.zhejiang_programme
        today = timezone.localdate()
        # The programme runs this year to its end; the first provincial event is due ten days from today.
        programme.period_start, programme.period_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        programme.save()
        book = Rulebook.plain.get(programme=programme)
        t.deadline = min(today + dt.timedelta(days=10), programme.period_end)
        book.values = {**book.values, "provincial_event_deadline": t.deadline.isoformat()}
        book.save()
        case = submit(t).case
        presenters = Round.plain.create(programme=programme, org=t.zhejiang, kind="presenter_selection",
                                        state=Round.State.LOCKED)
        LockedList.plain.create(round=presenters, number=1, slug="brwevents001", case_ids=[case.pk],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
        presenter_add(org=t.zhejiang, programme=programme, case_id=case.pk, by=t.zhejiang_admin, name="周文",
                      title="总工程师", organisation="杭州某科技有限公司", phone="13900000001", bio="长期从事智能制造。")
    return t


def r204_status(page, live_server, world) -> str:
    page.goto(f"{live_server.url}/campaigns/programmes/{world.zhejiang_programme.pk}/")
    return page.locator('tr[data-rule="R-204"] .badge').inner_text()


def test_a_plan_returned_fixed_approved_then_the_event_held_and_reported(page, phone, live_server, world):
    from django.utils import timezone

    login(page, live_server, "admin-330000", PASSWORD)
    assert r204_status(page, live_server, world) == "有风险"

    # The province registers the event (it began earlier today: the plan is late, as plans sometimes are).
    nav(page, "宣讲活动")
    go(page, page.get_by_role("link", name="登记活动"))
    now = timezone.localtime()  # Beijing: the event starts within today, before now
    start = max(now - dt.timedelta(hours=1), now.replace(hour=0, minute=1, second=0, microsecond=0))
    page.get_by_label("活动名称").fill("浙江省企业创新案例宣讲会（未来科技城站）")
    page.get_by_label("形式").select_option(label="线上线下结合")
    page.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    end = min(start + dt.timedelta(minutes=30), now.replace(hour=23, minute=59))
    page.get_by_label("结束时间").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("地点").fill("杭州未来科技城学术交流中心")
    page.get_by_label("在科技园区举办").check()
    page.get_by_label("园区名称").fill("杭州未来科技城")
    page.get_by_label(re.compile("周文")).check()
    page.get_by_label("活动议程").fill("09:30 | 开幕致辞 | 省科协领导\n09:45 | 案例宣讲 | 周文")
    go(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("已登记活动")).to_be_visible()
    page.get_by_label("类型").select_option(label="演示文稿")
    page.get_by_label("文件").set_input_files({"name": "宣讲.pdf", "mimeType": "application/pdf", "buffer": PDF})
    go(page, page.get_by_role("button", name="上传"))
    expect(page.get_by_role("link", name="宣讲.pdf")).to_be_visible()
    # Held before the centre saw the plan: refused, naming the plan's state.
    go(page, page.get_by_role("button", name="标记为已举办"))
    expect(page.get_by_text("方案目前：未报送")).to_be_visible()
    go(page, page.get_by_role("button", name="报送中心审核"))
    expect(page.locator("#plan-state")).to_contain_text("第1版待中心审核")
    assert_accessible(page)

    # The centre returns it on a phone, asking for the guest list.
    login(phone, live_server, "center-admin", PASSWORD)
    nav(phone, "审核")
    go(phone, phone.get_by_role("link", name=re.compile("未来科技城站")).first)
    expect(phone.get_by_text("宣讲人：周文")).to_be_visible()
    phone.get_by_label("退回修改").check()
    phone.get_by_label("审核意见").fill("请补充嘉宾名单和邀请媒体")
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.get_by_role("heading", name=re.compile("已退回"))).to_be_visible()

    # The province reads the comment, adds the guests and media, and resubmits.
    page.reload()
    expect(page.get_by_text("请补充嘉宾名单和邀请媒体")).to_be_visible()
    go(page, page.get_by_role("link", name="修改方案"))
    page.get_by_label("嘉宾名单").fill("王明 · 省科技厅副厅长\n李华 · 省经信厅处长")
    page.get_by_label("邀请媒体").fill("浙江日报\n浙江卫视")
    go(page, page.get_by_role("button", name="保存"))
    go(page, page.get_by_role("button", name="报送中心审核"))
    expect(page.locator("#plan-state")).to_contain_text("第2版待中心审核")

    # The centre approves version 2.
    nav(phone, "审核")
    go(phone, phone.get_by_role("link", name=re.compile("方案第2版")).first)
    expect(phone.get_by_text("嘉宾：王明 · 省科技厅副厅长、李华 · 省经信厅处长")).to_be_visible()
    phone.get_by_label("通过").check()
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.get_by_role("heading", name=re.compile("已通过"))).to_be_visible()

    # The province marks it held and reports it.
    page.reload()
    expect(page.locator("#plan-state")).to_contain_text("第2版已审核通过")
    go(page, page.get_by_role("button", name="标记为已举办"))
    expect(page.get_by_text("已标记为已举办")).to_be_visible()
    go(page, page.get_by_role("link", name="填写活动报告"))
    page.get_by_label("现场参加人数").fill("320")
    page.get_by_label("线上参加人数").fill("5400")
    page.get_by_label("直播观看人次").fill("12000")
    page.get_by_label("直播平台").fill("新华网、抖音")
    page.get_by_label("媒体报道链接").fill("https://zjnews.example.cn/2026/innovation")
    go(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("已保存活动报告")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("zjnews.example.cn"))).to_be_visible()
    assert r204_status(page, live_server, world) == "已达成"
    assert page.locator('tr[data-rule="R-202"] .badge').inner_text() == "已达成"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
