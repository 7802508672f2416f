"""Readiness assessments per organization and fiscal year, their history and
their evidence files.

Revision ID: 0003_readiness
Revises: 0002_timezone_aware
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003_readiness"
down_revision = "0002_timezone_aware"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_readiness_assessment",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("organization_id", sa.Text, nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("created", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Text),
        sa.Column("modified", sa.DateTime(timezone=True)),
        sa.Column("modified_by", sa.Text),
        sa.UniqueConstraint("organization_id", "fiscal_year"),
    )
    op.create_table(
        "opendata_th_readiness_change",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("assessment_id", sa.Text, nullable=False, index=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("changes", JSONB, nullable=False),
    )
    op.create_table(
        "opendata_th_readiness_file",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("assessment_id", sa.Text, nullable=False, index=True),
        sa.Column("activity", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Text),
    )


def downgrade():
    op.drop_table("opendata_th_readiness_file")
    op.drop_table("opendata_th_readiness_change")
    op.drop_table("opendata_th_readiness_assessment")
