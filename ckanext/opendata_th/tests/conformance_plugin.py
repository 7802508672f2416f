"""pytest plugin for `make conformance`: runs CKAN's own tests (shipped
inside the ``ckan`` package) and the test suites of other CKAN extensions
with the PostgreSQL search backend on.

CKAN's test runner unloads every non-system plugin before the tests and
after each ``with_plugins`` test, and many core tests never load plugins
at all. Here the ``opendata_th_search`` plugin is loaded again before each
test's fixtures, after each fixture (``with_plugins`` unloads it when a test
names its own ``ckan.plugins``) and before the test's body, so every search
and index write a test makes is answered by PostgreSQL, as on a site that
enables the plugin.

Extensions' suites (ckanext-harvest, -scheming, -dcat) are run from their
unpacked source distributions (``scripts/conformance.sh``). Set
``OPENDATA_TH_CONFORMANCE_SOURCE`` to such a directory (the one that holds
``ckanext/<name>/``): this module puts its ``ckanext/`` first among the
places the ``ckanext`` namespace is imported from, so that the extension,
its tests and the test plugins its entry points name all come from that
source, once. (Without it pytest would import the installed copy for the
entry points and refuse the source's ``conftest.py`` as another file of
the same module.) Load this plugin first (``-p`` before any other ``-p``
that imports the extension).
"""
import os
import sys

import ckanext

_SOURCE = os.environ.get("OPENDATA_TH_CONFORMANCE_SOURCE")
if _SOURCE:
    _PORTION = os.path.join(os.path.abspath(_SOURCE), "ckanext")
    _EXTENSIONS = sorted(name for name in os.listdir(_PORTION)
                         if os.path.isdir(os.path.join(_PORTION, name))
                         and not name.startswith(("_", ".")))
    _early = [n for n in _EXTENSIONS if f"ckanext.{n}" in sys.modules]
    if _early:  # an installed copy got in first: the run would be mixed
        raise RuntimeError(f"ckanext.{_early[0]} was imported before the "
                           "conformance plugin; load the plugin first")
    # The namespace's search path (a computed path object) becomes a plain
    # list with the source first; the other portions stay, in their order.
    ckanext.__path__ = [_PORTION] + [p for p in ckanext.__path__ if p != _PORTION]

import pytest  # noqa: E402

import ckan.plugins as p  # noqa: E402

from ckanext.opendata_th.search.backend import PLUGIN_NAME  # noqa: E402


def _ensure_loaded() -> None:
    if not p.plugin_loaded(PLUGIN_NAME):
        p.load(PLUGIN_NAME)


def pytest_report_collectionfinish(config, start_path, items):
    """Say where the extension under test was imported from (shown with
    ``-q`` too, unlike a report header)."""
    if not _SOURCE:
        return None
    lines = []
    for name in _EXTENSIONS:
        module = sys.modules.get(f"ckanext.{name}")
        where = os.path.dirname(module.__file__) if module else "(not imported yet)"
        lines.append(f"conformance: ckanext.{name} from {where}")
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _ensure_loaded()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """After each fixture: fixtures such as ``with_plugins`` unload every
    plugin the test did not ask for; later fixtures (``clean_index``,
    factories that index datasets) must still find the backend loaded."""
    yield
    _ensure_loaded()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    _ensure_loaded()
