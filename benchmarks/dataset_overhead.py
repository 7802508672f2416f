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
import time

from harness import demo_dataset, fresh_site, print_comparison, run_configurations


def measure(plugins: str, shows: int, updates: int) -> dict[str, list[float]]:
    with fresh_site(plugins) as context:
        import ckan.plugins.toolkit as tk

        from ckanext.opendata_th.demo.datasets import DATASETS, ORGANIZATION

        org = tk.get_action("organization_create")(dict(context), {"name": "agency", **ORGANIZATION})
        pkg = demo_dataset(0, org["id"])
        pkg["resources"] = [{"name": r["name"], "url": f"https://agency.example/{r['file']}",
                             "format": r["format"], "description": r["description"]}
                            for r in DATASETS[0]["resources"]]
        created = tk.get_action("package_create")(dict(context), pkg)

        timings: dict[str, list[float]] = {"package_show": [], "package_update": []}
        for _ in range(shows):
            start = time.perf_counter()
            tk.get_action("package_show")(dict(context), {"id": created["id"]})
            timings["package_show"].append((time.perf_counter() - start) * 1000)
        for index in range(updates):
            start = time.perf_counter()
            tk.get_action("package_patch")(dict(context), {
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

    results = run_configurations(__file__, ["--shows", str(args.shows),
                                            "--updates", str(args.updates)])

    print_comparison(f"package_show x{args.shows}, package_update x{args.updates} of the "
                     "same dataset", results)

if __name__ == "__main__":
    main()
