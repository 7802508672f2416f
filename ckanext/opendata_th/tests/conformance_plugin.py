"""pytest plugin for `make conformance`: runs CKAN's own tests (shipped
inside the ``ckan`` package) with the PostgreSQL search backend on.

CKAN's test runner unloads every non-system plugin before the tests and
after each ``with_plugins`` test, and many core tests never load plugins
at all. Here the ``opendata_th_search`` plugin is loaded again before each
test's fixtures and before its body, so every search a core test makes is
answered by PostgreSQL, as on a site that enables the plugin.
"""
import pytest

import ckan.plugins as p

from ckanext.opendata_th.search.backend import PLUGIN_NAME


def _ensure_loaded() -> None:
    if not p.plugin_loaded(PLUGIN_NAME):
        p.load(PLUGIN_NAME)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _ensure_loaded()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    _ensure_loaded()
