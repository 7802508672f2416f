"""Shared fixtures. CKAN's own pytest plugin (``--ckan-ini``) provides
``reset_db``, ``with_plugins``, ``app`` and the factories."""
import json
import os
import sys

import pytest

_cleaned_modules: set[str] = set()

WORKERS_ENV = "OPENDATA_TH_TEST_WORKERS"


def pytest_configure(config):
    """Give a pytest-xdist worker its own services, before CKAN's pytest
    plugin loads the configuration (in ``pytest_sessionstart``): the
    databases, Redis database and storage that ``scripts/devstack.py test``
    made for it and listed in $OPENDATA_TH_TEST_WORKERS. Workers sharing one
    database would wipe each other's data (``clean_db``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    services = json.loads(os.environ.get(WORKERS_ENV) or "[]")
    if services:
        # a worker that replaces a crashed one (gw2 for gw0) takes its services
        os.environ.update(services[int(worker.removeprefix("gw")) % len(services)])
    elif os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") != "1":
        raise pytest.UsageError(
            "Parallel tests need a database per worker: run them with "
            "`scripts/devstack.py test -n N` (or `make test`), not pytest -n directly.")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Make CKAN's ``with_plugins`` (every plugin loaded again for each test)
    and ``app`` cheaper, before CKAN's pytest plugin loads them the first
    time. Each load read every installed package's entry points once per
    plugin, parsed the same YAML files again (CKAN's config declaration,
    scheming's dataset schema, the web assets) and validated the same config
    declarations again (three times a test, 0.1 s each): about 2 s a test.
    These are the same all through a run, so they are read and validated
    once; what the code gets is unchanged (a copy of the result, which it
    may change)."""
    if not session.config.getoption("ckan_ini", default=None):
        return  # the pure tests: no CKAN
    import functools

    import msgspec.yaml
    import yaml

    import ckan.plugins.core

    ckan.plugins.core.entry_points = functools.cache(ckan.plugins.core.entry_points)
    yaml.safe_load = _parsed_once(yaml.safe_load)
    msgspec.yaml.decode = _parsed_once(msgspec.yaml.decode)
    _validate_declarations_once()


def _validate_declarations_once():
    """CKAN validates each config declaration (its own and every plugin's)
    with the navl schema ``config_declaration_v1`` whenever the plugins are
    loaded. ``load_dict`` imports ``validate`` when it runs: this wraps it
    to remember the result for a declaration it saw before (by its JSON
    text), and leaves every other validation as it is."""
    import json

    import ckan.lib.navl.dictization_functions as navl
    from ckan.logic.schema import config_declaration_v1

    validate = navl.validate
    declaration_schema = json.dumps(sorted(config_declaration_v1()))
    remembered: dict[str, tuple] = {}

    def validate_once(data, schema, context=None):
        if context is not None or set(data) - {"version", "groups"} or "groups" not in data \
                or json.dumps(sorted(schema)) != declaration_schema:
            return validate(data, schema, context)
        key = json.dumps(data, sort_keys=True, default=repr)
        if key not in remembered:
            remembered[key] = validate(data, schema)
        return _copied(remembered[key])

    navl.validate = validate_once


def _copied(value):
    """A copy of nested dicts, lists and tuples; their leaves (strings,
    validators, config keys) are shared, as they are never changed."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(item) for item in value)
    return value


def _parsed_once(parse):
    """``parse(text)``, remembered by text, as a deep copy. Streams are read
    first; calls with options are passed on as they are; a stream that does
    not parse is parsed again under its own name (for the error's text)."""
    import copy
    import functools
    import io

    remembered = functools.lru_cache(maxsize=256)(parse)

    @functools.wraps(parse)
    def parse_once(source, *args, **options):
        if args or options:
            return parse(source, *args, **options)
        text = source if isinstance(source, (str, bytes)) else source.read()
        if not isinstance(text, (str, bytes)):
            return parse(text)
        try:
            return copy.deepcopy(remembered(text))
        except Exception:
            if text is source:
                raise
            again = io.StringIO(text) if isinstance(text, str) else io.BytesIO(text)
            again.name = getattr(source, "name", "<file>")
            return parse(again)

    return parse_once


_migrated_versions: dict[str, list] = {}
"""Each plugin's alembic version rows just after ``clean_db`` migrated it."""


def _plugin_versions(name: str) -> list | None:
    """The rows of ``<plugin>_alembic_version``; None without that table."""
    import sqlalchemy as sa

    import ckan.model as model

    table = f"{name}_alembic_version"
    with model.meta.engine.connect() as connection:  # no lock held after
        if not sa.inspect(connection).has_table(table):
            return None
        return sorted(row[0] for row in
                      connection.execute(sa.text(f'SELECT version_num FROM "{table}"')))


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's ``clean_db`` plus the migrations of every configured plugin.

    CKAN resets only its core tables; the tables of the plugins in
    ``ckan.plugins`` (this extension's, ckanext-harvest's, activity's) are
    created again by their own alembic migrations, and the search index is
    emptied.
    """
    from ckan.cli.db import _resolve_alembic_config

    import ckan.lib.search as search

    reset_db()
    if "ckanext.harvest.model" in sys.modules and "harvest" not in ckan_config.get("ckan.plugins"):
        _create_harvest_tables()
    for name in ckan_config.get("ckan.plugins"):
        if not os.path.exists(_resolve_alembic_config(name)):
            continue
        # Migrating again takes a third of a second and does nothing while
        # the plugin's tables are as its migrations left them (CKAN only
        # emptied them): done when they were dropped or another version set.
        versions = _plugin_versions(name)
        if versions is None or versions != _migrated_versions.get(name):
            migrate_db_for(name)
            _migrated_versions[name] = _plugin_versions(name)
    search.clear_all()  # the PostgreSQL index is not among CKAN's tables


def _create_harvest_tables():
    """ckanext-harvest's tables, for tests without its plugin that run after
    one with it: once imported, its model maps ``Package.harvest_objects``
    for good, so purging a dataset queries its table."""
    import ckan.model as model
    from ckanext.harvest import model as harvest

    tables = [cls.__table__ for cls in (
        harvest.HarvestSource, harvest.HarvestJob, harvest.HarvestObject, harvest.HarvestObjectExtra,
        harvest.HarvestGatherError, harvest.HarvestObjectError, harvest.HarvestLog)]
    model.meta.metadata.create_all(bind=model.meta.engine, tables=tables, checkfirst=True)


@pytest.fixture
def clean_db_once(request):
    """``clean_db`` before the first test of a module only, for modules whose
    tests just add uniquely named objects and so do not disturb each other.
    Use it after ``with_plugins``."""
    if request.module.__name__ not in _cleaned_modules:
        request.getfixturevalue("clean_db")
        _cleaned_modules.add(request.module.__name__)


_apps: dict[tuple[str, int], object] = {}


@pytest.fixture
def make_app(request, ckan_config):
    """CKAN's ``make_app``, with the app made once per test module and
    configuration. Making it loads every plugin again and builds the Flask
    app (about 0.6 s), which ``with_plugins`` has just done for the test;
    tests of a module with the same configuration get the same app (a new
    test client each request, no state of its own), with CKAN's per-test
    resets: the cached config values and the site's settings from the
    database (app_globals)."""
    import ckan.config.middleware as middleware
    from ckan.lib import app_globals
    from ckan.tests import helpers

    app_globals._CONFIG_CACHE.clear()

    def make():
        key = (request.module.__name__, hash(repr(sorted(ckan_config.items()))))
        if key not in _apps:
            _apps.clear()  # one module's apps at a time
            _apps[key] = (helpers._get_test_app(), middleware._internal_test_request_context)
        else:
            app_globals.reset()
        app, middleware._internal_test_request_context = _apps[key]
        return app

    return make


# -- the portal served over HTTP (browser tests, harvests of this portal) -----

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def base_url(ckan_config, make_app):
    """The URL of the real CKAN app (the whole WSGI stack, with its i18n
    middleware and web assets) served over HTTP from a thread. ckan.site_url
    is set to it before the app is made, so the absolute links and redirects
    CKAN renders stay on this server."""
    # CKAN caches its job queues and tells RQ about the Redis connection only
    # in the thread that makes a queue first. Make the default queue here, so
    # that it is not the server's request threads (the link check queued after
    # a resource is added), leaving later tests' workers in this thread
    # without a connection.
    import threading

    from werkzeug.serving import make_server

    import ckan.lib.jobs as jobs

    from ckanext.opendata_th.tests.web import QuietRequestHandler

    jobs.get_queue()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ckan_config["ckan.site_url"] = url
    server = make_server("127.0.0.1", port, make_app().app, threaded=True,
                         request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="ckan-test-server", daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()
    thread.join(10)


# -- fixtures of the glue tests (test_jobs, test_subscriptions, test_reminders,
# test_schedule_search): a portal with one organization, a local web site
# whose answers the test sets, mail servers that refuse, and a database
# connection of its own that sees only committed data.

@pytest.fixture
def org():
    from ckan.tests import factories

    return factories.Organization(name="trade-institute")


@pytest.fixture
def sysadmin():
    from ckan.tests import factories

    return factories.Sysadmin()


@pytest.fixture
def create_dataset(org, sysadmin):
    """``create_dataset(**fields)``: package_create of a dataset valid under
    the national schema, in ``org``, as a sysadmin (one CSV link unless
    ``resources`` is given), published unless ``private=True``."""
    from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

    def create(**fields):
        fields.setdefault("resources", [national_resource()])
        return create_dataset({"user": sysadmin["name"]},
                              **national_dataset(owner_org=org["id"], **fields))

    return create


class LinkSite:
    """What the local web site answers: ``routes[path] = {"HEAD": status,
    "GET": status, "delay": seconds}`` (404 for paths without a route), and
    every request it got, as (method, path)."""

    def __init__(self, base: str):
        self.base = base
        self.routes: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def answer(self, path: str, status: int = 200, *, head: int | None = None,
               get: int | None = None, delay: float = 0) -> str:
        """Route ``path`` and return its URL."""
        self.routes[path] = {"HEAD": status if head is None else head,
                             "GET": status if get is None else get, "delay": delay}
        return self.url(path)


@pytest.fixture
def link_site():
    """A local HTTP server (one thread per request) answering as told."""
    import http.server
    import threading
    import time

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            site = self.server.site
            site.requests.append((self.command, self.path))
            route = site.routes.get(self.path, {})
            if route.get("delay"):
                time.sleep(route["delay"])
            self.send_response(route.get(self.command, 404))
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET = _answer

        def log_message(self, *args):
            """Keep the request log out of the test output."""

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

    server = Server(("127.0.0.1", 0), Handler)
    server.site = LinkSite(f"http://127.0.0.1:{server.server_port}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.site
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A local TCP port nothing listens on: connections are refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return port


@pytest.fixture
def refusing_smtp():
    """A local SMTP server that greets, then refuses every message with 554.
    Yields its "host:port"; ``.sessions`` counts the connections."""
    import socketserver
    import threading

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            self.server.sessions += 1
            self.wfile.write(b"220 refusing.example ESMTP\r\n")
            for line in self.rfile:
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    self.wfile.write(b"250 refusing.example\r\n")
                elif command in (b"RSET", b"NOOP"):
                    self.wfile.write(b"250 OK\r\n")
                elif command == b"QUIT":
                    self.wfile.write(b"221 Bye\r\n")
                    return
                else:
                    self.wfile.write(b"554 5.7.1 Relay access denied\r\n")

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        block_on_close = False
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    server.sessions = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def committed_db(ckan_config):
    """A SQLAlchemy engine of its own on CKAN's database: its connections
    see only what CKAN's session has committed."""
    import sqlalchemy as sa

    engine = sa.create_engine(ckan_config["sqlalchemy.url"], poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def without_quality_checks(monkeypatch):
    """For tests that follow another follow-up of a dataset change alone
    (the link check): the data-quality check those changes also queue
    (it downloads the linked files too) is left out. It is tested in
    tests/test_quality_reports.py."""
    from ckanext.opendata_th import subscriptions
    from ckanext.opendata_th.jobs import quality

    monkeypatch.setattr(subscriptions, "FOLLOW_UPS",
                        [f for f in subscriptions.FOLLOW_UPS if f is not quality.enqueue_if_changed])
