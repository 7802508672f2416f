"""Rebuilding the PostgreSQL search index in parallel.

``ckan search-index rebuild-fast`` forks one process per CPU; each indexes
its share of the datasets with ``defer_commit`` and never calls commit():
only the parent does, once they have ended. The test runs the real command
(its own ``ckan`` process and the processes it forks) against the test
database.
"""
import datetime
import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

import ckan.lib.plugins as lib_plugins
import ckan.logic.validators as ckan_validators
import ckan.model as model
from ckan.common import config
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.search import index, schema

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "opendata_th_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

# Shared out between the processes (one per CPU), this is not a multiple of
# the batch size: every process ends with a partial batch, which only
# commit() or the end of the process stores.
ACTIVE = 1234


def insert_datasets(active: int) -> set[str]:
    """Write datasets straight into CKAN's tables (without indexing them):
    ``active`` active ones, some private, plus a deleted and a draft one that
    rebuild-fast leaves out. Returns the ids of the active ones."""
    now = datetime.datetime.utcnow()
    rows = []
    for number in range(active + 2):
        state = "active" if number < active else ("deleted", "draft")[number - active]
        rows.append({
            "id": str(uuid.uuid4()), "name": f"rebuilt-{number:05d}", "type": "dataset",
            "title": f"ข้อมูลการส่งออก ชุดที่ {number}", "notes": f"Export statistics {number}",
            "state": state, "private": number % 10 == 0, "license_id": "cc-by",
            "metadata_created": now, "metadata_modified": now})
    model.Session.execute(model.package_table.insert(), rows)
    model.Session.commit()
    return {row["id"] for row in rows if row["state"] == "active"}


def rebuild_ini(tmp_path, ckan_config) -> str:
    """A configuration file for the ``ckan`` command: the test configuration
    with the plugins of these tests (the database and Redis come from the
    same environment variables as the tests')."""
    path = tmp_path / "rebuild.ini"
    path.write_text(f"""
[app:main]
use = config:{os.path.abspath(ckan_config["__file__"])}
ckan.plugins = {" ".join(ckan_config["ckan.plugins"])}

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)s [%(name)s] %(message)s
""", encoding="utf-8")
    return str(path)


def indexed_ids() -> set[str]:
    with model.meta.engine.connect() as connection:
        return set(connection.execute(sa.text(
            f"SELECT id FROM {schema.TABLE} WHERE site_id = :site"),
            {"site": config["ckan.site_id"]}).scalars())


def test_rebuild_fast_indexes_every_active_dataset(tmp_path, ckan_config):
    active = insert_datasets(ACTIVE)
    with model.meta.engine.connect() as connection:
        started = connection.execute(sa.text("SELECT clock_timestamp()")).scalar()
    assert indexed_ids() == set()

    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    result = subprocess.run(
        [ckan, "-c", rebuild_ini(tmp_path, ckan_config), "search-index", "rebuild-fast"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)

    # rebuild-fast prints its children's errors and still ends with status 0
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert indexed_ids() == active
    sysadmin = factories.Sysadmin()["name"]
    assert call_action("package_search", include_private=True,
                       context={"user": sysadmin})["count"] == ACTIVE
    # the parent's commit() prepared the tables for queries, although the
    # documents were stored by the other processes
    with model.meta.engine.connect() as connection:
        stats = connection.execute(sa.text(
            "SELECT s.last_vacuum, s.last_analyze, c.reltuples FROM pg_stat_user_tables s "
            "JOIN pg_class c ON c.oid = s.relid WHERE s.relname = :table"),
            {"table": schema.TABLE}).one()
        counted = connection.execute(sa.text(
            f"SELECT count(*) FROM {schema.FACET_FIELDS} WHERE site_id = :site"),
            {"site": config["ckan.site_id"]}).scalar()
    assert stats.last_vacuum > started and stats.last_analyze > started
    assert stats.reltuples == ACTIVE
    assert counted  # the listings' facets were recounted


def test_documents_deferred_by_a_process_are_stored_when_it_ends(tmp_path, ckan_config):
    """A process that indexes with defer_commit and ends without commit()
    (what each rebuild-fast child does) loses nothing, also with a partial
    batch waiting."""
    active = sorted(insert_datasets(index.BATCH_SIZE + 7))
    script = tmp_path / "defer.py"
    script.write_text(f"""
import sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
import ckan.lib.search as search

make_app(load_config({rebuild_ini(tmp_path, ckan_config)!r}))
search.rebuild(package_ids=sys.argv[1:], defer_commit=True)
""", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), *active],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert indexed_ids() == set(active)


def test_show_schema_without_the_name_check_validates_the_same():
    """Indexing validates datasets with the show schema minus the check that
    the name is free (a query, whose error indexing ignores): the validated
    dict is the same, and the plugin's schema is left as it was."""
    org = factories.Organization()["id"]
    dataset = factories.Dataset(owner_org=org, title="ชื่อซ้ำ",
                                extras=[{"key": "ref_date", "value": "2024-01-01"}],
                                resources=[{"url": "http://example.org/a.csv"}])
    other = factories.Dataset(owner_org=org)
    shown = call_action("package_show", context={"validate": False, "use_cache": False},
                        id=dataset["id"])
    # the name check fails for this one: another dataset has its name
    shown["name"] = other["name"]
    plugin = lib_plugins.lookup_package_plugin("dataset")
    full = plugin.show_package_schema()
    lean = index._without_name_check(full)

    def validate(schema_):
        context = {"model": model, "session": model.Session}
        return lib_plugins.plugin_validate(plugin, context, dict(shown), schema_,
                                           "package_show")

    assert ckan_validators.package_name_validator not in lean["name"]
    assert ckan_validators.package_name_validator in full["name"]  # not modified
    assert lean["resources"] is full["resources"]  # unchanged parts are shared
    (with_check, errors), (without_check, no_errors) = validate(full), validate(lean)
    assert "name" in errors and "name" not in no_errors
    assert without_check == with_check
