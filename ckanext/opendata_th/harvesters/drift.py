"""The drift report: is each published dataset's copy on the national portal
identical to it? (Issue 12, step 3.8 of the playbook.)

Where the national copy is
--------------------------
- A dataset harvested FROM a national catalog (its sync record's direction
  is "pull"): the dataset ``remote_id`` on the catalog of the harvest source
  it came from, read as that source reads it (its URL, API style and token,
  :func:`.datagoth.catalog_for`).
- Any other published dataset, when this portal publishes to a national
  catalog (:func:`.target.push_target`): the dataset its "push" record names
  (``remote_id``, else ``remote_name``), else the one with the local name,
  on the push target.
- Neither: the dataset is "not compared", and the report says why.

What a comparison stores
------------------------
:func:`.national_portal.compare` decides (identical, different field by
field, missing); the result goes into the dataset's sync record
(``compared_at``, ``drift_status``, ``drift``). A dataset that has no record
yet while the push target is configured gets a "push" record with no remote
id (the publisher fills that in when it pushes). "Missing" means the remote
answers that the dataset is not there for the public: not found, deleted,
private, or refused to this portal although the remote answers it otherwise
(CKAN refuses deleted and private datasets alike to a caller who may not see
them; the harvester reads a refusal the same way).

A remote that cannot answer (unreachable, too slow, a 5xx error, an answer
that is not CKAN's JSON, a refused token) is NOT a "missing" copy: the last
stored result is kept, the error is reported in plain words, and the dataset
counts as "not compared this time". Once a remote is unreachable, too slow
or refuses the token, the rest of the run does not call it again (each call
would wait for its retries): the remaining datasets on it are reported with
the same error.

The ten-property evaluation reads the stored status (annotations.py:
identical -> "accessible" met); a comparison that changes it re-indexes the
dataset, so that search results and their filters follow.

ckanext-harvest is imported only when a harvested dataset is compared
(``datagoth`` imports its model, which maps tables that a portal without the
harvest plugin does not have), and the push target's module when a
comparison or a report needs it; the actions, views and commands import
this module inside their functions.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import context as portal_context
from ckanext.opendata_th import localize
from ckanext.opendata_th.harvesters.remote import (
    NOT_FOUND,
    REFUSED,
    TIMEOUT,
    UNREACHABLE,
    RemoteCatalog,
    RemoteError,
)
from ckanext.opendata_th.model.sync import PULL, PUSH, SyncRecord
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.playbook.messages import N_, Label, Message
from ckanext.opendata_th.playbook.national_schema import FIELDS

if TYPE_CHECKING:
    from ckanext.opendata_th.harvesters.target import PushTarget

log = logging.getLogger(__name__)

IDENTICAL, DIFFERENT, MISSING = national_portal.IDENTICAL, national_portal.DIFFERENT, national_portal.MISSING
NOT_COMPARED = "not_compared"
"""A report's status for a dataset with no stored comparison, or one that
could not be compared this time (never stored)."""
STATUSES = (IDENTICAL, DIFFERENT, MISSING, NOT_COMPARED)

PAGE_SIZE = 100
"""Datasets read, compared and committed at a time: memory stays bounded
whatever the number of datasets, and an interrupted run keeps what it did."""

_CIRCUIT_BREAKERS = frozenset({UNREACHABLE, TIMEOUT, REFUSED})
"""Remote failures after which the run stops calling that remote (a
refusal reaches here only when the remote refuses the token itself)."""


# -- where the national copy is ---------------------------------------------------------

@dataclass(frozen=True)
class RemoteCopy:
    """The national copy of one dataset: which catalog, and which dataset on it."""

    remote_url: str
    reference: str
    """The remote dataset's id or name (what package_show is asked for)."""
    catalog_key: tuple[str, ...]
    """Datasets with the same key are read through the same client."""
    direction: str
    """PULL (harvested from it) or PUSH (published to it)."""
    open_catalog: Any = field(compare=False, repr=False)
    """() -> RemoteCatalog."""


class NotComparable(Exception):
    """No national copy can be read for this dataset; ``message`` says why,
    ``error`` whether that is a fault to fix (a broken harvest source) or
    just how the portal is set up (no national catalog configured)."""

    def __init__(self, message: Message, *, error: bool) -> None:
        super().__init__(message.msgid)
        self.message = message
        self.error = error


NO_NATIONAL_CATALOG = Message(N_(
    "Not compared: the dataset was not harvested from a national portal and this portal does not "
    "publish to one (ckanext.opendata_th.sync.url is not set)"))


def locate(package: model.Package, record: Optional[SyncRecord], target: Optional[PushTarget]) -> RemoteCopy:
    """Where the national copy of ``package`` is; raises :class:`NotComparable`."""
    if record is not None and record.direction == PULL:
        return _harvested_copy(record)
    if target is None:
        raise NotComparable(NO_NATIONAL_CATALOG, error=False)
    reference = package.name
    if record is not None and record.remote_url.rstrip("/") == target.url:
        reference = record.remote_id or record.remote_name or package.name
    return RemoteCopy(remote_url=target.url, reference=reference,
                      catalog_key=(PUSH, target.url, target.api, target.token_header),
                      direction=PUSH, open_catalog=target.catalog)


def push_target() -> Optional[PushTarget]:
    """The configured national catalog this portal publishes to, or None."""
    from ckanext.opendata_th.harvesters.target import push_target as configured

    return configured()


def _harvested_copy(record: SyncRecord) -> RemoteCopy:
    from ckanext.harvest.model import HarvestSource

    from ckanext.opendata_th.harvesters import datagoth

    source = HarvestSource.get(record.harvest_source_id) if record.harvest_source_id else None
    if source is None or not source.active:
        raise NotComparable(Message(N_(
            "Not compared: the harvest source this dataset came from ({remote}) no longer exists"),
            remote=record.remote_url), error=True)
    try:
        config = datagoth.parse_config(source.config, check_local=False)
    except datagoth.ConfigError as problem:
        raise NotComparable(Message(N_(
            "Not compared: the configuration of the harvest source {remote} is wrong: {problem}"),
            remote=source.url, problem=problem.message), error=True) from None
    url = source.url.rstrip("/")
    return RemoteCopy(remote_url=url, reference=record.remote_id or record.remote_name or "",
                      catalog_key=(PULL, source.id), direction=PULL,
                      open_catalog=lambda: datagoth.catalog_for(url, config))


# -- one run's remote clients -------------------------------------------------------------

class Catalogs:
    """The remote clients of one run, one per catalog, and the remotes that
    failed in a way that makes calling them again pointless."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, ...], RemoteCatalog] = {}
        self._down: dict[tuple[str, ...], Message] = {}

    def client(self, copy: RemoteCopy) -> RemoteCatalog:
        if copy.catalog_key not in self._open:
            self._open[copy.catalog_key] = copy.open_catalog()
        return self._open[copy.catalog_key]

    def down(self, copy: RemoteCopy) -> Optional[Message]:
        """Why this remote is not called again in this run, or None."""
        return self._down.get(copy.catalog_key)

    def mark_down(self, copy: RemoteCopy, why: Message) -> None:
        self._down[copy.catalog_key] = why

    def close(self) -> None:
        for catalog in self._open.values():
            catalog.close()
        self._open.clear()

    def __enter__(self) -> "Catalogs":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_remote(copy: RemoteCopy, catalogs: Catalogs) -> Optional[dict[str, Any]]:
    """The national copy as its package_show gives it, or None when the
    remote says it is not there for the public (see the module). Raises
    :class:`RemoteError` when the remote cannot say."""
    catalog = catalogs.client(copy)
    try:
        remote = catalog.show(copy.reference)
    except RemoteError as error:
        if error.kind == NOT_FOUND:
            return None
        if error.kind != REFUSED:
            raise
        # refused for this dataset only, or is the token refused altogether?
        catalog.search(rows=0)
        return None
    if remote.get("state", "active") != "active":
        return None
    if remote.get("private") is True or str(remote.get("private")).lower() == "true":
        return None
    return remote


# -- one dataset --------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    """One dataset's comparison, as a report shows it."""

    package_id: str
    name: str
    title: str
    status: str
    """IDENTICAL, DIFFERENT, MISSING, or NOT_COMPARED (this time)."""
    differences: tuple[national_portal.Difference, ...] = ()
    compared_at: Optional[dt.datetime] = None
    """When the stored result was found (UTC)."""
    remote_url: Optional[str] = None
    remote_reference: Optional[str] = None
    reason: Optional[Message] = None
    """Why it was not compared (no national catalog, a broken source)."""
    error: Optional[Message] = None
    """The remote's failure, when it could not be compared this time."""
    stored_status: Optional[str] = None
    """With an error: the last stored result, kept."""
    changed: bool = False
    """Whether the stored status changed (the dataset is re-indexed)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.package_id, "name": self.name, "title": self.title, "status": self.status,
            "differences": [dict(difference.as_dict(), label=field_label(difference.field))
                            for difference in self.differences],
            "compared_at": self.compared_at.isoformat() if self.compared_at else None,
            "remote_url": self.remote_url, "remote_id": self.remote_reference,
            "reason": localize.text(self.reason) if self.reason else None,
            "error": localize.text(self.error) if self.error else None,
            "stored_status": self.stored_status,
        }


def is_published(package: Optional[model.Package]) -> bool:
    """Active, public datasets are the published ones (the publish rule
    makes a dataset public only when it is approved)."""
    return (package is not None and package.type == "dataset" and package.state == "active"
            and not package.private)


def compare_dataset(package: model.Package, *, catalogs: Catalogs, target: Optional[PushTarget],
                    record: Optional[SyncRecord] = None) -> Result:
    """Compare one published dataset with its national copy and store the
    result in its sync record (flushed, not committed). ``record``: the
    dataset's sync record when the caller has read it already."""
    if record is None:
        record = model.Session.get(SyncRecord, package.id)
    base: dict[str, Any] = {"package_id": package.id, "name": package.name,
                            "title": package.title or package.name}
    stored = record.drift_status if record is not None else None
    try:
        copy = locate(package, record, target)
    except NotComparable as problem:
        if problem.error:
            return Result(**base, status=NOT_COMPARED, error=problem.message, stored_status=stored,
                          compared_at=record.compared_at if record is not None else None)
        return Result(**base, status=NOT_COMPARED, reason=problem.message)
    where: dict[str, Any] = {"remote_url": copy.remote_url, "remote_reference": copy.reference}
    down = catalogs.down(copy)
    if down is not None:
        return Result(**base, **where, status=NOT_COMPARED, error=down, stored_status=stored,
                      compared_at=record.compared_at if record is not None else None)
    try:
        remote = read_remote(copy, catalogs)
    except RemoteError as error:
        if error.kind in _CIRCUIT_BREAKERS:
            catalogs.mark_down(copy, error.message)
        log.warning("drift: %s could not be compared: %s", package.name, error.message)
        return Result(**base, **where, status=NOT_COMPARED, error=error.message, stored_status=stored,
                      compared_at=record.compared_at if record is not None else None)
    local = tk.get_action("package_show")(portal_context.site_context(), {"id": package.id})
    drift = national_portal.compare(local, remote)
    if record is None:
        record = _new_push_record(package.id, copy.remote_url)
    now = utcnow()
    record.compared_at, record.drift_status, record.drift = now, drift.status, drift.as_dict()
    model.Session.flush()
    return Result(**base, **where, status=drift.status, differences=drift.differences, compared_at=now,
                  changed=stored != drift.status)


def _new_push_record(package_id: str, remote_url: str) -> SyncRecord:
    """The sync record of a dataset this portal publishes to ``remote_url``
    and that has none yet: remote id unknown until the publisher pushes it.
    Inserted unless the publisher inserted one meanwhile."""
    model.Session.execute(insert(SyncRecord.__table__).values(
        package_id=package_id, direction=PUSH, remote_url=remote_url, resource_ids={}, set_aside={},
        notes=[], push_attempts=0, modified=utcnow()).on_conflict_do_nothing(index_elements=["package_id"]))
    return model.Session.get(SyncRecord, package_id)


# -- many datasets ------------------------------------------------------------------------

@dataclass
class Summary:
    """How a run went, by status; ``errors``: datasets not compared because
    of a remote's (or a harvest source's) failure."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    errors: int = 0

    def add(self, result: Result) -> None:
        self.counts[result.status] += 1
        if result.error is not None:
            self.errors += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def all_identical(self) -> bool:
        return self.counts[IDENTICAL] == self.total

    def exit_code(self) -> int:
        """0: every published dataset identical; 2: a remote failed; 1: some
        differ, are missing or have no national copy to compare with."""
        if self.errors:
            return 2
        return 0 if self.all_identical else 1

    def as_dict(self) -> dict[str, Any]:
        return {**self.counts, "total": self.total, "errors": self.errors}


def published_conditions(organization_id: Optional[str]) -> list[Any]:
    """The conditions of a published dataset (of one organization)."""
    conditions = [model.Package.type == "dataset", model.Package.state == "active",
                  model.Package.private.is_(False)]
    if organization_id:
        conditions.append(model.Package.owner_org == organization_id)
    return conditions


def published_query(organization_id: Optional[str]) -> Any:
    """The ids and names of the published datasets (of one organization)."""
    return model.Session.query(model.Package.id, model.Package.name).filter(*published_conditions(organization_id))


def count_published(organization_id: Optional[str]) -> int:
    return published_query(organization_id).count()


def published_pages(organization_id: Optional[str], page_size: int = PAGE_SIZE) -> Iterator[list[str]]:
    """The ids of the published datasets, a page at a time, in name order
    (keyset paging: a dataset added or removed meanwhile shifts nothing)."""
    after = ""
    while True:
        rows = published_query(organization_id).filter(model.Package.name > after).order_by(
            model.Package.name).limit(page_size).all()
        if not rows:
            return
        yield [row.id for row in rows]
        after = rows[-1].name


def compare_all(organization_id: Optional[str] = None, *, page_size: int = PAGE_SIZE) -> Iterator[Result]:
    """Compare every published dataset (of one organization) with its
    national copy, storing each result; committed after each page, and the
    datasets whose stored status changed re-indexed after the commit."""
    from ckanext.opendata_th.jobs.search_index import reindex

    target = push_target()
    with Catalogs() as catalogs:
        for ids in published_pages(organization_id, page_size):
            records = {record.package_id: record for record in model.Session.query(SyncRecord).filter(
                SyncRecord.package_id.in_(ids))}
            packages = {package.id: package for package in model.Session.query(model.Package).filter(
                model.Package.id.in_(ids))}
            results = []
            for package_id in ids:
                package = packages.get(package_id)
                if not is_published(package):
                    continue  # unpublished meanwhile
                results.append(compare_dataset(package, catalogs=catalogs, target=target,
                                               record=records.get(package_id)))
            model.Session.commit()
            for result in results:
                if result.changed:
                    reindex(result.package_id)
            yield from results
            # nothing of this page is referenced any more: the session's
            # identity map (weak references) lets its rows go


def compare_one(package_id: str) -> Result:
    """Compare one published dataset now and commit the result; the dataset
    is re-indexed when its stored status changed."""
    from ckanext.opendata_th.jobs.search_index import reindex

    package = model.Package.get(package_id)
    with Catalogs() as catalogs:
        result = compare_dataset(package, catalogs=catalogs, target=push_target())
    model.Session.commit()
    if result.changed:
        reindex(result.package_id)
    return result


def compare_organization_job(organization_id: str) -> dict[str, Any]:
    """Background job: compare every published dataset of an organization
    (queued by the "compare now" button for long lists)."""
    summary = Summary()
    for result in compare_all(organization_id):
        summary.add(result)
    log.info("drift of organization %s: %s", organization_id, summary.as_dict())
    return summary.as_dict()


def enqueue_organization(organization_id: str) -> None:
    """Queue :func:`compare_organization_job` (nothing to commit first: queuing
    writes nothing in the database)."""
    tk.enqueue_job(compare_organization_job, [organization_id],
                   title=f"opendata_th drift report {organization_id}")


# -- the stored results -------------------------------------------------------------------

def stored_results(organization_id: str, *, limit: int, offset: int) -> tuple[int, list[Result]]:
    """The stored comparison of each published dataset of an organization,
    ``limit`` from ``offset`` in name order (one query for the page)."""
    target = push_target()
    total = count_published(organization_id)
    rows = model.Session.query(model.Package, SyncRecord).outerjoin(
        SyncRecord, SyncRecord.package_id == model.Package.id).filter(
        *published_conditions(organization_id)).order_by(model.Package.name).limit(limit).offset(offset).all()
    return total, [_stored(package, record, target) for package, record in rows]


def _stored(package: model.Package, record: Optional[SyncRecord], target: Optional[PushTarget]) -> Result:
    base: dict[str, Any] = {"package_id": package.id, "name": package.name, "title": package.title or package.name}
    remote_url = reference = None
    reason = None
    if record is not None and record.direction == PULL:
        remote_url, reference = record.remote_url, record.remote_id
    elif target is not None:
        remote_url = target.url
        reference = (record.remote_id or record.remote_name) if record is not None and \
            record.remote_url.rstrip("/") == target.url else None
        reference = reference or package.name
    else:
        reason = NO_NATIONAL_CATALOG
    if record is None or record.drift_status is None:
        return Result(**base, status=NOT_COMPARED, remote_url=remote_url, remote_reference=reference,
                      reason=reason)
    drift = record.drift or {}
    differences = tuple(national_portal.Difference(item.get("field", ""), item.get("local"), item.get("remote"))
                        for item in drift.get("differences") or () if isinstance(item, dict))
    return Result(**base, status=record.drift_status, differences=differences,
                  compared_at=record.compared_at, remote_url=remote_url, remote_reference=reference)


# -- the fields' names for people -----------------------------------------------------------

_CORE_LABELS: dict[str, Message | Label] = {
    "author": Message(N_("Author")),
    "author_email": Message(N_("Author Email")),
    "version": Message(N_("Version")),
    "tags": FIELDS["dataset"]["tag_string"].label,
}
_RESOURCE_CORE_LABELS: dict[str, Message | Label] = {"hash": Message(N_("File hash (checksum)"))}


def field_label(path: str, lang: Optional[str] = None) -> str:
    """A compared field's name for people, in ``lang`` or the request's
    language: the schema's label ("ชื่อชุดข้อมูล"), "Resource 2: URL" for
    "resources[1].url", "Resource 2" for a resource only one side has."""
    label: Any
    if path.startswith("resources["):
        number_text, _, rest = path[len("resources["):].partition("]")
        number = int(number_text) + 1 if number_text.isdigit() else number_text
        name = rest.lstrip(".")
        if not name:
            label = Message(N_("Resource {number}"), number=number)
        else:
            part: Any = name
            if name in FIELDS["resource"]:
                part = FIELDS["resource"][name].label
            elif name in _RESOURCE_CORE_LABELS:
                part = _RESOURCE_CORE_LABELS[name]
            label = Message(N_("Resource {number}: {field}"), number=number, field=part)
    elif path in FIELDS["dataset"]:
        label = FIELDS["dataset"][path].label
    else:
        label = _CORE_LABELS.get(path, path)
    if isinstance(label, Label):
        return label.in_language(lang or localize.request_language())
    if isinstance(label, Message):
        return localize.text(label, lang)
    return str(label)


__all__ = [
    "Catalogs", "DIFFERENT", "IDENTICAL", "MISSING", "NOT_COMPARED", "NO_NATIONAL_CATALOG", "NotComparable",
    "PAGE_SIZE", "RemoteCopy", "Result", "STATUSES", "Summary", "compare_all", "compare_dataset",
    "compare_one", "compare_organization_job", "count_published", "published_conditions", "enqueue_organization", "field_label",
    "is_published", "locate", "published_pages", "read_remote", "stored_results",
]
