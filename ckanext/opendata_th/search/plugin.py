"""Wiring of the ``opendata_th_search`` plugin: CKAN's dataset search in
PostgreSQL instead of Solr.

CKAN has no search-backend interface yet (ckan/ckan#8441), so the plugin
puts its index and query classes where CKAN (and ckanext-harvest) look them
up, and puts Solr's classes back when it is unloaded. Without this plugin
CKAN talks to Solr exactly as before.
"""
from __future__ import annotations

import sys
from typing import Any

import ckan.lib.search as ckan_search
import ckan.plugins as p

from .index import PostgresPackageSearchIndex
from .query import PostgresPackageSearchQuery


def _no_solr_to_check(schema_file=None) -> bool:
    return True


# (module name, attribute, replacement)
_TARGETS: list[tuple[str, str, Any]] = [
    ("ckan.lib.search", "PackageSearchIndex", PostgresPackageSearchIndex),
    ("ckan.lib.search", "PackageSearchQuery", PostgresPackageSearchQuery),
    ("ckan.lib.search", "check_solr_schema_version", _no_solr_to_check),
    # ckanext-harvest imports the index class by name
    ("ckanext.harvest.logic.action.update", "PackageSearchIndex",
     PostgresPackageSearchIndex),
]
_originals: dict[tuple[str, str], Any] = {}


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
        current = getattr(module, attribute)
        if current is not replacement:
            _originals[(module_name, attribute)] = current
            setattr(module, attribute, replacement)
    _originals.setdefault(("_INDICES", "package"), ckan_search._INDICES["package"])
    _originals.setdefault(("_QUERIES", "package"), ckan_search._QUERIES["package"])
    ckan_search._INDICES["package"] = PostgresPackageSearchIndex
    ckan_search._QUERIES["package"] = PostgresPackageSearchQuery


def uninstall() -> None:
    """Put Solr's classes back."""
    for (module_name, attribute), original in list(_originals.items()):
        if module_name == "_INDICES":
            ckan_search._INDICES[attribute] = original
        elif module_name == "_QUERIES":
            ckan_search._QUERIES[attribute] = original
        else:
            setattr(sys.modules[module_name], attribute, original)
    _originals.clear()


class OpendataThSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IPluginObserver, inherit=True)

    # IConfigurer: runs on every (re)load, before CKAN checks Solr
    def update_config(self, config_):
        install()

    # IPluginObserver
    def before_unload(self, plugin):
        if plugin is self:
            uninstall()
