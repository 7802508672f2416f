"""Background work after a change: the link-check job is queued once per
dataset and action, only after the change is committed, and the worker
checks what was committed.

A spy wraps ``tk.enqueue_job`` (what jobs/link_check.enqueue calls): at the
moment a job is queued it reads the dataset's resource URLs through a
database connection of its own, which sees only committed data."""
import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.opendata_th.model import LinkCheck

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues",
                                     "with_test_worker", "without_quality_checks")


@pytest.fixture
def queued(monkeypatch, committed_db):
    """Every job queued from now on, as (function name, package id, the
    package's active resource URLs committed at that moment)."""
    calls = []
    enqueue_job = tk.enqueue_job

    def spy(fn, args=None, *more, **kwargs):
        package_id = args[0]
        with committed_db.connect() as connection:
            urls = connection.execute(sa.text(
                "SELECT url FROM resource WHERE package_id = :id AND state = 'active' "
                "ORDER BY position"), {"id": package_id}).scalars().all()
        calls.append((fn.__name__, package_id, urls))
        return enqueue_job(fn, args, *more, **kwargs)

    monkeypatch.setattr(tk, "enqueue_job", spy)
    return calls


@pytest.fixture
def linked(create_dataset, link_site, queued):
    """A dataset with one link (version 1) whose creation's job was dropped
    (and forgotten by the spy); version 2 of the link answers, version 1 no
    longer does."""
    old_url = link_site.answer("/v1.csv", 404)
    link_site.answer("/v2.csv", 200)
    link_site.answer("/extra.csv", 200)
    created = create_dataset(name="linked", private=True, resources=[
        {"name": "data", "url": old_url, "format": "CSV"}])
    assert len(queued) == 1
    jobs.get_queue().empty()
    queued.clear()
    return created


def new_url(link_site):
    return link_site.url("/v2.csv")


def update_url(sysadmin, dataset, url):
    shown = call_action("package_show", id=dataset["id"])
    shown["resources"][0]["url"] = url
    return call_action("package_update", {"user": sysadmin["name"]}, **shown)


def patch_url(sysadmin, dataset, url):
    resource = dataset["resources"][0]
    return call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"],
                       resources=[{**resource, "url": url}])


def revise_url(sysadmin, dataset, url):
    return call_action("package_revise", {"user": sysadmin["name"]},
                       match={"id": dataset["id"]}, update={"resources": [
                           {**dataset["resources"][0], "url": url}]})


def update_resource_url(sysadmin, dataset, url):
    resource = dataset["resources"][0]
    return call_action("resource_update", {"user": sysadmin["name"]},
                       **{**resource, "url": url})


def patch_resource_url(sysadmin, dataset, url):
    return call_action("resource_patch", {"user": sysadmin["name"]},
                       id=dataset["resources"][0]["id"], url=url)


CHANGES = {
    "package_update": update_url,
    "package_patch": patch_url,
    "package_revise": revise_url,
    "resource_update": update_resource_url,
    "resource_patch": patch_resource_url,
}


def checks_of(package_id):
    model.Session.expire_all()
    return sorted((c.url, c.ok, c.status_code) for c in
                  model.Session.query(LinkCheck).filter_by(package_id=package_id))


@pytest.mark.parametrize("action", list(CHANGES))
def test_a_changed_link_is_checked_once_after_commit(action, linked, sysadmin, link_site,
                                                     queued):
    CHANGES[action](sysadmin, linked, new_url(link_site))
    # one job, queued when the new URL was already committed
    assert queued == [("check_dataset_links", linked["id"], [new_url(link_site)])]
    assert [j.meta["title"] for j in jobs.get_queue().jobs] == [
        f"opendata_th link check {linked['id']}"]
    jobs.Worker(["default"]).work(burst=True)
    assert checks_of(linked["id"]) == [(new_url(link_site), True, 200)]
    assert link_site.requests == [("HEAD", "/v2.csv")]


def test_a_created_resource_is_checked_once_after_commit(linked, sysadmin, link_site, queued):
    extra = link_site.url("/extra.csv")
    call_action("resource_create", {"user": sysadmin["name"]}, package_id=linked["id"],
                name="extra", url=extra, format="CSV")
    assert queued == [("check_dataset_links", linked["id"], [linked["resources"][0]["url"], extra])]
    assert len(jobs.get_queue().jobs) == 1
    jobs.Worker(["default"]).work(burst=True)
    assert checks_of(linked["id"]) == [(extra, True, 200),
                                       (linked["resources"][0]["url"], False, 404)]


def test_a_new_dataset_with_links_is_checked_once(create_dataset, link_site, queued):
    url = link_site.answer("/first.csv", 200)
    created = create_dataset(name="first", private=True, resources=[{"name": "data", "url": url,
                                                       "format": "CSV"}])
    assert queued == [("check_dataset_links", created["id"], [url])]
    jobs.Worker(["default"]).work(burst=True)
    assert checks_of(created["id"]) == [(url, True, 200)]


def test_a_failed_update_queues_nothing(linked, sysadmin, link_site, queued):
    shown = call_action("package_show", id=linked["id"])
    shown["resources"][0]["url"] = new_url(link_site)
    shown["update_frequency_unit"] = "ทุกวันจันทร์"  # not one of the units
    with pytest.raises(tk.ValidationError):
        call_action("package_update", {"user": sysadmin["name"]}, **shown)
    with pytest.raises(tk.ValidationError):
        call_action("resource_create", {"user": sysadmin["name"]}, package_id=linked["id"],
                    name="no url", format="CSV")
    with pytest.raises(tk.ValidationError):
        call_action("package_patch", {"user": sysadmin["name"]}, id=linked["id"],
                    update_frequency_interval="0")
    assert queued == []
    assert jobs.get_queue().jobs == []
    model.Session.rollback()
    assert [r["url"] for r in call_action("package_show", id=linked["id"])["resources"]] == [
        linked["resources"][0]["url"]]


def test_a_dataset_without_links_queues_nothing(create_dataset, sysadmin, queued):
    created = create_dataset(name="no-links", resources=[])
    call_action("package_patch", {"user": sysadmin["name"]}, id=created["id"], notes="แก้ไข")
    assert queued == []
