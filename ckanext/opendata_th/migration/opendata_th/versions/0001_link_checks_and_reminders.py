"""Link checks and overdue reminders.

Revision ID: 0001_checks_reminders
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_checks_reminders"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_link_check",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("resource_id", sa.Text, nullable=False, index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "opendata_th_reminder",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("due_date", sa.DateTime, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("package_id", "due_date"),
    )


def downgrade():
    op.drop_table("opendata_th_reminder")
    op.drop_table("opendata_th_link_check")
