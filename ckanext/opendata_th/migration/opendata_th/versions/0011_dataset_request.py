"""Dataset requests and their history.

Revision ID: 0011_dataset_request
Revises: 0010_feedback
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_dataset_request"
down_revision = "0010_feedback"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_dataset_request",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("purpose", sa.Text, nullable=False, server_default=""),
        sa.Column("organization_id", sa.Text),
        sa.Column("requester_name", sa.Text, nullable=False, server_default=""),
        sa.Column("requester_email", sa.Text, nullable=False, server_default=""),
        sa.Column("requester_user_id", sa.Text),
        sa.Column("reply_key", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("package_id", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.Text),
    )
    op.create_index("opendata_th_dataset_request_organization_state", "opendata_th_dataset_request",
                    ["organization_id", "state"])
    op.create_index("opendata_th_dataset_request_state_created", "opendata_th_dataset_request",
                    ["state", "created"])
    op.create_table(
        "opendata_th_dataset_request_event",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("decision", sa.Text),
        sa.Column("from_state", sa.Text),
        sa.Column("to_state", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("package_id", sa.Text),
        sa.Column("detail", JSONB),
    )
    op.create_index("ix_opendata_th_dataset_request_event_request_id", "opendata_th_dataset_request_event",
                    ["request_id"])


def downgrade():
    op.drop_table("opendata_th_dataset_request_event")
    op.drop_table("opendata_th_dataset_request")
