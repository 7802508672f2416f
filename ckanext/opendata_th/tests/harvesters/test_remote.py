"""The remote catalog client (harvesters/remote.py) against the local thai_gdc
server: paging and the helpers, both API styles and their token headers,
retries with back-off on the faults that pass (5xx, timeouts, dropped
connections, cut answers) and none on refusals (4xx), and plain messages
that say which call at which address failed — never the token.

Needs no database: it also runs with ``-p no:ckan``."""
from __future__ import annotations

import pytest

from ckanext.opendata_th.harvesters import remote
from ckanext.opendata_th.harvesters.remote import RemoteCatalog, RemoteError
from ckanext.opendata_th.tests.thai_gdc import ThaiGdcCatalog, ThaiGdcServer, sample_datasets

TOKEN = "token-7f3a9c"


class Sleeps(list):
    """A sleep that records how long it was asked to wait, and does not wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(scope="module")
def datasets():
    return sample_datasets(12, seed=3)


@pytest.fixture
def server(datasets):
    with ThaiGdcServer(ThaiGdcCatalog(datasets)) as running:
        yield running


@pytest.fixture
def keyed_server(datasets):
    with ThaiGdcServer(ThaiGdcCatalog(datasets), token=TOKEN, reject_unknown_tokens=True) as running:
        yield running


def client(url: str, **options) -> RemoteCatalog:
    options.setdefault("sleep", Sleeps())
    options.setdefault("timeout", 5)
    return RemoteCatalog(url, **options)


def calls(server, action: str) -> int:
    return sum(1 for request in server.requests if request.action == action)


def test_search_pages_through_the_catalog_in_the_order_asked(server, datasets):
    catalog = client(server.url)
    first = catalog.search(sort="id asc", rows=5, start=0)
    second = catalog.search(sort="id asc", rows=5, start=5)
    assert first["count"] == len(datasets)
    ids = [d["id"] for d in first["results"] + second["results"]]
    assert ids == sorted(d["id"] for d in datasets)[:10]


def test_search_with_fl_gives_only_the_fields_asked_for(server):
    rows = client(server.url).search(rows=3, fl="id,name,metadata_modified")["results"]
    assert rows and all(set(row) == {"id", "name", "metadata_modified"} for row in rows)


def test_show_and_status(server, datasets):
    catalog = client(server.url)
    shown = catalog.show(datasets[0]["name"])
    assert shown["id"] == datasets[0]["id"] and shown["title"] == datasets[0]["title"]
    assert "thai_gdc" in " ".join(catalog.status()["extensions"])


def test_an_unknown_dataset_is_not_found_at_once(server):
    catalog = client(server.url)
    with pytest.raises(RemoteError) as raised:
        catalog.show("no-such-dataset")
    assert raised.value.kind == remote.NOT_FOUND
    assert calls(server, "package_show") == 1  # a refusal is not tried again
    assert f"package_show at {server.url}/api/3/action/package_show" in str(raised.value)


def test_a_server_error_is_tried_again_with_back_off(server):
    server.fail("package_search", "500", times=2)
    sleeps = Sleeps()
    result = client(server.url, retries=3, backoff=0.5, sleep=sleeps).search(rows=1)
    assert result["results"]
    assert calls(server, "package_search") == 3
    assert sleeps == [0.5, 1.0]  # exponential


def test_a_server_error_that_lasts_fails_plainly_after_the_retries(server):
    server.fail("package_search", "500", times=10)
    with pytest.raises(RemoteError) as raised:
        client(server.url, retries=2).search(rows=1)
    error = raised.value
    assert error.kind == remote.SERVER and error.status == 500 and error.retried
    assert calls(server, "package_search") == 3
    assert str(error) == (f"package_search at {server.url}/api/3/action/package_search: "
                          "the remote failed (HTTP 500)")


def test_no_answer_in_time_is_a_timeout(server):
    server.timeout_sleep = 1.0
    server.fail("package_show", "timeout", times=10)
    with pytest.raises(RemoteError) as raised:
        client(server.url, timeout=0.2, retries=1).show("anything")
    assert raised.value.kind == remote.TIMEOUT
    assert "did not answer within 0.2 s" in str(raised.value)
    assert calls(server, "package_show") == 2


def test_a_cut_answer_is_not_json_and_is_tried_again(server, datasets):
    server.fail("package_show", "malformed", times=1)
    assert client(server.url).show(datasets[1]["id"])["id"] == datasets[1]["id"]
    server.fail("package_show", "malformed", times=10)
    with pytest.raises(RemoteError) as raised:
        client(server.url, retries=1).show(datasets[1]["id"])
    assert raised.value.kind == remote.MALFORMED
    assert "the answer was not JSON" in str(raised.value)


def test_a_dropped_connection_is_tried_again(server):
    server.fail("status_show", "drop", times=1)
    assert client(server.url).status()
    server.fail("status_show", "drop", times=10)
    with pytest.raises(RemoteError) as raised:
        client(server.url, retries=1).status()
    assert raised.value.kind == remote.UNREACHABLE


def test_a_page_gone_mid_way_is_not_found(server):
    server.fail("package_search", "404", times=1, after=1)
    catalog = client(server.url)
    catalog.search(rows=2)
    with pytest.raises(RemoteError) as raised:
        catalog.search(rows=2, start=2)
    assert raised.value.kind == remote.NOT_FOUND


def test_a_remote_that_went_away_cannot_be_reached(server):
    server.go_away()
    try:
        with pytest.raises(RemoteError) as raised:
            client(server.url, retries=1).status()
    finally:
        server.come_back()
    assert raised.value.kind == remote.UNREACHABLE
    assert str(raised.value) == f"status_show at {server.url}/api/3/action/status_show: " \
                                "the remote cannot be reached"
    assert client(server.url).status()  # and back


def test_the_action_api_sends_the_token_and_a_refused_token_is_said_so(keyed_server):
    catalog = client(keyed_server.url, token=TOKEN)
    catalog.search(rows=1)
    request = keyed_server.requests[-1]
    headers = {key.lower(): value for key, value in request.headers.items()}
    assert headers["authorization"] == TOKEN and headers["api-key"] == TOKEN
    wrong = client(keyed_server.url, token="wrong-token")
    with pytest.raises(RemoteError) as raised:
        wrong.search(rows=1)
    assert raised.value.kind == remote.REFUSED and not raised.value.retried
    assert "the token was refused" in str(raised.value)
    assert "wrong-token" not in str(raised.value)
    assert sum(1 for r in keyed_server.requests if r.action == "package_search") == 2


def test_the_gateway_takes_the_token_in_its_header_on_its_path(keyed_server, datasets):
    catalog = client(keyed_server.gateway_url, api=remote.GATEWAY, token=TOKEN, token_header="api-key")
    assert catalog.action_url("package_show") == f"{keyed_server.gateway_url}/package_show"
    assert catalog.show(datasets[0]["id"])["id"] == datasets[0]["id"]
    request = keyed_server.requests[-1]
    assert request.path.startswith("/get-ckan/package_show")
    headers = {key.lower(): value for key, value in request.headers.items()}
    assert headers["api-key"] == TOKEN and "authorization" not in headers
    with pytest.raises(RemoteError) as raised:
        client(keyed_server.gateway_url, api=remote.GATEWAY).show(datasets[0]["id"])
    assert raised.value.kind == remote.REFUSED
    assert "may need a token" in str(raised.value)


def test_an_unknown_api_style_is_refused():
    with pytest.raises(ValueError):
        RemoteCatalog("https://data.go.th", api="soap")
