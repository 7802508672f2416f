"""Whether the PostgreSQL search backend is in use."""
import ckan.plugins as p

PLUGIN_NAME = "opendata_th_search"


def active() -> bool:
    """True while the ``opendata_th_search`` plugin is loaded."""
    return p.plugin_loaded(PLUGIN_NAME)
