"""Feedback on published datasets and its history.

Revision ID: 0010_feedback
Revises: 0009_conversion
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010_feedback"
down_revision = "0009_conversion"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_feedback",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("author_name", sa.Text),
        sa.Column("author_email", sa.Text),
        sa.Column("user_id", sa.Text),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("visibility", sa.Text, nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("screening", JSONB, nullable=False, server_default="[]"),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.Text),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("resolution", sa.Text),
        sa.Column("resolved_by", sa.Text),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("opendata_th_feedback_package_state", "opendata_th_feedback",
                    ["package_id", "visibility", "progress"])
    op.create_index("opendata_th_feedback_visibility_created", "opendata_th_feedback",
                    ["visibility", "created_at"])
    op.create_table(
        "opendata_th_feedback_event",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("feedback_id", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Text),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("from_visibility", sa.Text),
        sa.Column("to_visibility", sa.Text),
        sa.Column("from_progress", sa.Text),
        sa.Column("to_progress", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("detail", JSONB),
    )
    op.create_index("ix_opendata_th_feedback_event_feedback_id", "opendata_th_feedback_event",
                    ["feedback_id"])


def downgrade():
    op.drop_table("opendata_th_feedback_event")
    op.drop_table("opendata_th_feedback")
