"""Explore (temporary)."""
import contextlib
import shutil
import socket
import tempfile
import threading

import pytest
from werkzeug.serving import make_server

from ckan.tests import factories

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def base_url(ckan_config, with_plugins, clean_db, make_app):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ckan_config["ckan.site_url"] = url
    server = make_server("127.0.0.1", port, make_app().app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(10)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            viewport={"width": 1280, "height": 900}, locale="th-TH")
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.browser
def test_explore(base_url, page):
    user = factories.User(password=PASSWORD)
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    page.goto(base_url + "/user/login")
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.press("#field-password", "Enter")
    print("after login", page.url)
    page.goto(base_url + "/dataset/new")
    open("/tmp/new.html", "w").write(page.content())
    page.screenshot(path="/tmp/new.png", full_page=True)
    page.select_option("#field-data_type", "ข้อมูลสถิติ")
    page.screenshot(path="/tmp/new-s.png", full_page=True)
