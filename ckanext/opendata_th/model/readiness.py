"""An organization's readiness assessment per Thai fiscal year, its history
and the files attached to it as evidence.

The document an admin fills in is stored as one JSON value (its shape is
the playbook's, :mod:`ckanext.opendata_th.playbook.readiness`): the
questionnaire comes from a YAML file a sysadmin may replace, so its
activities are data, not columns. Files live in PostgreSQL, not in CKAN's
public upload directory: every web worker sees them, and only the
organization's members may read them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class ReadinessAssessment(tk.BaseModel):  # type: ignore[misc]
    """One organization's assessment for one fiscal year (Buddhist Era).

    ``document`` is replaced as a whole on every change (never mutated in
    place), so that SQLAlchemy sees the change.
    """
    __tablename__ = "opendata_th_readiness_assessment"
    __table_args__ = (sa.UniqueConstraint("organization_id", "fiscal_year"),)

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    organization_id: Mapped[str] = sa.Column(sa.Text, nullable=False)
    fiscal_year: Mapped[int] = sa.Column(sa.Integer, nullable=False)
    document: Mapped[dict[str, Any]] = sa.Column(JSONB, nullable=False)
    published: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False,
                                        server_default=sa.false())
    published_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    created: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), default=utcnow)
    modified_by: Mapped[Optional[str]] = sa.Column(sa.Text)


class ReadinessChange(tk.BaseModel):  # type: ignore[misc]
    """One recorded change of an assessment: who, when, what kind, and the
    fields that changed (``[{"field", "old", "new"}]``)."""
    __tablename__ = "opendata_th_readiness_change"

    KINDS = ("created", "updated", "published", "unpublished", "copied",
             "file_added", "file_removed")

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    assessment_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    changed_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                default=utcnow)
    user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    kind: Mapped[str] = sa.Column(sa.Text, nullable=False)
    changes: Mapped[list[dict[str, Any]]] = sa.Column(JSONB, nullable=False, default=list)


class ReadinessFile(tk.BaseModel):  # type: ignore[misc]
    """A file uploaded as evidence for one activity of an assessment. The
    bytes load only when asked for (``data`` is deferred)."""
    __tablename__ = "opendata_th_readiness_file"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    assessment_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    activity: Mapped[str] = sa.Column(sa.Text, nullable=False)
    name: Mapped[str] = sa.Column(sa.Text, nullable=False)
    content_type: Mapped[str] = sa.Column(sa.Text, nullable=False)
    size: Mapped[int] = sa.Column(sa.Integer, nullable=False)
    data: Mapped[bytes] = deferred(sa.Column(sa.LargeBinary, nullable=False))
    uploaded_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow)
    uploaded_by: Mapped[Optional[str]] = sa.Column(sa.Text)
