"""The readiness assessment's glue: the questionnaire and rule chosen by
configuration, the clock, and the stored assessments, for the actions, the
publishing gate, the daily job and the pages.

The rules themselves (loading the questionnaire, merging and scoring a
document, fiscal years) are plain Python in
:mod:`ckanext.opendata_th.playbook.readiness`.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.readiness import ReadinessAssessment, ReadinessFile
from ckanext.opendata_th.playbook import readiness as rules
from ckanext.opendata_th.context import now

SCHEMA_OPTION = "ckanext.opendata_th.readiness.schema"
REQUIRED_LEVEL_OPTION = "ckanext.opendata_th.readiness.required_level"
MAX_FILE_SIZE_OPTION = "ckanext.opendata_th.readiness.max_file_size"
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@functools.lru_cache(maxsize=4)
def _load(path: str) -> rules.ReadinessSchema:
    return rules.load_schema(path)


def schema() -> rules.ReadinessSchema:
    """The questionnaire of ``ckanext.opendata_th.readiness.schema`` (empty:
    the shipped file), loaded once per path. A broken file raises
    :class:`~.playbook.readiness.ReadinessSchemaError` naming the place."""
    path = tk.config.get(SCHEMA_OPTION) or str(rules.SCHEMA_FILE)
    return _load(str(Path(path).expanduser()))


def required_level() -> int:
    """The level every activity must reach: the configured one, or the
    questionnaire's own rule. A configured level outside the questionnaire's
    levels is a configuration error (raised with the range)."""
    current = schema()
    configured = tk.config.get(REQUIRED_LEVEL_OPTION)
    if configured in (None, ""):
        return current.required_level
    level = int(configured)
    if not 1 <= level <= current.max_level:
        raise ValueError(f"{REQUIRED_LEVEL_OPTION} = {level}: the levels of {current.path} "
                         f"are 1 to {current.max_level}")
    return level


def check_config() -> None:
    """Fail at start-up, with a clear message, on a broken questionnaire or
    a required level it does not have."""
    _load.cache_clear()
    required_level()


def max_file_size() -> int:
    """The largest evidence file accepted, in bytes."""
    return int(tk.config.get(MAX_FILE_SIZE_OPTION) or DEFAULT_MAX_FILE_SIZE)


def today() -> dt.date:
    """Today's date in Bangkok: actions due before it are overdue."""
    return now().date()


def current_fiscal_year() -> int:
    """The Thai fiscal year (Buddhist Era) in progress in Bangkok."""
    return rules.fiscal_year_of(now())


def organization(id_or_name: object) -> Optional[model.Group]:
    """The active organization with this id or name, or None."""
    if not isinstance(id_or_name, str) or not id_or_name or len(id_or_name) > 200:
        return None
    group = model.Group.get(id_or_name)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return group


def assessment(organization_id: str, year: int) -> Optional[ReadinessAssessment]:
    """The stored assessment of an organization for a fiscal year."""
    return model.Session.query(ReadinessAssessment).filter_by(
        organization_id=organization_id, fiscal_year=year).one_or_none()


def verdict(organization_id: str, year: Optional[int] = None) -> rules.Verdict:
    """Whether the organization is ready in a fiscal year (default: the
    current one); no assessment is not ready."""
    found = assessment(organization_id, current_fiscal_year() if year is None else year)
    return rules.evaluate(schema(), found.document if found else None, required_level())


def assessment_url(organization_name: str, year: Optional[int] = None) -> str:
    """The absolute URL of the organization's readiness tab."""
    params = {} if year is None else {"year": year}
    try:
        return tk.url_for("opendata_th_readiness.read", id=organization_name,
                          _external=True, **params)
    except Exception:  # outside a request, or the pages are not wired
        query = "" if year is None else f"?year={year}"
        site = (tk.config.get("ckan.site_url") or "").rstrip("/")
        return f"{site}/organization/readiness/{organization_name}{query}"


def readiness_file(file_id: object) -> Optional[ReadinessFile]:
    """The evidence file with this id (its bytes not loaded), or None."""
    if not isinstance(file_id, str) or not file_id or len(file_id) > 100:
        return None
    return model.Session.get(ReadinessFile, file_id)


def file_organization_id(found: ReadinessFile) -> Optional[str]:
    """The id of the organization whose assessment holds the file."""
    owner = model.Session.get(ReadinessAssessment, found.assessment_id)
    return owner.organization_id if owner else None


def file_content(file_id: str) -> tuple[str, str, bytes]:
    """``(name, content_type, bytes)`` of an evidence file, for the download
    view (which checks ``opendata_th_readiness_file_download`` first).

    :raises ObjectNotFound: no such file
    """
    found = readiness_file(file_id)
    if found is None:
        raise tk.ObjectNotFound()
    return found.name, found.content_type, found.data
