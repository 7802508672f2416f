"""Dataset requests (step 3.9.2 of the playbook): what people asked for,
and every decision the organization took on it.

``opendata_th_dataset_request`` holds one row per request: what was asked,
for which organization, who asked (name and e-mail, optional, never shown
to the public), where it stands and the dataset it is linked to.
``opendata_th_dataset_request_event`` is its history: the request made,
each triage decision, the requester's answers and the assignments, with who
(None: the requester, or a visitor), when and the comment; never updated
nor deleted. The states and which decisions are allowed are the playbook's
(:mod:`ckanext.opendata_th.playbook.dataset_requests`).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow
from ckanext.opendata_th.playbook.dataset_requests import OPEN_STATES


class DatasetRequest(tk.BaseModel):  # type: ignore[misc]
    """One request for a dataset."""
    __tablename__ = "opendata_th_dataset_request"
    __table_args__ = (
        sa.Index("opendata_th_dataset_request_organization_state", "organization_id", "state"),
        sa.Index("opendata_th_dataset_request_state_created", "state", "created"),
    )

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    title: Mapped[str] = sa.Column(sa.Text, nullable=False)
    description: Mapped[str] = sa.Column(sa.Text, nullable=False, default="")
    purpose: Mapped[str] = sa.Column(sa.Text, nullable=False, default="")
    organization_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    """The organization it is addressed to (None: not known yet; a sysadmin assigns it)."""
    requester_name: Mapped[str] = sa.Column(sa.Text, nullable=False, default="")
    requester_email: Mapped[str] = sa.Column(sa.Text, nullable=False, default="")
    requester_user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    """The account that asked (None: a visitor without one)."""
    reply_key: Mapped[str] = sa.Column(sa.Text, nullable=False)
    """The secret of the requester's link for answering questions."""
    state: Mapped[str] = sa.Column(sa.Text, nullable=False)
    reason: Mapped[Optional[str]] = sa.Column(sa.Text)
    """Why it is not suitable (one of the playbook's reasons)."""
    package_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    """The dataset linked: the candidate made when accepted, or the
    published dataset that already holds the data."""
    created: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    decided_at: Mapped[Optional[dt.datetime]] = sa.Column(sa.DateTime(timezone=True))
    decided_by: Mapped[Optional[str]] = sa.Column(sa.Text)

    @classmethod
    def get(cls, request_id: object) -> Optional["DatasetRequest"]:
        if not isinstance(request_id, str) or not request_id or len(request_id) > 100:
            return None
        return model.Session.get(cls, request_id)

    @classmethod
    def locked(cls, request_id: str) -> Optional["DatasetRequest"]:
        """The row, locked until the transaction ends: two admins deciding
        at once are serialized, the second sees the first's decision."""
        return model.Session.query(cls).filter_by(id=request_id).with_for_update().populate_existing() \
            .one_or_none()


class DatasetRequestEvent(tk.BaseModel):  # type: ignore[misc]
    """One recorded change of a request: ``kind`` is "created", "decision"
    (``decision`` names it), "reply" (the requester's answer) or "assigned"
    (``detail``: the organizations before and after)."""
    __tablename__ = "opendata_th_dataset_request_event"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    request_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    user_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    kind: Mapped[str] = sa.Column(sa.Text, nullable=False)
    decision: Mapped[Optional[str]] = sa.Column(sa.Text)
    from_state: Mapped[Optional[str]] = sa.Column(sa.Text)
    to_state: Mapped[Optional[str]] = sa.Column(sa.Text)
    reason: Mapped[Optional[str]] = sa.Column(sa.Text)
    comment: Mapped[Optional[str]] = sa.Column(sa.Text)
    package_id: Mapped[Optional[str]] = sa.Column(sa.Text)
    detail: Mapped[Optional[dict[str, Any]]] = sa.Column(JSONB)


def open_counts() -> dict[Optional[str], dict[str, int]]:
    """The open requests (waiting for review, needing more information) of
    every organization, by state, in one aggregate query:
    ``{organization id (None: not assigned): {"new": n, "needs_info": m,
    "open": n + m}}``. Organizations without open requests are absent."""
    rows = model.Session.query(DatasetRequest.organization_id, DatasetRequest.state,
                               sa.func.count()).filter(
        DatasetRequest.state.in_(OPEN_STATES)).group_by(
        DatasetRequest.organization_id, DatasetRequest.state)
    found: dict[Optional[str], dict[str, int]] = {}
    for organization_id, state, count in rows:
        counts = found.setdefault(organization_id, {"open": 0, **{s: 0 for s in OPEN_STATES}})
        counts[state] = int(count)
        counts["open"] += int(count)
    return found
