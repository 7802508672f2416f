"""The table that holds one search document per dataset.

``ensure_schema`` is the single definition: the alembic migration runs it,
and the index runs it again if the table has gone (for instance after a test
suite dropped every table), so the index never fails for want of it.
"""
from __future__ import annotations

TABLE = "opendata_th_search_doc"

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    index_id text PRIMARY KEY,
    id text NOT NULL,
    name text,
    site_id text NOT NULL,
    state text,
    capacity text,
    dataset_type text,
    permission_labels text[] NOT NULL DEFAULT '{{}}',
    title_string text,
    metadata_modified timestamptz,
    metadata_created timestamptz,
    indexed_ts timestamptz NOT NULL DEFAULT now(),
    terms jsonb NOT NULL,
    lex jsonb NOT NULL,
    fields jsonb NOT NULL,
    search_vector tsvector NOT NULL,
    data_dict text,
    validated_data_dict text
);
CREATE INDEX IF NOT EXISTS {TABLE}_id_idx ON {TABLE} (id);
CREATE INDEX IF NOT EXISTS {TABLE}_name_idx ON {TABLE} (name);
CREATE INDEX IF NOT EXISTS {TABLE}_site_state_idx ON {TABLE} (site_id, state);
CREATE INDEX IF NOT EXISTS {TABLE}_modified_idx ON {TABLE} (metadata_modified);
CREATE INDEX IF NOT EXISTS {TABLE}_labels_idx ON {TABLE} USING gin (permission_labels);
CREATE INDEX IF NOT EXISTS {TABLE}_terms_idx ON {TABLE} USING gin (terms jsonb_path_ops);
CREATE INDEX IF NOT EXISTS {TABLE}_lex_idx ON {TABLE} USING gin (lex jsonb_path_ops);
CREATE INDEX IF NOT EXISTS {TABLE}_vector_idx ON {TABLE} USING gin (search_vector);
"""

DROP = f"DROP TABLE IF EXISTS {TABLE}"


def ensure_schema(connection) -> None:
    """Create the table and its indexes if they do not exist."""
    connection.exec_driver_sql(DDL)
