"""Conversions of a resource's PDF or workbook to CSV (playbook step 3.6.1),
asked for by a publisher and reviewed before anything is published.

One row per conversion: who asked and when, what became of it, and each
CSV it wrote with the publisher's choice for it (added as a new resource of
the dataset, or discarded). The CSVs wait under CKAN's storage path until
that choice (see jobs/conversion.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow

QUEUED, DONE, FAILED = "queued", "done", "failed"
"""A conversion's state: waiting for (or in) the background job; its CSVs
are written (``files``, possibly none: ``problems`` says why); it could not
be made (``problem`` says why: not a PDF or workbook, damaged, a limit...)."""

PENDING, ADDED, DISCARDED = "pending", "added", "discarded"
"""A written CSV's state: waiting for the publisher's review; added as a
new resource of the dataset (``resource_id``); discarded."""


class Conversion(tk.BaseModel):  # type: ignore[misc]
    """One conversion of one resource's file to CSV files."""
    __tablename__ = "opendata_th_conversion"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    resource_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    requested_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    """The id of the user who asked (None: the site, or a sysadmin's script)."""
    requested_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                  default=utcnow)
    finished_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    state: Mapped[str] = sa.Column(sa.Text, nullable=False, default=QUEUED)
    problem: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
    """Why the conversion failed: a message (``Message.as_dict()``)."""
    problems: Mapped[list[dict[str, Any]]] = sa.Column(JSONB, nullable=False, default=list)
    """What the converter could not convert but did not stop for (pages
    without a table, scanned pages...): messages (``Message.as_dict()``)."""
    files: Mapped[list[dict[str, Any]]] = sa.Column(JSONB, nullable=False, default=list)
    """Each CSV written: ``file_name``, ``title`` (a message), ``header``,
    ``row_count``, ``pages``, ``sheet``, ``stored`` (its name in the
    conversion's folder), ``state`` (pending | added | discarded) and
    ``resource_id`` once added. Changed by assigning a new list (JSONB
    columns do not see changes made in place)."""

    def file(self, file_name: str) -> Optional[dict[str, Any]]:
        """The written CSV named ``file_name``, or None."""
        return next((f for f in self.files or [] if f.get("file_name") == file_name), None)

    def with_file(self, file_name: str, **changes: Any) -> None:
        """Change the fields of one written CSV (a new list is assigned)."""
        self.files = [{**f, **changes} if f.get("file_name") == file_name else dict(f)
                      for f in self.files or []]

    @classmethod
    def get(cls, conversion_id: str) -> Optional["Conversion"]:
        return model.Session.get(cls, conversion_id) if conversion_id else None

    @classmethod
    def of_resource(cls, resource_id: str, limit: int = 5) -> list["Conversion"]:
        """The resource's most recent conversions, newest first."""
        return (model.Session.query(cls).filter(cls.resource_id == resource_id)
                .order_by(cls.requested_at.desc()).limit(limit).all())
