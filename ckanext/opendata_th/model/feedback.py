"""Feedback on published datasets: the items people send and everything
done with them.

``opendata_th_feedback`` holds one row per item: what was sent (kind,
message, the optional name and e-mail address, the account when signed
in), what the spam rules found, where it stands (``visibility``: held,
visible, hidden; ``progress``: open, answered, resolved) and the current
answer and resolution. ``opendata_th_feedback_event`` is its history: the
item's arrival and every editor's step with who, when and the text, and
each e-mail sent to the reporter; never updated nor deleted. Hiding an item
is a step like the others: nothing is ever removed. The rules are
:mod:`ckanext.opendata_th.playbook.feedback`; the glue is
:mod:`ckanext.opendata_th.feedback`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class Feedback(tk.BaseModel):  # type: ignore[misc]
    """One comment, complaint or error report on a dataset.

    ``author_email`` is personal data: only the organization's editors see
    it, and only the reporter is e-mailed at it. ``screening`` is what the
    spam rules found when it arrived (messages as JSON, see
    :meth:`.playbook.messages.Message.as_dict`). ``language`` is the page's
    language when it was sent: the reporter's e-mails are written in it.
    """
    __tablename__ = "opendata_th_feedback"
    __table_args__ = (sa.Index("opendata_th_feedback_package_state", "package_id", "visibility", "progress"),
                      sa.Index("opendata_th_feedback_visibility_created", "visibility", "created_at"))

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False)
    kind: Mapped[str] = sa.Column(sa.Text, nullable=False)
    message: Mapped[str] = sa.Column(sa.Text, nullable=False)
    author_name: Mapped[Optional[str]] = sa.Column(sa.Text)
    author_email: Mapped[Optional[str]] = sa.Column(sa.Text)
    user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    """The account of a signed-in sender (None: sent without one)."""
    language: Mapped[str] = sa.Column(sa.Text, nullable=False)
    visibility: Mapped[str] = sa.Column(sa.Text, nullable=False)
    progress: Mapped[str] = sa.Column(sa.Text, nullable=False)
    screening: Mapped[list[dict[str, Any]]] = sa.Column(JSONB, nullable=False, default=list)
    answer: Mapped[Optional[str]] = sa.Column(sa.Text)
    answered_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    answered_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    resolution: Mapped[Optional[str]] = sa.Column(sa.Text)
    resolved_by: Mapped[Optional[str]] = sa.Column(sa.Text)
    resolved_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    modified_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class FeedbackEvent(tk.BaseModel):  # type: ignore[misc]
    """One thing that happened to an item: ``step`` is "created", a
    moderation step (approve, answer, resolve, reopen, hold, hide) or
    "mailed" (the reporter was e-mailed about the step in
    ``detail["event_id"]``). ``user_id`` is None for a visitor without an
    account and for the portal itself. ``note`` is the step's text (the
    answer, the reason for hiding)."""
    __tablename__ = "opendata_th_feedback_event"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    feedback_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    step: Mapped[str] = sa.Column(sa.Text, nullable=False)
    from_visibility: Mapped[Optional[str]] = sa.Column(sa.Text)
    to_visibility: Mapped[Optional[str]] = sa.Column(sa.Text)
    from_progress: Mapped[Optional[str]] = sa.Column(sa.Text)
    to_progress: Mapped[Optional[str]] = sa.Column(sa.Text)
    note: Mapped[Optional[str]] = sa.Column(sa.Text)
    detail: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)
