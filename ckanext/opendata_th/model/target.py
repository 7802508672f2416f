"""Yearly targets of organizations, and the up-to-date share measured in
each fiscal year (playbook step 3.10.e).

``opendata_th_yearly_target`` holds what an organization's admins set for
one fiscal year (Buddhist Era); a target left blank is NULL.
``opendata_th_yearly_measure`` keeps the one figure the portal cannot
compute again later: the share of published datasets that were up to date
(whether a dataset is overdue depends on the day it is asked). The daily
``ckan opendata-th measure`` command records it per organization and
fiscal year, the last measure of a year replacing the one before; the
other actual figures are counted from the workflow's history whenever they
are asked for.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.types import utcnow


class YearlyTarget(tk.BaseModel):  # type: ignore[misc]
    """One organization's targets for one fiscal year."""

    __tablename__ = "opendata_th_yearly_target"

    organization_id: Mapped[str] = sa.Column(sa.Text, primary_key=True)
    fiscal_year: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    datasets_published: Mapped[Optional[int]] = sa.Column(sa.Integer)
    high_value_published: Mapped[Optional[int]] = sa.Column(sa.Integer)
    up_to_date_percent: Mapped[Optional[int]] = sa.Column(sa.Integer)
    modified: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                              default=utcnow)
    modified_by: Mapped[Optional[str]] = sa.Column(sa.Text)


class YearlyMeasure(tk.BaseModel):  # type: ignore[misc]
    """The last measure in a fiscal year of an organization's published
    datasets against their update schedules."""

    __tablename__ = "opendata_th_yearly_measure"

    organization_id: Mapped[str] = sa.Column(sa.Text, primary_key=True)
    fiscal_year: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    measured_at: Mapped[dt.datetime] = sa.Column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow)
    on_schedule: Mapped[int] = sa.Column(sa.Integer, nullable=False)
    overdue: Mapped[int] = sa.Column(sa.Integer, nullable=False)
