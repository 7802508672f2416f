"""Wiring of the ``opendata_th`` plugin into CKAN. No logic lives here."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_th import linkcheck, status


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
class OpendataThPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer
    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "opendata_th")

    # IPackageController: the playbook's state on every dataset dict
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        status.annotate(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        for pkg_dict in search_results["results"]:
            if isinstance(pkg_dict, dict) and "resources" in pkg_dict:
                status.annotate(pkg_dict)
        return status.label_facets(search_results)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return status.for_index(pkg_dict)

    # check the links of new and changed datasets in the background
    # (resource_create/update go through package_update too)
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        linkcheck.enqueue_if_linked(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        linkcheck.enqueue_if_linked(pkg_dict)

    # IFacets
    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        facets_dict["opendata_overdue"] = tk._("Update overdue")
        return facets_dict

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: str) -> dict[str, Any]:
        return self.dataset_facets(facets_dict, package_type)
