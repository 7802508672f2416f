"""Benchmark of harvesting a thai_gdc catalog: the ``datagoth`` harvester
(plugin ``opendata_th_harvester``) against ckanext-harvest's stock ``ckan``
harvester, on the same local thai_gdc server.

The parent process serves the local thai_gdc catalog (N sample datasets,
``--datasets``, 2,000 by default) and runs each harvester in a process of
its own, on a freshly emptied database (CKAN loads plugins once per
process). Each harvester makes three runs against the same server:

1. a full import (an empty portal),
2. a re-run with no remote change,
3. a re-run after 1 % of the remote datasets changed (the child asks the
   parent, which serves the catalog, to change them; the change is the
   same for both harvesters).

A run is what ckanext-harvest's consumers and cron do: the job is created,
the gather then the fetch queue (on Redis) consumed in this process until
empty, and ``harvest_jobs_run`` marks the job finished. After the full
import, both harvesters must hold every disclosable remote dataset as a
public local dataset (counted: a fast failure is not a result). The stock
harvester may only publish on this portal with
``ckanext.opendata_th.sysadmins_publish_directly = true`` (the publish
rule); that is set for its process only.

Printed: datasets/s of every run (remote datasets in the catalog divided by
the run's wall time), the ratios "datagoth full / stock full" (target ≥ 5)
and "datagoth full time / datagoth no-change time" (target ≥ 50), and
whether each target is met.

``--profile``: instead, cProfile one datagoth full import (200 datasets by
default) and print the costliest functions.

Run with ``make benchmark``, or inside devstack::

    .venv/bin/python scripts/devstack.py run --db ckan_bench_harvest --redis-db 9 -- \\
        .venv/bin/python benchmarks/harvest.py --datasets 200
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the checkout, for ckanext.opendata_th.tests

REMOTE_ORGANIZATIONS = ("trade-stat", "agri-data")
BASE_PLUGINS = "opendata_th_search opendata_th activity scheming_datasets harvest"
HARVESTERS = {
    # label: (plugins, source type, extra config)
    "datagoth": (f"{BASE_PLUGINS} opendata_th_harvester", "datagoth", {}),
    "stock ckan": (f"{BASE_PLUGINS} ckan_harvester", "ckan",
                   {"ckanext.opendata_th.sysadmins_publish_directly": "true"}),
}
CHANGED_SHARE = 0.01
MARK = "@@harvest-benchmark@@ "
"""Prefix of the lines a child and the parent exchange (anything else a
child prints is passed on to stderr)."""
FULL_TARGET, NO_CHANGE_TARGET = 5.0, 50.0


# -- the site (child process) --------------------------------------------------------------

@contextlib.contextmanager
def fresh_site(plugins: str, options: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A CKAN app with ``plugins`` and config ``options`` on an emptied
    database (core and plugin migrations run, search index cleared), inside
    a request context. Yields the site user's action context."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(os.environ.get("CKAN_INI", "test.ini"))
    conf["ckan.plugins"] = plugins
    conf.update(options)
    # one attempt, no back-off: the local server answers at once
    conf.setdefault("ckanext.opendata_th.harvest.backoff", "0")
    app = make_app(conf)
    with app._wsgi_app.test_request_context():
        import ckan.lib.search as search
        import ckan.model as model
        import ckan.plugins.toolkit as tk
        import sqlalchemy as sa
        from ckan.cli.db import _resolve_alembic_config, _run_migrations

        model.repo.rebuild_db()
        for name in plugins.split():
            if os.path.exists(_resolve_alembic_config(name)):
                _run_migrations(name)
        # CKAN's migrations leave the model bound to their own engine,
        # which opens a connection for every transaction (NullPool); a
        # harvester process (ckan harvester gather-consumer, ...) runs with
        # the pooled engine CKAN's environment makes
        model.Session.remove()
        model.init_model(sa.engine_from_config(tk.config, pool_pre_ping=True))
        search.clear_all()
        # the search index's Thai dictionaries load once per process (about
        # 10 s here): a long-running consumer has them; not timed
        from ckanext.opendata_th.search import text
        text.words("การส่งออกสินค้าเกษตร")
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        yield {"user": site_user["name"], "ignore_auth": True}


def run_job(source_id: str) -> dict[str, Any]:
    """One harvest job as the consumers and the cron run it; its stats."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from ckanext.opendata_th.tests.harvesters import runs

    context = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    job = runs.run_job(source_id, context)
    model.Session.remove()
    shown = tk.get_action("harvest_job_show")(dict(context), {"id": job["id"]})
    report = tk.get_action("harvest_job_report")(dict(context), {"id": job["id"]})
    messages = sorted({m["message"][:300] for o in report["object_errors"].values()
                       for m in o["errors"]})
    return {"status": shown["status"], "stats": shown["stats"],
            "gather_errors": len(report["gather_errors"]), "error_samples": messages[:3]}


def local_counts() -> dict[str, int]:
    """Active local datasets (harvest sources aside) and the public ones."""
    import ckan.model as model

    rows = model.Session.query(model.Package.private).filter(
        model.Package.type == "dataset", model.Package.state == "active").all()
    return {"datasets": len(rows), "public": sum(1 for (private,) in rows if not private)}


def ask_parent(request: str) -> str:
    """Send a request to the parent (which serves the remote) and wait for its answer."""
    print(MARK + request, flush=True)
    return sys.stdin.readline().strip()


def measure(label: str, remote_url: str, datasets: int, expected_public: int) -> dict[str, Any]:
    """The three runs of one harvester (child process)."""
    plugins, source_type, options = HARVESTERS[label]
    with fresh_site(plugins, options) as context:
        import ckan.plugins.toolkit as tk
        from ckanext.harvest import queue

        gather, fetch = queue.get_gather_consumer(), queue.get_fetch_consumer()
        gather.queue_purge()
        fetch.queue_purge()
        copies = tk.get_action("organization_create")(dict(context), {
            "name": "national-copies", "title": "ชุดข้อมูลจากส่วนกลาง"})
        source = tk.get_action("harvest_source_create")(dict(context), {
            "name": "data-go-th", "title": "data.go.th", "url": remote_url,
            "source_type": source_type, "owner_org": copies["id"],
            "config": json.dumps({}) if source_type == "datagoth" else ""})
        runs: dict[str, Any] = {}
        for run in ("full", "no change", "1% changed"):
            if run == "1% changed":
                ask_parent("change")
            start = time.perf_counter()
            job = run_job(source["id"])
            job["seconds"] = time.perf_counter() - start
            job["rate"] = datasets / job["seconds"]
            if run == "full":
                job["counts"] = local_counts()
            runs[run] = job
        counts = runs["full"]["counts"]
        runs["complete"] = counts["public"] == expected_public
        return runs


def profile(remote_url: str, top: int) -> None:
    """cProfile one datagoth full import; print the costliest functions."""
    import cProfile
    import pstats

    plugins, source_type, options = HARVESTERS["datagoth"]
    with fresh_site(plugins, options) as context:
        import ckan.plugins.toolkit as tk

        copies = tk.get_action("organization_create")(dict(context), {"name": "national-copies"})
        source = tk.get_action("harvest_source_create")(dict(context), {
            "name": "data-go-th", "title": "data.go.th", "url": remote_url,
            "source_type": source_type, "owner_org": copies["id"], "config": "{}"})
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        job = run_job(source["id"])
        profiler.disable()
        seconds = time.perf_counter() - start
        print(f"datagoth full import: {seconds:.1f} s, {job['stats']}, {local_counts()}")
        if os.environ.get("HARVEST_PROFILE_OUT"):  # for a closer look with pstats
            profiler.dump_stats(os.environ["HARVEST_PROFILE_OUT"])
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


# -- the remote and the comparison (parent process) ---------------------------------------------

def importable_by_both(dataset: dict[str, Any]) -> dict[str, Any]:
    """The sample dataset as a remote that the stock harvester, which
    validates remote dicts against this portal's schema unmapped, can
    import too: a daily-or-shorter update frequency carries its
    ``update_frequency_time`` (as a remote running this extension sends
    it), and data.go.th's "License not specified" (which only the datagoth
    harvester maps) is one of the licences the schema knows. Otherwise
    the stock harvester would refuse a third of the catalog, and its
    figures would time failures."""
    from ckanext.opendata_th.playbook.frequency import DAILY_OR_SHORTER

    if str(dataset.get("update_frequency_unit") or "").strip() in DAILY_OR_SHORTER:
        dataset["update_frequency_time"] = "09:00"
    if dataset.get("license_id") == "License not specified":
        dataset["license_id"] = "Open Data Common"
    return dataset


def disclosable(catalog: Any) -> int:
    """How many remote datasets are public and may be public here (the
    publish rule: they arrive published)."""
    from ckanext.opendata_th.playbook import national_portal
    from ckanext.opendata_th.playbook import workflow as rules

    return sum(1 for dataset in catalog.datasets.values()
               if dataset.get("state", "active") == "active"
               and national_portal.arrival(dataset).stage == rules.PUBLISHED)


def change_some(catalog: Any, share: float, seed: int) -> int:
    """Change the title of ``share`` of the remote datasets (the same ones
    for the same seed); returns how many."""
    ids = sorted(catalog.datasets)
    chosen = random.Random(seed).sample(ids, max(1, round(len(ids) * share)))
    for number, remote_id in enumerate(chosen):
        title = catalog.datasets[remote_id]["title"]
        catalog.update(remote_id, title=f"{title} (ปรับปรุง {number})")
    return len(chosen)


def run_child(args: list[str], on_request: Callable[[str], str]) -> dict[str, Any]:
    """Run this script as a child with ``args``, answer its requests with
    ``on_request``; the JSON of its last marked line."""
    child = subprocess.Popen([sys.executable, __file__, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    result: Optional[dict[str, Any]] = None
    assert child.stdin is not None and child.stdout is not None
    for line in child.stdout:
        if not line.startswith(MARK):
            sys.stderr.write(line)
            continue
        message = line[len(MARK):].strip()
        if message.startswith("{"):
            result = json.loads(message)
        else:
            child.stdin.write(on_request(message) + "\n")
            child.stdin.flush()
    if child.wait() != 0 or result is None:
        raise SystemExit(f"the benchmark child {args} failed (exit {child.returncode})")
    return result


def report(datasets: int, expected: int, results: dict[str, dict[str, Any]]) -> None:
    print(f"\nHarvesting a local thai_gdc catalog of {datasets} datasets "
          f"({expected} of them disclosable, to arrive public); load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'harvester':<12} {'run':<12} {'seconds':>9} {'datasets/s':>11}  job")
    for label, runs in results.items():
        for run in ("full", "no change", "1% changed"):
            job = runs[run]
            print(f"{label:<12} {run:<12} {job['seconds']:>9.2f} {job['rate']:>11.1f}  "
                  f"{job['status']}, {job['stats']}, gather errors {job['gather_errors']}")
            for message in job["error_samples"]:
                print(f"{'':<12} {'':<12} e.g. {message}")
        counts = runs["full"]["counts"]
        print(f"{label:<12} after the full import: {counts['datasets']} local datasets, "
              f"{counts['public']} public of {expected} expected: "
              f"{'complete' if runs['complete'] else 'INCOMPLETE'}")
    if len(results) < len(HARVESTERS):
        return
    ours, stock = results["datagoth"], results["stock ckan"]
    full_ratio = ours["full"]["rate"] / stock["full"]["rate"]
    rerun_ratio = ours["full"]["seconds"] / ours["no change"]["seconds"]
    valid = ours["complete"] and stock["complete"]
    print(f"\ndatagoth full import vs stock full import: {full_ratio:.2f}x "
          f"(target >= {FULL_TARGET:g}x): {'met' if full_ratio >= FULL_TARGET and valid else 'NOT met'}")
    print(f"datagoth no-change re-run vs datagoth full import: {rerun_ratio:.1f}x faster "
          f"(target >= {NO_CHANGE_TARGET:g}x): "
          f"{'met' if rerun_ratio >= NO_CHANGE_TARGET and ours['complete'] else 'NOT met'}")
    if not valid:
        print("NOT A RESULT: a harvester did not import every disclosable dataset as public")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile a datagoth full import instead (200 datasets unless --datasets)")
    parser.add_argument("--top", type=int, default=40, help="functions --profile prints")
    parser.add_argument("--only", choices=sorted(HARVESTERS), help="run one harvester only")
    # child process: one harvester against the parent's server
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--remote", help=argparse.SUPPRESS)
    parser.add_argument("--expected", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "profile":
            profile(args.remote, args.top)
            return
        result = measure(args.child, args.remote, args.datasets, args.expected)
        print(MARK + json.dumps(result), flush=True)
        return

    from ckanext.opendata_th.tests.thai_gdc import (ThaiGdcCatalog, ThaiGdcServer, sample_datasets,
                                                    sample_organizations)

    if args.profile and "--datasets" not in sys.argv:
        args.datasets = 200
    catalog = ThaiGdcCatalog(organizations=sample_organizations(REMOTE_ORGANIZATIONS))
    with ThaiGdcServer(catalog) as server:
        for dataset in sample_datasets(args.datasets, seed=args.seed,
                                       organizations=REMOTE_ORGANIZATIONS, site_url=server.url):
            catalog.add(importable_by_both(dataset))
        common = ["--remote", server.url, "--datasets", str(args.datasets)]
        if args.profile:
            subprocess.run([sys.executable, __file__, "--child", "profile", "--top", str(args.top),
                            *common], check=True)
            return
        expected = disclosable(catalog)
        changed: dict[str, int] = {}

        def on_request(label: str) -> Callable[[str], str]:
            def answer(request: str) -> str:
                if request != "change":
                    raise SystemExit(f"unknown request from the child: {request}")
                # the same datasets change for each harvester (a new title each time)
                changed[label] = change_some(catalog, CHANGED_SHARE, args.seed)
                return "changed"
            return answer

        results = {}
        for label in HARVESTERS:
            if args.only and label != args.only:
                continue
            print(f"running {label} ...", file=sys.stderr, flush=True)
            results[label] = run_child(["--child", label, "--expected", str(expected), *common],
                                       on_request(label))
        report(args.datasets, expected, results)
        if server.errors:
            print(f"the thai_gdc server had {len(server.errors)} errors; the first: {server.errors[0]}")


if __name__ == "__main__":
    main()
