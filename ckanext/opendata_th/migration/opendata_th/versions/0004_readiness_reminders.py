"""Reminders e-mailed to the owners of overdue readiness improvement
actions: one per action and due date.

Revision ID: 0004_readiness_reminders
Revises: 0003_readiness
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_readiness_reminders"
down_revision = "0003_readiness"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_readiness_reminder",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("action_id", sa.Text, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("action_id", "due_date"),
    )


def downgrade():
    op.drop_table("opendata_th_readiness_reminder")
