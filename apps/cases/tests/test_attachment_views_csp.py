"""The sandboxing policy of served files: a document downloads under a bare `sandbox`; a photo or a video shown
on its own tab gets what the browser's viewer needs (its own origin, inline styles) and still no script.
What Chromium does with these headers is checked in tests/browser/test_attachment_view.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.cases.attachment_services import attachment_add
from apps.cases.tests import attachment_world
from apps.cases.tests.attachment_world import PDF_BYTES, jpeg_bytes, pptx_bytes, temporary_upload, upload
from apps.core.scoping import scope

# Shared fixtures of the attachment tests (a module-level name makes pytest see them here).
media = attachment_world.media
videos = attachment_world.videos
xihu_world = attachment_world.xihu_world


def add(w, kind, up):
    try:
        with scope(org=w.xihu_park):
            return attachment_add(case=w.xihu_case, kind=kind, upload=up, by=w.xihu_park_admin)
    finally:
        up.close()


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as directive → its value ("" for a directive without one)."""
    directives = (part.strip().split(None, 1) for part in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives if d}


@pytest.mark.parametrize("name, content", [("推荐表.pdf", PDF_BYTES), ("汇报.pptx", pptx_bytes())])
def test_a_document_downloads_under_a_bare_sandbox(client, xihu_world, media, name, content):
    document = add(xihu_world, "slides", upload(name, content))
    client.force_login(xihu_world.xihu_park_admin)
    response = client.get(reverse("cases:attachment_file", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = policy(response)
    assert csp["sandbox"] == "" and csp["default-src"] == "'none'"
    assert "style-src" not in csp and "script-src" not in csp


def test_a_photo_shows_inline_in_its_own_origin_with_inline_styles_and_no_script(client, xihu_world, media):
    photo = add(xihu_world, "photo", upload("现场.jpg", jpeg_bytes(), "image/jpeg"))
    client.force_login(xihu_world.xihu_park_admin)
    for url in (reverse("cases:attachment_file", kwargs={"pk": photo.pk}),
                reverse("cases:attachment_thumb", kwargs={"pk": photo.pk})):
        response = client.get(url)
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        csp = policy(response)
        assert csp["sandbox"] == "allow-same-origin"  # no allow-scripts: no script runs
        assert csp["default-src"] == "'none'" and csp["img-src"] == "'self'"
        assert csp["style-src"] == "'unsafe-inline'" and "script-src" not in csp


def test_a_video_and_its_ranges_keep_their_origin_so_the_viewer_may_fetch_them(client, xihu_world, media, videos):
    video = add(xihu_world, "video", temporary_upload(videos["h264"], "案例视频.mp4"))
    client.force_login(xihu_world.xihu_park_admin)
    url = reverse("cases:attachment_file", kwargs={"pk": video.pk})
    for response in (client.get(url), client.get(url, HTTP_RANGE="bytes=0-")):
        assert response.status_code in (200, 206)
        assert response["Content-Disposition"].startswith("inline")
        csp = policy(response)
        assert csp["sandbox"] == "allow-same-origin" and csp["media-src"] == "'self'"
        assert "script-src" not in csp
