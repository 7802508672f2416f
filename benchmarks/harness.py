"""What the overhead benchmarks share: a fresh CKAN site with a given set of
plugins, in a database emptied for it, and the demo agency's datasets in the
form that site's schema takes. Each configuration runs in a process of its
own (CKAN loads plugins once per process); :func:`run_configurations`
starts one per configuration and collects what each prints as JSON."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

PLAIN = "activity opendata_th_search"
"""Plain CKAN (with the same PostgreSQL search backend, as there is no Solr
here): the thai_gdc fields are kept as extras, as a site without this
extension would keep them."""
WITH_EXTENSION = "activity opendata_th_search opendata_th scheming_datasets"
CONFIGURATIONS = (("plain CKAN", PLAIN), ("with opendata_th", WITH_EXTENSION))


@contextlib.contextmanager
def fresh_site(plugins: str) -> Iterator[dict[str, Any]]:
    """A CKAN app with ``plugins`` on an emptied database (core and plugin
    migrations run, search index cleared), inside a request context. Yields
    the site user's action context."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(os.environ.get("CKAN_INI", "test.ini"))
    conf["ckan.plugins"] = plugins
    app = make_app(conf)
    with app._wsgi_app.test_request_context():
        import ckan.lib.search as search
        import ckan.model as model
        import ckan.plugins.toolkit as tk
        from ckan.cli.db import _resolve_alembic_config, _run_migrations

        model.repo.rebuild_db()
        for name in plugins.split():
            if os.path.exists(_resolve_alembic_config(name)):
                _run_migrations(name)
        search.clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        yield {"user": site_user["name"], "ignore_auth": True}


def rebuild_fast(ini: str, plugins: str) -> float:
    """Rebuild the search index with ``ckan search-index rebuild-fast`` (one
    process per CPU core) as a command of its own, with the plugins
    ``plugins``; the seconds it took. The command reads its configuration
    from a file: ``ini``'s, with those plugins and logging sections of its
    own (CKAN reads them from the file it is given)."""
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    with tempfile.TemporaryDirectory() as tmp:
        rebuild_ini = os.path.join(tmp, "rebuild.ini")
        with open(rebuild_ini, "w", encoding="utf-8") as out:
            out.write(f"[app:main]\nuse = config:{os.path.abspath(ini)}\n"
                      f"ckan.plugins = {plugins}\n\n"
                      "[loggers]\nkeys = root\n[handlers]\nkeys = console\n"
                      "[formatters]\nkeys = generic\n"
                      "[logger_root]\nlevel = WARNING\nhandlers = console\n"
                      "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\n"
                      "level = NOTSET\nformatter = generic\n"
                      "[formatter_generic]\nformat = %(levelname)s [%(name)s] %(message)s\n")
        started = time.perf_counter()
        # (its processes write their progress to stdout, over one another)
        subprocess.run([ckan, "-c", rebuild_ini, "search-index", "rebuild-fast"], check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - started


def demo_dataset(number: int, owner_org: str) -> dict[str, Any]:
    """The demo agency's dataset ``number`` (cycling through them) as a
    package_create dict for the running site: English tags (stock CKAN
    refuses Thai ones) and no resources."""
    from ckanext.opendata_th.demo.datasets import DATASETS
    from ckanext.opendata_th.demo.load import _schema_keys, package_dict_for

    source = dict(DATASETS[number % len(DATASETS)])
    source["tags"] = ["trade", "export"]
    return package_dict_for(source, owner_org, _schema_keys())


def run_configurations(script: str, args: list[str]) -> dict[str, Any]:
    """Run ``script --plugins P args`` for each configuration; {label: the
    JSON its last output line holds}."""
    results = {}
    for label, plugins in CONFIGURATIONS:
        output = subprocess.run([sys.executable, script, "--plugins", plugins, *args],
                                check=True, capture_output=True, text=True).stdout
        results[label] = json.loads(output.strip().splitlines()[-1])
    return results


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def print_comparison(title: str, timings: dict[str, dict[str, list[float]]]) -> None:
    """One line per measured call: median / p95 of plain CKAN and of the
    extension, and the extension's overhead on the median.
    ``timings``: {configuration label: {call: [milliseconds]}}."""
    import statistics

    print(f"{title} (same machine, median / p95 in ms)")
    plain_all, ours_all = timings["plain CKAN"], timings["with opendata_th"]
    width = max(len(call) for call in plain_all) + 2
    print(f"{'call':<{width}} {'plain CKAN':>18} {'with opendata_th':>18} {'overhead':>9}")
    for call, plain in plain_all.items():
        ours = ours_all[call]
        p50_plain, p50_ours = statistics.median(plain), statistics.median(ours)
        print(f"{call:<{width}} {p50_plain:>8.2f} / {p95(plain):>7.2f} "
              f"{p50_ours:>8.2f} / {p95(ours):>7.2f} "
              f"{(p50_ours - p50_plain) / p50_plain * 100:>8.1f}%")
