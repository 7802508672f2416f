"""Work that follows a change, queued after the change is committed.

CKAN sends ``action_succeeded`` when an action returns. A top-level
``package_update`` has committed by then; an action called inside another
(``resource_create`` calls ``package_update`` with ``defer_commit``) has not,
so those calls are skipped and the outer action's own signal is used. Each
dataset gets its follow-ups once per top-level action.

The data-quality check of changed files (jobs/quality.py) is one of
:data:`FOLLOW_UPS`. The push to the national portal (jobs/sync.py) follows
dataset changes, the workflow steps that publish or unpublish (approve,
withdraw), deletions and the organizations' bulk changes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.jobs import feedback as feedback_jobs
from ckanext.opendata_th.jobs import link_check, quality, search_index
from ckanext.opendata_th.jobs import sync as sync_jobs
from ckanext.opendata_th.jobs import workflow as workflow_jobs
from ckanext.opendata_th.jobs import dataset_request as request_jobs

DATASET_ACTIONS = (
    "package_create", "package_update", "package_patch", "package_revise",
    "resource_create", "resource_update", "resource_patch", "resource_delete",
    "package_resource_reorder",
)
"""Actions after which a dataset's resources may have changed."""

FOLLOW_UPS: list[Callable[[dict[str, Any]], None]] = [
    link_check.enqueue_if_linked,
    quality.enqueue_if_changed,
    sync_jobs.enqueue_if_wanted,
]
"""Called with the committed dataset dict (as the site user sees it)."""

_QUEUED = "opendata_th_followed_up"


WORKFLOW_ACTIONS = (
    "opendata_th_transition", "opendata_th_select", "opendata_th_classify", "opendata_th_prioritise",
)
"""Actions that change a dataset's workflow record (its stage is a facet)."""


REMOVAL_ACTIONS = (
    "package_delete", "dataset_purge", "bulk_update_private", "bulk_update_public",
    "bulk_update_delete",
)
"""Actions that delete datasets or change their visibility outside the
dataset's own update (the organization's bulk "Make private/public", "Delete")."""


def get_subscriptions() -> dict[Any, list[dict[str, Any]]]:
    return {tk.signals.action_succeeded: [
        {"sender": action, "receiver": dataset_changed} for action in DATASET_ACTIONS] + [
        {"sender": action, "receiver": workflow_changed} for action in WORKFLOW_ACTIONS] + [
        {"sender": action, "receiver": datasets_removed} for action in REMOVAL_ACTIONS] + [
        {"sender": "opendata_th_request_triage", "receiver": request_decided}] + [
        # the reporter of an answered or resolved feedback item is e-mailed (jobs/feedback.py)
        {"sender": action, "receiver": feedback_jobs.step_taken} for action in feedback_jobs.MAIL_ACTIONS]}


def workflow_changed(action: str, **kwargs: Any) -> None:
    """After a committed workflow change: re-index the dataset (its stage is
    in the search index) and, for an approval or a return, queue the e-mail
    to the publisher."""
    context = kwargs.get("context") or {}
    result = kwargs.get("result")
    if context.get("defer_commit") or not isinstance(result, dict) or not result.get("package_id"):
        return
    search_index.reindex(result["package_id"])
    if action == "opendata_th_transition":
        workflow_jobs.enqueue_decision(result["package_id"],
                                       str((kwargs.get("data_dict") or {}).get("transition")))
        sync_jobs.enqueue_for(result["package_id"])  # published or unpublished


def datasets_removed(action: str, **kwargs: Any) -> None:
    """After a committed deletion, purge or bulk visibility change: the
    push follow-up of each dataset (its national copy withdrawn or, for
    a bulk "Make public" of approved datasets, pushed)."""
    context = kwargs.get("context") or {}
    if context.get("defer_commit"):
        return
    data_dict = kwargs.get("data_dict") or {}
    ids: list[Any]
    if action.startswith("bulk_update_"):
        wanted = data_dict.get("datasets") or []
        ids = [wanted] if isinstance(wanted, str) else list(wanted)
    else:
        ids = [data_dict.get("id")]
    for id_or_name in ids:
        if not isinstance(id_or_name, str) or not id_or_name:
            continue
        package = model.Package.get(id_or_name)
        sync_jobs.enqueue_for(package.id if package is not None else id_or_name)


def dataset_changed(action: str, **kwargs: Any) -> None:
    context = kwargs.get("context") or {}
    if context.get("defer_commit"):
        return  # not committed yet: the outer action signals after its commit
    package_id = _package_id(action, kwargs.get("data_dict") or {}, kwargs.get("result"))
    done = context.setdefault(_QUEUED, set())
    if not package_id or package_id in done:
        return
    done.add(package_id)
    result = kwargs.get("result")
    if action.startswith("package_") and isinstance(result, dict) and "resources" in result:
        dataset = result  # the committed dataset, as package_update returns it
    else:
        try:
            dataset = tk.get_action("package_show")(site_context(), {"id": package_id})
        except tk.ObjectNotFound:
            return
    for follow_up in FOLLOW_UPS:
        follow_up(dataset)


def _package_id(action: str, data_dict: dict[str, Any], result: Any) -> str | None:
    if action.startswith("package_"):
        if isinstance(result, dict):
            return result.get("id")
        if isinstance(result, str):  # return_id_only
            return result
        return data_dict.get("id")
    if isinstance(result, dict) and result.get("package_id"):
        return result["package_id"]
    if data_dict.get("package_id"):
        return data_dict["package_id"]
    resource = model.Resource.get(data_dict.get("id") or "")
    return resource.package_id if resource else None


def request_decided(action: str, **kwargs: Any) -> None:
    """After a committed decision on a dataset request: the e-mail to the
    requester (jobs/dataset_request.py)."""
    context = kwargs.get("context") or {}
    result = kwargs.get("result")
    if context.get("defer_commit") or not isinstance(result, dict) or not result.get("history"):
        return
    request_jobs.enqueue_status(result["id"], result["history"][0]["id"])
