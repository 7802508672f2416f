"""Reminders sent to the maintainers of overdue datasets."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class Reminder(tk.BaseModel):  # type: ignore[misc]
    """An overdue reminder sent for one due date of one dataset.

    ``due_date`` is the due moment as an instant (a due *date* is stored as
    the start of that day in Bangkok); one reminder per dataset and due date.
    """
    __tablename__ = "opendata_th_reminder"
    __table_args__ = (sa.UniqueConstraint("package_id", "due_date"),)

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    due_date: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False)
    recipient: Mapped[str] = sa.Column(sa.Text, nullable=False)
    sent_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                             default=utcnow)
