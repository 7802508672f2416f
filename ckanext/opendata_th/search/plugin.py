"""Wiring of the ``opendata_th_search`` plugin: CKAN's dataset search in
PostgreSQL instead of Solr.

CKAN has no search-backend interface yet (ckan/ckan#8441), so the plugin
puts its index and query classes where CKAN (and ckanext-harvest) look them
up. Those classes hand over to Solr's whenever the plugin is not loaded
(see :func:`.backend.active`), so unloading the plugin puts CKAN back on
Solr, and a site without the plugin never runs this code.
"""
from __future__ import annotations

import sys
from typing import Any

import ckan.lib.search as ckan_search
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .actions import direct_index_clear, harvest_source_index_clear, package_search
from .backend import active
from .index import PostgresPackageSearchIndex
from .query import PostgresPackageSearchQuery
from . import views


_solr_check = ckan_search.check_solr_schema_version


def _check_solr_unless_active(schema_file=None) -> bool:
    """No Solr to check while the PostgreSQL backend is on."""
    return True if active() else _solr_check(schema_file)


# (module name, attribute, replacement)
_TARGETS: list[tuple[str, str, Any]] = [
    ("ckan.lib.search", "PackageSearchIndex", PostgresPackageSearchIndex),
    ("ckan.lib.search", "PackageSearchQuery", PostgresPackageSearchQuery),
    ("ckan.lib.search", "check_solr_schema_version", _check_solr_unless_active),
    # ckanext-harvest imports the index class by name
    ("ckanext.harvest.logic.action.update", "PackageSearchIndex",
     PostgresPackageSearchIndex),
]


def install() -> None:
    """Route CKAN's dataset index and queries to PostgreSQL."""
    for module_name, attribute, replacement in _TARGETS:
        module = sys.modules.get(module_name)
        if module is None and module_name.startswith("ckanext.harvest") \
                and p.plugin_loaded("harvest"):
            __import__(module_name)
            module = sys.modules[module_name]
        if module is None:
            continue
        setattr(module, attribute, replacement)
    harvest = sys.modules.get("ckanext.harvest.logic.action.update")
    if harvest is not None and not hasattr(harvest.harvest_source_index_clear, "replaced"):
        harvest.harvest_source_index_clear = direct_index_clear(harvest.harvest_source_index_clear)
    ckan_search._INDICES["package"] = PostgresPackageSearchIndex
    ckan_search._QUERIES["package"] = PostgresPackageSearchQuery


@tk.blanket.config_declarations
class OpendataThSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IActions)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer: runs on every (re)load, before CKAN checks Solr
    def update_config(self, config_):
        install()

    # IActions
    def get_actions(self):
        actions = {"package_search": package_search}
        if p.plugin_loaded("harvest"):
            actions["harvest_source_index_clear"] = harvest_source_index_clear
        return actions

    # IMiddleware: organization and group pages refuse bad searches with 400
    def make_middleware(self, app, config):
        if hasattr(app, "view_functions"):
            views.install(app)
        return app
