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


def open_page(browser, request, viewport, label):
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
    yield from open_page(browser, request, DESKTOP, "desktop")


@pytest.fixture
def phone(browser, request):
    yield from open_page(browser, request, PHONE, "phone")


def go(page, locator) -> None:
    """Click something that loads a new page, and wait for that page before reading it."""
    with page.expect_navigation():
        locator.click()


def nav(page, name) -> None:
    """Follow a link of the site's navigation, opening the phone's 「菜单」 first when it is folded."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    go(page, page.locator(".mainnav").get_by_role("link", name=name, exact=True))


def login(page, live_server, username, password):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or PASSWORD)
    go(page, page.get_by_role("button", name="登录"))


def city_round_with_cases(cases, **case_fields):
    """The test tree and campaign, 杭州市's city selection round opened, and in its list one submitted case per
    (county, title) of `cases` (county "xihu" or "shangcheng", recommended by its park association).
    Returns the tree with .round and .cases."""
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round, RoundEntry
    from apps.rounds.services import round_for
    from tests.factories import build_tree, make_case, make_enterprise

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        programme = t.campaign.programmes.get(org=t.zhejiang)
        t.round = round_for(programme=programme, org=t.hangzhou, kind=Round.Kind.CITY_SELECTION)
        t.round.state = Round.State.OPEN
        t.round.save(update_fields=["state"])
        t.cases = []
        for n, (county, title) in enumerate(cases):
            enterprise = make_enterprise(t.campaign, getattr(t, county), name=f"杭州示范{n}科技有限公司",
                                         serial=f"RWB{n:06d}")
            case = make_case(enterprise, getattr(t, f"{county}_park"), status="submitted", version=1, title=title,
                             **case_fields)
            RoundEntry.plain.create(round=t.round, case=case, case_version=1)
            t.cases.append(case)
    return t


# (title, recommender) of 浙江省's provincial candidates in ranking order (equal scores: the case id decides):
# 3 recommended by a park association and 3 by an enterprise one.
PROVINCE_CANDIDATES = [("数字孪生柔性产线改造", "xihu_park"), ("供应链协同平台建设", "xihu_ent"),
                       ("绿色低碳工艺革新", "shangcheng_park"), ("工业互联网设备运维", "xihu_ent"),
                       ("智能仓储降本增效", "xihu_park"), ("质量追溯体系建设", "xihu_ent")]


def province_round_with_cases(admin_username: str, *, serial_prefix: str):
    """The test tree and campaign, 浙江省's provincial round open with PROVINCE_CANDIDATES as candidates, and a
    list of at most 4 (the target too), half of it park-recommended: R-109 with small numbers. Returns the tree
    with .round, .cases (title → case) and .admin (a province admin named `admin_username`)."""
    from apps.campaigns.models import Rulebook
    from apps.campaigns.tests.world import build_campaign
    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import Round, RoundEntry
    from apps.rounds.services import round_for
    from tests.factories import admin_of, build_tree, make_case, make_enterprise

    with scopes_disabled():
        t = build_tree()
        build_campaign(t)
        programme = t.campaign.programmes.get(org=t.zhejiang)
        rulebook = Rulebook.plain.get(programme=programme)
        rulebook.values = {**rulebook.values, "province_max": 4, "target": 4, "province_park_share_min": "0.5"}
        rulebook.save()
        t.round = round_for(programme=programme, org=t.zhejiang, kind=Round.Kind.PROVINCE_SELECTION)
        Round.plain.filter(pk=t.round.pk).update(state=Round.State.OPEN)
        t.round.refresh_from_db()
        t.cases = {}
        for n, (title, recommender) in enumerate(PROVINCE_CANDIDATES):
            org = getattr(t, recommender)
            enterprise = make_enterprise(t.campaign, org.parent, name=f"浙江示范{n}科技有限公司",
                                         serial=f"{serial_prefix}{n:06d}")
            case = make_case(enterprise, org, status="submitted", version=1, title=title)
            RoundEntry.plain.create(round=t.round, case=case, case_version=1)
            t.cases[title] = case
        t.admin = admin_of(t.zhejiang, admin_username)
    return t


def case_row(page, title):
    """The table row of a case, found by its title's link (other rows may name it in their reasons)."""
    return page.locator("tr", has=page.get_by_role("link", name=title, exact=True))
