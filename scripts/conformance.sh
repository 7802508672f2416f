#!/usr/bin/env bash
# Runs CKAN's own search, organization and group listing tests (shipped in
# the installed `ckan` package) against the PostgreSQL search backend and
# prints the pass count. Used by `make conformance`.
set -uo pipefail
cd "$(dirname "$0")/.."
CK=$(.venv/bin/python -c 'import ckan.tests, os; print(os.path.dirname(ckan.tests.__file__))')
tests=(
  "$CK/logic/action/test_get.py::TestPackageSearch"
  "$CK/logic/action/test_get.py::TestOrganizationList"
  "$CK/logic/action/test_get.py::TestGroupList"
  "$CK/logic/action/test_get.py::TestCurrentPackageList"
  "$CK/logic/action/test_get.py::TestGroupShow"
  "$CK/logic/action/test_get.py::TestOrganizationShow"
  "$CK/logic/action/test_get.py::TestOrganizationListForUser"
  "$CK/controllers/test_package.py::TestSearch"
  "$CK/controllers/test_group.py::TestGroupSearch"
  "$CK/controllers/test_group.py::TestGroupInnerSearch"
  "$CK/controllers/test_group.py::TestGroupIndex"
  "$CK/controllers/test_group.py::TestGroupRead"
  "$CK/controllers/test_organization.py::TestOrganizationList"
  "$CK/controllers/test_organization.py::TestOrganizationSearch"
  "$CK/controllers/test_organization.py::TestOrganizationInnerSearch"
  "$CK/controllers/test_organization.py::TestOrganizationRead"
  "$CK/controllers/test_home.py::TestHome"
  "$CK/lib/search/test_query.py::TestPackageQuery"
  "$CK/lib/search/test_query.py::test_convert_legacy_params_to_solr"
  "$CK/lib/search/test_search.py"
)
.venv/bin/python scripts/devstack.py run --ini test-conformance.ini --db ckan_conformance -- \
  .venv/bin/pytest --ckan-ini=test-conformance.ini \
  -p ckanext.opendata_th.tests.conformance_plugin -p no:cacheprovider \
  -q -rf "$@" "${tests[@]}"
