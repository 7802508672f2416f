"""The disclosure workflow's tables: where each dataset stands, and every
decision taken on the way.

``opendata_th_workflow`` holds one row per dataset: its stage, the selection
reasons, the prioritisation scores, the classification answers and the
approval. ``opendata_th_workflow_event`` is the history: every change with
who, when and the comment, never updated nor deleted. Which changes are
allowed is the playbook's state machine
(:mod:`ckanext.opendata_th.playbook.workflow`); the glue that writes these
rows is :mod:`ckanext.opendata_th.workflow`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class WorkflowRecord(tk.BaseModel):  # type: ignore[misc]
    """Where one dataset stands in the disclosure workflow.

    ``classification`` is ``{"answers", "details", "outcome", "disclosable",
    "version"}`` (the decision tree's version it was answered against); it
    and ``selection_reasons`` are replaced as a whole, never mutated in
    place, so that SQLAlchemy sees the change. ``approval_source`` says who
    approved the publication: "local" (an approver of this portal),
    "before_workflow" (public before the workflow existed), or later the
    national portal's URL.
    """
    __tablename__ = "opendata_th_workflow"
    __table_args__ = (sa.Index("opendata_th_workflow_organization_stage", "organization_id", "stage"),)

    package_id: Mapped[str] = sa.Column(sa.Text, primary_key=True)
    organization_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    stage: Mapped[str] = sa.Column(sa.Text, nullable=False)
    selection_reasons: Mapped[list[str]] = sa.Column(JSONB, nullable=False, default=list)
    selection_note: Mapped[Optional[str]] = sa.Column(sa.Text)
    value: Mapped[Optional[int]] = sa.Column(sa.Integer)
    quality: Mapped[Optional[int]] = sa.Column(sa.Integer)
    manageability: Mapped[Optional[int]] = sa.Column(sa.Integer)
    priority: Mapped[Optional[float]] = sa.Column(sa.Float)
    classification: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
    classified_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    classified_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    approved_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    approved_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    approval_source: Mapped[Optional[str]] = sa.Column(sa.Text)
    stage_changed_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True), default=utcnow)
    stage_changed_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class WorkflowEvent(tk.BaseModel):  # type: ignore[misc]
    """One recorded change of a dataset's workflow: a transition (with its
    stages), or a selection, prioritisation or classification recorded
    (``detail`` holds what was recorded). ``user_id`` is None when the
    portal itself acted (a classification that withholds, a recall)."""
    __tablename__ = "opendata_th_workflow_event"

    KINDS = ("transition", "selected", "prioritised", "classified", "created")

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    kind: Mapped[str] = sa.Column(sa.Text, nullable=False)
    transition: Mapped[Optional[str]] = sa.Column(sa.Text)
    from_stage: Mapped[Optional[str]] = sa.Column(sa.Text)
    to_stage: Mapped[Optional[str]] = sa.Column(sa.Text)
    comment: Mapped[Optional[str]] = sa.Column(sa.Text)
    detail: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
