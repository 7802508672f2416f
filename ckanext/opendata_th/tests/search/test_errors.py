"""What PostgreSQL says stays in the log: a search the database refuses or
stops gets a 400 "Search Query Error" in the user's language, never a 500 and
never a piece of SQL, and no statement runs past the statement timeout."""
import logging

import pytest

from ckan.lib.search.common import SearchQueryError
from ckan.tests import factories

from ckanext.opendata_th.search import query
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset

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


def test_a_value_postgres_refuses_gives_a_400_without_sql(logged):
    with pytest.raises(SearchQueryError) as raised:
        query._read("SELECT CAST(:value AS timestamptz) AS t",
                    {"value": "2020-01-01T00:00:00+23:00"})
    assert "ไม่ตรงกับชนิดของฟิลด์" in str(raised.value) or "does not fit" in str(raised.value)
    assert not [word for word in SQL_WORDS if word in str(raised.value)]
    assert "refused by PostgreSQL" in logged.text  # the sysadmin's log has the reason


def test_an_offset_postgres_would_refuse_is_read_in_python(app):
    """The issue's example that leaked SQL: the backend now reads the offset
    itself and sends PostgreSQL a UTC time."""
    org = factories.Organization()
    create_dataset( {"user": factories.Sysadmin()["name"]},
                **national_dataset(owner_org=org["id"]))
    for url in ("/api/3/action/package_search", "/dataset/"):
        response = app.get(url, query_string={
            "q": "metadata_modified:[2020-01-01T00:00:00+23:00 TO *]"})
        assert response.status_code == 200
        assert not [word for word in SQL_WORDS if word in response.get_data(as_text=True)]
    found = app.get("/api/3/action/package_search", query_string={
        "q": "metadata_modified:[2020-01-01T00:00:00+23:00 TO *]"}).json["result"]
    assert found["count"] == 1


def test_a_statement_too_complex_for_postgres_is_a_400(logged):
    with pytest.raises(SearchQueryError) as raised:
        # what a phrase of 20,000 words did before the terms limit
        query._read("SELECT to_tsvector('simple', 'a') @@ CAST(:q AS tsquery) AS n",
                    {"q": " <-> ".join(["'a'"] * 20_000)})
    assert "ซับซ้อนเกินไป" in str(raised.value) or "too complex" in str(raised.value)
    assert "too complex for PostgreSQL" in logged.text


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

