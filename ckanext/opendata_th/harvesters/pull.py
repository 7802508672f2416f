"""What a harvest writes on this portal: a remote dataset created or updated
here, a withdrawal, the sync records and each source's watermark.

The import stage of the ``datagoth`` harvester (``datagoth.py``) calls
:func:`import_dataset` and :func:`withdraw`; they write the dataset, its
disclosure workflow record and its :class:`~.model.sync.SyncRecord` in the
caller's transaction, and the caller commits once (or rolls back: a refused
dataset leaves nothing behind). The mapping itself is plain Python in
:mod:`ckanext.opendata_th.playbook.national_portal`.

How the publish rule holds for harvested data
---------------------------------------------
A dataset the national portal publishes (public there, public data
classified as open) arrives published, with its approval recorded as the
national portal's (:func:`.approval_gate.record_publication`, source = the
remote URL, at = the remote's publication time). It is saved private first —
through ``package_create``/``package_update``, so every field is validated
as on any other route — then the approval is recorded, and then the saved
row is made public in the same transaction: one save, one search index
update at commit, and the dataset is never public without its approval.

Making the row public directly, rather than through a second
``package_patch``, is also how the readiness gate (logic/readiness_gate.py)
stays out of the way: the gate stops an organization that has not assessed
its readiness from publishing *by itself*; a dataset published on the
national portal was already published, and refusing the local copy would
only make the two catalogs differ. Nothing global is switched (no config
flag), the gates' code is unchanged, and every other route still meets
both gates. The one context flag the writes carry
(``validators.NATIONAL_COPY``) lets this portal's own fields, which a
national dataset cannot have (the expected update time of a daily
dataset), stay empty instead of being made up.

A dataset that is not disclosable arrives private and "withheld" with the
reason; a remote private dataset (seen with a token) a private candidate.
An update keeps the local workflow record, classification and approvals;
a published copy stays published through routine updates, and one whose
governance fields become undisclosable is recalled by the existing rule
(the dataset schema's validator). A remote deletion or privatisation
withdraws the local copy (private, reason recorded, never purged); when the
remote publishes it again, it is published again here — unless a person of
this portal withdrew or returned it (stage "returned" without a sync
withdrawal): that local decision stands.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.logic import approval_gate, validators
from ckanext.opendata_th.model.sync import PULL, SyncRecord, SyncSource
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.messages import N_, Message, MessageError

ADDED, UPDATED, UNCHANGED, WITHDRAWN = "added", "updated", "unchanged", "withdrawn"

# withdrawal reasons (the verdict of the fetch stage's check)
DELETED, MADE_PRIVATE, NOT_PUBLIC, UNFOLLOWED = "deleted", "private", "not_public", "unfollowed"
"""Deleted (the remote says "not found", or shows it deleted); private (the
remote shows it private, to a caller with a token); no longer public (the
remote refuses to show it: CKAN answers so for a deleted and for a private
dataset alike); no longer in a followed organization."""


class ImportFailed(MessageError):
    """A remote dataset that cannot be written here; nothing was written."""


@dataclass(frozen=True)
class Outcome:
    """What an import or a withdrawal did."""

    status: str
    """ADDED, UPDATED, UNCHANGED or WITHDRAWN."""
    package_id: Optional[str]
    withheld: Optional[Message] = None
    """Why the dataset is kept private (for the harvest report), if it is."""


# -- reading the sync records -------------------------------------------------------

_CHUNK = 5000


def records_by_remote_id(remote_url: str, remote_ids: Iterable[str]) -> dict[str, SyncRecord]:
    """The sync records of these remote datasets, by remote id (one query
    per 5,000 ids)."""
    wanted = sorted({i for i in remote_ids if i})
    found: dict[str, SyncRecord] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = model.Session.query(SyncRecord).filter(
            SyncRecord.remote_url == remote_url, SyncRecord.remote_id.in_(wanted[start:start + _CHUNK]))
        found.update((row.remote_id, row) for row in rows)
    return found


def needs_import(record: Optional[SyncRecord], remote_modified: Optional[dt.datetime]) -> bool:
    """Whether a remote dataset the listing names needs importing: it is new
    here, changed since its last import (or its time is unknown), or it was
    withdrawn after its last import and is listed again (back in a followed
    organization, restored)."""
    if record is None or remote_modified is None or record.remote_modified is None:
        return True
    if remote_modified > record.remote_modified:
        return True
    return record.withdrawn_at is not None and (record.modified is None
                                                or record.withdrawn_at >= record.modified)


def active_records(source_id: str) -> list[SyncRecord]:
    """The datasets this harvest source brought in that are not withdrawn."""
    return model.Session.query(SyncRecord).filter(
        SyncRecord.harvest_source_id == source_id, SyncRecord.direction == PULL,
        SyncRecord.withdrawn_at.is_(None)).all()


def record_for(remote_url: str, remote_id: str) -> Optional[SyncRecord]:
    return model.Session.query(SyncRecord).filter_by(remote_url=remote_url, remote_id=remote_id).one_or_none()


# -- the watermark -----------------------------------------------------------------------

def watermark(source_id: str) -> Optional[dt.datetime]:
    """The source's watermark: every remote change up to it was imported."""
    found = model.Session.get(SyncSource, source_id)
    return found.watermark if found is not None else None


def advance_watermark(source_id: str, job_id: str) -> Optional[dt.datetime]:
    """Move the source's watermark to the newest remote ``metadata_modified``
    that the source's previous job gathered, when that job finished with no
    gather error and every one of its objects complete; returns the
    watermark (committed when it moved).

    The previous job is judged when the next one starts, because a job is
    finished only later (``harvest_jobs_run``), after its last object."""
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

    previous = (model.Session.query(HarvestJob)
                .filter(HarvestJob.source_id == source_id, HarvestJob.id != job_id)
                .order_by(HarvestJob.created.desc()).first())
    current = watermark(source_id)
    if previous is None or previous.status != "Finished":
        return current
    failed = model.Session.query(HarvestGatherError.id).filter(
        HarvestGatherError.harvest_job_id == previous.id).first() or model.Session.query(
        HarvestObject.id).filter(HarvestObject.harvest_job_id == previous.id,
                                 HarvestObject.state != "COMPLETE").first()
    if failed:
        return current
    newest = model.Session.query(sa.func.max(HarvestObject.metadata_modified_date)).filter(
        HarvestObject.harvest_job_id == previous.id).scalar()
    if newest is None:
        return current
    newest = newest.replace(tzinfo=dt.timezone.utc)
    if current is not None and newest <= current:
        return current
    found = model.Session.get(SyncSource, source_id)
    if found is None:
        found = SyncSource(source_id=source_id)
        model.Session.add(found)
    found.watermark, found.modified = newest, utcnow()
    model.Session.commit()
    return newest


# -- names and organizations ---------------------------------------------------------------

def name_taken(name: str) -> bool:
    """Whether a local dataset (in any state) or group already has this name."""
    return bool(model.Session.query(model.Package.id).filter(model.Package.name == name).first()
                or model.Session.query(model.Group.id).filter(model.Group.name == name).first())


def local_organization(remote: Mapping[str, Any], organization_map: Mapping[str, str],
                       source_organization: Optional[str]) -> str:
    """The id of the local organization a remote dataset goes to: the one
    ``organization_map`` names for its remote organization, else the local
    organization of the same name, else the harvest source's."""
    organization = remote.get("organization")
    remote_name = organization.get("name") if isinstance(organization, Mapping) else None
    if isinstance(remote_name, str) and remote_name:
        wanted = organization_map.get(remote_name)
        found = organization_id(wanted or remote_name)
        if found is not None:
            return found
        if wanted:
            raise ImportFailed(Message(
                N_("The source's organization_map sends “{remote}” to “{local}”, which is not an "
                   "organization of this portal"), remote=remote_name, local=wanted))
    if source_organization:
        return source_organization
    raise ImportFailed(Message(
        N_("No organization of this portal takes the datasets of “{remote}”: map it in the source's "
           "organization_map, or give the harvest source an organization"),
        remote=remote_name or "-"))


def organization_id(name: str) -> Optional[str]:
    """The id of the active local organization with this name (or id), or None."""
    group = model.Group.get(name)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return group.id


# -- importing ------------------------------------------------------------------------

def _context(user_name: str) -> dict[str, Any]:
    """An action context that writes without committing and returns only the
    id (no package_show: the caller reads what it needs from the model), for
    a copy of a national dataset (which cannot have this portal's own fields)."""
    return {"model": model, "session": model.Session, "user": user_name, "ignore_auth": True,
            "defer_commit": True, "return_id_only": True, validators.NATIONAL_COPY: True}


def _validation_text(error: tk.ValidationError) -> str:
    parts = []
    for field, problems in (error.error_dict or {}).items():
        if isinstance(problems, list):
            problems = "; ".join(str(p) if not isinstance(p, dict) else json.dumps(p, ensure_ascii=False)
                                 for p in problems if p)
        parts.append(f"{field}: {problems}")
    return ", ".join(parts) or str(error)


def import_dataset(remote: Mapping[str, Any], *, remote_url: str, source_id: str, organization_id: str,
                   user_name: str) -> Outcome:
    """Create or update the local copy of one remote dataset (not committed).
    Raises :class:`ImportFailed` (or :class:`.national_portal.ImportRefused`)
    when it cannot be stored: then the caller rolls back."""
    remote_id = str(remote.get("id") or "")
    if not remote_id:
        raise ImportFailed(Message(N_("The remote dataset has no id")))
    record = record_for(remote_url, remote_id)
    package = model.Package.get(record.package_id) if record is not None else None
    if record is not None and package is None:  # purged here: start again
        model.Session.delete(record)
        model.Session.flush()
        record = None
    if record is not None and package is not None and package.state == "deleted":
        # deleted here by a person of this portal: that decision stands
        _remember(record, remote, source_id=source_id, resource_ids=record.resource_ids,
                  imported=None)
        return Outcome(UNCHANGED, package.id)
    arrival = national_portal.arrival(remote)
    try:
        if record is None or package is None:
            return _create(remote, arrival, remote_url=remote_url, source_id=source_id,
                           organization_id=organization_id, user_name=user_name)
        return _update(remote, arrival, record, package, remote_url=remote_url, source_id=source_id,
                       organization_id=organization_id, user_name=user_name)
    except tk.ValidationError as error:
        raise ImportFailed(Message(N_("This portal refused the dataset: {errors}"),
                                   errors=_validation_text(error))) from None
    except rules.TransitionRefused as error:
        raise ImportFailed(error.message) from None
    except national_portal.NameUnavailable as error:
        raise ImportFailed(error.message) from None


def _create(remote: Mapping[str, Any], arrival: national_portal.Arrival, *, remote_url: str,
            source_id: str, organization_id: str, user_name: str) -> Outcome:
    imported = national_portal.to_local(remote)
    name = national_portal.local_name(str(remote.get("name") or remote["id"]), name_taken)
    data = {**imported.dataset, "name": name, "owner_org": organization_id, "private": True}
    package_id = tk.get_action("package_create")(_context(user_name), data)
    package = model.Package.get(package_id)
    withheld = None
    if arrival.stage == rules.PUBLISHED:
        _publish(package, remote_url, arrival)
    elif arrival.stage == rules.WITHHELD:
        withheld = arrival.reason
        _withhold(package, arrival.reason)
    record = SyncRecord(package_id=package.id, direction=PULL, remote_url=remote_url, remote_id=remote["id"])
    model.Session.add(record)
    _remember(record, remote, source_id=source_id, resource_ids=_resource_ids(remote, package.id),
              imported=imported)
    return Outcome(ADDED, package.id, withheld)


def _update(remote: Mapping[str, Any], arrival: national_portal.Arrival, record: SyncRecord,
            package: model.Package, *, remote_url: str, source_id: str, organization_id: str,
            user_name: str) -> Outcome:
    imported = national_portal.to_local(remote, resource_ids=record.resource_ids or {})
    data = national_portal.keep_local_fields(imported.dataset, dict(package.extras))
    # ``private`` is not given: the copy keeps its visibility, and the
    # schema's validator recalls a published copy that became undisclosable
    data.update(id=package.id, name=package.name, owner_org=organization_id)
    tk.get_action("package_update")(_context(user_name), data)
    stage = workflow_glue.ensure(package, None).stage
    withheld = arrival.reason if arrival.stage == rules.WITHHELD else None
    if arrival.stage == rules.PUBLISHED:
        if package.private and _may_publish_again(record, stage):
            _publish(package, remote_url, arrival)
        if not package.private:
            record.withdrawn_at = record.withdrawn_reason = None
    elif arrival.stage == rules.CANDIDATE:
        if not package.private or stage == rules.PUBLISHED:  # made private on the remote
            _withdraw(package, record, reason(MADE_PRIVATE, remote_url))
    else:  # withheld: a public copy was recalled by the validator; a candidate is withheld
        record.withdrawn_at = record.withdrawn_reason = None
        if package.private and stage == rules.CANDIDATE:
            _withhold(package, arrival.reason)
    _remember(record, remote, source_id=source_id, resource_ids=_resource_ids(remote, package.id),
              imported=imported)
    return Outcome(UPDATED, package.id, withheld)


def _may_publish_again(record: SyncRecord, stage: str) -> bool:
    """Whether a private local copy of a dataset the remote publishes is
    published again: yes, unless a person of this portal withdrew or
    returned it (that decision stands until they change it)."""
    return stage != rules.PUBLISHED and not (stage == rules.RETURNED and record.withdrawn_at is None)


def _publish(package: model.Package, remote_url: str, arrival: national_portal.Arrival) -> None:
    """Record the national portal's publication, then make the saved row
    public (indexed once, at commit)."""
    approval_gate.record_publication(
        package, user_id=None, source=remote_url, at=arrival.published_at,
        comment=localize.text(Message(N_("Published on the national portal {remote}"), remote=remote_url)))
    package.private = False
    model.Session.flush()


def _withhold(package: model.Package, why: Optional[Message]) -> None:
    workflow_glue.change_stage(package, "withhold", user_id=None, roles=frozenset({rules.SYSTEM}),
                               comment=localize.text(why or Message(N_("Not disclosable"))))


def reason(verdict: str, remote_url: str) -> Message:
    """Why a local copy is withdrawn, for the workflow history and the sync record."""
    if verdict == DELETED:
        return Message(N_("Deleted on {remote}"), remote=remote_url)
    if verdict == MADE_PRIVATE:
        return Message(N_("Made private on {remote}"), remote=remote_url)
    if verdict == NOT_PUBLIC:
        return Message(N_("No longer public on {remote} (deleted or made private)"), remote=remote_url)
    return Message(N_("No longer in the organizations this portal follows on {remote}"), remote=remote_url)


def _withdraw(package: model.Package, record: SyncRecord, why: Message) -> None:
    """Make the local copy private, never purge it: a published copy's
    workflow records the withdrawal with the reason; the sync record keeps
    when and why."""
    if workflow_glue.ensure(package, None).stage == rules.PUBLISHED:
        approval_gate.record_withdrawal(package, None, why)
    if not package.private:
        package.private = True
        package.metadata_modified = dt.datetime.utcnow()
    record.withdrawn_at, record.withdrawn_reason = utcnow(), localize.text(why)
    model.Session.flush()


def withdraw(*, remote_url: str, remote_id: str, verdict: str) -> Outcome:
    """Withdraw the local copy of a remote dataset that was deleted, made
    private or left the followed organizations (not committed)."""
    record = record_for(remote_url, remote_id)
    package = model.Package.get(record.package_id) if record is not None else None
    if record is None or package is None or record.withdrawn_at is not None:
        return Outcome(UNCHANGED, package.id if package is not None else None)
    _withdraw(package, record, reason(verdict, remote_url))
    return Outcome(WITHDRAWN, package.id)


def _resource_ids(remote: Mapping[str, Any], package_id: str) -> dict[str, str]:
    """Remote resource id -> local resource id, by position (the import keeps
    the remote's resources in order, one local resource each)."""
    local_ids = [row.id for row in model.Session.query(model.Resource.id).filter(
        model.Resource.package_id == package_id, model.Resource.state == "active"
    ).order_by(model.Resource.position)]
    remote_ids = [r.get("id") if isinstance(r, Mapping) else None for r in remote.get("resources") or []]
    if len(local_ids) != len(remote_ids):
        return {}
    return {str(r): l for r, l in zip(remote_ids, local_ids) if r}


def _remember(record: SyncRecord, remote: Mapping[str, Any], *, source_id: str,
              resource_ids: Mapping[str, str], imported: Optional[national_portal.Imported],
              extra_notes: Iterable[dict[str, Any]] = ()) -> None:
    record.harvest_source_id = source_id
    record.remote_name = remote.get("name")
    record.remote_modified = national_portal.remote_time(remote.get("metadata_modified"))
    record.resource_ids = dict(resource_ids)
    if imported is not None:
        record.set_aside = dict(imported.set_aside)
        record.notes = [note.as_dict() for note in imported.notes] + list(extra_notes)
    record.modified = utcnow()
    model.Session.flush()
