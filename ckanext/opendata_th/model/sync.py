"""The link between a dataset of this portal and its copy on a national
catalog (data.go.th or a GD-Catalog agency catalog), in both directions.

``opendata_th_sync`` holds one row per dataset that has a remote copy: a
dataset harvested from the remote ("pull") or published from here to it
("push"). It remembers the remote id and name (so that a re-harvest or a
push updates the same dataset and never collides on names), which remote
resource is which local one (so that records attached to local resources
survive a re-harvest), the remote fields the local schema does not know
(kept, never dropped silently), the mapping notes of the last import, and a
withdrawal: a remote deletion or privatisation makes the local copy private
with the reason here, never purges it; and the last comparison of the two
copies (the drift report: identical, different field by field, or missing).

``opendata_th_sync_source`` holds per harvest source how far its changes
have been imported: the newest remote ``metadata_modified`` of the last run
that imported everything it gathered (the next run asks only for what
changed since).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import utcnow

PULL = "pull"
PUSH = "push"


class SyncRecord(tk.BaseModel):  # type: ignore[misc]
    """One local dataset and its remote copy."""
    __tablename__ = "opendata_th_sync"
    __table_args__ = (
        sa.UniqueConstraint("remote_url", "remote_id", name="opendata_th_sync_remote"),
        sa.Index("opendata_th_sync_harvest_source", "harvest_source_id"),
    )

    package_id: Mapped[str] = sa.Column(sa.Text, primary_key=True)
    direction: Mapped[str] = sa.Column(sa.Text, nullable=False)  # PULL or PUSH
    remote_url: Mapped[str] = sa.Column(sa.Text, nullable=False)
    harvest_source_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    remote_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    remote_name: Mapped[Optional[str]] = sa.Column(sa.Text)
    remote_modified: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    resource_ids: Mapped[dict[str, str]] = sa.Column(JSONB, nullable=False, default=dict)
    set_aside: Mapped[dict[str, Any]] = sa.Column(JSONB, nullable=False, default=dict)
    notes: Mapped[list[dict[str, Any]]] = sa.Column(JSONB, nullable=False, default=list)
    withdrawn_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    withdrawn_reason: Mapped[Optional[str]] = sa.Column(sa.Text)
    pushed_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    push_error: Mapped[Optional[str]] = sa.Column(sa.Text)
    push_attempts: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    compared_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    drift_status: Mapped[Optional[str]] = sa.Column(sa.Text)  # identical, different, missing
    drift: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)  # national_portal.Drift.as_dict()
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                              default=utcnow)


class SyncSource(tk.BaseModel):  # type: ignore[misc]
    """How far one harvest source's remote changes have been imported."""
    __tablename__ = "opendata_th_sync_source"

    source_id: Mapped[str] = sa.Column(sa.Text, primary_key=True)
    watermark: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                              default=utcnow)
