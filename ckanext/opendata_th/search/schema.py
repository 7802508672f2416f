"""The tables of the PostgreSQL search index.

``opendata_th_search_doc`` holds one narrow row per dataset: the columns
CKAN filters and sorts on and the dataset's words (a weighted tsvector) --
what every search reads, kept small so that a broad search reads few pages.
``opendata_th_search_stored`` holds the rest, read for one page of results
or a field's words: the lexemes of each text field and what CKAN reads back
(the stored fields and the raw and validated dataset dicts).
``opendata_th_search_term`` is the inverted index of exact values (Solr's
string fields): one row per (field, value) of each document, used for
``field:value`` filters, ranges and facet counts.
``opendata_th_search_facet`` holds the facet counts of whole listings
(see :mod:`.facet_counts`).

``ensure_schema`` is the single definition: the alembic migration runs it,
and the index runs it again if the table has gone (for instance after a test
suite dropped every table), so the index never fails for want of it.
"""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa

TABLE = "opendata_th_search_doc"
TERMS = "opendata_th_search_term"
STORED = "opendata_th_search_stored"
FACETS = "opendata_th_search_facet"
FACET_FIELDS = "opendata_th_search_facet_field"

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    index_id text PRIMARY KEY,
    doc_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id text NOT NULL,
    name text,
    site_id text NOT NULL,
    state text,
    capacity text,
    dataset_type text,
    organization text,
    owner_org text,
    permission_labels text[] NOT NULL DEFAULT '{{}}',
    title_string text,
    metadata_modified timestamptz,
    metadata_created timestamptz,
    indexed_ts timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_id_idx ON {TABLE} (id);
CREATE INDEX IF NOT EXISTS {TABLE}_name_idx ON {TABLE} (name);
-- counts of whole listings, and the documents facets are counted over, by
-- an index-only scan instead of a scan of the wide rows (this index covers
-- the conditions every search has: site, state, capacity, permission labels)
CREATE INDEX IF NOT EXISTS {TABLE}_listing_idx ON {TABLE} (site_id, state, capacity)
    INCLUDE (doc_no, permission_labels);
DROP INDEX IF EXISTS {TABLE}_site_state_idx;
-- the order of searches without words (newest first, ties by index_id), so
-- that a page is read from the index instead of sorting every match; also
-- date ranges
CREATE INDEX IF NOT EXISTS {TABLE}_modified_desc_idx ON {TABLE}
    (metadata_modified DESC NULLS LAST, index_id);
DROP INDEX IF EXISTS {TABLE}_modified_idx;
CREATE INDEX IF NOT EXISTS {TABLE}_organization_idx ON {TABLE} (organization);
CREATE INDEX IF NOT EXISTS {TABLE}_labels_idx ON {TABLE} USING gin (permission_labels);
CREATE TABLE IF NOT EXISTS {TERMS} (
    doc_no bigint NOT NULL REFERENCES {TABLE} (doc_no) ON DELETE CASCADE,
    field text NOT NULL,
    value text NOT NULL
);
CREATE INDEX IF NOT EXISTS {TERMS}_field_value_idx ON {TERMS} (field, value, doc_no);
CREATE INDEX IF NOT EXISTS {TERMS}_doc_idx ON {TERMS} (doc_no);
-- how many rows a (field, value) pair has, not field and value apart: without
-- it a filter such as tags:x is estimated 10 times too rare and joined row by row
CREATE STATISTICS IF NOT EXISTS {TERMS}_field_value_stats (mcv) ON field, value
    FROM {TERMS};
CREATE INDEX IF NOT EXISTS {TABLE}_vector_idx ON {TABLE} USING gin (search_vector);
CREATE TABLE IF NOT EXISTS {STORED} (
    doc_no bigint PRIMARY KEY REFERENCES {TABLE} (doc_no) ON DELETE CASCADE,
    lex jsonb NOT NULL,
    fields jsonb NOT NULL,
    data_dict text,
    validated_data_dict text
);
CREATE INDEX IF NOT EXISTS {STORED}_lex_idx ON {STORED} USING gin (lex jsonb_path_ops);
-- facet counts of whole listings, kept ahead (see facet_counts.py)
CREATE TABLE IF NOT EXISTS {FACETS} (
    site_id text NOT NULL,
    state text NOT NULL,
    dataset_type text NOT NULL,
    capacity text NOT NULL,
    labels text[] NOT NULL,
    field text NOT NULL,
    value text NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (site_id, state, dataset_type, capacity, labels, field, value)
);
-- the fields whose counts above are complete (counted since the last recount)
CREATE TABLE IF NOT EXISTS {FACET_FIELDS} (
    site_id text NOT NULL,
    field text NOT NULL,
    PRIMARY KEY (site_id, field)
);
"""

DROP = (f"DROP TABLE IF EXISTS {FACET_FIELDS}; DROP TABLE IF EXISTS {FACETS}; "
        f"DROP TABLE IF EXISTS {TERMS}; "
        f"DROP TABLE IF EXISTS {STORED}; DROP TABLE IF EXISTS {TABLE}")


# an advisory lock key of its own: one connection at a time runs the DDL
# ("IF NOT EXISTS" does not stop two connections creating one table at once)
_DDL_LOCK = 0x0D7A5EA2C4


def ensure_schema(connection) -> None:
    """Create the tables and their indexes if they do not exist."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_DDL_LOCK})")
    connection.exec_driver_sql(DDL)


def run(engine: sa.engine.Engine, work: Callable[[sa.engine.Connection], Any]) -> Any:
    """Run ``work(connection)`` in a transaction of its own and return its
    result; if the tables are missing, create them and run it again."""
    try:
        with engine.begin() as connection:
            return work(connection)
    except sa.exc.ProgrammingError as error:
        if "does not exist" not in str(error.orig):
            raise
    with engine.begin() as connection:
        ensure_schema(connection)
    with engine.begin() as connection:
        return work(connection)
