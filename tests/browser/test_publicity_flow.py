"""Issue 17's publicity pages in a real browser: a province records a media report with its screenshot (the same link
again is refused at its field, what was typed kept), then writes a story on a phone, hands it over and reviews it,
and builds its case collection, watching the progress until the task worker has made the Word and PDF files; the
pages show the R-303, R-305 and R-306 indicators."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        t.case = submit(t, title="数字孪生驱动的柔性产线改造").case
        province = Round.plain.create(programme=t.zhejiang_programme, org=t.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="brwpublic001", case_ids=[t.case.pk],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
    return t


def screenshot_png() -> bytes:
    from apps.cases.tests.attachment_world import png_bytes

    return png_bytes(size=(320, 200))


def field(page, label: str):
    """A form field by its label, which ends in " *" where the field is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fill_report(page, url: str) -> None:
    from django.utils import timezone

    field(page, "媒体").fill("浙江日报")
    field(page, "媒体级别").select_option(label="省级媒体")
    field(page, "类型").select_option(label="报道")
    field(page, "发布日期").fill(timezone.localdate().isoformat())
    field(page, "标题").fill("浙江启动企业典型创新案例征集")
    field(page, "链接").fill(url)
    field(page, "佐证").set_input_files({"name": "截图.png", "mimeType": "image/png",
                                              "buffer": screenshot_png()})


def test_a_province_records_a_report_and_writes_and_reviews_a_story(page, phone, live_server, world):
    login(page, live_server, "admin-330000", PASSWORD)
    nav(page, "媒体报道")
    expect(page.get_by_text("现有报道0篇，综述0篇")).to_be_visible()
    go(page, page.get_by_role("link", name="登记媒体报道"))
    fill_report(page, "https://zjrb.example.cn/2026/innovation")
    go(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("已登记媒体报道")).to_be_visible()
    expect(page.get_by_text("现有报道1篇，综述0篇")).to_be_visible()
    assert_accessible(page)

    # The same report again, its link written differently: refused at the link, the title kept.
    go(page, page.get_by_role("link", name="登记媒体报道"))
    fill_report(page, "http://www.ZJRB.example.cn/2026/innovation/?utm_source=wechat")
    go(page, page.get_by_role("button", name="保存"))
    expect(page.locator("#field-url .error")).to_contain_text("该链接已登记（浙江省")
    expect(field(page, "标题")).to_have_value("浙江启动企业典型创新案例征集")

    # On a phone, the province's staff writes the story with a pasted script; it is saved without it.
    login(phone, live_server, "admin-330000", PASSWORD)
    phone.goto(f"{live_server.url}/publicity/stories/")
    expect(phone.get_by_text(re.compile("省级已审核0篇"))).to_be_visible()
    go(phone, phone.get_by_role("link", name="撰写"))
    field(phone, "正文").fill("企业面临换型难题。<script>alert(1)</script>\n\n团队搭建数字孪生平台。")
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.get_by_text("已保存故事")).to_be_visible()
    expect(phone.locator("article.story")).to_contain_text("团队搭建数字孪生平台。")
    assert "<script>" not in phone.locator("article.story").inner_html()
    go(phone, phone.get_by_role("button", name="编辑完成，提交审核"))
    go(phone, phone.get_by_role("button", name="审核通过"))
    expect(phone.locator("h1 .badge")).to_have_text("省级已审核")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.goto(f"{live_server.url}/publicity/stories/")
    expect(phone.get_by_text(re.compile("省级已审核1篇"))).to_be_visible()

    # The case collection: asked for on the phone, built by the task worker while the page polls its progress.
    go(phone, phone.get_by_role("link", name="案例集"))
    expect(phone.get_by_text("尚未生成过案例集。")).to_be_visible()
    go(phone, phone.get_by_role("button", name="生成案例集"))
    expect(phone.get_by_text("已开始生成案例集")).to_be_visible()
    expect(phone.locator("#collection-progress")).to_contain_text("排队等待")
    expect(phone.get_by_role("button", name="生成案例集")).to_be_disabled()
    from tests.tasks import run_queued_tasks

    run_queued_tasks()
    progress = phone.locator("#collection-progress")
    expect(progress.get_by_role("link", name="下载PDF版")).to_be_visible(timeout=10_000)
    expect(progress).to_contain_text("已生成")
    with phone.expect_download() as download:
        progress.get_by_role("link", name="下载PDF版").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
