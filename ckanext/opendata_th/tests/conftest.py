"""Shared fixtures. CKAN's own pytest plugin (``--ckan-ini``) provides
``reset_db``, ``with_plugins``, ``app`` and the factories."""
import functools
import json
import os
import sys
from contextlib import contextmanager

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


# -- the order in which pytest-xdist hands the test files to its workers -------

FILE_SECONDS_KEY = "opendata_th/file_seconds"
"""Where the pytest cache keeps each test file's seconds in the last run."""
SECONDS_PER_TEST = (("/tests/browser/", 15.0), ("/tests/playbook/", 0.02), ("/tests/quality/", 0.02))
"""Seconds a test takes, by folder, for a file the cache does not know (a
first run, as on a fresh clone): a browser test (Chromium, the portal over
HTTP) takes many seconds; a rule of the playbook or a data-quality check
(pure Python) a few milliseconds; the others (CKAN's actions and pages on
a database) one or two seconds. The pure files, last, fill the gaps."""
SECONDS_PER_OTHER_TEST = 1.5


def estimated_seconds(scope: str, tests: int, known: dict[str, float]) -> float:
    if scope in known:
        return known[scope]
    for folder, seconds in SECONDS_PER_TEST:
        if folder in "/" + scope:
            return tests * seconds
    return tests * SECONDS_PER_OTHER_TEST


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (what ``scripts/devstack.py test`` asks for) with
    the longest test files first. pytest-xdist hands out the files with the
    most tests first, which leaves the browser tests (a few tests a file,
    seconds each) to the end of the run, where they landed on whichever
    worker asked last while the other had nothing left; longest first, the
    short files at the end even out the two workers' time."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    cache = getattr(config, "cache", None)
    known = cache.get(FILE_SECONDS_KEY, {}) if cache is not None else {}

    class LongestFirst(LoadFileScheduling):
        ordered = False

        def _assign_work_unit(self, node):
            if not self.ordered:  # the whole queue is known at the first assignment
                units = sorted(self.workqueue.items(), key=lambda unit: -estimated_seconds(
                    unit[0], len(unit[1]), known))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


_file_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Each test file's seconds (set-up, test and tear-down of its tests),
    for the order of the next parallel run."""
    scope = report.nodeid.split("::", 1)[0]
    _file_seconds[scope] = _file_seconds.get(scope, 0.0) + report.duration


def pytest_sessionfinish(session):
    """Keep the seconds of a parallel run's files (a run of a few files or
    tests, in one process, would not say how long a whole file takes)."""
    config = session.config
    cache = getattr(config, "cache", None)
    if cache is None or config.getoption("dist", "no") == "no" or not _file_seconds \
            or hasattr(config, "workerinput"):  # a worker: the main process has its reports
        return
    known = cache.get(FILE_SECONDS_KEY, {})
    known.update({scope: round(seconds, 2) for scope, seconds in _file_seconds.items()})
    cache.set(FILE_SECONDS_KEY, known)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Make CKAN's ``with_plugins`` (every plugin loaded again for each test)
    and ``app`` cheaper, before CKAN's pytest plugin loads them the first
    time. Each load read every installed package's entry points once per
    plugin, parsed the same YAML files again (CKAN's config declaration,
    scheming's dataset schema, the web assets, the playbook's readiness and
    classification schemas) and validated the same config
    declarations again (three times a test, 0.1 s each): about 2 s a test.
    These are the same all through a run, so they are read and validated
    once; what the code gets is unchanged (a copy of the result, which it
    may change). The toolkit's search for a plugin's file and the hashing
    of the test users' passwords are made cheaper too."""
    if not session.config.getoption("ckan_ini", default=None):
        return  # the pure tests: no CKAN
    import functools

    import msgspec.yaml
    import yaml

    import ckan.plugins.core

    ckan.plugins.core.entry_points = functools.cache(ckan.plugins.core.entry_points)
    yaml.safe_load = _parsed_once(yaml.safe_load)
    yaml.load = _parsed_once(yaml.load)  # the playbook's schema files, read at each load
    msgspec.yaml.decode = _parsed_once(msgspec.yaml.decode)
    _validate_declarations_once()
    _callers_found_cheaply()
    _passwords_hashed_cheaply()


def _passwords_hashed_cheaply():
    """CKAN hashes a user's password with PBKDF2-SHA512 in 25,000 rounds (30
    ms, on purpose), for each user a test makes and each login: a few
    thousand times a run. The tests' users get the same hash in 1,000 rounds
    (the same scheme, salt and check; CKAN's test of the number of rounds,
    which upgrades older hashes, compares with the same 1,000)."""
    import ckan.model.user as user

    user.pbkdf2_sha512 = user.pbkdf2_sha512.using(rounds=1000)


def _callers_found_cheaply():
    """CKAN's toolkit finds the file of the plugin that adds a template,
    public or asset folder with ``inspect.stack()``, which reads the source
    lines of every frame of the call stack (a hundred frames in a test, and
    a search of every loaded module for each) to use one file name: tens of
    milliseconds a folder, a dozen folders each time the plugins are loaded.
    For those two toolkit functions ``inspect.stack`` gives the same frames
    and file names without the source lines; for any other caller it is
    what it was."""
    import inspect

    import ckan.plugins.toolkit as toolkit

    cheap_for = {toolkit._add_served_directory.__code__, toolkit.add_resource.__code__}

    def stack(context=1):
        frame = sys._getframe(1)
        if frame.f_code not in cheap_for:
            return inspect.getouterframes(frame, context)
        frames = []
        while frame is not None:
            frames.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno,
                                            frame.f_code.co_name, None, None))
            frame = frame.f_back
        return frames

    inspect.stack = stack


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
    """``parse(text)`` (or ``parse(text, Loader=...)``), remembered by text
    (and loader), as a deep copy. Streams are read first; calls with other
    options are passed on as they are; a stream that does not parse is
    parsed again under its own name (for the error's text)."""
    import copy
    import functools
    import io

    remembered = functools.lru_cache(maxsize=256)(parse)

    @functools.wraps(parse)
    def parse_once(source, *args, **options):
        if args or set(options) - {"Loader"}:
            return parse(source, *args, **options)
        text = source if isinstance(source, (str, bytes)) else source.read()
        if not isinstance(text, (str, bytes)):
            return parse(text, **options)
        try:
            return copy.deepcopy(remembered(text, **options))
        except Exception:
            if text is source:
                raise
            again = io.StringIO(text) if isinstance(text, str) else io.BytesIO(text)
            again.name = getattr(source, "name", "<file>")
            return parse(again, **options)

    return parse_once


# -- plugins ----------------------------------------------------------------

_environment_behind = False
"""True after ``with_plugins`` unloaded the plugins without updating CKAN's
environment (helpers, actions, templates, ... of the loaded plugins): the
next test's set-up updates it, or loads the plugins and updates it once."""


@contextmanager
def _environment_update_held():
    """CKAN's plugin (un)loading without its environment update at the end."""
    import ckan.plugins.core as core

    update = core.plugins_update
    core.plugins_update = lambda: None
    try:
        yield
    finally:
        core.plugins_update = update


@pytest.fixture
def with_plugins(ckan_config):
    """CKAN's ``with_plugins``: every plugin of ``ckan.plugins`` loaded
    again for the test (with its system plugins), unloaded after it. CKAN
    updates its whole environment three times for that (a tenth of a
    second each, more on a busy machine): after unloading the system
    plugins, after loading all, and after unloading them at the end. Here
    it is updated once, after loading: nothing runs between the unloading
    and the loading, and the update that follows the unloading at the end
    is left to the next test's set-up (the same update when the next test
    loads plugins again, which most do)."""
    global _environment_behind
    import ckan.plugins.core as core

    with _environment_update_held():
        core.unload_all()
    core.load(*core.aslist(core.config.get("ckan.plugins")), *core.find_system_plugins())
    _environment_behind = False
    yield
    with _environment_update_held():
        core.unload_non_system_plugins()
    _environment_behind = True


@pytest.fixture(autouse=True)
def _environment_up_to_date(request):
    """A test without ``with_plugins`` after one with it finds CKAN's
    environment updated for the plugins unloaded at that test's end."""
    global _environment_behind
    if _environment_behind and "with_plugins" not in request.fixturenames:
        import ckan.plugins.core as core

        core.plugins_update()
        _environment_behind = False


@pytest.fixture(scope="module", autouse=True)
def _no_jobs_of_other_modules(request):
    """Each test module starts with empty job queues: a module that runs a
    worker runs its own jobs, not the link checks that earlier modules'
    datasets queued (each of those waits for a DNS answer about their
    made-up hosts). Pure runs (``-p no:ckan``) have no queue."""
    if request.config.pluginmanager.hasplugin("ckan"):
        import ckan.lib.jobs as jobs

        for queue in jobs.get_all_queues():
            queue.empty()


_migrated_versions: dict[str, list] = {}
"""Each plugin's alembic version rows just after ``clean_db`` migrated it."""

VISIBLE_TABLES = ("SELECT relname FROM pg_class WHERE pg_table_is_visible(oid) "
                  "AND relkind IN ('r', 'p')")
"""The tables a query without a schema name finds (as SQLAlchemy's has_table)."""


def _visible_tables(connection) -> set[str]:
    import sqlalchemy as sa

    return set(connection.execute(sa.text(VISIBLE_TABLES)).scalars())


def _plugin_versions(names) -> dict[str, list | None]:
    """The rows of each plugin's ``<plugin>_alembic_version``; None without
    that table. One connection, one query a table."""
    import sqlalchemy as sa

    import ckan.model as model

    with model.meta.engine.connect() as connection:  # no lock held after
        tables = _visible_tables(connection)
        return {name: sorted(connection.execute(sa.text(
                    f'SELECT version_num FROM "{name}_alembic_version"')).scalars())
                if f"{name}_alembic_version" in tables else None
                for name in names}


def _reset_db(reset_db) -> None:
    """CKAN's ``reset_db``: when CKAN's tables are there, every row of them
    deleted (but alembic's version) in one go, where CKAN asks for each
    table whether it exists and then deletes its rows (some ninety round
    trips); otherwise CKAN's own (its tables dropped and made again)."""
    import ckan.model as model

    repo = model.repo
    if not repo.tables_created_and_initialised:
        reset_db()
        return
    model.Session.close_all()
    repo.session.remove()
    connection = repo.session.connection()
    tables = _visible_tables(connection)
    connection.exec_driver_sql(";".join(
        f'DELETE FROM "{table.name}"' for table in reversed(repo.metadata.sorted_tables)
        if table.name != "alembic_version" and table.schema is None and table.name in tables))
    repo.session.commit()
    repo.session.remove()
    repo.init_db()
    repo.session.flush()


@functools.cache
def _has_migrations(plugin: str) -> bool:
    from ckan.cli.db import _resolve_alembic_config

    return os.path.exists(_resolve_alembic_config(plugin))


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's ``clean_db`` plus the migrations of every configured plugin.

    CKAN resets only its core tables; the tables of the plugins in
    ``ckan.plugins`` (this extension's, ckanext-harvest's, activity's) are
    created again by their own alembic migrations, and the search index is
    emptied.
    """
    import ckan.lib.search as search

    _reset_db(reset_db)
    if "ckanext.harvest.model" in sys.modules and "harvest" not in ckan_config.get("ckan.plugins"):
        _create_harvest_tables()
    plugins = [name for name in ckan_config.get("ckan.plugins") if _has_migrations(name)]
    # Migrating again takes a third of a second and does nothing while the
    # plugin's tables are as its migrations left them (CKAN only emptied
    # them): done when they were dropped or another version set.
    for name, versions in _plugin_versions(plugins).items():
        if versions is None or versions != _migrated_versions.get(name):
            migrate_db_for(name)
            _migrated_versions[name] = _plugin_versions([name])[name]
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

@pytest.fixture(scope="session")
def live_server():
    """The HTTP server of the test run (see ``web.LiveServer``), started by
    the first test that asks for ``base_url``."""
    from ckanext.opendata_th.tests.web import LiveServer

    server = LiveServer()
    yield server
    server.close()


@pytest.fixture
def base_url(ckan_config, make_app, live_server):
    """The URL of the real CKAN app (the whole WSGI stack, with its i18n
    middleware and web assets) served over HTTP from a thread. ckan.site_url
    is set to it before the app is made, so the absolute links and redirects
    CKAN renders stay on this server. The server is the run's (one port: the
    tests of a module share their app, as ``make_app`` keeps it); it answers
    with this test's app until the test ends, and then waits for the requests
    still running (a page that was closed) before the next test cleans the
    database."""
    # CKAN caches its job queues and tells RQ about the Redis connection only
    # in the thread that makes a queue first. Make the default queue here, so
    # that it is not the server's request threads (the link check queued after
    # a resource is added), leaving later tests' workers in this thread
    # without a connection.
    import ckan.lib.jobs as jobs

    jobs.get_queue()
    ckan_config["ckan.site_url"] = live_server.url
    live_server.serve(make_app().app)
    yield live_server.url
    live_server.serve(None)
    live_server.wait_idle()


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
