"""Auth functions of the ``opendata_th`` actions, one module per area."""
from ckanext.opendata_th.logic.auth.names import opendata_th_name_suggest
from ckanext.opendata_th.logic.auth.properties import (
    opendata_th_link_check,
    opendata_th_properties_show,
)

__all__ = ["opendata_th_properties_show", "opendata_th_link_check", "opendata_th_name_suggest"]
