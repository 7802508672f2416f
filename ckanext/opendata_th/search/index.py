"""Keeps the PostgreSQL search table in step with datasets.

Replaces CKAN's Solr ``PackageSearchIndex``: the same document is built
(validated and raw dataset dicts, flattened extras, tags, groups,
organization, resource fields, normalised dates, permission labels, and
whatever plugins add in ``before_dataset_index``) and stored in one row.
Writes go through their own connection and commit at once, as a Solr
update does, so an index write never depends on the caller's transaction.
"""
from __future__ import annotations

import collections
import hashlib
import json
import logging
import multiprocessing.util
import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Optional

import sqlalchemy as sa
from dateutil.parser import ParserError, parse as parse_date

import ckan.lib.navl.dictization_functions as df
import ckan.lib.plugins as lib_plugins
import ckan.logic as logic
import ckan.logic.validators as ckan_validators
import ckan.model as model
import ckan.plugins as p
from ckan.common import aslist, config
from ckan.lib.search.common import SearchIndexError
from ckan.lib.search.index import KEY_CHARS, RESERVED_FIELDS, PackageSearchIndex

from . import document, facet_counts, schema
from .backend import SolrWhenInactive

log = logging.getLogger(__name__)

_RESOURCE_FIELDS = (("name", "res_name"), ("description", "res_description"),
                    ("format", "res_format"), ("url", "res_url"),
                    ("resource_type", "res_type"))

_COLUMNS = ("index_id", "id", "name", "site_id", "state", "capacity", "dataset_type",
            "organization", "owner_org", "permission_labels", "title_string",
            "metadata_modified", "metadata_created", "lex", "fields", "search_vector",
            "data_dict", "validated_data_dict")
# One statement stores a whole batch of documents, their narrow searched
# rows and what is read back apart: the rows travel as one JSON array (one
# round trip instead of one per document).
_UPSERT = sa.text(f"""
    WITH r AS (
        SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
            index_id text, id text, name text, site_id text, state text, capacity text,
            dataset_type text, organization text, owner_org text,
            permission_labels jsonb, title_string text, metadata_modified timestamptz,
            metadata_created timestamptz, lex text, fields text, search_vector text,
            data_dict text, validated_data_dict text)
    ), doc AS (
        INSERT INTO {schema.TABLE} (index_id, id, name, site_id, state, capacity,
            dataset_type, organization, owner_org, permission_labels, title_string,
            metadata_modified, metadata_created, indexed_ts, search_vector)
        SELECT r.index_id, r.id, r.name, r.site_id, r.state, r.capacity, r.dataset_type,
            r.organization, r.owner_org,
            ARRAY(SELECT jsonb_array_elements_text(r.permission_labels)), r.title_string,
            r.metadata_modified, r.metadata_created, now(),
            CAST(r.search_vector AS tsvector)
        FROM r
        ON CONFLICT (index_id) DO UPDATE SET
            id = EXCLUDED.id, name = EXCLUDED.name, site_id = EXCLUDED.site_id,
            state = EXCLUDED.state, capacity = EXCLUDED.capacity,
            dataset_type = EXCLUDED.dataset_type, organization = EXCLUDED.organization,
            owner_org = EXCLUDED.owner_org,
            permission_labels = EXCLUDED.permission_labels,
            title_string = EXCLUDED.title_string,
            metadata_modified = EXCLUDED.metadata_modified,
            metadata_created = EXCLUDED.metadata_created, indexed_ts = now(),
            search_vector = EXCLUDED.search_vector
        RETURNING index_id, doc_no
    ), stored AS (
        INSERT INTO {schema.STORED} (doc_no, lex, fields, data_dict, validated_data_dict)
        SELECT doc.doc_no, CAST(r.lex AS jsonb), CAST(r.fields AS jsonb), r.data_dict,
            r.validated_data_dict
        FROM r JOIN doc USING (index_id)
        ON CONFLICT (doc_no) DO UPDATE SET
            lex = EXCLUDED.lex, fields = EXCLUDED.fields, data_dict = EXCLUDED.data_dict,
            validated_data_dict = EXCLUDED.validated_data_dict
    )
    SELECT index_id, doc_no FROM doc
""")
_LOCK = sa.text(f"SELECT 1 FROM {schema.TABLE} WHERE index_id = ANY(CAST(:index_ids AS text[])) "
                "ORDER BY index_id FOR UPDATE")
COUNTED_FACETS_OPTION = "ckanext.opendata_th.search.counted_facets"
_CLEAR_TERMS = sa.text(
    f"DELETE FROM {schema.TERMS} WHERE doc_no = ANY(CAST(:doc_nos AS bigint[]))")
_INSERT_TERMS = sa.text(f"""
    INSERT INTO {schema.TERMS} (doc_no, field, value)
    SELECT d, f, v FROM unnest(CAST(:term_docs AS bigint[]), CAST(:term_fields AS text[]),
                               CAST(:term_values AS text[])) AS t(d, f, v)
""")
# documents stored at a time by a rebuild (defer_commit)
BATCH_SIZE = 500

# -- one document per dataset version and transaction ----------------------------------
# At commit CKAN notifies a new dataset twice: as new, and again as changed
# through its new resources, extras and tags (ckan/model/modification.py),
# and each notification reads the dataset and indexes it. The second one
# reads the very same dict (nothing is written in between), so the document
# it would build is the one just stored: it is skipped. Only an identical
# dict is skipped (its fingerprint is compared), within the transaction that
# stored it; removing a document forgets it.
_INDEXED = "opendata_th_search_indexed"


def _fingerprint(pkg_dict: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(pkg_dict, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()


def _stored_in_this_transaction(pkg_dict: dict[str, Any]) -> bool:
    """Whether this very dict was indexed in the current transaction; if
    not, remember that it is about to be."""
    memo = model.Session.info.setdefault(_INDEXED, {})
    fingerprint = _fingerprint(pkg_dict)
    if memo.get(pkg_dict.get("id")) == fingerprint:
        return True
    memo[pkg_dict.get("id")] = fingerprint
    return False


def _forget_indexed(package_id: Optional[str] = None) -> None:
    memo = model.Session.info.get(_INDEXED)
    if memo is not None:
        if package_id is None:
            memo.clear()
        else:
            memo.pop(package_id, None)


@sa.event.listens_for(model.Session, "after_transaction_end")
def _end_of_transaction(session: Any, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_INDEXED, None)



def _with_table(work) -> None:
    """Run ``work(connection)`` in one committed transaction of its own
    (an index write never depends on the caller's transaction)."""
    try:
        schema.run(model.meta.engine, work)
    except sa.exc.ProgrammingError as error:
        raise SearchIndexError(f"PostgreSQL search index: {error.orig}")


def store(rows: list[dict[str, Any]]) -> None:
    """Insert or replace search documents, their exact-value terms and
    their part of the listings' facet counts, in one transaction of a few
    statements whatever the number of documents."""
    # a document given twice in one batch: its last version wins
    latest = list({row["index_id"]: row for row in rows}.values())
    if not latest:
        return
    batch = json.dumps([{column: row[column] for column in _COLUMNS} for row in latest],
                       ensure_ascii=False, default=str)
    index_ids = sorted(row["index_id"] for row in latest)
    counted = counted_facet_fields()

    def work(connection) -> None:
        # the stored versions stay locked until the counts are changed, so no
        # other writer changes them between the two readings of the counts
        connection.execute(_LOCK, {"index_ids": index_ids})
        before = facet_counts.contributions(
            connection, "d.index_id = ANY(CAST(:index_ids AS text[]))",
            {"index_ids": index_ids}, counted)
        doc_nos = dict(connection.execute(_UPSERT, {"rows": batch}).fetchall())
        connection.execute(_CLEAR_TERMS, {"doc_nos": list(doc_nos.values())})
        term_docs: list[int] = []
        term_fields: list[str] = []
        term_values: list[str] = []
        for row in latest:
            term_docs.extend([doc_nos[row["index_id"]]] * len(row["term_fields"]))
            term_fields.extend(row["term_fields"])
            term_values.extend(row["term_values"])
        if term_docs:
            connection.execute(_INSERT_TERMS, {"term_docs": term_docs,
                                               "term_fields": term_fields,
                                               "term_values": term_values})
        after = facet_counts.contributions(
            connection, "d.doc_no = ANY(CAST(:doc_nos AS bigint[]))",
            {"doc_nos": list(doc_nos.values())}, counted)
        facet_counts.apply(connection, facet_counts.difference(after, before))
    _with_table(work)


def delete_documents(condition: str, params: dict[str, Any]) -> None:
    """Remove the documents meeting ``condition`` (SQL over ``d``, the
    document table) and their part of the facet counts."""
    counted = counted_facet_fields()

    def work(connection) -> None:
        doc_nos = [row.doc_no for row in connection.execute(sa.text(
            f"SELECT doc_no FROM {schema.TABLE} d WHERE {condition} "
            "ORDER BY index_id FOR UPDATE"), params)]
        if not doc_nos:
            return
        gone = facet_counts.contributions(
            connection, "d.doc_no = ANY(CAST(:doc_nos AS bigint[]))",
            {"doc_nos": doc_nos}, counted)
        connection.execute(sa.text(
            f"DELETE FROM {schema.TABLE} WHERE doc_no = ANY(CAST(:doc_nos AS bigint[]))"),
            {"doc_nos": doc_nos})
        facet_counts.apply(connection, facet_counts.difference(collections.Counter(), gone))
    _with_table(work)


def counted_facet_fields() -> list[str]:
    """The fields whose counts over whole listings are kept ahead: CKAN's
    ``search.facets`` and ``ckanext.opendata_th.search.counted_facets``."""
    names = (aslist(config.get("search.facets"))
             + aslist(config.get(COUNTED_FACETS_OPTION)))
    return sorted(set(names))


def recount_facets() -> None:
    """Count the site's listings again from the term table (after a
    rebuild: the counts then no longer depend on every write before)."""
    _with_table(lambda connection: facet_counts.recount(
        connection, config.get("ckan.site_id"), counted_facet_fields()))


class _BatchWriter:
    """Builds the rows of a rebuild's documents and stores them in a thread
    of its own, one batch at a time, while the caller goes on reading the
    next datasets: PostgreSQL stores a batch (and the row builder segments
    Thai text) while the rebuild waits on its own queries.

    At most one batch is in flight. An error of a batch is raised by the
    next call (``submit``, ``wait``), naming the dataset it concerns."""

    def __init__(self) -> None:
        self._executor: Optional[ThreadPoolExecutor] = None
        self._in_flight: Optional[Future] = None

    def submit(self, docs: list[dict[str, Any]]) -> None:
        try:
            self.wait()
        finally:  # these documents go on even if the previous batch failed
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="opendata-th-search-index")
            self._in_flight = self._executor.submit(_build_and_store, docs)

    def wait(self) -> None:
        """Until the batch in flight is stored; raises its error."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            in_flight.result()


def _build_and_store(docs: list[dict[str, Any]]) -> None:
    rows, failed = [], []
    for doc in docs:
        try:
            rows.append(document.build_row(doc))
        except Exception as error:  # stored without it, then reported
            failed.append((doc.get("name") or doc.get("id"), error))
    store(rows)
    if failed:
        name, error = failed[0]
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        raise SearchIndexError(
            f"Dataset {name} could not be indexed{more}: {error!r}") from error


class PostgresPackageSearchIndex(SolrWhenInactive, PackageSearchIndex):
    """Stores dataset search documents in PostgreSQL instead of Solr.

    While the plugin is not loaded, making one gives CKAN's Solr index.
    """

    solr_class = PackageSearchIndex

    # documents waiting for commit() when indexing with defer_commit
    # (rebuilds), handed to the writer BATCH_SIZE at a time; whatever is
    # left when the process ends is stored then (see _store_deferred_at_exit)
    _pending: list[dict[str, Any]] = []
    _writer = _BatchWriter()

    def index_package(self, pkg_dict: Optional[dict[str, Any]],
                      defer_commit: bool = False) -> None:
        if pkg_dict is None:
            return
        if not defer_commit and _stored_in_this_transaction(pkg_dict):
            return
        doc = build_document(pkg_dict)
        if doc is None:
            return self.delete_package(pkg_dict)
        cls = PostgresPackageSearchIndex
        if defer_commit:
            _store_deferred_at_exit()
            cls._pending.append(doc)
            if len(cls._pending) >= BATCH_SIZE:
                docs, cls._pending = cls._pending, []
                cls._writer.submit(docs)
            return
        store([document.build_row(doc)])
        log.debug("Indexed %s", doc.get("name"))

    def commit(self) -> None:
        """Store documents deferred by a rebuild, recount the listings'
        facets, then VACUUM ANALYZE the tables: a bulk load leaves the
        planner's statistics stale and every row to be visited again before
        index-only scans can be used.

        The tables are made ready even when this process deferred nothing:
        CKAN calls commit() at the end of bulk writes only (rebuilds, bulk
        updates, harvest reindexing), and ``ckan search-index rebuild-fast``
        calls it in the parent process once the forked processes, which
        stored the documents, have ended."""
        try:
            self._store_deferred()
        finally:
            recount_facets()
            with model.meta.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                for table in (schema.TABLE, schema.STORED, schema.TERMS,
                              schema.FACETS):
                    connection.exec_driver_sql(f"VACUUM ANALYZE {table}")

    @staticmethod
    def _store_deferred() -> None:
        """Store the documents this process deferred: the batch in flight,
        then those not yet handed to the writer (also when that batch
        failed; its error is raised afterwards)."""
        cls = PostgresPackageSearchIndex
        docs, cls._pending = cls._pending, []
        try:
            cls._writer.wait()
        finally:
            if docs:
                _build_and_store(docs)

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        _forget_indexed(pkg_dict.get("id"))
        delete_documents("d.site_id = :site AND (d.id = :ref OR d.name = :ref)",
                         {"site": config.get("ckan.site_id"), "ref": pkg_dict.get("id")})

    def delete_by_term(self, field: str, value: str) -> None:
        """Remove every document with this exact value of ``field``."""
        _forget_indexed()
        delete_documents(f"d.site_id = :site AND d.doc_no IN (SELECT doc_no FROM "
                         f"{schema.TERMS} WHERE field = :field AND value = :value)",
                         {"site": config.get("ckan.site_id"), "field": field,
                          "value": value})

    def clear(self) -> None:
        _forget_indexed()
        PostgresPackageSearchIndex._pending = []
        try:  # a batch in flight would land after the clearing
            PostgresPackageSearchIndex._writer.wait()
        except Exception as error:  # it is cleared anyway
            log.warning("Deferred search documents not stored: %s", error)
        site = {"site": config.get("ckan.site_id")}

        def work(connection) -> None:
            connection.execute(sa.text(f"DELETE FROM {schema.TABLE} WHERE site_id = :site"),
                               site)
            facet_counts.clear(connection, site["site"])
        _with_table(work)


# The process that has registered the storing of its deferred documents at
# its end (None: none yet). A forked process registers again: multiprocessing
# drops the parent's finalizers in its children.
_exit_hook_pid: Optional[int] = None


def _store_deferred_at_exit() -> None:
    """Have the documents deferred by this process stored when it ends.

    ``ckan search-index rebuild-fast`` indexes in processes forked by
    multiprocessing that never call commit() (only their parent does, after
    they ended), so without this the last, partial batch of each was lost.
    Such a process ends with ``os._exit``, where atexit hooks do not run, but
    multiprocessing runs its finalizers first (also when the indexing
    failed); at a normal interpreter exit they run too."""
    global _exit_hook_pid
    if _exit_hook_pid != os.getpid():
        _exit_hook_pid = os.getpid()
        multiprocessing.util.Finalize(None, _store_deferred_finalizer, exitpriority=10)


def _store_deferred_finalizer() -> None:
    try:
        PostgresPackageSearchIndex._store_deferred()
    except Exception:  # the process is ending: say so, then let it end
        log.exception("Search documents deferred by process %s were not all stored; "
                      "`ckan search-index rebuild --only-missing` indexes the "
                      "datasets left out", os.getpid())


def _forget_parent_state() -> None:
    """In a forked process: start with nothing deferred and a pool of
    database connections of its own.

    The deferred documents are the parent's to store, and its writer thread
    does not exist here. The parent's pooled connections must not be used
    from two processes (``rebuild-fast`` forks while CKAN's pool holds a
    connection: both children then talk over one socket and PostgreSQL's
    answers get mixed up). ``dispose(close=False)`` only forgets them;
    psycopg2 never closes a connection made by another process."""
    global _exit_hook_pid
    _exit_hook_pid = None
    PostgresPackageSearchIndex._pending = []
    PostgresPackageSearchIndex._writer = _BatchWriter()
    engine = getattr(model.meta, "engine", None)
    if engine is not None:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_state)


# CKAN's check that a dataset's name is not taken by another dataset: one
# query, and all it does is add an error. Indexing ignores validation
# errors, so validating without it stores the same validated dict with one
# query less per dataset. Only CKAN's own function is left out (compared by
# identity), not a replacement a plugin registers under the same name.
_NAME_CHECK = ckan_validators.package_name_validator


def _without_name_check(schema_: dict[str, Any]) -> dict[str, Any]:
    """``schema_`` without :data:`_NAME_CHECK` among the validators of its
    fields (of the dataset itself: nothing else has a dataset's name). The
    lists that change are copied, and the dict: the plugin's schema may be
    shared, and is never modified."""
    changed = {key: [v for v in value if v is not _NAME_CHECK]
               for key, value in schema_.items()
               if isinstance(value, list) and any(v is _NAME_CHECK for v in value)}
    return {**schema_, **changed} if changed else schema_


def build_document(pkg_dict: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The flat search document for a dataset, as CKAN builds it for Solr.

    Returns None when the dataset must leave the index (deleted, with
    ``ckan.search.remove_deleted_packages`` on).
    """
    if "with_custom_schema" in pkg_dict:
        # CKAN 2.12 passes the dataset validated by its schema along
        pkg_dict = dict(pkg_dict)
        validated = pkg_dict.pop("with_custom_schema")
    else:
        package_plugin = lib_plugins.lookup_package_plugin(pkg_dict.get("type"))
        validated, _errors = lib_plugins.plugin_validate(
            package_plugin, {"model": model, "session": model.Session}, pkg_dict,
            _without_name_check(package_plugin.show_package_schema()),
            "package_show")
    pkg_dict["validated_data_dict"] = json.dumps(validated, cls=df.MissingNullEncoder)
    pkg_dict["data_dict"] = json.dumps(pkg_dict)
    if pkg_dict.get("title"):
        pkg_dict["title_string"] = pkg_dict["title"]

    if config.get("ckan.search.remove_deleted_packages") and \
            pkg_dict.get("state") in (None, "deleted"):
        return None

    doc = dict(pkg_dict)
    reserved = set(RESERVED_FIELDS) | set(doc)
    for extra in doc.pop("extras", None) or []:
        key, value = extra["key"], extra["value"]
        if isinstance(value, (list, tuple)):
            value = " ".join(map(str, value))
        key = "".join(c for c in key if c in KEY_CHARS)
        doc["extras_" + key] = value
        if key not in reserved:
            doc[key] = value

    tags = []
    for tag in doc.pop("tags", None) or []:
        if tag.get("vocabulary_id"):
            vocabulary = logic.get_action("vocabulary_show")(
                {"model": model}, {"id": tag["vocabulary_id"]})
            doc.setdefault("vocab_" + vocabulary["name"], []).append(tag["name"])
        else:
            tags.append(tag["name"])
    doc["tags"] = tags
    doc["groups"] = [group["name"] for group in doc.pop("groups", None) or []]
    doc["capacity"] = "private" if doc.get("private") else "public"
    organization = doc.get("organization")
    doc["organization"] = organization["name"] if organization else None

    resource_extras = [(e, "res_extras_" + e) for e in model.Resource.get_extra_columns()]
    for resource in doc.pop("resources", None) or []:
        for source, target in list(_RESOURCE_FIELDS) + resource_extras:
            doc.setdefault(target, []).append(resource.get(source, ""))

    related: dict[str, list[str]] = collections.defaultdict(list)
    for rel in doc.pop("relationships_as_object", None) or []:
        kind = model.PackageRelationship.forward_to_reverse_type(rel["type"])
        subject = model.Package.get(rel["subject_package_id"])
        if subject:
            related[kind].append(subject.name)
    for rel in doc.pop("relationships_as_subject", None) or []:
        target = model.Package.get(rel["object_package_id"])
        if target:
            related[rel["type"]].append(target.name)
    for kind, names in related.items():
        doc.setdefault(kind, names)

    doc["entity_type"] = "package"
    doc["dataset_type"] = doc["type"]
    for key in [k for k in doc if k.endswith("_date")]:
        value = doc[key]
        if not value:
            del doc[key]
            continue
        try:
            moment = parse_date(value)
        except (ParserError, TypeError, ValueError, OverflowError):
            log.warning("%r: %r value %r is not a valid date", doc["id"], key, value)
            del doc[key]
            continue
        doc[key] = moment.isoformat() + ("" if moment.tzinfo else "Z")
    doc["metadata_created"] += "Z"
    doc["metadata_modified"] += "Z"
    if doc.get("title"):
        doc["title"] = doc["title"].lstrip()
    doc["site_id"] = config.get("ckan.site_id")
    doc["index_id"] = hashlib.md5(
        f"{doc['id']}{config.get('ckan.site_id')}".encode()).hexdigest()

    for plugin in p.PluginImplementations(p.IPackageController):
        doc = plugin.before_dataset_index(doc)
    if not doc:
        raise SearchIndexError("A plugin returned an empty dataset dict on index")

    dataset = model.Package.get(doc["id"])
    doc["permission_labels"] = (
        lib_plugins.get_permission_labels().get_dataset_labels(dataset) if dataset else [])
    return doc
