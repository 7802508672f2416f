"""A web session for tests of pages and forms, without a browser; and the
portal served over HTTP in tests (browser tests, harvests of this portal)."""
from __future__ import annotations

import re
import threading
import time

from bs4 import BeautifulSoup
from werkzeug.serving import WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    """Leaves the request lines (pages, scripts, images) out of the captured log."""

    def log_request(self, *args, **kwargs):
        """Nothing is logged for a request (errors are still logged)."""


FINGERPRINTED = re.compile(r"^/webassets/.+/[0-9a-f]{8}_[^/]+$")
"""A web asset whose name carries a hash of its content (CKAN's webassets
bundles): the same URL is always the same file."""


class LiveServer:
    """One HTTP server (a thread per request) for a whole test run, serving
    the WSGI app of the test being run (``serve``): the port, and so
    ``ckan.site_url``, stay the same, and the tests of a module share the
    app that ``make_app`` made once for them.

    A web asset with a hash in its name is taken from the app once, then
    answered from memory and marked for browsers to keep, as a CDN in front
    of a portal does: every page a test opens uses about fifteen of them,
    each a full request through CKAN otherwise. Every other request goes to
    the app."""

    def __init__(self) -> None:
        self.app = None
        self._assets: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {}
        self._busy = 0
        self._idle = threading.Condition()
        live = self

        class Handler(QuietRequestHandler):
            def run_wsgi(self):
                """Counts the requests being answered (until their
                connection is done with, whatever happens to it)."""
                with live._idle:
                    live._busy += 1
                try:
                    super().run_wsgi()
                finally:
                    with live._idle:
                        live._busy -= 1
                        live._idle.notify_all()

        self.server = make_server("127.0.0.1", 0, self, threaded=True, request_handler=Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        name="ckan-test-server", daemon=True)
        self._thread.start()

    def serve(self, app) -> None:
        """Answer with ``app`` from now on (None: 503 to every request)."""
        self.app = app

    def wait_idle(self, timeout: float = 5) -> bool:
        """Wait until no request is being answered (a page a test closed may
        still have one running); False when some still run after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)

    def __call__(self, environ, start_response):
        app = self.app
        if app is None:
            start_response("503 Service Unavailable", [("Content-Length", "0")])
            return [b""]
        if environ["REQUEST_METHOD"] == "GET" and FINGERPRINTED.match(environ.get("PATH_INFO", "")):
            return self._asset(app, environ, start_response)
        return app(environ, start_response)

    def _asset(self, app, environ, start_response):
        path = environ["PATH_INFO"]
        kept = self._assets.get(path)
        if kept is None:
            got = {}

            def remember(status, headers, exc_info=None):
                got["status"], got["headers"] = status, headers
                return lambda data: None

            answer = app(environ, remember)
            try:
                body = b"".join(answer)
            finally:
                if hasattr(answer, "close"):
                    answer.close()
            if not got["status"].startswith("200 "):
                start_response(got["status"], got["headers"])
                return [body]
            # a browser keeps it, as it would from a CDN; a cookie was the
            # first client's own
            kept = (got["status"], [
                (name, value) for name, value in got["headers"]
                if name.lower() not in ("set-cookie", "cache-control", "expires")
            ] + [("Cache-Control", IMMUTABLE)], body)
            self._assets[path] = kept
        status, headers, body = kept
        start_response(status, list(headers))
        return [body]


IMMUTABLE = "public, max-age=31536000, immutable"


PASSWORD = "correct123"
"""The password of users made by CKAN's UserWithToken and SysadminWithToken
factories (plain User gets a random one)."""


class Browser:
    """A web session: logs in through the login form and posts forms with the
    page's CSRF token, as a browser does."""

    def __init__(self, app, user=None, lang=""):
        self.client = app.test_client()
        self.prefix = f"/{lang}" if lang else ""
        if user is not None:
            page = self.client.get("/user/login")
            response = self.submit(page, "/user/login", {"login": user["name"], "password": PASSWORD},
                                   follow_redirects=True)
            assert user["name"] in response.get_data(as_text=True)

    def get(self, url, **kwargs):
        return self.client.get(self.prefix + url, **kwargs)

    def submit(self, page, url, data, follow_redirects=False):
        soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
        field = soup.find("meta", attrs={"name": "csrf_field_name"})["content"]
        token = soup.find("meta", attrs={"name": field})["content"]
        return self.client.post(self.prefix + url, data={**data, field: token},
                                follow_redirects=follow_redirects)
