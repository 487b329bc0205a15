"""Issue 17's presentation team, publicity plan and topic videos in a real browser. On a phone, a province's admin
names the presenter of a case of its locked presenter list, with a photo (a bad mobile number is refused at its
field, what was typed kept), then replaces the presenter with a reason: the team shows the new one and the old one
as replaced, with the reason (R-201). On a desktop the province fills the four phases of its publicity plan (a
phase left incomplete is refused, the typing kept), sends it, and the page shows it waiting for the centre; the
centre approves it in its approvals inbox and the plan is in force (R-302). Then the province uploads two topic
videos made by ffmpeg, one within the campaign's spec and one too short: each shows its check line by line, and the
short one is marked as not counted (R-304)."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import go, login, nav
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    """浙江省 with a locked presenter list and a locked provincial list, both of one case."""
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
        today = timezone.localdate()
        for n, kind in enumerate(("presenter_selection", "province_selection")):
            locked = Round.plain.create(programme=t.zhejiang_programme, org=t.zhejiang, kind=kind,
                                        state=Round.State.LOCKED)
            LockedList.plain.create(round=locked, number=1, slug=f"brwteam{n:05d}", case_ids=[t.case.pk],
                                    starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
    return t


def field(page, label: str):
    """A form field by its label, which ends in " *" where the field is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fill_presenter(page, name: str, phone: str, *, photo: bool = False) -> None:
    from apps.cases.tests.attachment_world import png_bytes

    field(page, "姓名").fill(name)
    field(page, "职务").fill("总工程师")
    field(page, "单位").fill("杭州示范科技有限公司")
    field(page, "手机").fill(phone)
    field(page, "简介").fill(f"{name}长期从事智能制造与数字孪生研究，主持产线改造项目。")
    if photo:
        field(page, "照片").set_input_files({"name": "证件照.png", "mimeType": "image/png",
                                             "buffer": png_bytes(size=(300, 400))})


def narrow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_province_names_a_presenter_on_a_phone_and_replaces_them_with_a_reason(phone, live_server, world):
    login(phone, live_server, "admin-330000", PASSWORD)
    nav(phone, "宣讲活动")
    go(phone, phone.get_by_role("link", name="宣讲团"))
    row = phone.locator("tr", has_text="数字孪生驱动的柔性产线改造")
    expect(row).to_contain_text("—")
    narrow(phone)

    # A mobile number one digit short: refused at its field, everything typed still there.
    go(phone, row.get_by_role("link", name="添加宣讲人"))
    expect(phone.get_by_text("案例：数字孪生驱动的柔性产线改造")).to_be_visible()
    fill_presenter(phone, "周文", "1390000000")
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.locator("#field-phone .error")).to_have_text("手机号码应为以1开头的11位数字")
    expect(phone.locator("#error-summary")).to_contain_text("手机")
    expect(field(phone, "姓名")).to_have_value("周文")
    expect(field(phone, "手机")).to_have_value("1390000000")
    expect(field(phone, "简介")).to_have_value("周文长期从事智能制造与数字孪生研究，主持产线改造项目。")
    narrow(phone)

    fill_presenter(phone, "周文", "13900000001", photo=True)
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.get_by_text("已添加宣讲人")).to_be_visible()
    row = phone.locator("tr", has_text="数字孪生驱动的柔性产线改造")
    expect(row).to_contain_text("周文 · 总工程师 · 杭州示范科技有限公司 · 13900000001")
    photo = phone.request.get(live_server.url + row.get_by_role("link", name="照片").get_attribute("href"))
    assert photo.ok and photo.headers["content-type"] in ("image/png", "image/jpeg")
    narrow(phone)
    assert_accessible(phone)

    # Replaced with a reason: the reason is asked for, then the old presenter stays on record, marked replaced.
    go(phone, row.get_by_role("link", name="更换"))
    expect(phone.get_by_role("heading", name="更换宣讲人：周文")).to_be_visible()
    fill_presenter(phone, "李静", "13800000002")
    field(phone, "更换理由").fill("周文借调外地，无法参加下半年宣讲")
    go(phone, phone.get_by_role("button", name="保存"))
    expect(phone.get_by_text("已更换宣讲人")).to_be_visible()
    row = phone.locator("tr", has_text="数字孪生驱动的柔性产线改造")
    expect(row.locator("strong")).to_have_text(["李静"])
    expect(row).to_contain_text("李静 · 总工程师 · 杭州示范科技有限公司 · 13800000002")
    expect(row.locator(".muted", has_text="已更换")).to_have_text("周文（已更换：周文借调外地，无法参加下半年宣讲）")
    expect(row.get_by_role("link", name="更换")).to_have_count(1)  # only the active one can be replaced
    narrow(phone)

    # The replacement is in the audit log.
    nav(phone, "操作日志")
    expect(phone.get_by_text(re.compile("更换了宣讲人，新宣讲人为李静"))).to_be_visible()


def make_clip(folder: Path, name: str, seconds: int) -> Path:
    """An H.264 + AAC MP4 at the spec's lowest resolution, 1 frame a second of one colour: made in well under 1 s."""
    out = folder / f"{name}.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "color=c=navy:size=1280x720:rate=1",
                    "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", str(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "8k",
                    "-movflags", "+faststart", str(out)], check=True, timeout=60)
    return out


PHASES = [("预热阶段", "07-01", "07-20", ["网络", "新媒体"], False, "发布征集通知，制作预热短视频"),
          ("征集阶段", "07-21", "08-31", ["网络", "新媒体"], False, "宣传优秀申报案例"),
          ("宣讲阶段", "09-01", "10-31", ["电视", "网络", "新媒体"], True, "宣讲活动全程网络直播"),
          ("总结阶段", "11-01", "11-30", ["电视", "网络"], False, "发布案例集和综述报道")]


def test_a_publicity_plan_approved_by_the_centre_then_two_topic_videos_checked(page, phone, live_server, world,
                                                                             tmp_path):
    year = world.campaign.year
    login(page, live_server, "admin-330000", PASSWORD)
    nav(page, "媒体报道")
    go(page, page.get_by_role("link", name="宣传工作方案"))
    expect(page.get_by_text("尚未报送宣传工作方案。")).to_be_visible()
    for phase, start, end, channels, live, content in PHASES:
        box = page.locator("fieldset", has=page.locator("legend", has_text=phase))
        field(box, f"{phase}开始").fill(f"{year}-{start}")
        field(box, f"{phase}结束").fill(f"{year}-{end}")
        for channel in channels:
            box.get_by_label(channel, exact=True).check()
        if live:
            field(box, f"{phase}网络直播").check()
        if phase != "总结阶段":  # the summary's content left out
            field(box, f"{phase}宣传内容").fill(content)
    go(page, page.get_by_role("button", name="报送中心审核"))
    # Refused at the field where the problem is (the summary's content), and listed in the summary at the top.
    expect(page.locator("#error-summary")).to_contain_text("请填写总结阶段的宣传内容")
    expect(page.locator("#field-summary_content .error")).to_have_text("请填写总结阶段的宣传内容")
    expect(page.get_by_text("尚未报送宣传工作方案。")).to_be_visible()
    expect(field(page, "预热阶段宣传内容")).to_have_value("发布征集通知，制作预热短视频")
    expect(field(page, "宣讲阶段开始")).to_have_value(f"{year}-09-01")
    expect(field(page, "宣讲阶段网络直播")).to_be_checked()
    summary = page.locator("fieldset", has=page.locator("legend", has_text="总结阶段"))
    expect(summary.get_by_label("电视", exact=True)).to_be_checked()
    expect(summary.get_by_label("新媒体", exact=True)).not_to_be_checked()

    field(page, "总结阶段宣传内容").fill(PHASES[3][5])
    go(page, page.get_by_role("button", name="报送中心审核"))
    expect(page.get_by_text("已将宣传工作方案第1版报送中心审核")).to_be_visible()
    expect(page.locator("#plan-state")).to_contain_text("最新为第1版：待中心审核")
    expect(page.get_by_role("button", name="报送中心审核")).to_have_count(0)
    assert_accessible(page)

    # The centre approves it from its inbox, on a phone.
    login(phone, live_server, "center-admin", PASSWORD)
    nav(phone, "审核")
    go(phone, phone.get_by_role("link", name="浙江省宣传工作方案（第1版）"))
    expect(phone.get_by_text(f"宣讲阶段（{year}-09-01至{year}-10-31）：电视、网络、新媒体，网络直播；宣讲活动全程网络直播"))\
        .to_be_visible()
    phone.get_by_label("通过").check()
    go(phone, phone.get_by_role("button", name="提交审核结果"))
    expect(phone.get_by_role("heading", name=re.compile("已通过"))).to_be_visible()
    narrow(phone)

    page.reload()
    expect(page.locator("#plan-state")).to_contain_text("最新为第1版：生效")
    live_row = page.locator("tr", has_text="宣讲阶段")
    expect(live_row).to_contain_text(f"{year}-09-01 — {year}-10-31")
    expect(live_row).to_contain_text("电视、网络、新媒体")
    expect(live_row.locator("td").nth(3)).to_have_text("是")
    expect(page.locator("tr", has_text="预热阶段").locator("td").nth(3)).to_have_text("否")

    # Topic videos: one within the default spec (90–150 s, H.264, ≥ 1280×720, 16:9, sound), one of 40 s.
    good, short = make_clip(tmp_path, "good", 120), make_clip(tmp_path, "short", 40)
    nav(page, "媒体报道")
    go(page, page.get_by_role("link", name="专题视频"))
    expect(page.get_by_text("尚未上传专题视频。")).to_be_visible()
    for title, clip, message in (("柔性产线改造纪实", good, "已上传，视频符合规格"),
                                 ("柔性产线改造预告片", short, "已上传，但视频不符合规格，不计入专题视频数量")):
        field(page, "标题").fill(title)
        field(page, "对应案例").select_option(label="数字孪生驱动的柔性产线改造")
        field(page, "视频文件").set_input_files(str(clip))
        go(page, page.get_by_role("button", name="上传"))
        expect(page.get_by_text(message)).to_be_visible()

    def checks(title):
        row = page.locator("tr", has=page.get_by_role("link", name=title, exact=True))
        return row, row.locator("ul.checks li")

    row, lines = checks("柔性产线改造纪实")
    expect(lines).to_have_text(["✓ 时长90–150秒：120秒", "✓ 编码H.264：H264", "✓ 分辨率不低于1280×720：1280×720",
                                "✓ 画面比例16:9：16:9", "✓ 有声音：AAC"])
    expect(lines.locator("xpath=self::li[contains(@class, 'bad')]")).to_have_count(0)
    expect(row.locator(".badge")).to_have_text("符合规格")
    expect(row.locator("td").nth(1)).to_have_text("数字孪生驱动的柔性产线改造")
    served = page.request.get(live_server.url + row.get_by_role("link", name="柔性产线改造纪实").get_attribute("href"))
    assert served.ok and served.body() == good.read_bytes()
    row, lines = checks("柔性产线改造预告片")
    expect(lines).to_have_text(["✗ 时长90–150秒：40秒", "✓ 编码H.264：H264", "✓ 分辨率不低于1280×720：1280×720",
                                "✓ 画面比例16:9：16:9", "✓ 有声音：AAC"])
    expect(lines.nth(0)).to_have_class(re.compile(r"\bbad\b"))
    expect(row.locator(".badge")).to_have_text("不符合规格，不计入")
    expect(row.locator(".badge")).to_have_class(re.compile(r"\bbad\b"))
    assert_accessible(page)

    # Only the good one counts on the programme page.
    page.goto(f"{live_server.url}/campaigns/programmes/{world.zhejiang_programme.pk}/")
    r304 = page.locator('tr[data-rule="R-304"]')
    expect(r304).to_contain_text("1条")
    expect(r304).to_contain_text("另有1条不符合规格，不计入")
    expect(page.locator('tr[data-rule="R-302"]')).to_contain_text("第1版生效")
