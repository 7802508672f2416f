"""Data-quality reports of resources (playbook step 3.6): one row per check
of one version of a resource's file, kept (the newest one is the
resource's report)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow

CHECKED, UNREADABLE, FAILED = "checked", "unreadable", "failed"
"""A report's state: the file was read and checked (its findings are in
``report``); the file is not a table the checker can read (``problem``
says why: a PDF, binary junk, a zip bomb...); the check could not be made
(the file could not be fetched, or the time limit ran out: ``problem``)."""


class QualityReport(tk.BaseModel):  # type: ignore[misc]
    """One check of one version of a resource's file."""
    __tablename__ = "opendata_th_quality_report"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    resource_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    version: Mapped[str] = sa.Column(sa.Text, nullable=False)
    """The resource version checked (see jobs/quality.py: ``version_of``)."""
    url: Mapped[str] = sa.Column(sa.Text)
    checked_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                default=utcnow)
    seconds: Mapped[float] = sa.Column(sa.Float)
    state: Mapped[str] = sa.Column(sa.Text, nullable=False)
    errors: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    warnings: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    personal_data: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False)
    machine_readable: Mapped[Optional[bool]] = sa.Column(sa.Boolean)
    report: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
    """The checker's JSON report (ckanext/opendata_th/quality/report.py)."""
    problem: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
    """Why the file was not checked: a message (``Message.as_dict()``)."""

    @classmethod
    def latest(cls, resource_ids: Iterable[str]) -> dict[str, "QualityReport"]:
        """{resource id: its newest report}, in one query."""
        ids = sorted(set(resource_ids))
        if not ids:
            return {}
        rows = (model.Session.query(cls).filter(cls.resource_id.in_(ids))
                .order_by(cls.resource_id, cls.checked_at.desc())
                .distinct(cls.resource_id))
        return {row.resource_id: row for row in rows}

    @classmethod
    def latest_of_dataset(cls, package_id: str) -> dict[str, "QualityReport"]:
        """The newest report of each active resource of a dataset."""
        ids = [r for (r,) in model.Session.query(model.Resource.id).filter(
            model.Resource.package_id == package_id, model.Resource.state == "active")]
        return cls.latest(ids)
