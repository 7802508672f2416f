"""Create the search document table.

Revision ID: 0001_search_doc
Revises:
Create Date: 2026-11-24
"""
from alembic import op

from ckanext.opendata_th.search import schema

revision = "0001_search_doc"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    schema.ensure_schema(op.get_bind())


def downgrade():
    op.execute(schema.DROP)
