"""The portal answers the national harvesters as a thai_gdc catalog does.

GD-Catalog and data.go.th read a catalog's ``status_show`` to learn what it
is before they harvest it: ckanext-thai_gdc adds the thai_gdc version its
schema follows, the kind of catalog (an agency's, an area-based one, a data
centre's) and whether it runs as a service of the national catalog. The
datasets themselves already have thai_gdc's shapes (the same fields, values
and lists: ``schemas/dataset.yaml``).
"""
from __future__ import annotations

from importlib.metadata import version
from typing import Any, Callable

import ckan.plugins.toolkit as tk

THAI_GDC_VERSION = "2.2.4"
"""The ckanext-thai_gdc release whose dataset schema this portal keeps."""


@tk.chained_action
@tk.side_effect_free
def status_show(original_action: Callable[..., dict[str, Any]], context: dict[str, Any],
                data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's status, with the keys ckanext-thai_gdc adds (their values in
    thai_gdc's shapes: strings, as its configuration gives them)."""
    status = original_action(context, data_dict)
    status.update({
        "thaigdc_version": THAI_GDC_VERSION,
        "thaigdc_catalog_type": tk.config.get("ckanext.opendata_th.catalog.type"),
        "thaigdc_is_as_a_service": "true" if tk.asbool(
            tk.config.get("ckanext.opendata_th.catalog.as_a_service")) else "false",
        "opendata_th_version": version("ckanext-opendata-th"),
    })
    return status
