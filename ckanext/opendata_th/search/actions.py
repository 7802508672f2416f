"""Actions of the ``opendata_th_search`` plugin."""
from __future__ import annotations

import functools
from typing import Any, Callable

import ckan.plugins.toolkit as tk

from .backend import active
from .index import PostgresPackageSearchIndex


def _clear_source(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, str]:
    """Delete a harvest source's datasets from the PostgreSQL index."""
    from ckanext.harvest.model import HarvestSource

    tk.check_access("harvest_source_index_clear", context, data_dict)
    source = HarvestSource.get(data_dict.get("id"))
    if not source:
        raise tk.ObjectNotFound(f"Harvest source {data_dict.get('id')} does not exist")
    PostgresPackageSearchIndex().delete_by_term("harvest_source_id", source.id)
    return {"id": source.id}


@tk.chained_action
def harvest_source_index_clear(original_action, context, data_dict):
    """ckanext-harvest clears a source's datasets from the index with a
    Solr delete query; with this backend they are deleted here instead."""
    if not active():
        return original_action(context, data_dict)
    return _clear_source(context, data_dict)


def direct_index_clear(original: Callable[..., Any]) -> Callable[..., Any]:
    """ckanext-harvest's ``harvest_source_clear`` (the "Clear" button and
    ``ckan harvester clearsource``) calls ``harvest_source_index_clear`` as a
    plain function, not through ``get_action``; this replaces that function
    in its module, with the same behaviour as the chained action above.
    (``functools.wraps`` keeps the module name, so that ckanext-harvest still
    registers the function as its action.)"""
    @functools.wraps(original)
    def harvest_source_index_clear(context, data_dict):
        if not active():
            return original(context, data_dict)
        return _clear_source(context, data_dict)

    harvest_source_index_clear.replaced = original  # type: ignore[attr-defined]
    return harvest_source_index_clear


# package_search's numbers that CKAN's validators cannot take blank: a value
# of only spaces passes ``default`` and then fails inside
# ``natural_number_validator`` with a TypeError (a 500)
_NUMBERS = ("rows", "start", "facet.limit", "facet.mincount")


@tk.side_effect_free
@tk.chained_action
def package_search(original_action, context, data_dict):
    """CKAN's package_search, with blank numbers (``rows=" "``) read as not
    given, as an empty one is."""
    blank = [key for key in _NUMBERS
             if isinstance(data_dict.get(key), str) and not data_dict[key].strip()]
    if blank:
        data_dict = {key: value for key, value in data_dict.items() if key not in blank}
    return original_action(context, data_dict)
