"""Issue 18's publication gate in a real browser (R-404, R-301): a province sends two reviewed stories for
publication; the centre reads both in its queue and approves one; on a 375-px phone, the public topic page (no
log-in) shows the approved story, opens it with its photo, and does not show the one still waiting; the centre takes
the story down and the phone no longer finds it."""

import io

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
TITLES = ("数字孪生让产线活起来", "一颗螺丝钉的十年攻关")


@pytest.fixture
def world(transactional_db):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.publicity.services import story_move, story_save
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList
    from tests.factories import build_tree

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        cases = [submit(t, title=title).case for title in TITLES]
        province = Round.plain.create(programme=t.zhejiang_programme, org=t.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="brwpublish01", case_ids=[c.pk for c in cases],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
    for case, title in zip(cases, TITLES):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 800), "#3a7").save(buffer, "JPEG")
        story = story_save(programme=t.zhejiang_programme, case_id=case.pk, by=t.zhejiang_admin, title=title,
                           form="introduction", body=f"<p>{title}：企业持续攻关，成效显著。</p>",
                           photo=SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"))
        story_move(story=story_move(story=story, by=t.zhejiang_admin, to="edited"), by=t.zhejiang_admin,
                   to="reviewed")
    return t


def test_the_centre_approves_a_story_and_the_public_reads_it_on_a_phone(page, phone, live_server, world):
    login(page, live_server, "admin-330000", PASSWORD)
    nav(page, "报送发布")
    for title in TITLES:
        row = page.locator("tr", has_text=title)
        go(page, row.get_by_role("button", name="报送发布"))
        expect(page.get_by_text("已报送中心审核")).to_be_visible()
        expect(page.locator("tr", has_text=title)).to_contain_text("待中心审核")

    page.context.clear_cookies()  # the province signs out; the centre signs in on the same desk
    login(page, live_server, "center-admin", PASSWORD)
    nav(page, "发布审核")
    expect(page.get_by_role("heading", name="发布审核")).to_be_visible()
    first = page.locator("article.pubitem", has_text=TITLES[0])
    expect(first).to_contain_text("企业持续攻关，成效显著。")  # read in full before deciding
    expect(first.locator("img.photo")).to_be_visible()
    first.get_by_label("通过").check()
    go(page, page.get_by_role("button", name="通过所勾选的内容"))
    expect(page.get_by_text("已通过1项")).to_be_visible()
    expect(page.locator("article.pubitem", has_text=TITLES[1])).to_be_visible()
    assert_accessible(page)

    # No log-in on the phone: the topic page shows the approved story only.
    phone.goto(f"{live_server.url}/topic/")
    expect(phone.get_by_role("link", name=TITLES[0])).to_be_visible()
    expect(phone.get_by_text(TITLES[1])).to_have_count(0)
    expect(phone.locator(".tcard", has_text="浙江省")).to_contain_text("1篇")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
    go(phone, phone.get_by_role("link", name=TITLES[0]))
    expect(phone.get_by_role("heading", name=TITLES[0])).to_be_visible()
    photo = phone.locator("img.photo")
    expect(photo).to_be_visible()
    phone.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("(img) => img.naturalWidth") == 1200  # the approved file, served to the public
    story_url = phone.url

    # The centre takes it down: gone from the phone at once.
    go(page, page.get_by_role("link", name="已发布内容"))
    go(page, page.get_by_role("link", name=TITLES[0]))
    page.get_by_label("撤下原因").fill("企业名称需核实")
    go(page, page.get_by_role("button", name="从活动专栏撤下"))
    expect(page.locator("h1 .badge")).to_have_text("已撤下")
    assert phone.goto(story_url).status == 404
    phone.goto(f"{live_server.url}/topic/")
    expect(phone.get_by_text(TITLES[0])).to_have_count(0)
