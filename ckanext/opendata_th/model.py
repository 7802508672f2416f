"""Tables of the ``opendata_th`` plugin: records that keep their history.

Created by the plugin's alembic migrations
(``ckan db upgrade -p opendata_th``).
"""
from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk


def _uuid() -> str:
    return str(uuid.uuid4())


def _utcnow() -> datetime.datetime:
    return datetime.datetime.utcnow()


class LinkCheck(tk.BaseModel):  # type: ignore[misc]
    """One check of a resource URL: did it answer?"""
    __tablename__ = "opendata_th_link_check"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=_uuid)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    resource_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    url: Mapped[str] = sa.Column(sa.Text, nullable=False)
    checked_at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False,
                                                      default=_utcnow)
    ok: Mapped[bool] = sa.Column(sa.Boolean, nullable=False)
    status_code: Mapped[int] = sa.Column(sa.Integer)
    error: Mapped[str] = sa.Column(sa.Text)


class Reminder(tk.BaseModel):  # type: ignore[misc]
    """An overdue reminder sent for one due date of one dataset."""
    __tablename__ = "opendata_th_reminder"
    __table_args__ = (sa.UniqueConstraint("package_id", "due_date"),)

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=_uuid)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    due_date: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False)
    recipient: Mapped[str] = sa.Column(sa.Text, nullable=False)
    sent_at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False,
                                                   default=_utcnow)
