"""The ``datagoth`` harvester (plugin ``opendata_th_harvester``): pulls
datasets from data.go.th or a GD-Catalog agency catalog (CKAN with
ckanext-thai_gdc) into this portal, through ckanext-harvest's queues.

A sysadmin adds a harvest source of type "datagoth" with the remote URL and
a JSON configuration::

    {"api": "action",                 # or "gateway" (data.go.th's keyed API;
                                      #  the URL is then the gateway's, e.g.
                                      #  https://opend.data.go.th/get-ckan)
     "token_option": "ckanext.opendata_th.sync.token",
                                      # the NAME of a CKAN config option holding
                                      #  the token (never the token itself: the
                                      #  source configuration is public)
     "token_header": "api-key",       # the header the token goes in
     "organizations": ["trade-stat"], # remote organizations to follow; [] = all
     "organization_map": {"trade-stat": "trade-institute"}}
                                      # remote -> local organization; unmapped:
                                      #  the local one of the same name, else
                                      #  the source's organization

Gather
------
1. A cheap listing of every remote dataset of the followed organizations
   (``package_search`` with ``fl=id,name,metadata_modified``, 1,000 a page,
   sorted by id, read to the end the remote's ``count`` gives). It serves
   twice: a dataset that is new here, changed since its last import (its
   ``metadata_modified`` is newer than the sync record's) or listed again
   after a withdrawal needs importing; a local dataset of this source that
   is missing from it may have been withdrawn. A re-run with no remote
   change stops here: one request per 1,000 datasets, no harvest object.
2. Only when something needs importing, the changed datasets themselves:
   ``package_search`` with ``fq=metadata_modified:[<since> TO *]``, sorted
   "metadata_modified asc, id asc", 1,000 a page, until every dataset that
   needs importing was seen or the results end. ``<since>`` is the
   oldest ``metadata_modified`` among them (from the listing); without one
   the source's watermark minus :data:`OVERLAP`; without a watermark
   everything. Each dataset's dict is its harvest object's content, so the
   fetch stage costs nothing. One that the window did not return (changed
   again meanwhile) gets an object without content: the fetch stage reads
   it with ``package_show``.
3. Withdrawals: every local dataset of this source (not withdrawn yet) that
   the complete listing did not name gets an object marked with the extra
   ``status`` = "withdraw" (as ckanext-harvest's harvesters mark deletions
   with a HarvestObjectExtra). The fetch stage asks the remote for it
   first: "not found" (or ``state`` deleted) is a deletion, ``private`` a
   privatisation, "not authorized" either of them (CKAN refuses deleted
   and private datasets alike to a caller who may not see them), another
   organization an unfollowing; a dataset that is still there, public and
   followed is left alone (a page of the listing may shift while the
   remote changes), so a listing can never withdraw by mistake.

Any page that fails (after the client's retries, see remote.py) fails the
whole gather with a plain error and no harvest object: nothing here
changes, and the next run starts again from the same point. Several
followed organizations are queried one by one (``organization:<name>``),
which every CKAN search (Solr or this portal's PostgreSQL backend) reads
the same way.

Watermark
---------
``SyncSource.watermark`` is the newest remote ``metadata_modified`` of the
changes imported with nothing left behind. It advances when the next job
starts, to the newest ``metadata_modified`` its previous job gathered (kept
on its harvest objects, ``metadata_modified_date``), and only when that job
finished with no gather error and every object complete. Judging the
previous job then, not the current one at its end, is what ckanext-harvest
allows: a job is "Finished" only later, by ``harvest_jobs_run``, after its
last object.

A failed object is gathered again next run whatever the watermark: it
wrote nothing, so its sync record still has the old ``metadata_modified``
and the listing finds it changed; the window starts at the oldest such
change. The watermark is the fallback lower bound when a remote's listing
gives no ``metadata_modified``, and tells an administrator how far the
source's changes have been imported.

Time limit
----------
ckanext-harvest's ``harvest_jobs_run`` marks a job finished, with an error,
when nothing happened in it for ``ckan.harvest.timeout`` minutes; it has no
default (a stuck job would run forever). This plugin's
``IConfigurer.update_config`` sets it from
``ckanext.opendata_th.harvest.time_limit`` (120 minutes) when the sysadmin
did not set it.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.opendata_th import localize
from ckanext.opendata_th.harvesters import options, pull
from ckanext.opendata_th.harvesters.remote import (
    ACTION,
    API_STYLES,
    GATEWAY,
    NOT_FOUND,
    REFUSED,
    RemoteCatalog,
    RemoteError,
)
from ckanext.opendata_th.model.sync import PULL, SyncRecord
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.playbook.messages import N_, Message, MessageError

log = logging.getLogger(__name__)

SOURCE_TYPE = "datagoth"
PAGE_SIZE = 1000
"""Rows a page: CKAN's largest (``ckan.search.rows_max``)."""
OVERLAP = dt.timedelta(minutes=10)
"""How far before the watermark a changes query starts when it has to use
the watermark: remote clocks and commits that finish out of order."""
LISTING_FIELDS = "id,name,metadata_modified"

TIME_LIMIT_OPTION = "ckanext.opendata_th.harvest.time_limit"
DEFAULT_TIME_LIMIT = 120

TOKEN_OPTION_PREFIX = "ckanext.opendata_th.sync."
"""A source's ``token_option`` must name an option under this prefix whose
name ends with "token": the source configuration is editable by harvest
source managers, and must not send any other secret of the portal's
configuration to the remote."""

STATUS = "status"
NEW, CHANGE, WITHDRAW = "new", "change", "withdraw"
"""Values of a harvest object's ``status`` extra."""

_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
_FORBIDDEN_HEADERS = frozenset({"host", "content-length", "content-type", "transfer-encoding",
                                "connection", "cookie", "user-agent"})
_TOKEN_KEYS = frozenset({"token", "api_key", "apikey", "api-key", "key", "authorization",
                         "secret", "password"})
_KEYS = ("api", "token_option", "token_header", "organizations", "organization_map")


# -- the source configuration ------------------------------------------------------------

@dataclass(frozen=True)
class SourceConfig:
    """A ``datagoth`` source's configuration, checked."""

    api: str = ACTION
    token_option: Optional[str] = None
    token_header: str = "api-key"
    organizations: tuple[str, ...] = ()
    organization_map: Mapping[str, str] = field(default_factory=dict)

    def token(self) -> Optional[str]:
        """The token, from the config option the source names."""
        if not self.token_option:
            return None
        value = tk.config.get(self.token_option)
        return str(value).strip() or None if value else None


class ConfigError(MessageError):
    """A source configuration with mistakes: every one at once."""

    def __init__(self, problems: list[Message]) -> None:
        self.problems = problems
        if len(problems) == 1:
            message = problems[0]
        else:
            message = Message(N_("Please correct these errors: {errors}"), errors=tuple(problems))
        super().__init__(message)


def parse_config(text: Optional[str], *, check_local: bool = True) -> SourceConfig:
    """The checked configuration of a source (JSON text; empty: the
    defaults); raises :class:`ConfigError` listing every mistake.
    ``check_local``: also check that the local organizations named exist."""
    if not text or not str(text).strip():
        return SourceConfig()
    try:
        raw = json.loads(text)
    except ValueError:
        raise ConfigError([Message(N_("The configuration is not valid JSON"))]) from None
    if not isinstance(raw, dict):
        raise ConfigError([Message(N_("The configuration must be a JSON object, e.g. {example}"),
                                   example='{"api": "action"}')])
    problems: list[Message] = []
    for key in raw:
        if str(key).strip().lower() in _TOKEN_KEYS:
            problems.append(Message(N_(
                "Do not put a token in the configuration (“{key}”): it is shown publicly. Put the token "
                "in the portal's configuration file, e.g. {option} = ..., and give that option's name "
                "here as token_option"), key=key, option=TOKEN_OPTION_PREFIX + "token"))
        elif key not in _KEYS:
            problems.append(Message(N_("Unknown configuration key “{key}”; the keys are: {keys}"),
                                    key=key, keys=", ".join(_KEYS)))
    api = raw.get("api", ACTION)
    if api not in API_STYLES:
        problems.append(Message(N_("api must be “{action}” (CKAN's action API) or “{gateway}” "
                                   "(the keyed gateway), not “{value}”"),
                                action=ACTION, gateway=GATEWAY, value=api))
    token_option = raw.get("token_option")
    if token_option is not None:
        if not isinstance(token_option, str) or not _token_option_allowed(token_option):
            problems.append(Message(N_(
                "token_option is the name of a config option that holds the token, starting with "
                "“{prefix}” and ending with “token” (e.g. {example}), not “{value}”"),
                prefix=TOKEN_OPTION_PREFIX, example=TOKEN_OPTION_PREFIX + "token", value=token_option))
        elif not tk.config.get(token_option):
            problems.append(Message(N_("The config option {option} that token_option names is not set"),
                                    option=token_option))
    token_header = raw.get("token_header", "api-key")
    if not isinstance(token_header, str) or not _HEADER.match(token_header) \
            or token_header.lower() in _FORBIDDEN_HEADERS:
        problems.append(Message(N_("token_header must be the name of an HTTP header, e.g. {example}"),
                                example="api-key"))
    organizations = raw.get("organizations", [])
    if not isinstance(organizations, list) or not all(
            isinstance(name, str) and _NAME.match(name) for name in organizations):
        problems.append(Message(N_(
            "organizations must be a list of remote organization names (lowercase letters, digits, - "
            "and _), e.g. {example}"), example='["trade-stat"]'))
        organizations = []
    organization_map = raw.get("organization_map", {})
    if not isinstance(organization_map, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _NAME.match(k) and _NAME.match(v)
            for k, v in organization_map.items()):
        problems.append(Message(N_(
            "organization_map must map remote organization names to names of organizations of this "
            "portal, e.g. {example}"), example='{"trade-stat": "trade-institute"}'))
        organization_map = {}
    elif check_local:
        for remote_name, local_name in organization_map.items():
            if pull.organization_id(local_name) is None:
                problems.append(Message(N_(
                    "organization_map: “{local}” (for “{remote}”) is not an organization of this portal"),
                    local=local_name, remote=remote_name))
    if problems:
        raise ConfigError(problems)
    return SourceConfig(api=api, token_option=token_option, token_header=token_header,
                        organizations=tuple(organizations), organization_map=dict(organization_map))


def _token_option_allowed(name: str) -> bool:
    return (name.startswith(TOKEN_OPTION_PREFIX) and name.endswith("token")
            and len(name) > len(TOKEN_OPTION_PREFIX) and bool(re.match(r"^[a-z0-9_.]+$", name)))


def catalog_for(url: str, config: SourceConfig) -> RemoteCatalog:
    """The remote catalog of a source, with the portal's timeouts and retries."""
    return RemoteCatalog(url, api=config.api, token=config.token(), token_header=config.token_header,
                         **options.patience())


def time_limit() -> int:
    """``ckanext.opendata_th.harvest.time_limit`` in minutes (at least 1)."""
    try:
        return max(1, int(tk.config.get(TIME_LIMIT_OPTION, DEFAULT_TIME_LIMIT)))
    except (TypeError, ValueError):
        return DEFAULT_TIME_LIMIT


def _label(msgid: str) -> str:
    """A catalog text for ckanext-harvest's pages, in the request's language."""
    return localize.gettext(msgid) if p.plugin_loaded("opendata_th") else msgid


# -- gathering ---------------------------------------------------------------------------

class Change(NamedTuple):
    """A remote dataset to import."""

    remote_id: str
    dataset: Optional[dict[str, Any]]
    """Its dict from the changes query; None: the fetch stage reads it."""
    modified: Optional[dt.datetime]
    """Its remote ``metadata_modified`` (for the watermark)."""
    new: bool
    """Whether this portal has no copy of it yet."""


@dataclass(frozen=True)
class Plan:
    """What a gather found to do."""

    changes: list[Change]
    """In the order to import: oldest change first."""
    withdrawals: list[SyncRecord]
    """The sync records of local copies the listing did not name."""


def _filters(config: SourceConfig) -> list[str]:
    """One ``fq`` clause per followed organization, or one empty (all)."""
    return [f"organization:{name}" for name in config.organizations] or [""]


def _pages(catalog: RemoteCatalog, *, fq: str, sort: str, fl: Optional[str] = None
           ) -> Iterator[list[dict[str, Any]]]:
    """Every page of a search. The remote's ``count`` says when to stop (a
    remote whose pages are smaller than asked is read to the end); without
    one, a short page ends it."""
    start = 0
    while True:
        page = catalog.search(fq=fq, sort=sort, rows=PAGE_SIZE, start=start, fl=fl, include_private=True)
        results = page["results"]
        yield results
        start += len(results)
        count = page.get("count")
        if not results:
            return
        if isinstance(count, int):
            if start >= count:
                return
        elif len(results) < PAGE_SIZE:
            return


def _listing(catalog: RemoteCatalog, config: SourceConfig) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for fq in _filters(config):
        for page in _pages(catalog, fq=fq, sort="id asc", fl=LISTING_FIELDS):
            for row in page:
                if isinstance(row.get("id"), str) and row["id"]:
                    listed[row["id"]] = row
    return listed


def _solr_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan(catalog: RemoteCatalog, config: SourceConfig, *, remote_url: str, source_id: str) -> Plan:
    """Ask the remote what changed and what went away (see the module's
    description); raises :class:`RemoteError` when any page fails."""
    listed = _listing(catalog, config)
    records = pull.records_by_remote_id(remote_url, listed)
    needed: dict[str, Optional[dt.datetime]] = {}
    for remote_id, row in listed.items():
        if remote_id in records and records[remote_id].direction != PULL:
            continue  # this portal's own dataset, pushed there: never harvested back
        modified = national_portal.remote_time(row.get("metadata_modified"))
        if pull.needs_import(records.get(remote_id), modified):
            needed[remote_id] = modified
    contents: dict[str, dict[str, Any]] = {}
    if needed:
        full = {i: listed[i] for i in needed if "resources" in listed[i]}  # the remote ignored fl
        contents.update(full)
        missing = set(needed) - set(contents)
        if missing:
            contents.update(_changed(catalog, config, {i: needed[i] for i in missing}, source_id))
    changes = []
    for remote_id, modified in needed.items():
        dataset = contents.get(remote_id)
        if dataset is not None:
            modified = national_portal.remote_time(dataset.get("metadata_modified")) or modified
        changes.append(Change(remote_id, dataset, modified, remote_id not in records))
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    changes.sort(key=lambda change: (change.modified or oldest, change.remote_id))
    withdrawals = [record for record in pull.active_records(source_id)
                   if record.remote_url == remote_url and record.remote_id not in listed]
    return Plan(changes=changes, withdrawals=withdrawals)


def _changed(catalog: RemoteCatalog, config: SourceConfig, needed: Mapping[str, Optional[dt.datetime]],
             source_id: str) -> dict[str, dict[str, Any]]:
    """The dicts of the datasets that need importing, from the changes
    window (the oldest change they need, else the watermark minus the
    overlap, else everything)."""
    times = [moment for moment in needed.values() if moment is not None]
    if len(times) == len(needed) and times:
        since: Optional[dt.datetime] = min(times) - dt.timedelta(seconds=1)
    else:
        mark = pull.watermark(source_id)
        since = mark - OVERLAP if mark is not None else None
    window = f"metadata_modified:[{_solr_time(since)} TO *]" if since is not None else ""
    found: dict[str, dict[str, Any]] = {}
    for organization in _filters(config):
        fq = " ".join(clause for clause in (window, organization) if clause)
        for page in _pages(catalog, fq=fq, sort="metadata_modified asc, id asc"):
            for dataset in page:
                if dataset.get("id") in needed:
                    found[dataset["id"]] = dataset
            if len(found) == len(needed):
                return found
    return found


class DataGoThHarvester(HarvesterBase):
    """Harvests data.go.th and GD-Catalog (thai_gdc) catalogs: see the module."""

    p.implements(p.IConfigurer, inherit=True)

    # IConfigurer: a time limit for every harvest job
    def update_config(self, config_: Any) -> None:
        if not config_.get("ckan.harvest.timeout"):
            config_["ckan.harvest.timeout"] = str(time_limit())

    # IHarvester
    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": _label(N_("data.go.th / GD-Catalog (thai_gdc)")),
            "description": _label(N_(
                "Datasets of data.go.th or of an agency's GD-Catalog, kept identical here: changes, "
                "deletions and privatisations follow; published datasets arrive published")),
            "form_config_interface": "Text",
        }

    def validate_config(self, config: Optional[str]) -> Optional[str]:
        try:
            parse_config(config)
        except ConfigError as error:
            raise ValueError(localize.text(error.message)) from None
        return config

    def get_original_url(self, harvest_object_id: str) -> Optional[str]:
        from ckanext.harvest.model import HarvestObject

        found = HarvestObject.get(harvest_object_id)
        if found is None or found.source is None:
            return None
        try:
            config = parse_config(found.source.config, check_local=False)
        except ConfigError:
            return None
        if config.api != ACTION:
            return None  # the gateway has no web pages
        return f"{found.source.url.rstrip('/')}/dataset/{found.guid}"

    def gather_stage(self, harvest_job: Any) -> Optional[list[str]]:
        from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

        source = harvest_job.source
        remote_url = source.url.rstrip("/")
        try:
            config = parse_config(source.config, check_local=False)
        except ConfigError as error:
            self._save_gather_error(localize.text(Message(
                N_("The source's configuration is wrong: {problem}"), problem=error.message)), harvest_job)
            return None
        if config.token_option and not config.token():
            self._save_gather_error(localize.text(Message(
                N_("The config option {option} that token_option names is not set"),
                option=config.token_option)), harvest_job)
            return None
        pull.advance_watermark(source.id, harvest_job.id)
        try:
            with catalog_for(remote_url, config) as catalog:
                found = plan(catalog, config, remote_url=remote_url, source_id=source.id)
        except RemoteError as error:
            self._save_gather_error(localize.text(Message(
                N_("The remote catalog could not be read, so nothing was changed here; the next run "
                   "tries again: {problem}"), problem=error.message)), harvest_job)
            return None
        objects = []
        for change in found.changes:
            objects.append(HarvestObject(
                id=str(uuid.uuid4()), guid=change.remote_id, job=harvest_job, harvest_source_id=source.id,
                content=json.dumps(change.dataset, ensure_ascii=False) if change.dataset is not None else None,
                metadata_modified_date=change.modified.astimezone(dt.timezone.utc).replace(tzinfo=None)
                if change.modified else None,
                extras=[HarvestObjectExtra(key=STATUS, value=NEW if change.new else CHANGE)]))
        for record in found.withdrawals:
            objects.append(HarvestObject(
                id=str(uuid.uuid4()), guid=record.remote_id, job=harvest_job, harvest_source_id=source.id,
                package_id=record.package_id,
                content=json.dumps({"id": record.remote_id, "name": record.remote_name}, ensure_ascii=False),
                extras=[HarvestObjectExtra(key=STATUS, value=WITHDRAW)]))
        ids = [o.id for o in objects]  # read before the commit expires them
        model.Session.add_all(objects)
        model.Session.commit()
        log.info("datagoth %s: %d to import, %d to check for withdrawal", remote_url,
                 len(found.changes), len(found.withdrawals))
        return ids

    # -- fetch -------------------------------------------------------------------------

    def fetch_stage(self, harvest_object: Any) -> Any:
        status = _status(harvest_object)
        if status != WITHDRAW and harvest_object.content:
            return True  # the gather's search brought the dataset
        source = harvest_object.source or harvest_object.job.source
        remote_url = source.url.rstrip("/")
        try:
            config = parse_config(source.config, check_local=False)
        except ConfigError as error:
            return self._fail(harvest_object, error.message, "Fetch")
        try:
            with catalog_for(remote_url, config) as catalog:
                if status == WITHDRAW:
                    verdict = _withdrawal_verdict(catalog, config, harvest_object.guid)
                    if verdict is None:
                        return "unchanged"  # still there and public: nothing to withdraw
                    content = json.loads(harvest_object.content or "{}")
                    content["withdraw"] = verdict
                else:
                    try:
                        content = catalog.show(harvest_object.guid)
                    except RemoteError as error:
                        if error.kind != NOT_FOUND:
                            raise
                        return "unchanged"  # gone since the gather: the next listing withdraws it
        except RemoteError as error:
            return self._fail(harvest_object, Message(
                N_("The remote dataset {id} could not be read; nothing was changed here: {problem}"),
                id=harvest_object.guid, problem=error.message), "Fetch")
        harvest_object.content = json.dumps(content, ensure_ascii=False)
        harvest_object.save()
        return True

    # -- import ------------------------------------------------------------------------

    def import_stage(self, harvest_object: Any) -> Any:
        if not harvest_object.content:
            return self._fail(harvest_object, Message(N_("The harvest object has no content")), "Import")
        source = harvest_object.source or harvest_object.job.source
        remote_url = source.url.rstrip("/")
        try:
            content = json.loads(harvest_object.content)
        except ValueError:
            return self._fail(harvest_object, Message(N_("The harvest object's content is not JSON")),
                              "Import")
        dataset_label = _dataset_label(content, harvest_object.guid)
        try:
            if _status(harvest_object) == WITHDRAW:
                outcome = pull.withdraw(remote_url=remote_url, remote_id=harvest_object.guid,
                                        verdict=content.get("withdraw") or pull.DELETED)
            else:
                config = parse_config(source.config, check_local=False)
                organization_id = pull.local_organization(content, config.organization_map,
                                                          _source_organization(source.id))
                outcome = pull.import_dataset(content, remote_url=remote_url, source_id=source.id,
                                              organization_id=organization_id,
                                              user_name=self._get_user_name())
        except (MessageError, national_portal.ImportRefused) as error:
            model.Session.rollback()
            return self._fail(harvest_object, Message(N_("{dataset}: {problem}"), dataset=dataset_label,
                                                      problem=error.message), "Import")
        except Exception as error:  # noqa: BLE001 - reported plainly, never as a traceback
            log.exception("datagoth import of %s failed", harvest_object.guid)
            model.Session.rollback()
            return self._fail(harvest_object, Message(
                N_("{dataset}: the import failed unexpectedly ({error}); nothing was changed here"),
                dataset=dataset_label, error=type(error).__name__), "Import")
        if outcome.package_id is not None:
            self._link(harvest_object, outcome)
        if outcome.withheld is not None:
            # on the job's page: which dataset is kept private, and why
            self._save_object_error(localize.text(Message(
                N_("{dataset} is kept private (withheld): {reason}"), dataset=dataset_label,
                reason=outcome.withheld)), harvest_object, "Import")
        model.Session.commit()
        return "unchanged" if outcome.status == pull.UNCHANGED else True

    def _link(self, harvest_object: Any, outcome: pull.Outcome) -> None:
        """Make this object the dataset's current one (ckanext-harvest's
        report counts it added, updated or, for a withdrawal, deleted)."""
        from ckanext.harvest.model import HarvestObject

        model.Session.query(HarvestObject).filter(
            HarvestObject.package_id == outcome.package_id, HarvestObject.id != harvest_object.id,
            HarvestObject.current.is_(True)).update({"current": False}, synchronize_session=False)
        harvest_object.package_id = outcome.package_id
        harvest_object.current = outcome.status != pull.WITHDRAWN

    def _fail(self, harvest_object: Any, message: Message, stage: str) -> bool:
        self._save_object_error(localize.text(message), harvest_object, stage)
        return False


def _status(harvest_object: Any) -> Optional[str]:
    for extra in harvest_object.extras or ():
        if extra.key == STATUS:
            return extra.value
    return None


def _dataset_label(content: Mapping[str, Any], guid: str) -> str:
    title = content.get("title")
    name = content.get("name") or guid
    return f"“{title}” ({name})" if isinstance(title, str) and title.strip() else f"“{name}”"


def _source_organization(source_id: str) -> Optional[str]:
    package = model.Package.get(source_id)
    return package.owner_org if package is not None else None


def _withdrawal_verdict(catalog: RemoteCatalog, config: SourceConfig, remote_id: str) -> Optional[str]:
    """Why the remote dataset missing from the listing is to be withdrawn
    (pull.DELETED, MADE_PRIVATE, NOT_PUBLIC, UNFOLLOWED), or None when it is still there,
    public and followed. Raises :class:`RemoteError` when the remote cannot
    say (then nothing is withdrawn)."""
    try:
        dataset = catalog.show(remote_id)
    except RemoteError as error:
        if error.kind == NOT_FOUND:
            return pull.DELETED
        if error.kind != REFUSED:
            raise
        # "not authorized" for this dataset only, or is the token refused altogether?
        catalog.search(rows=0)
        return pull.NOT_PUBLIC  # CKAN refuses deleted and private datasets alike
    if dataset.get("state") == "deleted":
        return pull.DELETED
    if dataset.get("private") is True or str(dataset.get("private")).lower() == "true":
        return pull.MADE_PRIVATE
    organization = dataset.get("organization")
    name = organization.get("name") if isinstance(organization, Mapping) else None
    if config.organizations and name not in config.organizations:
        return pull.UNFOLLOWED
    return None
