"""The agency's home page, About page and branding: its names, links and
texts from configuration (editable on CKAN's sysadmin config page), and the
datasets the home page lists.

Counts and lists come from ``package_search`` run as the visitor, so a
visitor sees on the home page exactly what the dataset search shows them:
anonymous visitors and other organizations' members see public datasets
only; an organization's members also see its private datasets (marked
private), as on /dataset. Nothing is cached in process memory: every worker
reads the same configuration and database."""
from __future__ import annotations

from typing import Any

import ckan.lib.search as search
import ckan.plugins.toolkit as tk

__all__ = ["opendata_th_agency", "opendata_th_site_logo", "opendata_th_about_text",
           "opendata_th_intro_text", "opendata_th_home_datasets"]

AGENCY_NAME = "ckanext.opendata_th.agency.name_{lang}"
AGENCY_URL = "ckanext.opendata_th.agency.url"
ABOUT = "ckanext.opendata_th.about.{lang}"
INTRO = "ckanext.opendata_th.intro.{lang}"
NATIONAL_PORTAL_URL = "ckanext.opendata_th.national_portal.url"
LANGUAGES = ("th", "en")

DEFAULT_LOGO = "/opendata_th/logo.svg"
CKAN_LOGO = "/base/images/ckan-logo.png"
"""CKAN's own default for ``ckan.site_logo``: replaced by the extension's
neutral logo, as an unset logo is."""

HOME_LIST_ROWS = 5
HIGH_VALUE_FILTER = 'high_value_dataset:"True"'
"""thai_gdc stores the yes/no choice of ``high_value_dataset`` as the
strings "True"/"False" (labels ใช่/ไม่ใช่)."""

TEXT_MAX_LENGTH = 10_000


def use_neutral_logo(config: Any) -> None:
    """Make the extension's neutral logo the default of ``ckan.site_logo``
    (CKAN's own logo otherwise), so the sysadmin config page shows the logo
    the site shows. A logo set in the .ini file is kept."""
    if (config.get("ckan.site_logo") or CKAN_LOGO) == CKAN_LOGO:
        config["ckan.site_logo"] = DEFAULT_LOGO


def config_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The options a sysadmin edits on /ckan-admin/config (IConfigurer
    ``update_config_schema``)."""
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    strip = tk.get_validator("strip_value")
    url = tk.get_validator("url_validator")
    length = config_text_length
    for lang in LANGUAGES:
        schema[AGENCY_NAME.format(lang=lang)] = [ignore_missing, unicode_safe, strip, length]
        schema[ABOUT.format(lang=lang)] = [ignore_missing, unicode_safe, length]
        schema[INTRO.format(lang=lang)] = [ignore_missing, unicode_safe, length]
    for key in (AGENCY_URL, NATIONAL_PORTAL_URL):
        schema[key] = [ignore_missing, unicode_safe, strip, url]
    return schema


def config_text_length(value: Any) -> Any:
    """Validator: a config text no longer than TEXT_MAX_LENGTH characters."""
    if isinstance(value, str) and len(value) > TEXT_MAX_LENGTH:
        raise tk.Invalid(tk._("Must be at most {max} characters long").format(max=TEXT_MAX_LENGTH))
    return value


def _in_language(pattern: str) -> tuple[str, str]:
    """(text in the current language, text in the other language) of the
    bilingual option ``pattern``; either may be empty."""
    current = "en" if tk.h.lang() == "en" else "th"
    other = "th" if current == "en" else "en"
    read = lambda lang: (tk.config.get(pattern.format(lang=lang)) or "").strip()  # noqa: E731
    return read(current), read(other)


def _first(*values: str) -> str:
    return next((value for value in values if value), "")


def opendata_th_agency() -> dict[str, str]:
    """The agency that runs the portal: ``name`` in the current language
    (the other language, then ``ckan.site_title``, as fallbacks),
    ``other_name`` (its name in the other language, when different), ``url``
    of its own web site and ``national_portal_url`` (data.go.th)."""
    current, other = _in_language(AGENCY_NAME)
    name = _first(current, other, tk.config.get("ckan.site_title") or "")
    return {
        "name": name,
        "other_name": other if other and other != name else "",
        "url": (tk.config.get(AGENCY_URL) or "").strip(),
        "national_portal_url": (tk.config.get(NATIONAL_PORTAL_URL) or "").strip(),
    }


def opendata_th_site_logo() -> str:
    """The URL of the site's logo: ``ckan.site_logo``, or the extension's
    neutral logo when it is unset or still CKAN's."""
    logo = (tk.config.get("ckan.site_logo") or "").strip()
    if not logo or logo == CKAN_LOGO:
        logo = DEFAULT_LOGO
    return tk.h.url_for_static_or_external(logo)


def opendata_th_about_text() -> str:
    """The About page's Markdown in the current language, the other language
    as fallback, then CKAN's single ``ckan.site_about``; "" when none is set
    (the template then says what the portal is in the catalogs' words)."""
    return _first(*_in_language(ABOUT), (tk.config.get("ckan.site_about") or "").strip())


def opendata_th_intro_text() -> str:
    """The home page's introduction (Markdown), chosen as the About text is,
    with ``ckan.site_intro_text`` as the last fallback."""
    return _first(*_in_language(INTRO), (tk.config.get("ckan.site_intro_text") or "").strip())


def _search(**params: Any) -> dict[str, Any]:
    """package_search as the visitor: what they may see, and nothing else."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    params.setdefault("include_private", True)
    try:
        return tk.get_action("package_search")(context, params)
    except search.SearchError:
        return {"count": 0, "results": []}


def _count(action: str) -> int:
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    return len(tk.get_action(action)(context, {"all_fields": False}))


def opendata_th_home_datasets() -> dict[str, Any]:
    """What the home page shows of the catalog, as the visitor may see it:
    the number of datasets, organizations and groups, the newest datasets
    and the high-value ones (with their number). Four queries, whatever
    the size of the catalog."""
    newest = _search(q="", sort="metadata_created desc", rows=HOME_LIST_ROWS)
    high_value = _search(q="", fq=HIGH_VALUE_FILTER, sort="metadata_modified desc",
                         rows=HOME_LIST_ROWS)
    return {
        "dataset_count": newest["count"],
        "newest": newest["results"],
        "high_value_count": high_value["count"],
        "high_value": high_value["results"],
        "organization_count": _count("organization_list"),
        "group_count": _count("group_list"),
    }
