"""The daily digests e-mailed to approvers: at most one per approver and
(Bangkok) day, whatever waits for them."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class ApprovalDigest(tk.BaseModel):  # type: ignore[misc]
    """A digest sent to one approver on one day, listing the datasets then
    pending their approval (their ids, for the record)."""
    __tablename__ = "opendata_th_approval_digest"
    __table_args__ = (sa.UniqueConstraint("user_id", "day"),)

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = sa.Column(sa.Text, nullable=False)
    day: Mapped[dt.date] = sa.Column(sa.Date, nullable=False)
    package_ids: Mapped[list[str]] = sa.Column(sa.JSON, nullable=False, default=list)
    sent_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                             default=utcnow)
