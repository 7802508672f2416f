"""Indexes the dashboard's aggregates read: one organization's active
datasets (CKAN indexes no package by its organization), and the datasets
marked high-value (a small partial index on package_extra, instead of a
scan of every dataset's extras).

Revision ID: 0013_dashboard_indexes
Revises: 0012_yearly_target
Create Date: 2026-11-30
"""
from alembic import op

revision = "0013_dashboard_indexes"
down_revision = "0012_yearly_target"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX IF NOT EXISTS opendata_th_package_owner_org "
               "ON package (owner_org) WHERE state = 'active'")
    op.execute("CREATE INDEX IF NOT EXISTS opendata_th_package_extra_high_value "
               "ON package_extra (package_id) WHERE key = 'high_value_dataset' "
               "AND value IN ('True', 'true') AND state = 'active'")


def downgrade():
    op.execute("DROP INDEX IF EXISTS opendata_th_package_extra_high_value")
    op.execute("DROP INDEX IF EXISTS opendata_th_package_owner_org")
