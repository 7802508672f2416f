"""Actions of the ``opendata_th_search`` plugin."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from .backend import active
from .index import PostgresPackageSearchIndex


@tk.chained_action
def harvest_source_index_clear(original_action, context, data_dict):
    """ckanext-harvest clears a source's datasets from the index with a
    Solr delete query; with this backend they are deleted here instead."""
    if not active():
        return original_action(context, data_dict)
    from ckanext.harvest.model import HarvestSource

    tk.check_access("harvest_source_index_clear", context, data_dict)
    source = HarvestSource.get(data_dict.get("id"))
    if not source:
        raise tk.ObjectNotFound(f"Harvest source {data_dict.get('id')} does not exist")
    PostgresPackageSearchIndex().delete_by_term("harvest_source_id", source.id)
    return {"id": source.id}
