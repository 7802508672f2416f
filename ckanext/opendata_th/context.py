"""What the glue asks of CKAN, in one place: the site user, the playbook's
clock, and the facts the rules need from configuration (holidays, the licence
register). Everything here is cheap and side-effect free."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.playbook.dates import BANGKOK, parse_iso_date


def site_context() -> dict[str, Any]:
    """An action context of the site user: jobs and commands act as the portal."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def now() -> dt.datetime:
    """The current time in Asia/Bangkok, naive (the playbook's clock)."""
    return dt.datetime.now(BANGKOK).replace(tzinfo=None)


def holidays() -> frozenset[dt.date]:
    """Public holidays skipped when counting working days (config option
    ``ckanext.opendata_th.holidays``); unreadable dates are ignored."""
    values = tk.config.get("ckanext.opendata_th.holidays") or []
    if isinstance(values, str):
        values = values.split()
    return frozenset(d for d in map(parse_iso_date, values) if d)


def open_license_ids() -> frozenset[str]:
    """Ids of the licences CKAN's register marks as open."""
    register = model.Package.get_license_register()
    return frozenset(lic.id for lic in register.values() if lic.isopen())


def display_zone() -> dt.tzinfo:
    """The time zone people see times in (``ckan.display_timezone``)."""
    return tk.h.get_display_timezone()
