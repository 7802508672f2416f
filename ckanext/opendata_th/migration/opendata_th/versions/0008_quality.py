"""Data-quality reports of resources.

Revision ID: 0008_quality
Revises: 0007_sync
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_quality"
down_revision = "0007_sync"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_quality_report",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False),
        sa.Column("resource_id", sa.Text, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
        sa.Column("personal_data", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("machine_readable", sa.Boolean),
        sa.Column("report", JSONB),
        sa.Column("problem", JSONB),
    )
    op.create_index("opendata_th_quality_report_package", "opendata_th_quality_report", ["package_id"])
    op.create_index("opendata_th_quality_report_resource", "opendata_th_quality_report",
                    ["resource_id", "checked_at"])


def downgrade():
    op.drop_table("opendata_th_quality_report")
