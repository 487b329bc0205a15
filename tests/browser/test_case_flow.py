"""Issue 4 in a real browser (R-106, R-107): an association submits a case with photos on a phone; the
county returns it; the association revises; the county passes it and reports to the city; the city sees
it; another county cannot."""

import re

import pytest

from apps.cases.tests.attachment_world import jpeg_bytes, png_bytes
from tests.browser.conftest import go, login
from tests.factories import PASSWORD, make_enterprise

pytestmark = pytest.mark.browser

SECTIONS = {"背景": "传统产线换型慢、良品率波动大，企业科协组织骨干调研。" * 8,
            "主要做法": "搭建数字孪生模型，打通设备数据与生产计划，分三期实施。" * 8,
            "创新点": "首创换型参数自动推演算法，获发明专利两项。" * 8,
            "成效": "换型时间缩短百分之六十，良品率提升至百分之九十九。" * 8,
            "启示": "中小企业可以分步推进数字化改造，先易后难。" * 8}


@pytest.fixture
def world(transactional_db):
    from apps.campaigns.tests.world import build_campaign
    from apps.cases.tests.case_world import open_submissions
    from apps.core.scoping import scopes_disabled
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        open_submissions(t)
        t.enterprise = make_enterprise(t.campaign, t.xihu, name="杭州西湖智能装备有限公司")
    return t


def slides_pdf() -> bytes:
    from apps.cases.demo_cases import _slides_pdf

    return _slides_pdf()


def field(page, label: str):
    """A case form field by its label, which ends in " *" where a submission needs the field."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fill_case(page, title: str) -> None:
    page.get_by_label("案例标题").fill(title)
    page.get_by_label("案例类型").select_option(label="技术创新")
    page.get_by_label("摘要").fill("企业以数字孪生平台为核心，对装配线进行柔性化改造，实现多品种小批量混线生产。")
    for label, text in SECTIONS.items():
        field(page, label).fill(text)
    page.get_by_label("经济效益").fill("年节约成本约八百万元。")
    page.get_by_label("社会效益").fill("带动上下游企业二十余家开展数字化改造。")
    field(page, "联系人").fill("王工")
    page.get_by_label("联系人手机").fill("13800138000")
    page.get_by_label(re.compile("同意公开宣传")).check()
    page.get_by_label(re.compile("承诺材料真实")).check()


def upload(page, kind_label: str, files: list[tuple[str, str, bytes]]) -> None:
    page.get_by_label(f"选择{kind_label}文件").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, mime, data in files])
    form = page.locator("form.att-upload", has=page.get_by_label(f"选择{kind_label}文件"))
    form.get_by_role("button", name="上传").click()
    # htmx swaps the panel in place: wait until the stored file is listed before the next upload.
    page.get_by_role("link", name=files[-1][0]).last.wait_for()


def open_entry(page, live_server, title: str) -> None:
    page.goto(f"{live_server.url}/rounds/")
    go(page, page.get_by_role("link", name=re.compile("西湖区")).first)
    go(page, page.get_by_role("link", name=title).first)


def test_an_association_submits_a_county_returns_and_passes_and_the_city_receives(
        browser, page, phone, live_server, world, videos):
    from apps.cases.models import Case
    from apps.core.scoping import scopes_disabled

    title = "数字孪生驱动的柔性产线改造"
    # The park association starts a case on a phone, fills it and uploads its files.
    login(phone, live_server, "admin-330106-p001", PASSWORD)
    phone.goto(f"{live_server.url}/cases/new/")
    phone.get_by_label("推荐企业").select_option(index=1)  # the county's only registered enterprise
    go(phone, phone.get_by_role("button", name="创建案例草稿"))
    fill_case(phone, title)
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存草稿").first.click()
    upload(phone, "照片", [(f"现场{i}.jpg", "image/jpeg", jpeg_bytes(size=(320, 240), colour=(40 * i, 90, 160)))
                          for i in range(1, 4)])
    upload(phone, "盖章推荐表", [("推荐表.png", "image/png", png_bytes(size=(300, 400)))])
    upload(phone, "演示文稿", [("宣讲.pdf", "application/pdf", slides_pdf())])
    upload(phone, "视频", [("视频.mp4", "video/mp4", videos["h264"].read_bytes())])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存并提交").first.click()
    assert "已提交" in phone.content()
    with scopes_disabled():
        case = Case.plain.get(title=title)
        files = case.attachments.count()
    assert case.status == "submitted" and case.version == 1 and files == 6

    # The county returns it for revision with a comment the association sees.
    login(page, live_server, "admin-330106", PASSWORD)
    open_entry(page, live_server, title)
    page.get_by_label(re.compile("修改意见")).fill("请补充成效部分的量化数据。")
    with page.expect_navigation():
        page.get_by_role("button", name="退回修改").click()
    assert "退回修改" in page.content()

    # The association revises and submits version 2.
    phone.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "请补充成效部分的量化数据" in phone.content()
    phone.goto(f"{live_server.url}/cases/{case.pk}/edit/")
    field(phone, "成效").fill(SECTIONS["成效"] + "年节约成本八百万元，人均产值提升百分之三十。")
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存并提交").first.click()
    with scopes_disabled():
        case.refresh_from_db()
    assert case.version == 2 and case.status == "submitted"

    # The county passes it and reports its list to the city.
    open_entry(page, live_server, title)
    with page.expect_navigation():
        page.get_by_role("button", name="通过", exact=True).click()
    page.goto(f"{live_server.url}/rounds/")
    go(page, page.get_by_role("link", name=re.compile("西湖区")).first)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="上报市级").click()
    assert "已上报" in page.content()

    # The city sees the case in its round; another county cannot open it.
    page.context.clear_cookies()
    login(page, live_server, "admin-330100", PASSWORD)
    page.goto(f"{live_server.url}/rounds/")
    go(page, page.get_by_role("link", name=re.compile("杭州市.*市级遴选|市级遴选")).first)
    assert title in page.content() and "西湖区" in page.content()
    page.context.clear_cookies()
    login(page, live_server, "admin-330102", PASSWORD)
    response = page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert response.status == 404
