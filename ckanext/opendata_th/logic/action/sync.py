"""The drift report through the API: whether each published dataset's copy
on the national portal is identical (issue 12, point 4).

- ``opendata_th_sync_diff_list``: the stored results of an organization's
  published datasets (read only; a GET).
- ``opendata_th_sync_diff``: compare one dataset now and store the result
  (a POST: CKAN refuses a GET for an action that is not side-effect free).
- ``opendata_th_sync_diff_organization``: compare an organization's
  published datasets now (the page's "compare now" button). Up to
  :data:`IN_REQUEST_LIMIT` datasets are compared in the request, so the
  admin sees the result at once; more are compared by a background job
  (a request must not wait for hundreds of remote calls, each of which may
  take the client's timeout and retries). The answer says which, and how
  many datasets.

The comparisons themselves are in :mod:`ckanext.opendata_th.harvesters.drift`,
imported when an action runs (it imports ckanext-harvest).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.logic.auth.sync import dataset as _dataset
from ckanext.opendata_th.logic.auth.sync import organization as _organization
from ckanext.opendata_th.logic.inputs import refused
from ckanext.opendata_th.playbook.messages import N_, Message

Context = dict[str, Any]
DataDict = dict[str, Any]

IN_REQUEST_LIMIT = 50
"""An organization with at most this many published datasets is compared
in the request; one with more by a background job."""
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _whole_number(value: Any, key: str, default: int, maximum: int | None) -> int:
    if value is None or value == "":
        return default
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or (maximum is not None and int(text) > maximum):
        if maximum is None:
            raise refused({key: [Message(N_("“{key}” must be a whole number of 0 or more"), key=key)]})
        raise refused({key: [Message(N_("“{key}” must be a whole number from 0 to {max}"),
                                      key=key, max=maximum)]})
    return int(text)


def _summary_counts(organization_id: str) -> dict[str, int]:
    """How many of the organization's published datasets stand at each stored status."""
    import ckan.model as model
    from sqlalchemy import func

    from ckanext.opendata_th.harvesters import drift
    from ckanext.opendata_th.model.sync import SyncRecord

    rows = model.Session.query(SyncRecord.drift_status, func.count()).join(
        model.Package, model.Package.id == SyncRecord.package_id).filter(
        *drift.published_conditions(organization_id), SyncRecord.drift_status.isnot(None)).group_by(
        SyncRecord.drift_status)
    counts = dict.fromkeys(drift.STATUSES, 0)
    for status, count in rows:
        if status in counts:
            counts[status] = count
    counts[drift.NOT_COMPARED] = drift.count_published(organization_id) - sum(counts.values())
    return counts


@tk.side_effect_free
def opendata_th_sync_diff_list(context: Context, data_dict: DataDict) -> DataDict:
    """The stored comparison of each published dataset of the organization
    ``organization_id`` (id or name) with its national copy, ``limit`` (at
    most 1000, default 100) from ``offset``, in name order.

    Each result: ``id``, ``name``, ``title``, ``status`` (identical,
    different, missing, not_compared), ``compared_at`` (ISO, UTC),
    ``differences`` (``field``, ``label`` in the request's language,
    ``local``, ``remote``), ``remote_url`` and ``remote_id`` (where the copy
    is read), ``reason`` (why there is no copy to compare with). ``summary``
    counts the organization's datasets by status; ``in_request_limit`` is
    how many ``opendata_th_sync_diff_organization`` compares in the request.
    """
    from ckanext.opendata_th.harvesters import drift

    organization = _organization(data_dict)
    tk.check_access("opendata_th_sync_diff_list", context, {"organization_id": organization.id})
    limit = _whole_number(data_dict.get("limit"), "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _whole_number(data_dict.get("offset"), "offset", 0, None)
    total, results = drift.stored_results(organization.id, limit=limit, offset=offset)
    return {
        "organization": {"id": organization.id, "name": organization.name,
                         "title": organization.title or organization.name},
        "count": total, "limit": limit, "offset": offset,
        "summary": _summary_counts(organization.id),
        "in_request_limit": IN_REQUEST_LIMIT,
        "results": [result.as_dict() for result in results],
    }


def opendata_th_sync_diff(context: Context, data_dict: DataDict) -> DataDict:
    """Compare the published dataset ``id`` (id or name) with its national
    copy now, store the result and return it (as a result of
    ``opendata_th_sync_diff_list``, plus ``error``: the remote's failure when
    it could not be compared this time, the stored result then kept in
    ``stored_status``)."""
    from ckanext.opendata_th.harvesters import drift

    package = _dataset(data_dict)
    tk.check_access("opendata_th_sync_diff", context, {"id": package.id})
    if not drift.is_published(package):
        raise refused({"id": [Message(N_(
            "Only published datasets are compared with the national portal: “{name}” is not published"),
            name=package.name)]})
    return drift.compare_one(package.id).as_dict()


def opendata_th_sync_diff_organization(context: Context, data_dict: DataDict) -> DataDict:
    """Compare every published dataset of the organization
    ``organization_id`` with its national copy now: in the request when it
    has at most ``in_request_limit`` (50), otherwise in a background job.

    Returns ``count`` (its published datasets), ``queued`` (true: a job will
    compare them; the stored results change as it goes), and, when compared
    in the request, ``summary`` (by status, ``errors``) and ``results``.
    """
    from ckanext.opendata_th.harvesters import drift

    organization = _organization(data_dict)
    tk.check_access("opendata_th_sync_diff_organization", context, {"organization_id": organization.id})
    count = drift.count_published(organization.id)
    if count > IN_REQUEST_LIMIT:
        drift.enqueue_organization(organization.id)
        return {"count": count, "queued": True, "message": localize.text(Message(N_(
            "The {count} published datasets are being compared in the background; reload the page "
            "in a few minutes to see the results"), count=count))}
    summary = drift.Summary()
    results = []
    for result in drift.compare_all(organization.id):
        summary.add(result)
        results.append(result.as_dict())
    return {"count": count, "queued": False, "summary": summary.as_dict(), "results": results}
