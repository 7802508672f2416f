"""Answers CKAN's dataset searches from the PostgreSQL search table.

Replaces CKAN's Solr ``PackageSearchQuery``: takes the same query dict
(``q``, ``fq``, ``fq_list``, ``facet.field``, ``sort``, ``rows``, ``start``,
``fl``, ``qf``, ``defType`` ...) and fills ``count``, ``results`` and
``facets`` the way the Solr version does.
"""
from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

import psycopg2.errors
import sqlalchemy as sa

import ckan.model as model
from ckan.common import _, config
from ckan.lib.search.common import SearchError, SearchQueryError
from ckan.lib.search.query import (MAGIC_FIELD_RE, QUERY_PARSER_RE,
                                   VALID_SOLR_PARAMETERS, PackageSearchQuery)

from . import facet_counts, index, lucene, schema, sql
from . import views
from .backend import SolrWhenInactive
from .limits import BadInput, LimitExceeded, Limits, check_request, check_values

log = logging.getLogger(__name__)

IGNORED_PARAMETERS = {"wt", "tie", "mm", "df", "facet", "defType"}
UNSUPPORTED_PARAMETERS = {"bf", "boost"}
COLUMN_FIELDS = {"data_dict", "validated_data_dict"}


STATEMENT_TIMEOUT_OPTION = "ckanext.opendata_th.search.statement_timeout"
DEFAULT_STATEMENT_TIMEOUT_MS = 5000


def statement_timeout_ms() -> int:
    """How long one search statement may run (``ckanext.opendata_th.search.
    statement_timeout``, milliseconds; declared in search/config_declaration.yaml)."""
    try:
        return max(1, int(config.get(STATEMENT_TIMEOUT_OPTION) or DEFAULT_STATEMENT_TIMEOUT_MS))
    except (TypeError, ValueError):
        return DEFAULT_STATEMENT_TIMEOUT_MS


def limits() -> Limits:
    """The limits on one search (``ckanext.opendata_th.search.max_*``)."""
    return Limits.from_options(config.get)


def _read(statement: str, params: dict[str, Any]) -> list[Any]:
    """Run one search statement under the statement timeout. What PostgreSQL
    says goes to the log, never to the client."""
    try:
        return _execute(statement, params)
    except sa.exc.SQLAlchemyError as error:
        raise _search_error(error, statement)


def _read_together(first: tuple[str, dict[str, Any]],
                   second: tuple[str, dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """Two search statements at once, on two connections: the second runs
    in a thread while this one runs the first (PostgreSQL gives each its own
    process, so a broad search takes the time of the longer one, not of
    both)."""
    running = _SECOND_STATEMENTS.submit(_execute, *second)
    try:
        first_rows = _execute(*first)
    except sa.exc.SQLAlchemyError as error:
        running.cancel()
        raise _search_error(error, first[0])
    try:
        return first_rows, running.result()
    except sa.exc.SQLAlchemyError as error:
        raise _search_error(error, second[0])


# the threads of _read_together (each runs one statement of a search)
_SECOND_STATEMENTS = ThreadPoolExecutor(max_workers=4,
                                        thread_name_prefix="opendata-th-search")


def _execute(statement: str, params: dict[str, Any]) -> list[Any]:
    """Run one statement in a transaction of its own, under the timeout."""
    timeout = statement_timeout_ms()

    def work(connection: sa.engine.Connection) -> list[Any]:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout:d}")
        return connection.execute(sa.text(statement), params).fetchall()

    return schema.run(model.meta.engine, work)


def _search_error(error: sa.exc.SQLAlchemyError, statement: str) -> Exception:
    """The error a search answers for a failed statement: a refusal in the
    user's language, or a SearchError whose details are only logged."""
    if isinstance(error, sa.exc.OperationalError):
        if getattr(error.orig, "pgcode", None) and error.orig.pgcode.startswith("54"):
            # program limit exceeded: stack depth, too many columns...
            log.warning("Search statement too complex for PostgreSQL: %s", error.orig)
            return _refused(_(
                "The search is too complex. Search for fewer words or fields at a time."))
        if isinstance(error.orig, psycopg2.errors.QueryCanceled):
            log.warning("Search statement stopped after %d ms: %s", statement_timeout_ms(),
                        statement[:300])
            return _refused(_(
                "The search took too long and was stopped. Search for fewer words or "
                "fields at a time."))
    if isinstance(error, sa.exc.DataError):
        log.info("Search query refused by PostgreSQL: %s", error.orig)
        return _refused(_(
            "Invalid search query: a value does not fit its field (for example a date "
            "or a number out of range)."))
    log.error("PostgreSQL search failed: %s", getattr(error, "orig", error))
    return SearchError("PostgreSQL search failed (the portal's log has the details)")


class PostgresPackageSearchQuery(SolrWhenInactive, PackageSearchQuery):
    """Dataset search over the PostgreSQL table kept by the index.

    While the plugin is not loaded, making one gives CKAN's Solr query.
    """

    solr_class = PackageSearchQuery

    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        rows = _read(f"SELECT id FROM {schema.TABLE} WHERE site_id = :site "
                     "AND state = 'active' ORDER BY index_id LIMIT :limit",
                     {"site": config.get("ckan.site_id"), "limit": max_results})
        return [row.id for row in rows]

    def get_index(self, reference: str) -> dict[str, Any]:
        """The stored dataset dicts of one dataset (what ``package_show``
        reads from the index), without the other indexed fields."""
        rows = _read(
            f"SELECT id, name, data_dict, validated_data_dict, to_char(metadata_modified "
            f"AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS metadata_modified "
            f"FROM {schema.TABLE} JOIN {schema.STORED} USING (doc_no) "
            "WHERE site_id = :site AND (name = :ref OR id = :ref) LIMIT 1", {"site": config.get("ckan.site_id"), "ref": reference})
        if not rows:
            raise SearchError(f"Dataset not found in the search index: {reference}")
        return dict(rows[0]._mapping)

    def run(self, query: dict[str, Any], permission_labels: Optional[list[str]] = None,
            **kwargs: Any) -> dict[str, Any]:
        unknown = set(query) - VALID_SOLR_PARAMETERS
        if unknown:
            raise _refused(f"Invalid search parameters: {sorted(unknown)}")
        unsupported = {k for k in UNSUPPORTED_PARAMETERS if query.get(k)}
        if unsupported:
            raise _refused(
                f"Search parameters not supported by the PostgreSQL search backend: "
                f"{sorted(unsupported)}")

        for name, value in query.items():
            for item in value if isinstance(value, list) else [value]:
                _check_local_parameters(name, item)

        try:
            search_limits = limits()
            check_values(query)
            check_request(query, search_limits)
            compiler = sql.Compiler(qf=query.get("qf"), limits=search_limits)
            conditions, listing = self._conditions(query, compiler, permission_labels)
            rank_query = _rank_query(compiler)
            rank_sql = ("ts_rank(CAST(:rank_weights AS float4[]), search_vector, "
                        "CAST(:rank_query AS tsquery))" if rank_query else None)
            order = sql.order_by(query.get("sort"), compiler, rank_sql)
        except LimitExceeded as error:
            raise _refused(limit_message(error))
        except BadInput as error:
            raise _refused(bad_input_message(error))
        except (lucene.QuerySyntaxError, sql.QueryError) as error:
            raise _refused(str(error))
        params = dict(compiler.params)
        if rank_query:
            params.update(rank_query=rank_query, rank_weights=sql.RANK_WEIGHTS)
        where = " AND ".join(conditions)

        rows_wanted = _int(query.get("rows", 10), "rows")
        start = _int(query.get("start", 0), "start")
        fl = _field_list(query.get("fl"))

        count_statement = (f"SELECT count(*) AS n FROM {schema.TABLE} WHERE {where}", params)
        page: list[str] = []
        if rows_wanted > 0:
            # order narrow rows first (then read the wide columns of one
            # page), and count the matches at the same time
            page_rows, count_rows = _read_together(
                (f"SELECT index_id FROM {schema.TABLE} WHERE {where} "
                 f"ORDER BY {order} LIMIT :limit OFFSET :offset",
                 {**params, "limit": rows_wanted, "offset": start}),
                count_statement)
            page = [row.index_id for row in page_rows]
            count = count_rows[0].n
        else:
            count = _read(*count_statement)[0].n
        results: list[Any] = []
        if page:
            wide = {row.index_id: row for row in _read(
                f"SELECT d.index_id, s.fields, s.data_dict, s.validated_data_dict "
                f"FROM {schema.TABLE} d JOIN {schema.STORED} s USING (doc_no) "
                f"WHERE d.index_id = ANY(:page)", {"page": page})}
            # (a dataset deleted since the page was read is left out)
            results = [_select(_document(wide[index_id]), fl) for index_id in page
                       if index_id in wide]
        self.count = count
        self.results = _shape_results(results, fl)
        self.facets = self._facets(query, where, params, listing, permission_labels)
        return {"results": self.results, "count": self.count}

    # -- pieces -------------------------------------------------------------
    def _conditions(self, query: dict[str, Any], compiler: sql.Compiler,
                    permission_labels: Optional[list[str]]
                    ) -> tuple[list[str], Optional[dict[str, str]]]:
        """The SQL conditions of a search, and (see :func:`sql.listing_filter`)
        what limits it when it is a whole listing, else None."""
        conditions = [f"site_id = {compiler.param(config.get('ckan.site_id'))}"]
        nodes: list[lucene.Node] = []
        q = query.get("q")
        if q and q not in ('""', "''"):
            nodes.append(lucene.parse(q, compiler.limits.depth))
            conditions.append(compiler.compile(nodes[-1]))
        filters = []
        if query.get("fq"):
            filters.extend(query["fq"] if isinstance(query["fq"], list) else [query["fq"]])
        filters.extend(query.get("fq_list") or [])
        # filters never add to the ranking
        filter_compiler_ranks = list(compiler.rank_queries)
        for fq in filters:
            if fq and fq.strip():
                nodes.append(lucene.parse(fq, compiler.limits.depth))
                conditions.append(compiler.compile(nodes[-1]))
        compiler.rank_queries = filter_compiler_ranks
        listing = sql.listing_filter(nodes)
        if not any("+state:" in f or f.lstrip().startswith("state:") for f in filters):
            conditions.append("state = 'active'")
            if listing is not None:
                listing.setdefault("state", "active")
        if permission_labels is not None:
            conditions.append(
                f"permission_labels && CAST({compiler.param(list(permission_labels))} AS text[])")
        return conditions, listing

    def _facets(self, query: dict[str, Any], where: str, params: dict[str, Any],
                listing: Optional[dict[str, str]],
                permission_labels: Optional[list[str]]) -> dict[str, dict[str, int]]:
        fields = query.get("facet.field") or []
        if isinstance(fields, str):
            fields = [fields]
        if str(query.get("facet", "true")).lower() == "false" or not fields:
            return {}
        limit = _int(query.get("facet.limit", config.get("search.facets.limit")),
                     "facet.limit")
        mincount = _int(query.get("facet.mincount", 1), "facet.mincount")
        site = config.get("ckan.site_id")
        rows: list[Any] = []
        to_count = list(fields)
        if listing is not None and listing.get("site_id", site) == site:
            # a whole listing: read the counts kept ahead, where complete
            kept = set(index.counted_facet_fields())

            def read_ahead(connection: sa.engine.Connection) -> tuple[list[str], list[Any]]:
                complete = kept & facet_counts.complete_fields(connection, site)
                names = [name for name in fields if name in complete]
                return names, (facet_counts.read(connection, site, listing,
                                                 permission_labels, names, mincount)
                               if names else [])
            ahead, counts = schema.run(model.meta.engine, read_ahead)
            rows.extend(counts)
            to_count = [name for name in fields if name not in ahead]
        if to_count:
            # one pass over the matching rows for every facet field
            rows.extend(_read(
                f"SELECT field, value, count(*) AS n FROM {schema.TERMS} "
                f"WHERE field = ANY(CAST(:facet_fields AS text[])) AND doc_no IN "
                f"(SELECT doc_no FROM {schema.TABLE} WHERE {where}) "
                f"GROUP BY field, value HAVING count(*) >= :mincount",
                {**params, "facet_fields": to_count, "mincount": mincount}))
        counted: dict[str, list[tuple[str, int]]] = {name: [] for name in fields}
        for row in rows:
            counted[row.field].append((row.value, int(row.n)))
        facets: dict[str, dict[str, int]] = {}
        for name, values in counted.items():
            # Solr's order: most frequent first, then by value
            values.sort(key=lambda item: (-item[1], item[0]))
            facets[name] = dict(values if limit < 0 else values[:limit])
        return facets


def _refused(message: str) -> SearchQueryError:
    """The error for a search the backend will not run; organization and
    group pages answer it with 400 (see :mod:`.views`)."""
    views.remember_refusal(message)
    return SearchQueryError(message)


def limit_message(error: LimitExceeded) -> str:
    """What the user reads when a search is over a limit, in their language."""
    messages = {
        "query_length": _("The search is too long: {found} characters, at most {allowed} "
                          "({option})."),
        "terms": _("The search has too many terms: at most {allowed} words, phrase words "
                   "and values ({option})."),
        "qf_fields": _("The search names too many qf fields: {found}, at most {allowed} "
                       "({option})."),
        "sort_keys": _("The search has too many sort keys: {found}, at most {allowed} "
                       "({option})."),
        "facet_fields": _("The search asks for too many facet fields: {found}, at most "
                          "{allowed} ({option})."),
        "depth": _("The search nests parentheses too deep: at most {allowed} levels "
                   "({option})."),
    }
    return messages[error.limit].format(found=error.found, allowed=error.allowed,
                                        option=error.option)


def bad_input_message(error: BadInput) -> str:
    messages = {
        "nul": _('The search parameter "{parameter}" contains a NUL character, which no '
                 'search can use.'),
        "encoding": _('The search parameter "{parameter}" is not valid text (a lone '
                      'surrogate or another code point that is not a character).'),
        "shape": _('The search parameter "{parameter}" must be a list of text filters.'),
    }
    return messages[error.reason].format(parameter=error.parameter)


def _check_local_parameters(name: str, value: Any) -> None:
    """Refuse Solr local parameters and magic fields, with the messages
    CKAN gives for them."""
    if not isinstance(value, str):
        return
    value = value.strip()
    if MAGIC_FIELD_RE.search(value):
        raise _refused(f"Magic fields are not supported in param '{name}'.")
    found = QUERY_PARSER_RE.findall(value)
    if not found:
        return
    if len(found) > 1:
        raise _refused(f"Query parsers are not supported in param '{name}'.")
    if not value.startswith("{!"):
        raise _refused(
            f"Local parameters must be defined at the beginning of param '{name}'.")
    raise _refused(f"Local parameters are not supported in param '{name}'.")


def _rank_query(compiler: sql.Compiler) -> Optional[str]:
    from . import text
    return text.any_of(compiler.rank_queries)


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _refused(f'Invalid "{name}" parameter: {value!r}')


def _field_list(fl: Any) -> list[str]:
    if not fl:
        return ["name"]
    if isinstance(fl, str):
        fl = fl.replace(",", " ").split()
    return list(fl)


def _document(row: Any) -> dict[str, Any]:
    doc = dict(row.fields) if not isinstance(row.fields, str) else json.loads(row.fields)
    if row.data_dict is not None:
        doc["data_dict"] = row.data_dict
    if row.validated_data_dict is not None:
        doc["validated_data_dict"] = row.validated_data_dict
    return doc


def _select(doc: dict[str, Any], fl: list[str]) -> dict[str, Any]:
    if "*" in fl:
        return doc
    return {name: doc[name] for name in fl if name in doc}


def _shape_results(results: list[dict[str, Any]], fl: list[str]) -> list[Any]:
    """Move ``extras_*`` into ``extras`` and unwrap single-field id/name lists,
    as the Solr query class does."""
    shaped: list[Any] = []
    for result in results:
        extras = {key[len("extras_"):]: result.pop(key)
                  for key in [k for k in result if k.startswith("extras_")]}
        if extras:
            result["extras"] = extras
        shaped.append(result)
    if fl in (["id"], ["name"]):
        return [r.get(fl[0]) for r in shaped]
    return shaped
