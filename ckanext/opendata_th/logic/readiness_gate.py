"""The readiness gate: an organization that is not ready for the current
fiscal year cannot make a dataset public.

Step 2.2 of the playbook comes before any disclosure: an agency assesses its
readiness first. With ``ckanext.opendata_th.require_readiness`` on (the
default), every route that makes a dataset public asks :func:`refusal`: the
dataset schema's after-validator (the form, ``package_create``/``_update``/
``_patch``, harvests) and the organization's bulk "Make public". Datasets
that are already public stay public and can be edited: the gate stops the
change from private to public only.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import readiness
from ckanext.opendata_th.playbook import readiness as rules
from ckanext.opendata_th.playbook.messages import Message


def required() -> bool:
    """Whether the gate is on (``ckanext.opendata_th.require_readiness``)."""
    return tk.asbool(tk.config.get("ckanext.opendata_th.require_readiness", True))


def refusal(organization_id: object) -> Message | None:
    """Why a dataset of this organization cannot be made public now (what its
    assessment for the current fiscal year is missing, and where to complete
    it), or None when it may be, the gate is off or there is no organization."""
    if not required() or not isinstance(organization_id, str) or not organization_id:
        return None
    organization = model.Group.get(organization_id)
    if organization is None or not organization.is_organization:
        return None
    year = readiness.current_fiscal_year()
    verdict = readiness.verdict(organization.id, year)
    if verdict.ready:
        return None
    return rules.not_ready_message(organization.title or organization.name, year, verdict,
                                   readiness.assessment_url(organization.name, year))
