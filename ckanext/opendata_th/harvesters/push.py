"""Publishing this portal's datasets to the national catalog (the push):
the copy on data.go.th (or a GD-Catalog agency catalog) follows the local
dataset.

:func:`sync` brings one dataset's remote copy in step with the dataset as
it is now (not as it was when the job was queued):

- a dataset that is published (stage "published", public, active) and whose
  ``allow_harvest`` is "True" is created on the remote, or updated there,
  through the remote's CKAN action API, mapped by
  :func:`.national_portal.to_remote` into the configured remote
  organization;
- a dataset that no longer is (withdrawn, recalled, made private, deleted,
  purged, ``allow_harvest`` "False") and has a copy there has it withdrawn:
  made private there when the remote allows it (``package_patch``), else
  deleted (``package_delete``); never purged;
- a dataset harvested from the national portal (a "pull" sync record) is
  never pushed back.

Idempotent: the remote id and name are remembered in the dataset's
:class:`~.model.sync.SyncRecord` (direction "push"), so a second push
updates the same remote dataset; its resources keep their remote ids (by
the remembered pairs, else by URL), so none is added twice; a remote
dataset of the same name in the same organization that was created by a
push whose answer was lost is taken as the copy (never one of another
organization, nor one that is the copy of another local dataset).

Faults: :class:`.remote.RemoteCatalog` retries with back-off (5xx, timeouts,
cut connections, truncated answers). A push that still fails records the
error in plain words (never the token), counts the attempt, and keeps the
record "pending" for :func:`due_for_retry` (``ckan opendata-th`` runs the
retries from cron, with a growing delay); the local dataset is never
changed by a push. A remote that refuses the token or the data is not
retried on a timer: the next local change, or a retry asked for
explicitly, tries again. Concurrent pushes of one dataset wait for each
other (a transaction-scoped PostgreSQL advisory lock).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.harvesters import remote
from ckanext.opendata_th.harvesters.remote import RemoteCatalog, RemoteError, in_organization
from ckanext.opendata_th.harvesters.target import PushTarget, push_target
from ckanext.opendata_th.model.sync import PUSH, SyncRecord
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.messages import N_, Message

log = logging.getLogger(__name__)

# What sync() did
PUSHED = "pushed"
"""The remote copy was created or updated."""
WITHDRAWN = "withdrawn"
"""The remote copy was made private or deleted (or was gone already)."""
SKIPPED = "skipped"
"""Nothing to do: not published here and no copy there, or harvested."""
FAILED = "failed"
"""The remote failed or refused; recorded on the sync record."""

ALLOW_HARVEST = "allow_harvest"

REFUSALS = frozenset({remote.REFUSED, remote.INVALID, remote.REJECTED})
"""Failures that trying again unchanged would repeat (the token or the data
refused): not retried on a timer."""

RETRY_DELAY = dt.timedelta(minutes=5)
"""The wait before the first retry of a failed push; doubled each attempt."""
MAX_RETRY_DELAY = dt.timedelta(days=1)

_FAILURE_NOTE = "push_failure"
"""Key of the sync record's note that says how the last push failed."""


@dataclass(frozen=True)
class Outcome:
    """What :func:`sync` did to one dataset's remote copy."""

    status: str
    """:data:`PUSHED`, :data:`WITHDRAWN`, :data:`SKIPPED` or :data:`FAILED`."""
    message: str = ""
    """The error (:data:`FAILED`) or how the copy was withdrawn, in plain words."""


# -- configuration and rules -----------------------------------------------------------------

def ready_target() -> Optional[PushTarget]:
    """The national catalog to push to, or None while push is off: it needs
    the URL, the token and the remote organization (config options
    ``ckanext.opendata_th.sync.url``, ``.token``, ``.organization``)."""
    found = push_target()
    if found is None or not found.token or not found.organization:
        return None
    return found


def published(dataset: Mapping[str, Any]) -> bool:
    """Whether a dataset (its ``package_show``) is one to have on the
    national portal: active, public, at the stage "published" and with
    ``allow_harvest`` "True"."""
    if dataset.get("state") != "active" or dataset.get("private") or \
            dataset.get("type", "dataset") != "dataset":
        return False
    if str(dataset.get(ALLOW_HARVEST) or "") != "True":
        return False
    package = model.Package.get(str(dataset.get("id") or ""))
    return package is not None and workflow_glue.current(package).stage == rules.PUBLISHED


def record_of(package_id: str) -> Optional[SyncRecord]:
    """The dataset's sync record (either direction), or None."""
    return model.Session.get(SyncRecord, package_id) if package_id else None


def wants_sync(dataset: Mapping[str, Any]) -> bool:
    """Whether a change of this dataset calls for a push job: it is
    published (:func:`published`), or it has a copy on the national portal
    that may need withdrawing (or a push that failed). Never for a
    harvested dataset, never for a private one that was never pushed."""
    record = record_of(str(dataset.get("id") or ""))
    if record is not None and record.direction != PUSH:
        return False
    if published(dataset):
        return True
    return has_live_copy(record)


def has_live_copy(record: Optional[SyncRecord]) -> bool:
    """Whether a push record may stand for a copy not withdrawn yet (a
    push that failed may have created it)."""
    return record is not None and record.direction == PUSH and record.withdrawn_at is None and (
        bool(record.remote_id) or bool(record.push_error))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long after the last failed attempt the next one is due:
    5 minutes, 10, 20... at most a day."""
    delay = RETRY_DELAY * (2 ** max(0, attempts - 1))
    return min(delay, MAX_RETRY_DELAY)


def failure_kind(record: SyncRecord) -> Optional[str]:
    """How the record's last push failed (a :class:`RemoteError` kind), or None."""
    for note in record.notes or []:
        if isinstance(note, dict) and _FAILURE_NOTE in note:
            return note[_FAILURE_NOTE]
    return None


def due_for_retry(record: SyncRecord, now: dt.datetime, *, include_refused: bool = False) -> bool:
    """Whether a failed push is due to be tried again at ``now``."""
    if record.direction != PUSH or not record.push_error:
        return False
    if failure_kind(record) in REFUSALS and not include_refused:
        return False
    last = record.modified or now
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.timezone.utc)
    return last + retry_delay(record.push_attempts or 1) <= now


# -- the push ---------------------------------------------------------------------------------

def sync(package_id: str, target: PushTarget) -> Outcome:
    """Bring the dataset's remote copy in step with the dataset as it is
    now (see the module docstring); commits the sync record."""
    _lock(package_id)
    record = record_of(package_id)
    if record is not None and record.direction != PUSH:
        model.Session.rollback()
        return Outcome(SKIPPED)
    dataset = _dataset(package_id)
    if dataset is not None and published(dataset):
        return _publish(dataset, record, target)
    if has_live_copy(record):
        assert record is not None
        return _withdraw(record, target, _why_withdrawn(dataset), dataset)
    model.Session.rollback()
    return Outcome(SKIPPED)


def withdraw(package_id: str, target: PushTarget, why: Optional[Message] = None) -> Outcome:
    """Withdraw the dataset's remote copy whatever the dataset's state
    (a sysadmin's command); nothing when it has no pushed copy."""
    _lock(package_id)
    record = record_of(package_id)
    if not has_live_copy(record):
        model.Session.rollback()
        return Outcome(SKIPPED)
    assert record is not None
    return _withdraw(record, target, why or Message(N_("withdrawn by a sysadmin")), _dataset(package_id))


def _lock(package_id: str) -> None:
    """Pushes of one dataset run one at a time (until the transaction ends)."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                          {"key": f"opendata_th push {package_id}"})


def _dataset(package_id: str) -> Optional[dict[str, Any]]:
    """The dataset as the site user sees it (deleted ones too), or None once purged."""
    try:
        return tk.get_action("package_show")(site_context(), {"id": package_id})
    except tk.ObjectNotFound:
        return None


def _publish(dataset: dict[str, Any], record: Optional[SyncRecord], target: PushTarget) -> Outcome:
    if record is None:
        record = SyncRecord(package_id=dataset["id"], direction=PUSH, remote_url=target.url,
                            resource_ids={}, set_aside={}, notes=[], push_attempts=0)
        model.Session.add(record)
    same_remote = record.remote_url == target.url
    catalog = target.catalog()
    try:
        _refuse_gateway(target)
        existing = catalog.find(record.remote_id) if same_remote and record.remote_id else None
        name = (record.remote_name if same_remote and record.remote_name else dataset["name"])
        if existing is None:
            existing = _adoptable(catalog, name, target, dataset["id"])
        body = national_portal.to_remote(
            dataset, owner_org=str(target.organization),
            name=existing["name"] if existing else name,
            remote_resources=_matchable_resources(existing, record if same_remote else None, dataset))
        if existing is not None:
            body["id"] = existing["id"]
            if existing.get("state") == "deleted":
                body["state"] = "active"
            result = catalog.update(body)
        else:
            result = catalog.create(body)
    except RemoteError as error:
        return _failed(record, target, error)
    finally:
        catalog.close()
    now = utcnow()
    record.remote_url, record.remote_id, record.remote_name = target.url, result["id"], result["name"]
    record.remote_modified = national_portal.remote_time(result.get("metadata_modified"))
    record.resource_ids = _resource_pairs(dataset, result)
    record.pushed_at = record.modified = now
    record.push_error, record.push_attempts, record.notes = None, 0, []
    record.withdrawn_at = record.withdrawn_reason = None
    drift = national_portal.compare(dataset, result)
    record.compared_at, record.drift_status, record.drift = now, drift.status, drift.as_dict()
    model.Session.commit()
    log.info("Pushed dataset %s to %s as %s", dataset["id"], target.url, result["name"])
    return Outcome(PUSHED)


def _refuse_gateway(target: PushTarget) -> None:
    """The keyed gateway passes calls on as an anonymous user: it only reads."""
    if target.api == remote.GATEWAY:
        raise RemoteError(Message(N_("{url} is the keyed gateway, which only reads: pushing "
                                     "needs the catalog's action API (ckanext.opendata_th.sync.api "
                                     "= action)"), url=target.url), remote.REFUSED)


def _adoptable(catalog: RemoteCatalog, name: str, target: PushTarget,
               package_id: str) -> Optional[dict[str, Any]]:
    """The remote dataset called ``name``, if it may be this dataset's copy:
    in the target organization (a push whose answer was lost made it) and
    not the copy of another local dataset. A dataset of that name elsewhere
    is a refusal: the remote's names are unique and its owner is not us."""
    found = catalog.find(name)
    if found is None:
        return None
    if not in_organization(found, str(target.organization)):
        raise RemoteError(Message(N_("{url} already has a dataset named {name} in another "
                                     "organization; rename the dataset here to publish it"),
                                  url=target.url, name=name), remote.INVALID)
    other = model.Session.query(SyncRecord).filter(
        SyncRecord.remote_url == target.url, SyncRecord.remote_id == found["id"],
        SyncRecord.package_id != package_id).first()
    if other is not None:
        raise RemoteError(Message(N_("{url} already has a dataset named {name}, the copy of "
                                     "another dataset of this portal"),
                                  url=target.url, name=name), remote.INVALID)
    return found


def _matchable_resources(existing: Optional[Mapping[str, Any]], record: Optional[SyncRecord],
                         dataset: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The remote copy's resources as :func:`.national_portal.to_remote`
    matches them (by URL): a remote resource remembered as the copy of a
    local one is shown with the local URL, so it keeps its id even when the
    URL changed here."""
    if existing is None:
        return []
    local_urls = {r.get("id"): r.get("url") for r in dataset.get("resources") or []}
    local_by_remote = {remote_id: local_id for local_id, remote_id in
                       ((record.resource_ids or {}) if record is not None else {}).items()}
    matchable = []
    for resource in existing.get("resources") or []:
        shown = dict(resource)
        local_id = local_by_remote.get(resource.get("id"))
        if local_id in local_urls and local_urls[local_id]:
            shown["url"] = local_urls[local_id]
        matchable.append(shown)
    return matchable


def _resource_pairs(dataset: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, str]:
    """Local resource id -> remote resource id, in the order pushed (the
    remote keeps the order it was sent)."""
    local = [r.get("id") for r in dataset.get("resources") or []]
    pushed = [r.get("id") for r in result.get("resources") or []]
    return {local_id: remote_id for local_id, remote_id in zip(local, pushed) if local_id and remote_id}


def _why_withdrawn(dataset: Optional[Mapping[str, Any]]) -> Message:
    """Why a dataset's copy is withdrawn, in the record's words."""
    if dataset is None:
        return Message(N_("the dataset was purged on this portal"))
    if dataset.get("state") != "active":
        return Message(N_("the dataset was deleted on this portal"))
    if dataset.get("private"):
        return Message(N_("the dataset is private on this portal"))
    if str(dataset.get(ALLOW_HARVEST) or "") != "True":
        return Message(N_("the dataset no longer allows harvesting (allow_harvest)"))
    return Message(N_("the dataset is no longer published on this portal"))


def _withdraw(record: SyncRecord, target: PushTarget, why: Message,
              dataset: Optional[Mapping[str, Any]]) -> Outcome:
    """Make the remote copy private, or delete it where the remote does not
    allow that; record what happened. A copy already private, deleted or
    gone is recorded as withdrawn without a write."""
    catalog = target.catalog()
    try:
        _refuse_gateway(target)
        found = None
        if record.remote_id and record.remote_url == target.url:
            found = catalog.find(record.remote_id)
        elif record.push_error:  # a failed first push may have created it
            name = record.remote_name or (dataset or {}).get("name")
            found = _adoptable(catalog, name, target, record.package_id) if name else None
        if found is None:
            how = Message(N_("it was not there"))
        elif found.get("state") == "deleted" or found.get("private"):
            how = Message(N_("it was private or deleted there already"))
        else:
            how = _take_down(catalog, found)
    except RemoteError as error:
        return _failed(record, target, error)
    finally:
        catalog.close()
    now = utcnow()
    text = localize.text(Message(N_("Withdrawn from {url}: {how}; {why}"), url=target.url, how=how,
                                 why=why))
    record.withdrawn_at, record.withdrawn_reason = now, text
    record.push_error, record.push_attempts, record.notes, record.modified = None, 0, [], now
    model.Session.commit()
    log.info("Withdrew dataset %s from %s: %s", record.package_id, target.url, text)
    return Outcome(WITHDRAWN, text)


def _take_down(catalog: RemoteCatalog, found: Mapping[str, Any]) -> Message:
    """Private when the remote allows it (the patch is accepted and the
    dataset is private after it), else deleted."""
    try:
        patched = catalog.patch(found["id"], private=True)
        if patched.get("private") is True or str(patched.get("private")).lower() == "true":
            return Message(N_("made private there"))
    except RemoteError as error:
        if error.kind not in REFUSALS:
            raise
    catalog.delete(found["id"])
    return Message(N_("deleted there (the remote did not allow making it private)"))


def _failed(record: SyncRecord, target: PushTarget, error: RemoteError) -> Outcome:
    """Record a push that failed: the error in plain words, one more
    attempt, how it failed (for the retries); the local dataset untouched."""
    model.Session.rollback()  # nothing of the attempt but the record
    _lock(record.package_id)
    stored = record_of(record.package_id)
    if stored is None:
        stored = SyncRecord(package_id=record.package_id, direction=PUSH, remote_url=target.url,
                            resource_ids={}, set_aside={}, notes=[], push_attempts=0)
        model.Session.add(stored)
    now = utcnow()
    text = localize.text(error.message)
    stored.push_error = text
    stored.push_attempts = (stored.push_attempts or 0) + 1
    stored.notes = [{_FAILURE_NOTE: error.kind, "status": error.status, "at": now.isoformat()}]
    stored.modified = now
    model.Session.commit()
    log.warning("Push of dataset %s to %s failed (attempt %s): %s", record.package_id, target.url,
                stored.push_attempts, text)
    return Outcome(FAILED, text)


def pending(now: Optional[dt.datetime] = None, *,
            include_refused: bool = False) -> tuple[list[str], int]:
    """The ids of the datasets whose failed push is due for a retry, and
    how many others wait (not due yet, or refused)."""
    now = now or utcnow()
    records = model.Session.query(SyncRecord).filter(
        SyncRecord.direction == PUSH, SyncRecord.push_error.isnot(None)).order_by(
        SyncRecord.modified).all()
    due = [r.package_id for r in records if due_for_retry(r, now, include_refused=include_refused)]
    return due, len(records) - len(due)


def published_ids(organization_id: Optional[str] = None) -> Sequence[str]:
    """Ids of the active public datasets (of one organization), the
    candidates of a first push of everything."""
    query = model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.private.is_(False),
        model.Package.type == "dataset")
    if organization_id:
        query = query.filter(model.Package.owner_org == organization_id)
    return [row[0] for row in query.order_by(model.Package.metadata_created)]
