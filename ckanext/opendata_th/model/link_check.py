"""Checks that resource links answer: evidence for the "permanent" property."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import new_id, utcnow


class LinkCheck(tk.BaseModel):  # type: ignore[misc]
    """One check of a resource URL: did it answer?"""
    __tablename__ = "opendata_th_link_check"

    id: Mapped[str] = sa.Column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    resource_id: Mapped[str] = sa.Column(sa.Text, nullable=False, index=True)
    url: Mapped[str] = sa.Column(sa.Text, nullable=False)
    checked_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                default=utcnow)
    ok: Mapped[bool] = sa.Column(sa.Boolean, nullable=False)
    status_code: Mapped[int] = sa.Column(sa.Integer)
    error: Mapped[str] = sa.Column(sa.Text)

    @classmethod
    def latest(cls, package_ids: Iterable[str]) -> dict[str, dict[str, bool]]:
        """{package id: {resource id: answered}} from the latest check of
        each resource of these datasets, in one query. A check of a URL the
        resource no longer has is not its latest check."""
        ids = list(set(package_ids))
        if not ids:
            return {}
        rows = model.Session.execute(_LATEST, {"ids": ids})
        found: dict[str, dict[str, bool]] = {}
        for package_id, resource_id, ok in rows:
            found.setdefault(package_id, {})[resource_id] = ok
        return found


# Plain SQL on the session's connection: no ORM flush on every dataset shown.
# Only checks of the resource's current URL count.
_LATEST = sa.text(f"""
    SELECT DISTINCT ON (c.resource_id) c.package_id, c.resource_id, c.ok
    FROM {LinkCheck.__tablename__} c
    JOIN resource r ON r.id = c.resource_id AND r.url = c.url
    WHERE c.package_id = ANY(:ids)
    ORDER BY c.resource_id, c.checked_at DESC
""")
