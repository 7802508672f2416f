"""Fixtures of the browser tests: the real CKAN app served over HTTP from a
thread, a headless Debian Chromium (/usr/bin/chromium) driven by Playwright
(which never downloads a browser of its own), a publisher and the steps every
test takes (log in, pick from a select2 list, find a form field). When a test
fails, a screenshot of its page is written to /tmp (its path is printed)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ckan.tests import factories

TRADE_DEPARTMENT = "กรมส่งเสริมการค้าระหว่างประเทศ"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "correct-horse-1"
TIMEOUT_MS = 10_000
"""Playwright's wait for any element or navigation: a failure is reported
quickly instead of after the default 30 s."""


_running: dict[str, object] = {}
"""The Chromium of the browser tests this process runs one after another
(and its Playwright), while they run."""


@pytest.fixture
def chromium():
    """One headless Debian Chromium for the browser tests that a process runs
    one after another (a whole worker's share of them: they are scheduled
    first, see ``pytest_xdist_make_scheduler``): starting it takes seconds,
    a fresh context (the ``page`` fixture) a fraction of one. It is closed
    after the last of them."""
    if "browser" not in _running:
        playwright = sync_playwright().start()
        try:
            _running["browser"] = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except BaseException:
            playwright.stop()
            raise
        _running["playwright"] = playwright
    return _running["browser"]


def _close_chromium() -> None:
    browser, playwright = _running.pop("browser", None), _running.pop("playwright", None)
    try:
        if browser is not None:
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a browser test's fixtures are gone: close Chromium when the next
    test is not a browser test (or there is none)."""
    yield
    if nextitem is None or Path(__file__).parent not in Path(nextitem.path).parents:
        _close_chromium()


def pytest_sessionfinish(session):
    _close_chromium()


@contextmanager
def fresh_page(request, chromium, timeout_ms: int = TIMEOUT_MS, **options):
    """A page in a new browser context (no cookies, storage or cache of an
    earlier test), asking for English; a screenshot of it in /tmp when the
    test fails. ``options`` go to Playwright's ``new_context``."""
    failed_before = request.session.testsfailed
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                   **options)
    context.set_default_timeout(timeout_ms)
    context.set_default_navigation_timeout(timeout_ms)
    page = context.new_page()
    try:
        yield page
    finally:
        if request.session.testsfailed > failed_before:
            path = f"/tmp/opendata-th-{request.node.name}-{int(time.time())}.png"
            try:
                page.screenshot(path=path, full_page=True)
                print(f"\nscreenshot of the failed test's page: {path} ({page.url})")
            except Exception as error:  # the browser may be gone
                print(f"\nno screenshot: {error}")
        context.close()


@pytest.fixture
def page(request, chromium, base_url):
    """A page of headless Chromium with nothing of earlier tests. The browser
    asks for English pages: Thai must come from the portal's default locale."""
    with fresh_page(request, chromium) as page:
        yield page


def make_publisher():
    """An editor of two organizations (a publisher), with a known password."""
    user = factories.User(password=PASSWORD, fullname="สมชาย ใจดี")
    member = [{"name": user["name"], "capacity": "editor"}]
    trade = factories.Organization(title=TRADE_DEPARTMENT, users=member)
    factories.Organization(title="สำนักงานปลัดกระทรวงพาณิชย์", users=member)
    return {"user": user, "org": trade}


@pytest.fixture
def publisher():
    """An editor of two organizations (a publisher), with a known password."""
    return make_publisher()


def once_per_module(request, name: str, make):
    """``make()`` for the first test of the module that asks for ``name``,
    and the same value for the module's later tests: for what the tests of
    a module share when its database is cleaned once (``clean_db_once``)."""
    made = request.module.__dict__.setdefault("_made_once", {})
    if name not in made:
        made[name] = make()
    return made[name]


def log_in(page, base_url, user):
    page.goto(base_url + "/user/login")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.press("#field-password", "Enter")  # the header's search form has a submit button too
    expect(page.locator(".account .username")).to_contain_text(user["fullname"])


MODULES_STARTED = """() => {
    const module = window.ckan && window.ckan.module;
    if (!module || !module.registry || !module.instances) return false;
    const named = [...document.querySelectorAll('[data-module]')].some(el =>
        el.getAttribute('data-module').trim().split(/\\s+/).some(name => module.registry[name]));
    return !named || Object.keys(module.instances).length > 0;
}"""
"""True once CKAN has started the JavaScript modules of the page (it starts
them all in one go, once the page's JS translations have come), or when the
page has none."""


def wait_for_modules(page):
    """Wait until CKAN's JavaScript modules have started on the page (they
    show, hide and fill parts of it), then for the browser to draw it."""
    page.wait_for_function(MODULES_STARTED)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def choose_in_select2(page, container, typed, result):
    """Type into a select2 widget (CKAN's autocomplete module) and take the
    result shown in its drop-down, as a user does."""
    page.click(f"{container} .select2-choice, {container} .select2-choices")
    page.keyboard.type(typed)
    page.locator(".select2-drop-active .select2-result-label", has_text=result).first.wait_for()
    page.keyboard.press("Enter")




def field(page, name):
    """The form group (label, input, errors) of a form field."""
    return page.locator(f"form .form-group:has([name='{name}'])")
