"""Conversions of resources' PDF and workbook files to CSV.

Revision ID: 0009_conversion
Revises: 0008_quality
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_conversion"
down_revision = "0008_quality"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_conversion",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False),
        sa.Column("resource_id", sa.Text, nullable=False),
        sa.Column("requested_by", sa.Text),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("problem", JSONB),
        sa.Column("problems", JSONB, nullable=False, server_default="[]"),
        sa.Column("files", JSONB, nullable=False, server_default="[]"),
    )
    op.create_index("opendata_th_conversion_package", "opendata_th_conversion", ["package_id"])
    op.create_index("opendata_th_conversion_resource", "opendata_th_conversion",
                    ["resource_id", "requested_at"])


def downgrade():
    op.drop_table("opendata_th_conversion")
