"""The push to the national catalog as background jobs and commands
(harvesters/push.py does the work).

- :func:`push_dataset` is the job queued after a dataset's change is
  committed (:func:`enqueue_if_wanted`, a follow-up of
  :mod:`..subscriptions`): it creates, updates or withdraws the dataset's
  copy on the national portal as the dataset is when the job runs.
- :func:`retry_failed_pushes` tries again the pushes that failed, each
  after a delay that doubles with every attempt (5 minutes, 10, 20... at
  most a day); the lead's CLI runs it from cron (e.g. every 5 minutes).
  Pushes the remote refused (the token, the data) wait for the next change
  of the dataset, or for ``include_refused``.
- :func:`push_all` pushes everything already published (a first sync);
  :func:`withdraw_dataset` withdraws one copy on a sysadmin's request.

All do nothing while push is off (:func:`.push.ready_target` is None).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.harvesters import push

log = logging.getLogger(__name__)


# -- the jobs ----------------------------------------------------------------------------

def push_dataset(package_id: str) -> str:
    """The job: bring the dataset's copy on the national portal in step
    with the dataset now. Returns what was done (push.PUSHED, WITHDRAWN,
    SKIPPED or FAILED); a failure is recorded, never raised."""
    target = push.ready_target()
    if target is None:
        return push.SKIPPED
    try:
        return push.sync(package_id, target).status
    finally:
        model.Session.remove()


def withdraw_dataset(package_id: str) -> str:
    """Withdraw the dataset's copy from the national portal whatever the
    dataset's state (made private there, or deleted where the remote does
    not allow that). Returns push.WITHDRAWN, SKIPPED (no pushed copy) or FAILED."""
    target = push.ready_target()
    if target is None:
        return push.SKIPPED
    try:
        return push.withdraw(package_id, target).status
    finally:
        model.Session.remove()


def retry_failed_pushes(now: Optional[dt.datetime] = None, *,
                        include_refused: bool = False) -> dict[str, int]:
    """Try again the failed pushes that are due (see :func:`.push.due_for_retry`);
    ``include_refused`` retries those the remote refused too (after the
    token or the remote organization was fixed). Returns counts: "pushed",
    "withdrawn", "skipped", "failed" (of those tried) and "waiting" (not due
    yet or refused)."""
    counts: Counter[str] = Counter({push.PUSHED: 0, push.WITHDRAWN: 0, push.SKIPPED: 0,
                                    push.FAILED: 0, "waiting": 0})
    target = push.ready_target()
    if target is None:
        return dict(counts)
    due, waiting = push.pending(now, include_refused=include_refused)
    counts["waiting"] = waiting
    model.Session.rollback()
    for package_id in due:
        counts[push.sync(package_id, target).status] += 1
    return dict(counts)


def push_all(organization_id: Optional[str] = None) -> dict[str, int]:
    """Push every published dataset (of one organization, by id) whose
    ``allow_harvest`` is "True", now, in this process: a first sync of what
    was published before push was configured. Returns counts: "pushed",
    "failed" (recorded, retried by :func:`retry_failed_pushes`), "skipped"
    (not to be pushed) and "withdrawn"."""
    counts: Counter[str] = Counter({push.PUSHED: 0, push.WITHDRAWN: 0, push.SKIPPED: 0,
                                    push.FAILED: 0})
    target = push.ready_target()
    if target is None:
        return dict(counts)
    ids = list(push.published_ids(organization_id))
    model.Session.rollback()
    for package_id in ids:
        counts[push.sync(package_id, target).status] += 1
    return dict(counts)


# -- queueing (after commit) ----------------------------------------------------------------

def enqueue(package_id: str) -> None:
    """Queue a push job for one dataset."""
    tk.enqueue_job(push_dataset, [package_id], title=f"opendata_th push {package_id}")


def enqueue_if_wanted(dataset: dict[str, Any]) -> None:
    """A follow-up of a committed dataset change: queue a push when push is
    on and the dataset is published (or has a copy to withdraw)."""
    if push.ready_target() is None or not dataset.get("id"):
        return
    if push.wants_sync(dataset):
        enqueue(dataset["id"])


def enqueue_for(package_id: str) -> None:
    """:func:`enqueue_if_wanted` for a dataset known by id (after a workflow
    step, a deletion, a bulk change); a purged dataset with a pushed copy
    has it withdrawn."""
    if push.ready_target() is None or not package_id:
        return
    try:
        dataset = tk.get_action("package_show")(site_context(), {"id": package_id})
    except tk.ObjectNotFound:
        if push.has_live_copy(push.record_of(package_id)):
            enqueue(package_id)
        return
    enqueue_if_wanted(dataset)
