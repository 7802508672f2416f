"""Overhead of the opendata_th plugin on package_show and package_update.

The same national-catalog dataset (a demo dataset with its CSV resource) is
stored twice, each time in a fresh database:

* plain CKAN: plugins ``activity opendata_th_search`` (CKAN's default schema;
  the thai_gdc fields are kept as extras, as a site without this extension
  would keep them), and
* with the extension: ``activity opendata_th_search opendata_th
  scheming_datasets`` (the national schema, validators, due date and ten-property
  assessment on every dataset dict).

Both use the PostgreSQL search backend (there is no Solr here), so the
difference is the extension's own cost. Each configuration runs in its own
process; this script starts both and prints the comparison.

Run with ``make benchmark``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PLAIN = "activity opendata_th_search"
WITH_EXTENSION = "activity opendata_th_search opendata_th scheming_datasets"


def measure(plugins: str, shows: int, updates: int) -> dict[str, list[float]]:
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

        from ckanext.opendata_th.demo.datasets import DATASETS, ORGANIZATION
        from ckanext.opendata_th.demo.load import _schema_keys, package_dict_for

        model.repo.rebuild_db()
        for name in plugins.split():
            if os.path.exists(_resolve_alembic_config(name)):
                _run_migrations(name)
        search.clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})

        def context():
            return {"user": site_user["name"], "ignore_auth": True}

        org = tk.get_action("organization_create")(context(), {"name": "agency", **ORGANIZATION})
        source = dict(DATASETS[0])
        source["tags"] = ["trade", "export"]  # stock CKAN refuses Thai tags
        source["resources"] = [{"name": r["name"], "url": f"https://agency.example/{r['file']}",
                                "format": r["format"], "description": r["description"]}
                               for r in source["resources"]]
        pkg = package_dict_for(source, org["id"], _schema_keys())
        pkg["resources"] = source["resources"]
        created = tk.get_action("package_create")(context(), pkg)

        timings: dict[str, list[float]] = {"package_show": [], "package_update": []}
        for _ in range(shows):
            start = time.perf_counter()
            tk.get_action("package_show")(context(), {"id": created["id"]})
            timings["package_show"].append((time.perf_counter() - start) * 1000)
        for index in range(updates):
            start = time.perf_counter()
            tk.get_action("package_patch")(context(), {
                "id": created["id"], "notes": f"{created['notes']} ({index})"})
            timings["package_update"].append((time.perf_counter() - start) * 1000)
        return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shows", type=int, default=300)
    parser.add_argument("--updates", type=int, default=60)
    parser.add_argument("--plugins", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plugins:  # child process: one configuration
        print(json.dumps(measure(args.plugins, args.shows, args.updates)))
        return

    results = {}
    for label, plugins in (("plain CKAN", PLAIN), ("with opendata_th", WITH_EXTENSION)):
        output = subprocess.run(
            [sys.executable, __file__, "--plugins", plugins, "--shows", str(args.shows),
             "--updates", str(args.updates)],
            check=True, capture_output=True, text=True).stdout
        results[label] = json.loads(output.strip().splitlines()[-1])

    print(f"package_show x{args.shows}, package_update x{args.updates} "
          "(same dataset, same machine, median / p95 in ms)")
    print(f"{'action':<16} {'plain CKAN':>18} {'with opendata_th':>18} {'overhead':>9}")
    for action in ("package_show", "package_update"):
        plain = results["plain CKAN"][action]
        ours = results["with opendata_th"][action]
        p50_plain, p50_ours = statistics.median(plain), statistics.median(ours)
        p95 = lambda values: sorted(values)[int(0.95 * (len(values) - 1))]
        print(f"{action:<16} {p50_plain:>8.2f} / {p95(plain):>7.2f} "
              f"{p50_ours:>8.2f} / {p95(ours):>7.2f} "
              f"{(p50_ours - p50_plain) / p50_plain * 100:>8.1f}%")


if __name__ == "__main__":
    main()
