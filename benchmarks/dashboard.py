"""Benchmark of the organization dashboard (issue 14, point 5): its figures
for an organization with 10,000 datasets, against what a member would do
without it.

The database is emptied; one organization gets ``--count`` datasets (10,000
by default) described as the demo agency describes its own (the national
schema's fields), written straight into CKAN's tables, with the playbook's
records a portal of that size has: a workflow stage for each (a third
published this fiscal year, one in ten high-value), a quality report per
resource, feedback and dataset requests; a second organization gets a
tenth as many. The search index is rebuilt by ``ckan search-index
rebuild-fast``. Then, as the organization's admin (not a sysadmin):

* ``opendata_th_dashboard_show`` — every panel of the dashboard;
* ``opendata_th_yearly_report_show`` — the same and the year's list of
  publications, feedback and requests handled;
* the dashboard page (``GET /organization/dashboard/<name>``), when the
  page is there, through the web app (rendering and charts included);
* what a member would otherwise do for the same numbers: a ckanapi-style
  script that pages through ``package_search`` (1,000 rows a page) and
  counts stages, scores and overdue datasets itself; and a
  ``package_show`` of each dataset, the way the national catalog's reports
  walk datasets (timed on 200 datasets, scaled to the organization: marked
  "est.").

Median and p95 over ``--repeat`` runs (after one warm-up run), in ms, with
the load average; target: the dashboard under 300 ms.

    scripts/devstack.py run --db ckan_bench_dashboard -- .venv/bin/python benchmarks/dashboard.py
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from harness import WITH_EXTENSION, demo_dataset, fresh_site, p95, rebuild_fast  # noqa: E402

TARGET_MS = 300.0
CHUNK = 1000
CORE = ("name", "title", "notes", "license_id", "maintainer", "maintainer_email", "author",
        "author_email", "url", "version")
SHOWN_SAMPLE = 200


def _rows(count: int, owner_org: str, prefix: str, rng: random.Random, year_start: dt.datetime,
          now: dt.datetime) -> dict[str, list[dict[str, Any]]]:
    """Table rows of ``count`` datasets of one organization."""
    found: dict[str, list[dict[str, Any]]] = {key: [] for key in (
        "package", "package_extra", "resource", "workflow", "event", "quality", "feedback")}
    stages = (["published"] * 5 + ["candidate"] * 2 + ["selected", "prepared", "pending_approval",
                                                          "withheld", "returned"])
    for index in range(count):
        source = demo_dataset(index, owner_org)
        package_id = str(uuid.uuid4())
        stage = rng.choice(stages)
        modified = now - dt.timedelta(minutes=index)
        source["last_updated_date"] = (now - dt.timedelta(days=rng.randint(0, 120))).date().isoformat()
        source["high_value_dataset"] = "True" if rng.random() < 0.1 else "False"
        package = {key: source.get(key) for key in CORE}
        package.update(id=package_id, name=f"{prefix}-{index:06d}", type="dataset", state="active",
                       owner_org=owner_org, private=stage != "published",
                       metadata_created=modified, metadata_modified=modified)
        found["package"].append(package)
        for key, value in source.items():
            if key in CORE or key in ("resources", "tags", "owner_org", "private", "groups") or value is None:
                continue
            found["package_extra"].append({
                "id": str(uuid.uuid4()), "package_id": package_id, "key": key, "state": "active",
                "value": json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)})
        for position in range(2):
            resource_id = str(uuid.uuid4())
            found["resource"].append({
                "id": resource_id, "package_id": package_id, "position": position,
                "url": f"https://agency.example/{prefix}/{index}-{position}.csv", "format": "CSV",
                "name": f"ข้อมูล {index} ชุดที่ {position + 1}", "state": "active", "extras": "{}",
                "created": modified, "url_type": ""})
            errors = rng.choice((0, 0, 0, 1, 4))
            found["quality"].append({
                "id": str(uuid.uuid4()), "package_id": package_id, "resource_id": resource_id,
                "version": "1", "url": "", "checked_at": now, "state": "checked", "errors": errors,
                "warnings": rng.choice((0, 2)), "personal_data": errors == 4, "seconds": 0.1})
        found["workflow"].append({"package_id": package_id, "organization_id": owner_org, "stage": stage,
                                  "selection_reasons": "[]", "modified": now, "stage_changed_at": now})
        if stage == "published":
            published_at = year_start + dt.timedelta(days=rng.randint(0, 55))
            found["event"].append({"id": str(uuid.uuid4()), "package_id": package_id, "at": published_at,
                                   "kind": "transition", "transition": "approve",
                                   "from_stage": "pending_approval", "to_stage": "published"})
            if rng.random() < 0.2:
                found["feedback"].append({
                    "id": str(uuid.uuid4()), "package_id": package_id,
                    "kind": rng.choice(("comment", "complaint", "error")), "message": "ตัวเลขไม่ตรงกับรายงาน",
                    "language": "th", "visibility": rng.choice(("visible", "held")),
                    "progress": rng.choice(("open", "answered", "resolved")), "screening": "[]",
                    "created_at": published_at, "modified_at": published_at})
    return found


def phase_generate(args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from ckanext.opendata_th import readiness
    from ckanext.opendata_th.model import Feedback, QualityReport, WorkflowEvent, WorkflowRecord
    from ckanext.opendata_th.model.dataset_request import DatasetRequest
    from ckanext.opendata_th.playbook.dates import BANGKOK
    from ckanext.opendata_th.playbook.readiness import fiscal_year_bounds

    with fresh_site(WITH_EXTENSION) as context:
        admin = tk.get_action("user_create")(dict(context), {
            "name": "bench-admin", "email": "admin@agency.example", "password": "Bench-admin-2569"})
        orgs = [tk.get_action("organization_create")(dict(context), {
            "name": name, "title": title, "users": [{"name": admin["name"], "capacity": "admin"}]})
            for name, title in (("bench-agency", "สถาบันการค้าทดสอบ"), ("bench-other", "หน่วยงานอื่น"))]
        rng = random.Random(2569)
        now = dt.datetime.now(dt.timezone.utc)
        year_start = dt.datetime.combine(fiscal_year_bounds(readiness.current_fiscal_year())[0],
                                         dt.time(), BANGKOK)
        started = time.perf_counter()
        tables = {"package": model.package_table, "package_extra": model.package_extra_table,
                  "resource": model.resource_table, "workflow": WorkflowRecord.__table__,
                  "event": WorkflowEvent.__table__, "quality": QualityReport.__table__,
                  "feedback": Feedback.__table__}
        for org, count, prefix in ((orgs[0], args.count, "bench"), (orgs[1], args.count // 10, "other")):
            for first in range(0, count, CHUNK):
                rows = _rows(min(CHUNK, count - first), org["id"], f"{prefix}-{first // CHUNK}", rng,
                             year_start, now)
                for key, table in tables.items():
                    if rows[key]:
                        model.Session.execute(table.insert(), rows[key])
                model.Session.commit()
        model.Session.execute(DatasetRequest.__table__.insert(), [{
            "id": str(uuid.uuid4()), "title": f"ขอข้อมูลชุดที่ {i}", "organization_id": orgs[i % 2]["id"],
            "reply_key": uuid.uuid4().hex, "state": ("new", "needs_info", "accepted", "not_suitable")[i % 4],
            "created": now, "modified": now} for i in range(400)])
        model.Session.commit()
        with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("package", "package_extra", "resource", "opendata_th_workflow",
                          "opendata_th_workflow_event", "opendata_th_quality_report", "opendata_th_feedback"):
                connection.exec_driver_sql(f"ANALYZE {table}")
        total = model.Session.execute(sa.text("SELECT count(*) FROM package")).scalar()
    elapsed = time.perf_counter() - started
    print(f"Generated {total:,} datasets in {elapsed:.1f} s", flush=True)
    return {"organization": orgs[0]["name"], "admin": admin["name"]}


def phase_index(args: argparse.Namespace) -> dict[str, Any]:
    print("Rebuilding the search index with rebuild-fast ...", flush=True)
    elapsed = rebuild_fast(args.ini, WITH_EXTENSION)
    print(f"Indexed in {elapsed:.1f} s", flush=True)
    return {"index_s": elapsed}


def _timed(call, repeat: int) -> list[float]:
    call()  # warm-up: caches, the Thai dictionary, the templates
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _by_paging(context: dict[str, Any], organization_id: str) -> dict[str, Any]:
    """What a member's script does without the dashboard: page through the
    organization's datasets and count stages, scores and overdue ones."""
    import ckan.plugins.toolkit as tk

    stages: dict[str, int] = {}
    scores: dict[int, int] = {}
    overdue = start = 0
    while True:
        page = tk.get_action("package_search")(dict(context), {
            "fq": f'owner_org:"{organization_id}"', "rows": 1000, "start": start,
            "include_private": True, "sort": "name asc"})
        for dataset in page["results"]:
            stages[dataset["opendata_stage"]] = stages.get(dataset["opendata_stage"], 0) + 1
            if dataset["opendata_stage"] == "published":
                score = dataset["opendata_properties"]["score"]
                scores[score] = scores.get(score, 0) + 1
                overdue += bool(dataset.get("opendata_overdue"))
        start += 1000
        if start >= page["count"]:
            return {"stages": stages, "scores": scores, "overdue": overdue}


def phase_query(args: argparse.Namespace) -> dict[str, Any]:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ini)
    conf["ckan.plugins"] = WITH_EXTENSION
    app = make_app(conf)
    flask_app = getattr(app, "_wsgi_app", app)
    generated = json.loads(args.generated)
    results: dict[str, Any] = {}
    with flask_app.test_request_context():
        organization = model.Group.get(generated["organization"])
        context = {"user": generated["admin"]}
        data = {"organization": organization.name}
        shown = tk.get_action("opendata_th_dashboard_show")(dict(context), data)
        print(f"Dashboard of {shown['datasets']['total']:,} datasets: "
              f"{shown['properties']['published']:,} published, "
              f"average score {shown['properties']['average']}, {shown['schedule']['overdue']:,} overdue, "
              f"{shown['quality']['with_errors']:,} files with errors, "
              f"targets: {[row['actual'] for row in shown['targets']['rows']]}", flush=True)
        results["opendata_th_dashboard_show"] = _timed(
            lambda: tk.get_action("opendata_th_dashboard_show")(dict(context), data), args.repeat)
        results["opendata_th_yearly_report_show"] = _timed(
            lambda: tk.get_action("opendata_th_yearly_report_show")(dict(context), data), args.repeat)
        site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        results["whole portal (sysadmin)"] = _timed(
            lambda: tk.get_action("opendata_th_dashboard_show")(dict(site), {}), args.repeat)
        paged = _by_paging(context, organization.id)
        assert paged["stages"].get("published", 0) == shown["properties"]["published"], (paged, shown)
        results["package_search pages of 1,000 (script)"] = _timed(
            lambda: _by_paging(context, organization.id), max(3, args.repeat // 10))
        names = [name for (name,) in model.Session.query(model.Package.name).filter(
            model.Package.owner_org == organization.id).limit(SHOWN_SAMPLE)]
        started = time.perf_counter()
        for name in names:
            tk.get_action("package_show")(dict(context), {"id": name})
        per_dataset = (time.perf_counter() - started) * 1000 / len(names)
        results["package_show per dataset (est.)"] = [per_dataset * shown["datasets"]["total"]]
        token = tk.get_action("api_token_create")(dict(site), {"user": generated["admin"],
                                                                 "name": "benchmark"})["token"]
    if "opendata_th_dashboard.read" in flask_app.view_functions:
        from werkzeug.test import Client

        client = Client(app)
        page = f"/organization/dashboard/{generated['organization']}"

        def get() -> None:
            response = client.get(page, headers={"Authorization": token})
            assert response.status_code == 200, response.status_code
            assert "dashboard-funnel-chart" in response.get_data(as_text=True)
        results["dashboard page (HTML)"] = _timed(get, args.repeat)
    return {"timings": results, "datasets": shown["datasets"]["total"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--ini", default=os.environ.get("CKAN_INI", "test.ini"))
    parser.add_argument("--query-only", action="store_true",
                        help="time the calls on the data a previous run left in the database")
    parser.add_argument("--phase", choices=["generate", "index", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--generated", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = {"generate": phase_generate, "index": phase_index, "query": phase_query}[args.phase](args)
        with open(args.result, "w", encoding="utf-8") as out:
            json.dump(result, out)
        return
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores", flush=True)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.query_only:
            results["generate"] = {"organization": "bench-agency", "admin": "bench-admin"}
        for phase in ("query",) if args.query_only else ("generate", "index", "query"):
            out = os.path.join(tmp, f"{phase}.json")
            subprocess.run([sys.executable, __file__, "--phase", phase, "--count", str(args.count),
                            "--repeat", str(args.repeat), "--ini", args.ini, "--result", out,
                            "--generated", json.dumps(results.get("generate", {}))], check=True)
            with open(out, encoding="utf-8") as found:
                results[phase] = json.load(found)
    query = results["query"]
    print(f"\nDashboard of an organization with {query['datasets']:,} datasets "
          f"(median / p95 in ms, {args.repeat} runs; load average {os.getloadavg()[0]:.2f})")
    width = max(len(label) for label in query["timings"]) + 2
    for label, timings in query["timings"].items():
        print(f"{label:<{width}} {statistics.median(timings):>10.1f} / {p95(timings):>10.1f}")
    median = statistics.median(query["timings"]["opendata_th_dashboard_show"])
    print(f"dashboard under {TARGET_MS:.0f} ms: " + ("met" if median < TARGET_MS else "NOT met")
          + f" ({median:.0f} ms)")
    paged = statistics.median(query["timings"]["package_search pages of 1,000 (script)"])
    print(f"paging through package_search takes {paged / median:.0f}x as long")


if __name__ == "__main__":
    main()
