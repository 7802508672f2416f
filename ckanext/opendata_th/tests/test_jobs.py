"""The link check (evidence for "permanent"): how a URL's answer is judged,
which check counts, and the background job on datasets that changed or
disappeared after it was queued. Jobs run with a real RQ worker on Redis;
links point at a local web site whose answers each test sets."""
import time

import pytest

import ckan.model as model
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.opendata_th.model import LinkCheck

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues", "without_quality_checks")


def link_check(sysadmin, dataset):
    """Check the dataset's links now (the POST action); its result."""
    return call_action("opendata_th_link_check", {"user": sysadmin["name"]}, id=dataset)


def permanent_of(shown):
    """The "permanent" property of a dataset dict or of a properties result."""
    properties = shown.get("opendata_properties", shown)["properties"]
    return {p["key"]: p for p in properties}["permanent"]


def run_queued_jobs():
    """Run every queued job with a real worker (in this process); the jobs,
    refreshed, in the order they were queued."""
    ids = list(jobs.get_queue().job_ids)
    jobs.Worker(["default"]).work(burst=True)
    return [jobs.job_from_id(job_id) for job_id in ids]


def checks_of(package_id):
    """(url, ok, status_code, error) of the recorded checks, oldest first."""
    model.Session.expire_all()
    rows = (model.Session.query(LinkCheck).filter_by(package_id=package_id)
            .order_by(LinkCheck.checked_at).all())
    return [(c.url, c.ok, c.status_code, c.error) for c in rows]


# -- which check counts ----------------------------------------------------------

def test_the_latest_check_of_each_link_counts_not_an_older_one(create_dataset, sysadmin,
                                                               link_site):
    repaired_url = link_site.answer("/repaired.csv", 404)
    broken_url = link_site.answer("/broken.csv", 200)
    repaired = create_dataset(name="repaired", resources=[
        {"name": "data", "url": repaired_url, "format": "CSV"}])
    broken = create_dataset(name="broken", resources=[
        {"name": "data", "url": broken_url, "format": "CSV"}])

    # repaired: failed, then answers; broken: answered, then fails
    assert [c["ok"] for c in link_check(sysadmin, "repaired")["checks"]] == [False]
    assert [c["ok"] for c in link_check(sysadmin, "broken")["checks"]] == [True]
    link_site.answer("/repaired.csv", 200)
    link_site.answer("/broken.csv", 410)
    repaired_now = link_check(sysadmin, "repaired")
    broken_now = link_check(sysadmin, "broken")

    assert permanent_of(repaired_now["properties"])["status"] == "met"
    assert permanent_of(broken_now["properties"])["status"] == "not_met"
    assert [ok for _url, ok, _status, _error in checks_of(repaired["id"])] == [False, True]
    assert [ok for _url, ok, _status, _error in checks_of(broken["id"])] == [True, False]
    # the same on package_show and on search results (annotated in one batch)
    assert permanent_of(call_action("package_show", id="repaired"))["status"] == "met"
    assert permanent_of(call_action("package_show", id="broken"))["status"] == "not_met"
    found = call_action("package_search", q="*:*", sort="name asc")["results"]
    assert [(d["name"], permanent_of(d)["status"]) for d in found] == [
        ("broken", "not_met"), ("repaired", "met")]
    # and once more the other way round: the newest answer always wins
    link_site.answer("/repaired.csv", 500)
    assert permanent_of(link_check(sysadmin, "repaired")["properties"])["status"] == "not_met"


def test_a_check_of_a_url_the_resource_no_longer_has_does_not_count(create_dataset, sysadmin,
                                                                    link_site):
    created = create_dataset(private=True, name="moved", resources=[
        {"name": "data", "url": link_site.answer("/old.csv", 404), "format": "CSV"}])
    assert permanent_of(link_check(sysadmin, "moved")["properties"])["status"] == "not_met"
    resource = created["resources"][0]
    call_action("resource_patch", {"user": sysadmin["name"]}, id=resource["id"],
                url=link_site.answer("/new.csv", 200))
    # the failed check was of the old URL: the new one is not checked yet
    assert permanent_of(call_action("package_show", id="moved"))["status"] == "needs_attestation"
    assert permanent_of(link_check(sysadmin, "moved")["properties"])["status"] == "met"


# -- how an answer is judged ----------------------------------------------------------

def test_a_server_refusing_head_is_asked_with_get_and_a_200_counts(create_dataset, sysadmin,
                                                                   link_site):
    url = link_site.answer("/no-head.csv", head=405, get=200)
    create_dataset(private=True, name="no-head", resources=[{"name": "data", "url": url, "format": "CSV"}])
    result = link_check(sysadmin, "no-head")
    assert [(c["url"], c["ok"], c["status_code"], c["error"]) for c in result["checks"]] == [
        (url, True, 200, None)]
    assert link_site.requests == [("HEAD", "/no-head.csv"), ("GET", "/no-head.csv")]
    assert permanent_of(result["properties"])["status"] == "met"


def test_head_404_then_get_404_is_a_failure_with_status_404(create_dataset, sysadmin,
                                                            link_site):
    url = link_site.answer("/gone.csv", 404)
    created = create_dataset(private=True, name="gone", resources=[
        {"name": "data", "url": url, "format": "CSV"}])
    result = link_check(sysadmin, "gone")
    assert [(c["ok"], c["status_code"], c["error"]) for c in result["checks"]] == [
        (False, 404, None)]
    assert link_site.requests == [("HEAD", "/gone.csv"), ("GET", "/gone.csv")]
    assert checks_of(created["id"]) == [(url, False, 404, None)]
    assert permanent_of(result["properties"])["status"] == "not_met"


@pytest.mark.usefixtures("with_test_worker")
def test_a_refused_connection_is_a_failure_with_the_error_recorded(create_dataset, closed_port):
    url = f"http://127.0.0.1:{closed_port}/data.csv"
    created = create_dataset(private=True, name="refused", resources=[
        {"name": "data", "url": url, "format": "CSV"}])
    [job] = run_queued_jobs()
    assert job.get_status() == "finished"
    [(checked_url, ok, status, error)] = checks_of(created["id"])
    assert (checked_url, ok, status) == (url, False, None)
    assert "Connection refused" in error
    assert permanent_of(call_action("package_show", id="refused"))["status"] == "not_met"


@pytest.mark.ckan_config("ckanext.opendata_th.link_check.timeout", 1)
@pytest.mark.usefixtures("with_test_worker")
def test_a_link_slower_than_the_timeout_is_a_failure_with_the_error_recorded(create_dataset,
                                                                             link_site):
    url = link_site.answer("/slow.csv", 200, delay=4)
    created = create_dataset(private=True, name="slow", resources=[
        {"name": "data", "url": url, "format": "CSV"}])
    started = time.monotonic()
    [job] = run_queued_jobs()
    assert time.monotonic() - started < 3.5  # it waited the configured second, not 4
    assert job.get_status() == "finished"
    [(checked_url, ok, status, error)] = checks_of(created["id"])
    assert (checked_url, ok, status) == (url, False, None)
    assert "timed out" in error
    assert link_site.requests == [("HEAD", "/slow.csv")]  # a timeout is not retried with GET
    assert permanent_of(call_action("package_show", id="slow"))["status"] == "not_met"


# -- the background job ---------------------------------------------------------------

@pytest.mark.usefixtures("with_test_worker")
@pytest.mark.parametrize("removal", ["package_delete", "dataset_purge"])
def test_job_for_a_dataset_removed_after_it_was_queued_records_nothing(create_dataset, sysadmin,
                                                                       link_site, removal):
    created = create_dataset(private=True, name="removed-later", resources=[
        {"name": "data", "url": link_site.answer("/data.csv"), "format": "CSV"}])
    queued = jobs.get_queue().jobs
    assert [j.meta.get("title") for j in queued] == [f"opendata_th link check {created['id']}"]
    call_action(removal, {"user": sysadmin["name"]}, id=created["id"])

    [job] = run_queued_jobs()
    assert job.get_status() == "finished"
    assert job.return_value() == []
    assert jobs.get_queue().failed_job_registry.count == 0
    assert checks_of(created["id"]) == []
    assert link_site.requests == []


@pytest.mark.usefixtures("with_test_worker")
def test_job_checks_each_linked_resource_once(create_dataset, link_site):
    ok_url = link_site.answer("/ok.csv", 200)
    gone_url = link_site.answer("/gone.csv", 404)
    created = create_dataset(private=True, name="two-links", resources=[
        {"name": "ok", "url": ok_url, "format": "CSV"},
        {"name": "gone", "url": gone_url, "format": "CSV"}])
    [job] = run_queued_jobs()
    assert job.get_status() == "finished"
    assert sorted(checks_of(created["id"])) == [(gone_url, False, 404, None),
                                                (ok_url, True, 200, None)]
    assert sorted(link_site.requests) == [("GET", "/gone.csv"), ("HEAD", "/gone.csv"),
                                          ("HEAD", "/ok.csv")]


def test_a_job_reindexes_holding_the_dataset_so_a_change_waits(create_dataset, committed_db,
                                                                monkeypatch):
    """A job's re-index and a change committed meanwhile (bulk_update_public)
    cannot interleave: the change waits until the job's document is stored,
    then indexes its own, so the newer document is the one that stays."""
    import sqlalchemy as sa
    from psycopg2.errors import LockNotAvailable

    from ckanext.opendata_th.jobs import search_index

    dataset = create_dataset(private=True)
    attempts = []

    def rebuild_while_a_change_tries_to_commit(package_id):
        with committed_db.connect() as other:
            other.exec_driver_sql("SET lock_timeout = '300ms'")
            with pytest.raises(sa.exc.OperationalError) as blocked:
                other.execute(sa.text("UPDATE package SET private = false WHERE id = :id"),
                              {"id": package_id})
            attempts.append(isinstance(blocked.value.orig, LockNotAvailable))

    monkeypatch.setattr(search_index.search, "rebuild", rebuild_while_a_change_tries_to_commit)
    search_index.reindex(dataset["id"])
    assert attempts == [True]
    with committed_db.begin() as other:  # the lock is gone once the job is done
        other.exec_driver_sql("SET LOCAL lock_timeout = '300ms'")
        other.execute(sa.text("UPDATE package SET notes = notes WHERE id = :id"),
                      {"id": dataset["id"]})
