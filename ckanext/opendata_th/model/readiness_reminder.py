"""Reminders sent to the owners of overdue readiness improvement actions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class ReadinessReminder(tk.BaseModel):  # type: ignore[misc]
    """An e-mail sent for one due date of one improvement action: the daily
    job writes once per action and due date (a new due date, a new e-mail)."""
    __tablename__ = "opendata_th_readiness_reminder"
    __table_args__ = (sa.UniqueConstraint("action_id", "due_date"),)

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    action_id: Mapped[str] = sa.Column(sa.Text, nullable=False)
    due_date: Mapped[dt.date] = sa.Column(sa.Date, nullable=False)
    recipient: Mapped[str] = sa.Column(sa.Text, nullable=False)
    sent_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                             default=utcnow)
