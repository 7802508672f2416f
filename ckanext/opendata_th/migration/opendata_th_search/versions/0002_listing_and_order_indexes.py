"""Indexes for listings, newest-first order and term statistics.

Adds a covering index of the conditions every search has (site, state,
capacity, permission labels), an index in the default order (newest first)
and multi-column statistics of the term table, and drops the two indexes
they replace. ``schema.ensure_schema`` holds the definition.

Revision ID: 0002_search_indexes
Revises: 0001_search_doc
Create Date: 2026-11-29
"""
from alembic import op

from ckanext.opendata_th.search import schema

revision = "0002_search_indexes"
down_revision = "0001_search_doc"
branch_labels = None
depends_on = None


def upgrade():
    schema.ensure_schema(op.get_bind())


def downgrade():
    table, terms = schema.TABLE, schema.TERMS
    op.execute(f"DROP STATISTICS IF EXISTS {terms}_field_value_stats")
    op.execute(f"DROP INDEX IF EXISTS {table}_listing_idx")
    op.execute(f"DROP INDEX IF EXISTS {table}_modified_desc_idx")
    op.execute(f"CREATE INDEX IF NOT EXISTS {table}_site_state_idx ON {table} (site_id, state)")
    op.execute(f"CREATE INDEX IF NOT EXISTS {table}_modified_idx ON {table} (metadata_modified)")
