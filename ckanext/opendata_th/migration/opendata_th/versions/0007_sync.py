"""The link between local datasets and their copies on the national
catalogs (harvested or pushed), and each harvest source's progress.

Revision ID: 0007_sync
Revises: 0006_approval_digest
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_sync"
down_revision = "0006_approval_digest"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_sync",
        sa.Column("package_id", sa.Text, primary_key=True),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("remote_url", sa.Text, nullable=False),
        sa.Column("harvest_source_id", sa.Text),
        sa.Column("remote_id", sa.Text),
        sa.Column("remote_name", sa.Text),
        sa.Column("remote_modified", sa.DateTime(timezone=True)),
        sa.Column("resource_ids", JSONB, nullable=False, server_default="{}"),
        sa.Column("set_aside", JSONB, nullable=False, server_default="{}"),
        sa.Column("notes", JSONB, nullable=False, server_default="[]"),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_reason", sa.Text),
        sa.Column("pushed_at", sa.DateTime(timezone=True)),
        sa.Column("push_error", sa.Text),
        sa.Column("push_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("compared_at", sa.DateTime(timezone=True)),
        sa.Column("drift_status", sa.Text),
        sa.Column("drift", JSONB),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("remote_url", "remote_id", name="opendata_th_sync_remote"),
    )
    op.create_index("opendata_th_sync_harvest_source", "opendata_th_sync", ["harvest_source_id"])
    op.create_table(
        "opendata_th_sync_source",
        sa.Column("source_id", sa.Text, primary_key=True),
        sa.Column("watermark", sa.DateTime(timezone=True)),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("opendata_th_sync_source")
    op.drop_index("opendata_th_sync_harvest_source", "opendata_th_sync")
    op.drop_table("opendata_th_sync")
