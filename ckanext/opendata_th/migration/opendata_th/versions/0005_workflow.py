"""The disclosure workflow: each dataset's stage and decisions, and their
history. Every existing active dataset gets its row: a public one is
"published" (approved before the workflow existed), a private one a
"candidate"; each with one "created" event.

Revision ID: 0005_workflow
Revises: 0004_readiness_reminders
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_workflow"
down_revision = "0004_readiness_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_th_workflow",
        sa.Column("package_id", sa.Text, primary_key=True),
        sa.Column("organization_id", sa.Text),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("selection_reasons", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("selection_note", sa.Text),
        sa.Column("value", sa.Integer),
        sa.Column("quality", sa.Integer),
        sa.Column("manageability", sa.Integer),
        sa.Column("priority", sa.Float),
        sa.Column("classification", JSONB),
        sa.Column("classified_by", sa.Text),
        sa.Column("classified_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", sa.Text),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("approval_source", sa.Text),
        sa.Column("stage_changed_at", sa.DateTime(timezone=True)),
        sa.Column("stage_changed_by", sa.Text),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("opendata_th_workflow_organization_stage", "opendata_th_workflow",
                    ["organization_id", "stage"])
    op.create_table(
        "opendata_th_workflow_event",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("transition", sa.Text),
        sa.Column("from_stage", sa.Text),
        sa.Column("to_stage", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("detail", JSONB),
    )
    # the datasets that exist already (harvest sources and other types are not datasets)
    op.execute("""
        INSERT INTO opendata_th_workflow
            (package_id, organization_id, stage, approval_source, approved_at,
             stage_changed_at, modified)
        SELECT id, owner_org,
               CASE WHEN private THEN 'candidate' ELSE 'published' END,
               CASE WHEN private THEN NULL ELSE 'before_workflow' END,
               CASE WHEN private THEN NULL ELSE now() END,
               now(), now()
        FROM package
        WHERE state = 'active' AND type = 'dataset'
    """)
    op.execute("""
        INSERT INTO opendata_th_workflow_event (id, package_id, at, kind, to_stage, detail)
        SELECT gen_random_uuid()::text, package_id, now(), 'created', stage,
               '{"before_workflow": true}'::jsonb
        FROM opendata_th_workflow
    """)


def downgrade():
    op.drop_table("opendata_th_workflow_event")
    op.drop_index("opendata_th_workflow_organization_stage", "opendata_th_workflow")
    op.drop_table("opendata_th_workflow")
