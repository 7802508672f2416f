"""A web session for tests of pages and forms, without a browser; and the
request handler of the portal served over HTTP in tests."""
from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.serving import WSGIRequestHandler


class QuietRequestHandler(WSGIRequestHandler):
    """Leaves the request lines (pages, scripts, images) out of the captured log."""

    def log_request(self, *args, **kwargs):
        """Nothing is logged for a request (errors are still logged)."""


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
