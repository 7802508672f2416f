"""Whether the PostgreSQL search backend is in use."""
from typing import Any

import ckan.plugins as p

PLUGIN_NAME = "opendata_th_search"


def active() -> bool:
    """True while the ``opendata_th_search`` plugin is loaded."""
    return p.plugin_loaded(PLUGIN_NAME)


class SolrWhenInactive:
    """Mixin for the backend's classes: while the plugin is not loaded,
    making one gives an instance of CKAN's Solr class (``solr_class``)."""

    solr_class: type

    def __new__(cls, *args: Any, **kwargs: Any):
        if not active():
            return cls.solr_class()
        return super().__new__(cls)
