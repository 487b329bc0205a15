"""Real Chromium (Debian's package) driven by Playwright against Django's live server.

Failures save a screenshot under test-artifacts/. Playwright's sync API runs an event
loop in this thread, so Django's async-safety check is relaxed for these tests only.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from apps.cases.tests.attachment_world import videos  # noqa: F401  (session fixture: real clips made by ffmpeg)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def _open(browser, request, viewport, label):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    yield from _open(browser, request, DESKTOP, "desktop")


@pytest.fixture
def phone(browser, request):
    yield from _open(browser, request, PHONE, "phone")


def go(page, locator) -> None:
    """Click something that loads a new page, and wait for that page before reading it."""
    with page.expect_navigation():
        locator.click()


def login(page, live_server, username, password):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or PASSWORD)
    go(page, page.get_by_role("button", name="登录"))
