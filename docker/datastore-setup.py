"""Sets up the DataStore (data previews) of the opendata-th image. Installed
as /usr/local/bin/opendata-th-datastore; every step is safe to run again.

  opendata-th-datastore database     the DataStore database and its
                                     read-only role (before CKAN starts)
  opendata-th-datastore permissions  CKAN's `datastore set-permissions`
                                     script, run in the DataStore database
  opendata-th-datastore token        prints a new API token of the site user,
                                     for xloader's jobs

The database and permissions steps connect with CKAN_SQLALCHEMY_URL, which
must be a superuser (POSTGRES_USER of the compose stack is one). The names
come from CKAN_DATASTORE_WRITE_URL and CKAN_DATASTORE_READ_URL. When the
user may not create databases or roles, the step says what to run by hand
and exits with 0 so that the portal still starts.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import unquote, urlsplit


def log(message: str) -> None:
    print(f"[opendata-th] {message}", file=sys.stderr, flush=True)


def _parts(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    return {"user": unquote(parts.username or ""), "password": unquote(parts.password or ""),
            "database": parts.path.lstrip("/")}


def _connect(database: str | None = None):
    import psycopg2

    admin = os.environ["CKAN_SQLALCHEMY_URL"]
    if database:
        admin = urlsplit(admin)._replace(path="/" + database).geturl()
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    return conn


def _urls() -> tuple[dict[str, str], dict[str, str]] | None:
    write, read = (os.environ.get("CKAN_DATASTORE_WRITE_URL"),
                   os.environ.get("CKAN_DATASTORE_READ_URL"))
    if not (write and read):
        log("CKAN_DATASTORE_WRITE_URL/READ_URL not set: no DataStore, no table previews")
        return None
    return _parts(write), _parts(read)


def database() -> None:
    from psycopg2 import errors, sql

    urls = _urls()
    if not urls:
        return
    write, read = urls
    try:
        conn = _connect()
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (read["user"],))
            if cur.fetchone():
                cur.execute(sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(
                    sql.Identifier(read["user"])), (read["password"],))
            else:
                cur.execute(sql.SQL("CREATE ROLE {} WITH LOGIN PASSWORD %s").format(
                    sql.Identifier(read["user"])), (read["password"],))
                log(f"created the DataStore's read-only role {read['user']}")
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (write["database"],))
            if not cur.fetchone():
                cur.execute(sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0")
                            .format(sql.Identifier(write["database"]),
                                    sql.Identifier(write["user"])))
                log(f"created the DataStore database {write['database']}")
        conn.close()
    except (errors.InsufficientPrivilege, errors.DuplicateObject, errors.DuplicateDatabase) as error:
        log(f"could not set up the DataStore database: {error}".strip())
        log("create it by hand: the database, its read-only role, then "
            "`ckan datastore set-permissions | psql` as a superuser (see docker/README.md)")


def permissions() -> None:
    from psycopg2 import errors

    urls = _urls()
    if not urls:
        return
    write, _read = urls
    script = subprocess.run(
        ["ckan", "-c", os.environ.get("CKAN_INI", "/srv/app/ckan.ini"), "datastore",
         "set-permissions"], check=True, capture_output=True, text=True).stdout
    # the script starts at its comment (log lines may come first); psql's
    # \connect is done here by connecting to the DataStore database
    script = script[script.index("/*"):]
    script = re.sub(r'^\\connect .*$', "", script, flags=re.M)
    try:
        conn = _connect(write["database"])
        with conn.cursor() as cur:
            cur.execute(script)
        conn.close()
        log("DataStore permissions set")
    except errors.InsufficientPrivilege as error:
        log(f"could not set the DataStore permissions: {error}".strip())
        log("run `ckan datastore set-permissions | psql` as a superuser (see docker/README.md)")


def token() -> None:
    """A new API token of the site user (a sysadmin that every portal has)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(os.environ.get("CKAN_INI", "/srv/app/ckan.ini")))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk

        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        made = tk.get_action("api_token_create")(
            {"ignore_auth": True, "user": site_user["name"]},
            {"user": site_user["name"], "name": "xloader"})
    print(made["token"])


if __name__ == "__main__":
    steps = {"database": database, "permissions": permissions, "token": token}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(__doc__)
    steps[sys.argv[1]]()
