"""The daily digests e-mailed to approvers: one per approver and day.

Revision ID: 0006_approval_digest
Revises: 0005_workflow
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_approval_digest"
down_revision = "0005_workflow"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_approval_digest",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Text, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("package_ids", sa.JSON, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "day"),
    )


def downgrade():
    op.drop_table("opendata_th_approval_digest")
