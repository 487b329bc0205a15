"""A case's video and photo opened from their links in Chromium: the browser's own viewer shows them under the
files' sandboxing policy (apps.cases.attachment_views), with no CSP or CORS error in the console.

The files' documents are sandboxed without scripts, so the tests read them with `page.evaluate` (run by the
browser's debugger) and poll from Python; Playwright's `wait_for_function` would run a script in the
document and be refused."""

from __future__ import annotations

import re
import time

import pytest

from apps.cases.tests.attachment_world import jpeg_bytes, temporary_upload, upload
from tests.browser.conftest import go, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def xihu_files(transactional_db, settings, tmp_path, videos):
    """西湖科技园科协's draft case with a real H.264 clip (64×64, 1 s) and a real 320×240 JPEG photo."""
    from apps.campaigns.tests.world import build_campaign
    from apps.cases.attachment_services import attachment_add
    from apps.cases.tests.attachment_world import ensure_xihu_case
    from apps.core.scoping import scope, scopes_disabled
    from tests.factories import build_tree

    settings.MEDIA_ROOT = str(tmp_path / "media")
    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        case = ensure_xihu_case(t)
    with scope(org=t.xihu_park):
        for kind, up in (("video", temporary_upload(videos["h264"], "产线改造视频.mp4")),
                         ("photo", upload("产线现场.jpg", jpeg_bytes(size=(320, 240)), "image/jpeg"))):
            try:
                attachment_add(case=case, kind=kind, upload=up, by=t.xihu_park_admin)
            finally:
                up.close()
    return case


def _problems(context) -> list[str]:
    """The console errors of every tab of `context` from now on (a missing favicon aside)."""
    seen: list[str] = []
    context.on("console", lambda m: seen.append(m.text) if m.type == "error" and "favicon" not in m.location.get(
        "url", "") else None)
    context.on("weberror", lambda error: seen.append(str(error.error)))
    return seen


def _until(page, expression: str, seconds: float = 10.0):
    """Poll `expression` in the page until it is truthy; its last value."""
    deadline = time.monotonic() + seconds
    value = page.evaluate(expression)
    while not value and time.monotonic() < deadline:
        time.sleep(0.1)
        value = page.evaluate(expression)
    return value


def test_a_video_opened_from_its_link_loads_and_plays_in_the_browsers_viewer(page, live_server, xihu_files):
    login(page, live_server, "admin-330106-p001", PASSWORD)
    page.goto(f"{live_server.url}/cases/{xihu_files.pk}/attachments/")
    problems = _problems(page.context)
    go(page, page.get_by_role("link", name="产线改造视频.mp4"))
    assert re.search(r"/cases/attachments/\d+/file/$", page.url)
    assert _until(page, "document.querySelector('video') && document.querySelector('video').readyState >= 2")
    assert page.evaluate("document.querySelector('video').videoWidth") == 64
    page.keyboard.press("Space")  # the viewer's own play key
    assert _until(page, "document.querySelector('video').currentTime > 0.3")
    assert problems == []


def test_a_photo_opened_from_its_thumbnail_shows_in_a_new_tab(page, live_server, xihu_files):
    login(page, live_server, "admin-330106-p001", PASSWORD)
    page.goto(f"{live_server.url}/cases/{xihu_files.pk}/attachments/")
    problems = _problems(page.context)
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="产线现场.jpg").first.click()  # the thumbnail, target="_blank"
    tab = opened.value
    tab.wait_for_load_state()
    assert re.search(r"/cases/attachments/\d+/file/$", tab.url)
    assert _until(tab, "document.querySelector('img') && document.querySelector('img').naturalWidth") == 320
    # The viewer centres the picture with an inline style; a policy refusing inline styles leaves it unstyled.
    assert tab.evaluate("getComputedStyle(document.querySelector('img')).display") == "block"
    assert problems == []
