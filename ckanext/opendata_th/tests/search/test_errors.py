"""What PostgreSQL says stays in the log: a search the database refuses or
stops gets a 400 "Search Query Error" in the user's language, never a 500 and
never a piece of SQL, and no statement runs past the statement timeout."""
import logging

import pytest

from ckan.lib.search.common import SearchQueryError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.search import query
from ckanext.opendata_th.tests.datasets import national_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search opendata_th scheming_datasets"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

class Logged(logging.Handler):
    """What the search module logs during a test. (CKAN's logging config,
    read when the test app is made, disables loggers created before it.)"""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    @property
    def text(self):
        return "\n".join(self.lines)


@pytest.fixture
def logged(monkeypatch):
    handler = Logged()
    monkeypatch.setattr(query.log, "disabled", False)
    monkeypatch.setattr(query.log, "level", logging.INFO)
    query.log.addHandler(handler)
    yield handler
    query.log.removeHandler(handler)


SQL_WORDS = ("LINE 1", "SELECT", "WHERE", "opendata_th_search", "IS NOT NULL")


def test_a_value_postgres_refuses_gives_a_400_without_sql(app, logged):
    org = factories.Organization()
    call_action("package_create", {"user": factories.Sysadmin()["name"]},
                **national_dataset(owner_org=org["id"]))
    response = app.get("/api/3/action/package_search",
                       query_string={"q": "metadata_modified:[2020-01-01T00:00:00+23:00 TO *]"})
    assert response.status_code == 400
    error = response.json["error"]
    assert error["__type"] == "Search Query Error"
    assert "ไม่ตรงกับชนิดของฟิลด์" in error["message"]  # Thai, the portal's default language
    assert not [word for word in SQL_WORDS if word in error["message"]]
    assert "refused by PostgreSQL" in logged.text  # the sysadmin's log has the reason

    page = app.get("/dataset/", query_string={"q": "metadata_modified:[2020-01-01T00:00:00+23:00 TO *]"})
    assert page.status_code == 400
    assert not [word for word in SQL_WORDS if word in page.body]
    english = app.get("/api/3/action/package_search", headers={"Accept-Language": "en"},
                      query_string={"q": "metadata_modified:[2020-01-01T00:00:00+23:00 TO *]"})
    assert english.status_code == 400


@pytest.mark.ckan_config("ckanext.opendata_th.search.statement_timeout", "50")
def test_a_statement_over_the_timeout_is_stopped_with_a_clear_400(logged):
    assert query.statement_timeout_ms() == 50
    with pytest.raises(SearchQueryError) as raised:
        query._read("SELECT pg_sleep(2)", {})
    assert "took too long" in str(raised.value)  # in Thai on Thai pages (catalog test)
    assert "stopped after 50 ms" in logged.text
    assert query._read("SELECT 1 AS n", {})[0].n == 1  # the connection is fine afterwards


def test_the_default_statement_timeout_is_five_seconds():
    assert query.statement_timeout_ms() == 5000

