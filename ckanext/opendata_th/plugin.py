"""Wiring of the ``opendata_th`` plugin into CKAN. No logic lives here."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.opendata_th import annotations, home, readiness, subscriptions, workflow
from ckanext.opendata_th.logic import approval_gate
from ckanext.opendata_th.views import api_language, unstorable_input


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
class OpendataThPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "opendata_th")
        tk.add_public_directory(config_, "public")
        home.use_neutral_logo(config_)

    def update_config_schema(self, schema):
        return home.config_schema(schema)

    # IConfigurable: a broken readiness questionnaire, classification tree or
    # priority weights stop start-up with the error
    def configure(self, config_):
        readiness.check_config()
        workflow.check_config()  # the classification tree and the priority weights

    # ISignal: follow-up work, queued after the change is committed
    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()

    # IMiddleware: text no database can store is refused with 400
    def make_middleware(self, app, config):
        if hasattr(app, "before_request"):
            unstorable_input.install(app)
            api_language.install(app)  # API answers in the language asked for
        return app

    # IPackageController: the playbook's state on dataset dicts and in search
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        annotations.annotate(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return annotations.rewrite_schedule_filters(search_params)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return annotations.after_search(search_results, search_params)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return annotations.for_index(pkg_dict)

    # IPackageController: the disclosure workflow's stage follows every save
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        approval_gate.record_after_create(context, pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        approval_gate.record_after_update(context, pkg_dict)

    # IFacets
    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        facets_dict[annotations.STAGE_FIELD] = tk._("Stage")
        facets_dict[annotations.SCHEDULE_FIELD] = tk._("Update schedule")
        facets_dict[annotations.HIGH_VALUE_FIELD] = tk._("High-value datasets")
        return facets_dict

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: str) -> dict[str, Any]:
        return self.dataset_facets(facets_dict, package_type)
