"""Yearly targets of organizations and the up-to-date share measured per
fiscal year.

Revision ID: 0012_yearly_target
Revises: 0011_dataset_request
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_yearly_target"
down_revision = "0011_dataset_request"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_yearly_target",
        sa.Column("organization_id", sa.Text, primary_key=True),
        sa.Column("fiscal_year", sa.Integer, primary_key=True),
        sa.Column("datasets_published", sa.Integer),
        sa.Column("high_value_published", sa.Integer),
        sa.Column("up_to_date_percent", sa.Integer),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_by", sa.Text),
    )
    op.create_table(
        "opendata_th_yearly_measure",
        sa.Column("organization_id", sa.Text, primary_key=True),
        sa.Column("fiscal_year", sa.Integer, primary_key=True),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on_schedule", sa.Integer, nullable=False),
        sa.Column("overdue", sa.Integer, nullable=False),
    )


def downgrade():
    op.drop_table("opendata_th_yearly_measure")
    op.drop_table("opendata_th_yearly_target")
