"""Benchmark of the PostgreSQL search backend (plugin opendata_th_search).

For each size (10,000 and 100,000 generated Thai/English datasets by
default) the database is emptied, the datasets are written straight into
CKAN's tables, the search index is rebuilt by ``ckan search-index
rebuild-fast`` (one process per core; up to 10,000 datasets also by the
one-process ``ckan search-index rebuild``): the indexing throughput, the
rebuild's peak memory and the size of the index on disk; then typical
``package_search`` calls are timed (p50/p95).
For comparison, the same questions are put in the same run to the only
search a CKAN site has without a search engine: SQL ``ILIKE`` substring
scans over the package table (no ranking, no stemming, no facets from the
index). Then hostile anonymous searches are put once each: each one must
answer well under a second or be refused; what happens is reported (the
refusal's message, or the hit count) with the time it took.

All figures end up in one table, sizes side by side, with the machine they
come from. Timings depend on what else the machine runs at the time (the
load average is printed at the start and the end).

Run with ``make benchmark`` (or ``python benchmarks/search.py --counts N,M``
inside ``scripts/devstack.py run --db ckan_bench``). Each phase runs in a
process of its own: generating the datasets, rebuilding the index (as the
``ckan`` command does), and querying (as a web worker does).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from harness import rebuild_fast

THAI_TOPICS = ["ข้อมูลการค้าระหว่างประเทศ", "มูลค่าการส่งออก", "การนำเข้าสินค้าเกษตร",
               "สถิติการท่องเที่ยว", "งบประมาณรายจ่าย", "จำนวนผู้ประกอบการ",
               "ราคาสินค้าเกษตร", "ปริมาณน้ำฝน", "คุณภาพอากาศ", "การจดทะเบียนธุรกิจ"]
PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "สงขลา", "ชลบุรี", "ระยอง",
             "นครราชสีมา", "ภูเก็ต", "อุดรธานี", "สุราษฎร์ธานี"]
ENGLISH = ["export", "import", "trade", "statistics", "tourism", "budget", "price",
           "rainfall", "air", "quality", "business", "registration", "monthly",
           "annual", "province", "customs", "agriculture", "industry", "energy"]
TAGS = ["การค้า", "ส่งออก", "นำเข้า", "เกษตร", "ท่องเที่ยว", "งบประมาณ", "trade",
        "export", "economy", "environment", "energy", "transport"]
FORMATS = ["CSV", "XLSX", "JSON", "PDF", "XML"]
QUERIES = {
    "one Thai word": {"q": "การค้า"},
    "two English words": {"q": "export statistics"},
    "one facet filter": {"fq": 'tags:"ส่งออก"'},
    "three facets": {"q": "*:*", "facet.field": '["tags", "organization", "res_format"]'},
    "sort by modified": {"q": "*:*", "sort": "metadata_modified desc"},
}
ILIKE = {
    "one Thai word": ("(title ILIKE :w OR notes ILIKE :w)", {"w": "%การค้า%"}),
    "two English words": ("(title ILIKE :a OR notes ILIKE :a) AND "
                          "(title ILIKE :b OR notes ILIKE :b)",
                          {"a": "%export%", "b": "%statistics%"}),
    "one facet filter": ("id IN (SELECT package_id FROM package_tag pt JOIN tag t "
                         "ON t.id = pt.tag_id WHERE t.name = :t AND pt.state = 'active')",
                         {"t": "ส่งออก"}),
    "three facets": ("TRUE", {}),
    "sort by modified": ("TRUE", {}),
}


def _words(count: int) -> str:
    return " ".join(f"trade{i:03d}" for i in range(count))


def _qf(count: int) -> str:
    return " ".join(f"field{i}^1" for i in range(count))


def _sort_keys(count: int) -> str:
    return ", ".join(f"extras_k{i} asc" for i in range(count))


# Anonymous searches anyone can send; each must answer well under a second
# or be refused.
HOSTILE = {
    "(a) 1 KB q: 120 words x 120 qf fields": {"q": _words(120), "qf": _qf(120)},
    "(b) 200 words x 200 qf fields": {"q": _words(200), "qf": _qf(200)},
    "(c) sort with 300 keys": {"q": "*:*", "sort": _sort_keys(300)},
    "(c) sort with 1,600 keys": {"q": "*:*", "sort": _sort_keys(1600)},
    "(d) 100 kB q of one repeated word": {"q": "export " * 14_300},
    "(e) 400 levels of parentheses": {"q": "(" * 400 + "trade" + ")" * 400},
    "(f) a phrase of 20,000 words": {"q": '"' + " ".join(["trade"] * 20_000) + '"'},
    "(g) date maths overflow": {"q": "metadata_modified:[NOW+9999999DAYS TO *]"},
}
HOSTILE_RUNS = 3
TARGET_P50_MS = 100
TARGET_REBUILD_S = 15 * 60
INSERT_CHUNK = 5_000  # datasets generated and inserted at a time


# -- phases -------------------------------------------------------------------
def generate(count: int, orgs: list[str]) -> None:
    """Insert datasets straight into the tables (fast, and without indexing:
    the index is then built by a rebuild, which is what is measured)."""
    import datetime

    import ckan.model as model

    rng = random.Random(2568)
    now = datetime.datetime.utcnow()
    tag_ids = {name: str(uuid.uuid4()) for name in TAGS}
    model.Session.execute(model.tag_table.insert(),
                          [{"id": i, "name": n} for n, i in tag_ids.items()])
    for first in range(0, count, INSERT_CHUNK):
        packages, package_tags, resources = [], [], []
        for index in range(first, min(count, first + INSERT_CHUNK)):
            topic, province = rng.choice(THAI_TOPICS), rng.choice(PROVINCES)
            words = rng.sample(ENGLISH, 6)
            package_id = str(uuid.uuid4())
            modified = now - datetime.timedelta(minutes=index)
            packages.append({
                "id": package_id, "name": f"bench-{index:06d}", "type": "dataset",
                "title": f"{topic} จังหวัด{province} ปี {rng.randint(2560, 2568)}",
                "notes": f"{topic} {province}. {' '.join(words).capitalize()} data "
                         f"published by the agency.",
                "owner_org": rng.choice(orgs), "state": "active", "private": False,
                "license_id": "cc-by", "metadata_created": modified,
                "metadata_modified": modified})
            for tag_name in rng.sample(TAGS, 3):
                package_tags.append({"id": str(uuid.uuid4()), "package_id": package_id,
                                     "tag_id": tag_ids[tag_name], "state": "active"})
            for position, fmt in enumerate(rng.sample(FORMATS, 2)):
                resources.append({
                    "id": str(uuid.uuid4()), "package_id": package_id,
                    "position": position,
                    "url": f"http://example.org/{index}.{fmt.lower()}", "format": fmt,
                    "name": f"{topic} ({fmt})", "state": "active", "extras": "{}",
                    "created": modified, "url_type": ""})
        model.Session.execute(model.package_table.insert(), packages)
        model.Session.execute(model.package_tag_table.insert(), package_tags)
        model.Session.execute(model.resource_table.insert(), resources)
        model.Session.commit()


def phase_generate(args: argparse.Namespace) -> dict[str, Any]:
    import ckan.lib.search as search
    import ckan.model as model

    print(f"Resetting the benchmark database for {args.count:,} datasets ...", flush=True)
    model.repo.rebuild_db()
    search.clear_all()
    call_action = _actions()
    orgs = [call_action("organization_create", name=f"agency-{i}",
                        title=f"หน่วยงานที่ {i}")["id"] for i in range(10)]
    started = time.perf_counter()
    generate(args.count, orgs)
    # a live site's tables have planner statistics; fresh bulk inserts do not
    with model.meta.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as connection:
        for table in ("package", "package_tag", "tag", "resource", "package_extra",
                      "member", '"group"'):
            connection.exec_driver_sql(f"ANALYZE {table}")
    elapsed = time.perf_counter() - started
    print(f"Generated {args.count:,} datasets in {elapsed:.1f} s", flush=True)
    return {"generate_s": elapsed}


def phase_index(args: argparse.Namespace) -> dict[str, Any]:
    """Rebuild the index as a sysadmin should at these sizes: ``ckan
    search-index rebuild-fast`` (one process per CPU core), run as a command
    of its own, into the empty index. Then, up to 10,000 datasets, the index
    is emptied and rebuilt by the single-process ``ckan search-index
    rebuild`` for comparison (in this process, as that command does it)."""
    import resource

    import ckan.lib.search as search

    single_process_up_to = 10_000
    call_action = _actions()
    processes = os.cpu_count()
    print(f"Rebuilding the index of {args.count:,} datasets with rebuild-fast "
          f"({processes} processes) ...", flush=True)
    elapsed = rebuild_fast(args.ini, "opendata_th_search")
    # the largest peak of the command's processes (the parent and the
    # processes it forked), not their sum: their memory is partly shared
    rss_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # (rebuild-fast ends with status 0 even when one of its processes failed)
    indexed = _report_rebuild(f"ckan search-index rebuild-fast, {processes} processes",
                              elapsed, rss_peak, "its largest process", args.count)
    result: dict[str, Any] = {"rebuild_s": elapsed, "rate": indexed / elapsed,
                              "processes": processes, "rss_peak_mb": rss_peak,
                              "sizes": index_sizes()}

    if args.count <= single_process_up_to:
        search.clear_all()
        assert call_action("package_search", rows=0)["count"] == 0
        print(f"Rebuilding the index of {args.count:,} datasets in one process ...",
              flush=True)
        started = time.perf_counter()
        search.rebuild(defer_commit=True, quiet=True)
        search.commit()
        elapsed = time.perf_counter() - started
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        indexed = _report_rebuild("ckan search-index rebuild, one process", elapsed,
                                  rss_peak, "this process", args.count)
        result.update(single_rebuild_s=elapsed, single_rate=indexed / elapsed,
                      single_rss_peak_mb=rss_peak)
    return result


def _report_rebuild(command: str, elapsed: float, rss_peak: float, whose_rss: str,
                    expected: int) -> int:
    """Print what a rebuild did; every dataset must be in the index."""
    indexed = _actions()("package_search", rows=0)["count"]
    print(f"Indexing ({command}): {indexed:,} datasets in {elapsed:.1f} s = "
          f"{indexed / elapsed:.0f} datasets/s; peak RSS {rss_peak:.0f} MB ({whose_rss})",
          flush=True)
    assert indexed == expected, f"every dataset is indexed ({indexed} of {expected})"
    return indexed


def _tables() -> dict[str, str]:
    from ckanext.opendata_th.search import schema
    return {"doc": schema.TABLE, "stored": schema.STORED, "term": schema.TERMS,
            "facet": schema.FACETS}


def index_sizes() -> dict[str, float]:
    """Bytes on disk of the search tables (with their TOAST) and of their
    indexes."""
    import ckan.model as model
    from ckanext.opendata_th.search import schema

    sizes = {}
    with model.meta.engine.connect() as connection:
        for label, table in _tables().items():
            row = connection.exec_driver_sql(
                f"SELECT pg_table_size('{table}'), pg_indexes_size('{table}'), "
                f"(SELECT count(*) FROM {table})").one()
            sizes[f"{label}_table"], sizes[f"{label}_indexes"], sizes[f"{label}_rows"] = row
    return sizes


def phase_query(args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    import ckan.model as model

    call_action = _actions()
    for params in QUERIES.values():  # warm up: Thai dictionary, caches
        call_action("package_search", rows=20, **params)

    print(f"Timing {len(QUERIES)} queries at {args.count:,} datasets "
          f"({args.repeat} runs each) ...", flush=True)
    engine = model.meta.engine
    queries = {}
    for label, params in QUERIES.items():
        timings, hits = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = call_action("package_search", rows=20, **params)
            timings.append((time.perf_counter() - start) * 1000)
            hits = result["count"]
        where, sql_params = ILIKE[label]
        baseline, base_hits = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            with engine.connect() as connection:
                base_hits = connection.execute(sa.text(
                    f"SELECT count(*) FROM package WHERE state = 'active' AND {where}"),
                    sql_params).scalar()
                connection.execute(sa.text(
                    f"SELECT id FROM package WHERE state = 'active' AND {where} "
                    "ORDER BY metadata_modified DESC LIMIT 20"), sql_params).fetchall()
            baseline.append((time.perf_counter() - start) * 1000)
        queries[label] = {"hits": hits, "timings": timings,
                          "ilike_hits": base_hits, "ilike": baseline}

    print(f"Putting {len(HOSTILE)} hostile queries at {args.count:,} datasets ...",
          flush=True)
    hostile = {label: hostile_query(params) for label, params in HOSTILE.items()}
    return {"queries": queries, "hostile": hostile}


def hostile_query(params: dict[str, Any]) -> dict[str, Any]:
    """Put one search as an anonymous visitor (a fresh context each time);
    what happened and the median time of :data:`HOSTILE_RUNS` runs."""
    import ckan.plugins.toolkit as tk
    from ckan.lib.search import SearchError, SearchQueryError

    timings, outcome = [], ""
    for _ in range(HOSTILE_RUNS):
        start = time.perf_counter()
        try:
            result = tk.get_action("package_search")({}, {"rows": 20, **params})
            outcome = f"answered, {result['count']:,} hits"
        except (SearchQueryError, tk.ValidationError) as error:
            outcome = f"refused ({type(error).__name__}: {_message(error)})"
        except SearchError as error:
            outcome = f"failed ({type(error).__name__}: {_message(error)})"
        except Exception as error:  # noqa: BLE001 - report whatever happens
            outcome = f"failed ({type(error).__name__}: {_message(error)})"
        timings.append((time.perf_counter() - start) * 1000)
        if min(timings) > 10_000:  # one slow run is enough to know
            break
    return {"outcome": outcome, "ms": statistics.median(timings), "runs": len(timings)}


def _message(error: Exception, width: int = 90) -> str:
    import ckan.plugins.toolkit as tk

    if isinstance(error, tk.ValidationError):
        text = "; ".join(f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
                         for key, value in error.error_dict.items())
    else:
        text = str(error)
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


# -- driver -------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="10000,100000",
                        help="dataset counts, comma-separated (default 10000,100000)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--ini", default=os.environ.get("CKAN_INI", "test.ini"))
    parser.add_argument("--phase", choices=["generate", "index", "query"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase is None:
        run_all(args)
        return

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ini)
    conf["ckan.plugins"] = "opendata_th_search"
    app = make_app(conf)
    # The search options are declared by the opendata_th plugin, which is
    # not loaded here: without this, each search logs a line per option.
    logging.getLogger("ckan.common").setLevel(logging.ERROR)
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        phase = {"generate": phase_generate, "index": phase_index,
                 "query": phase_query}[args.phase]
        result = phase(args)
    if args.result:
        with open(args.result, "w", encoding="utf-8") as out:
            json.dump(result, out)


def run_all(args: argparse.Namespace) -> None:
    counts = [int(c.replace("_", "")) for c in args.counts.split(",") if c.strip()]
    started = time.perf_counter()
    machine = machine_info()
    print(machine["line"], flush=True)
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            results[count] = {}
            for phase in ("generate", "index", "query"):
                out = os.path.join(tmp, f"{phase}-{count}.json")
                subprocess.run([sys.executable, __file__, "--phase", phase,
                                "--count", str(count), "--repeat", str(args.repeat),
                                "--ini", args.ini, "--result", out], check=True)
                with open(out, encoding="utf-8") as result:
                    results[count].update(json.load(result))
    load_end = os.getloadavg()[0]
    print_report(counts, results, args.repeat, machine, load_end)
    print(f"\nWhole benchmark: {(time.perf_counter() - started) / 60:.1f} min")


def machine_info() -> dict[str, Any]:
    import sqlalchemy as sa

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    info = {"cores": usable, "load_start": os.getloadavg()[0]}
    url = os.environ.get("CKAN_SQLALCHEMY_URL")
    postgres = ""
    if url:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
            buffers = connection.exec_driver_sql("SHOW shared_buffers").scalar()
            work_mem = connection.exec_driver_sql("SHOW work_mem").scalar()
        engine.dispose()
        postgres = (f", PostgreSQL {version} on the same machine "
                    f"(shared_buffers {buffers}, work_mem {work_mem})")
    try:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM"
    except (ValueError, OSError, AttributeError):
        memory = ""
    info["line"] = (f"Machine: {usable} CPU cores ({cores} in all){memory}{postgres}, "
                    f"Python {sys.version.split()[0]}; load average "
                    f"{info['load_start']:.1f} at the start")
    return info


def print_report(counts: list[int], results: dict[int, dict[str, Any]], repeat: int,
                 machine: dict[str, Any], load_end: float) -> None:
    mb = 1024 * 1024
    label_width = 34
    group = 47  # characters per size
    print(f"\n{machine['line']}, {load_end:.1f} at the end "
          "(other work on the machine makes timings noisy).")
    print(f"package_search (rows=20, as the site user) and the ILIKE baseline: "
          f"p50 / p95 over {repeat} runs, in ms\n")
    print(" " * label_width + "".join(f"| {f'{c:,} datasets':^{group - 2}} " for c in counts))
    print(" " * label_width + "".join(
        f"| {'hits':>7} {'p50':>7} {'p95':>7} {'ILIKE':>7} {'p50':>7} {'p95':>7} "
        for _ in counts))
    print("-" * (label_width + group * len(counts)))
    for label in QUERIES:
        line = f"{label:<{label_width}}"
        for count in counts:
            q = results[count]["queries"][label]
            line += (f"| {q['hits']:>7,} {statistics.median(q['timings']):>7.1f} "
                     f"{percentile(q['timings'], 0.95):>7.1f} {q['ilike_hits']:>7,} "
                     f"{statistics.median(q['ilike']):>7.1f} "
                     f"{percentile(q['ilike'], 0.95):>7.1f} ")
        print(line)
    print("-" * (label_width + group * len(counts)))

    def row(label: str, value) -> None:
        print(f"{label:<{label_width}}" + "".join(
            f"| {value(results[c]):<{group - 2}} " for c in counts))

    row("generate datasets (s)", lambda r: f"{r['generate_s']:.1f}")
    row("index rebuild-fast (s)",
        lambda r: f"{r['rebuild_s']:.1f} ({r['rebuild_s'] / 60:.1f} min, "
                  f"{r['processes']} processes)")
    row("index build rate (datasets/s)", lambda r: f"{r['rate']:.0f}")
    row("peak RSS of rebuild-fast (MB)",
        lambda r: f"{r['rss_peak_mb']:.0f} (its largest process)")
    row("one-process rebuild (datasets/s)",
        lambda r: f"{r['single_rate']:.0f} in {r['single_rebuild_s']:.1f} s, "
                  f"peak RSS {r['single_rss_peak_mb']:.0f} MB"
        if "single_rate" in r else "not timed at this size")

    def total(r: dict[str, Any]) -> float:
        sizes = r["sizes"]
        return sum(sizes[f"{t}_{part}"] for t in _tables() for part in ("table", "indexes"))

    row("index on disk, total (MB)", lambda r: f"{total(r) / mb:.0f} "
        f"({total(r) / max(1, r['sizes']['doc_rows']) / 1024:.1f} kB per dataset)")
    row("  document table / its indexes", lambda r: f"{r['sizes']['doc_table'] / mb:.0f} / "
        f"{r['sizes']['doc_indexes'] / mb:.0f} ({r['sizes']['doc_rows']:,} rows)")
    for label, name in (("stored", "stored dicts"), ("term", "term"),
                        ("facet", "listing facet counts")):
        row(f"  {name} table / its indexes",
            lambda r, label=label: f"{r['sizes'][f'{label}_table'] / mb:.0f} / "
            f"{r['sizes'][f'{label}_indexes'] / mb:.0f} ({r['sizes'][f'{label}_rows']:,} rows)")

    print(f"\nHostile anonymous searches (package_search, rows=20): what happened and "
          f"the median time of up to {HOSTILE_RUNS} runs")
    width = max(len(label) for label in HOSTILE) + 2
    for label in HOSTILE:
        for number, count in enumerate(counts):
            h = results[count]["hostile"][label]
            print(f"{label if number == 0 else '':<{width}} {count:>8,} {h['ms']:>9.1f} ms  "
                  f"{h['outcome']}")

    largest = counts[-1]
    r = results[largest]
    slow = {label: statistics.median(q["timings"]) for label, q in r["queries"].items()
            if statistics.median(q["timings"]) >= TARGET_P50_MS}
    slow_hostile = {label: h["ms"] for label, h in r["hostile"].items()
                    if h["ms"] >= 1000 and not h["outcome"].startswith("refused")}
    print(f"\nTargets at {largest:,} datasets:")
    print(f"  every query's p50 under {TARGET_P50_MS} ms: "
          + ("met" if not slow else "NOT met: " + ", ".join(
              f"{label} {ms:.0f} ms" for label, ms in slow.items())))
    print(f"  rebuild under {TARGET_REBUILD_S // 60} min: "
          + ("met" if r["rebuild_s"] < TARGET_REBUILD_S else "NOT met")
          + f" ({r['rebuild_s'] / 60:.1f} min)")
    print("  hostile searches answered well under a second or refused: "
          + ("met" if not slow_hostile else "NOT met: " + ", ".join(
              f"{label} {ms:.0f} ms" for label, ms in slow_hostile.items())))
    print("\npackage_search times include CKAN's action layer (validation, permission "
          "labels, facet restructuring); ILIKE times are bare SQL with no ranking, "
          "stemming, Thai word boundaries or facets.")


def _actions():
    """``call_action(name, **data)`` as the site user (looked up once, so
    that timed calls time the action alone)."""
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def call_action(action: str, **data):
        return tk.get_action(action)({"user": site_user, "ignore_auth": True}, data)
    return call_action


if __name__ == "__main__":
    main()
