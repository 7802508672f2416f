"""One harvest job run in this process as ckanext-harvest's consumers and
cron run it on a portal: the job is created, the gather queue and then the
fetch queue (on Redis) consumed until empty, and ``harvest_jobs_run`` marks
the job finished. Shared by the harvester tests and benchmarks/harvest.py.
(ckanext-harvest is imported when a job runs, never when this module is.)"""
from __future__ import annotations

from typing import Any

QUEUES = ("ckan.harvest.gather", "ckan.harvest.fetch")


def purge_queues() -> None:
    """Empty the gather and fetch queues (what an earlier test left)."""
    from ckanext.harvest import queue

    queue.get_gather_consumer().queue_purge()
    queue.get_fetch_consumer().queue_purge()


def run_job(source_id: str, context: dict[str, Any]) -> dict[str, Any]:
    """Create a job of the source, consume both queues until empty, finish
    it; returns the created job's dict (``harvest_job_create``)."""
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue

    job = tk.get_action("harvest_job_create")(dict(context), {"source_id": source_id, "run": True})
    consumers = ((queue.get_gather_consumer(), queue.gather_callback, QUEUES[0]),
                 (queue.get_fetch_consumer(), queue.fetch_callback, QUEUES[1]))
    for consumer, callback, name in consumers:
        while True:
            method, channel, body = consumer.basic_get(queue=name)
            if body is None:
                break
            callback(consumer, method, channel, body)
    tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source_id})
    return job
