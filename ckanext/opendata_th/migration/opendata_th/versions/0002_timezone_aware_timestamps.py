"""Timezone-aware timestamps: link checks and reminders were written as
naive UTC (checked_at, sent_at) and naive Bangkok time (due_date).

Revision ID: 0002_timezone_aware
Revises: 0001_checks_reminders
Create Date: 2026-11-29
"""
from alembic import op

revision = "0002_timezone_aware"
down_revision = "0001_checks_reminders"
branch_labels = None
depends_on = None

# (table, column, the zone its naive values were written in)
_COLUMNS = (
    ("opendata_th_link_check", "checked_at", "UTC"),
    ("opendata_th_reminder", "sent_at", "UTC"),
    ("opendata_th_reminder", "due_date", "Asia/Bangkok"),
)


def upgrade():
    for table, column, zone in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamptz "
                   f"USING {column} AT TIME ZONE '{zone}'")
    op.create_index("opendata_th_link_check_latest", "opendata_th_link_check",
                    ["resource_id", "checked_at"])


def downgrade():
    op.drop_index("opendata_th_link_check_latest", "opendata_th_link_check")
    for table, column, zone in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamp "
                   f"USING {column} AT TIME ZONE '{zone}'")
