"""Overhead of the opendata_th plugin on a page of search results.

``package_search`` with ``rows=100`` returns 100 datasets; with the plugin
each one gets its due date, schedule and ten-property assessment, which need
the latest link checks of its resources, the licence register and the
configured holidays. Those facts are read once per call, so the cost must be
a fixed number of queries, not one per result.

The same 300 national-catalog datasets (two resources each, one of them a
link with recorded link checks) are stored twice, each time in a fresh
database:

* plain CKAN: plugins ``activity opendata_th_search`` (the thai_gdc fields
  kept as extras, as a site without this extension would keep them), and
* with the extension: ``activity opendata_th_search opendata_th
  scheming_datasets``.

Both use the PostgreSQL search backend (there is no Solr here), so the
difference is the extension's own cost. For each configuration the script
prints the median and p95 of ``package_search`` with ``rows=100`` (also with
the schedule facet, which costs one extra count query) and the number of SQL
statements one call runs with ``rows=10`` and ``rows=100``.

Run with ``make benchmark``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from harness import demo_dataset, fresh_site, print_comparison, run_configurations



def measure(plugins: str, datasets: int, runs: int) -> dict[str, object]:
    with fresh_site(plugins) as context:
        import sqlalchemy as sa

        import ckan.lib.search as search
        import ckan.model as model
        import ckan.plugins as p
        import ckan.plugins.toolkit as tk

        from ckanext.opendata_th.demo.datasets import ORGANIZATION

        org = tk.get_action("organization_create")(dict(context), {"name": "agency", **ORGANIZATION})
        with_extension = p.plugin_loaded("opendata_th")
        for number in range(datasets):
            pkg = demo_dataset(number, org["id"])
            pkg["name"] = f"dataset-{number:05d}"
            pkg["resources"] = [
                {"name": "file", "url": f"https://agency.example/{number}.csv", "format": "CSV"},
                {"name": "api", "url": f"https://api.agency.example/{number}", "format": "JSON"},
            ]
            created = tk.get_action("package_create")(dict(context), pkg)
            if with_extension:  # two recorded checks of the link, as after two runs
                from ckanext.opendata_th.model import LinkCheck
                link = created["resources"][1]
                for ok in (False, True):
                    model.Session.add(LinkCheck(package_id=created["id"], resource_id=link["id"],
                                                url=link["url"], ok=ok, status_code=200 if ok else 503))
                model.Session.commit()
                search.rebuild(created["id"])

        statements = []

        def count(*_args, **_kwargs):
            statements.append(1)

        def search_once(**params):
            return tk.get_action("package_search")({"user": ""}, {"q": "*:*", **params})

        queries = {}
        for rows in (10, 100):
            search_once(rows=rows)  # warm caches
            statements.clear()
            sa.event.listen(model.meta.engine, "before_cursor_execute", count)
            result = search_once(rows=rows)
            sa.event.remove(model.meta.engine, "before_cursor_execute", count)
            queries[rows] = len(statements)
            assert len(result["results"]) == min(rows, datasets)

        if os.environ.get("PROFILE"):  # PROFILE=1: where the time goes, to stderr
            import cProfile
            import pstats
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [search_once(rows=100) for _ in range(5)])
            pstats.Stats(profiler, stream=sys.stderr).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)

        timings: dict[str, list[float]] = {"rows=100": [], "rows=100 + schedule facet": []}
        facet = '["opendata_schedule", "tags"]' if with_extension else '["tags"]'
        for _ in range(runs):
            start = time.perf_counter()
            search_once(rows=100)
            timings["rows=100"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            search_once(rows=100, **{"facet.field": facet})
            timings["rows=100 + schedule facet"].append((time.perf_counter() - start) * 1000)
        return {"timings": timings, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=int, default=300)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--plugins", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plugins:  # child process: one configuration
        print(json.dumps(measure(args.plugins, args.datasets, args.runs)))
        return

    results = run_configurations(__file__, ["--datasets", str(args.datasets),
                                            "--runs", str(args.runs)])

    print_comparison(f"package_search over {args.datasets} datasets, {args.runs} runs each",
                     {label: result["timings"] for label, result in results.items()})
    print("SQL statements per call:")
    for label, result in results.items():
        queries = result["queries"]
        print(f"  {label:<18} rows=10: {queries['10']:>3}   rows=100: {queries['100']:>3}")


if __name__ == "__main__":
    main()
