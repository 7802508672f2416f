"""Benchmark of the PostgreSQL search backend (plugin opendata_th_search).

Generates 10,000 Thai/English datasets, rebuilds the search index (the
indexing throughput), then times typical ``package_search`` calls and prints
p50/p95 latencies. For comparison, the same questions are put in the same
run to the only search a CKAN site has without a search engine: SQL
``ILIKE`` substring scans over the package table (no ranking, no stemming,
no facets from the index).

Run with ``make benchmark`` (or ``python benchmarks/search.py --count N``
inside ``scripts/devstack.py run --db ckan_bench``).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import uuid

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
    packages, package_tags, resources = [], [], []
    for index in range(count):
        topic, province = rng.choice(THAI_TOPICS), rng.choice(PROVINCES)
        words = rng.sample(ENGLISH, 6)
        package_id = str(uuid.uuid4())
        modified = now - datetime.timedelta(minutes=index)
        packages.append({
            "id": package_id, "name": f"bench-{index:05d}", "type": "dataset",
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
                "id": str(uuid.uuid4()), "package_id": package_id, "position": position,
                "url": f"http://example.org/{index}.{fmt.lower()}", "format": fmt,
                "name": f"{topic} ({fmt})", "state": "active", "extras": "{}",
                "created": modified, "url_type": ""})
    model.Session.execute(model.package_table.insert(), packages)
    model.Session.execute(model.package_tag_table.insert(), package_tags)
    model.Session.execute(model.resource_table.insert(), resources)
    model.Session.commit()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--ini", default=os.environ.get("CKAN_INI", "test.ini"))
    parser.add_argument("--phase", choices=["load", "query"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase is None:
        # Load and rebuild in one process (as `ckan search-index rebuild`
        # runs), query from a fresh one (as a web worker does).
        for phase in ("load", "query"):
            subprocess.run([sys.executable, __file__, "--phase", phase,
                            "--count", str(args.count), "--repeat", str(args.repeat),
                            "--ini", args.ini], check=True)
        return

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ini)
    conf["ckan.plugins"] = "opendata_th_search"
    app = make_app(conf)
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        if args.phase == "load":
            load(args)
        else:
            query(args)


def _actions():
    import ckan.plugins.toolkit as tk

    def call_action(action: str, **data):
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        return tk.get_action(action)({"user": site_user["name"], "ignore_auth": True}, data)
    return call_action


def load(args: argparse.Namespace) -> None:
    import ckan.lib.search as search
    import ckan.model as model

    call_action = _actions()

    print("Resetting the benchmark database ...", flush=True)
    model.repo.rebuild_db()
    search.clear_all()
    orgs = [call_action("organization_create", name=f"agency-{i}",
                        title=f"หน่วยงานที่ {i}")["id"] for i in range(10)]

    started = time.perf_counter()
    generate(args.count, orgs)
    print(f"Generated {args.count} datasets in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    search.rebuild(defer_commit=True, quiet=True)
    search.commit()
    elapsed = time.perf_counter() - started
    indexed = call_action("package_search", rows=0)["count"]
    print(f"\nIndexing (ckan search-index rebuild): {indexed} datasets in {elapsed:.1f} s "
          f"= {indexed / elapsed:.0f} datasets/s", flush=True)
    assert indexed == args.count, "every dataset is indexed"


def query(args: argparse.Namespace) -> None:
    import sqlalchemy as sa

    import ckan.model as model

    call_action = _actions()
    for params in QUERIES.values():  # warm up: Thai dictionary, caches
        call_action("package_search", rows=20, **params)

    print(f"\nQuery latency over {args.repeat} runs (ms)")
    print(f"{'query':<20} {'hits':>6} {'p50':>7} {'p95':>7}   "
          f"{'ILIKE hits':>10} {'ILIKE p50':>9} {'ILIKE p95':>9}")
    engine = model.meta.engine
    for label, params in QUERIES.items():
        timings, hits = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = call_action("package_search", rows=20, **params)
            timings.append((time.perf_counter() - start) * 1000)
            hits = result["count"]
        where, sql_params = ILIKE[label]
        baseline = []
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
        print(f"{label:<20} {hits:>6} {statistics.median(timings):>7.1f} "
              f"{percentile(timings, 0.95):>7.1f}   {base_hits:>10} "
              f"{statistics.median(baseline):>9.1f} {percentile(baseline, 0.95):>9.1f}")
    print("\npackage_search times include CKAN's action layer (validation, permission "
          "labels, facet restructuring); ILIKE times are bare SQL with no ranking, "
          "stemming, Thai word boundaries or facets.")


if __name__ == "__main__":
    main()
