#!/usr/bin/env bash
# `make conformance`: other projects' tests against the PostgreSQL search
# backend (the opendata_th_search plugin), one pytest run per suite:
#
#   ckan               CKAN's own search, organization and group listing tests
#                      (shipped in the installed `ckan` package)
#   harvest            ckanext-harvest 1.6.3's tests
#   scheming           ckanext-scheming 3.1.0's tests (its test.ini)
#   scheming-subclass  ckanext-scheming's plugin-subclassing run (its
#                      test_subclass.ini, as its own CI runs it)
#   dcat               ckanext-dcat 2.4.4's tests
#
# The extensions' tests are taken from their source distributions on PyPI
# (downloaded once into .dev/conformance/), and run from there: the
# conformance pytest plugin imports the extension from the unpacked sdist
# (see ckanext/opendata_th/tests/conformance_plugin.py). ckanext-harvest
# and ckanext-scheming are this project's dependencies, already installed at
# those versions; ckanext-dcat is installed from its sdist into .venv when
# missing, with every installed package held at its version (see
# ensure_dcat); ckanext-dataset-series, which only dcat's tests use, goes to
# .dev/conformance/site, outside .venv. Each suite has its own ini
# (test-conformance-*.ini: the plugins and settings of the extension's
# test.ini, plus opendata_th_search), database and Redis database (10-13),
# and runs inside scripts/devstack.py (embedded PostgreSQL and Redis).
# Logs and junit XML files: .dev/conformance/results/.
#
# Usage: scripts/conformance.sh [SUITE...] [-- PYTEST_ARGS...]
#   no SUITE runs them all; PYTEST_ARGS go to every suite's pytest.
#
# Prints each suite's counts (passed / failed / errors / skipped; a test that
# fails in setup or teardown counts once, as an error), its duration, then
# the total and every failing test, marked "known" when listed in KNOWN below
# (each one is explained in README.rst, "Conformance with CKAN's own tests"),
# "flaky" when listed in FLAKY, "NEW" otherwise.
#
# Exit status: 0 when every suite ran and every failure and error is a known
# or flaky one; 1 when a test failed or errored that is in neither list;
# 2 when a suite could not run (download, install, or pytest stopped without
# a result).
# One suite's failures never stop the next suite.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PIP=.venv/bin/pip
WORK=.dev/conformance
RESULTS=$WORK/results
ALL_SUITES=(ckan harvest scheming scheming-subclass dcat)

# Failures and errors that are expected, as "SUITE TEST" (TEST: the end of
# junit's "module.Class.test"); README.rst gives the reasons.
KNOWN='
# Solr-specific: syntax-error page, Solr schema file, Solr local parameters,
# writes through a Solr connection
ckan  ckan.tests.controllers.test_package.TestSearch.test_search_solr_syntax_error
ckan  ckan.tests.lib.search.test_search.test_check_invalid_schema
ckan  ckan.tests.lib.search.test_search.test_check_schema_with_wrong_version
ckan  ckan.tests.lib.search.test_search.test_allowed_local_params_via_config
ckan  ckan.tests.lib.search.test_search.test_get_index_uses_site_id
# loads a schema from raw.githubusercontent.com: no internet
scheming  tests.test_load.TestLoadSchema.test_url_to_schema
# read the document sent to Solr from a mock of its connection
dcat  dcat_ap_2.test_scheming_support.TestSchemingIndexFields.test_repeating_subfields_index
dcat  dcat_ap_2.test_scheming_support.TestSchemingIndexFields.test_spatial_field
# read files from examples/ of the ckanext-dcat repository: not in its sdist
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_dataset_all_fields
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_catalog_xml_rdf
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_dataset_turtle_1
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_dataset_json_ld_1
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_dataset_json_ld_with_at_graph
dcat  dcat_ap.test_euro_dcatap_profile_parse.TestEuroDCATAPProfileParsing.test_dataset_compatibility_mode
dcat  dcat_ap_2.test_scheming_support.TestSchemingSerializeSupport.test_e2e_ckan_to_dcat
dcat  dcat_ap_2.test_scheming_support.TestSchemingParseSupport.test_e2e_dcat_to_ckan
dcat  dcat_ap_3.test_dataset_series.TestEuroDCATAP3ProfileSerializeDatasetSeries.test_e2e_ckan_to_dcat
dcat  dcat_ap_3.test_euro_dcatap_3_profile_parse.TestSchemingParseSupport.test_e2e_dcat_to_ckan
dcat  dcat_ap_3.test_euro_dcatap_3_profile_serialize.TestEuroDCATAP3ProfileSerializeDataset.test_e2e_ckan_to_dcat
dcat  health_dcat_ap.test_euro_health_dcat_ap_profile_parse.TestSchemingParseSupport.test_e2e_dcat_to_ckan
dcat  health_dcat_ap.test_euro_health_dcat_ap_profile_serialize.TestEuroDCATAP3ProfileSerializeDataset.test_e2e_ckan_to_dcat
dcat  tests.test_cli.test_consume
dcat  tests.test_cli.test_produce
dcat  tests.test_converters.test_ckan_to_dcat
dcat  tests.test_converters.test_dcat_to_ckan
# need the fluent plugin (ckanext-fluent): no usable release on PyPI
dcat  dcat_ap_2.test_multilingual_support.TestSchemingFluentSerializeSupport.test_e2e_ckan_to_dcat
dcat  dcat_ap_2.test_multilingual_support.TestSchemingFluentParseSupport.test_e2e_dcat_to_ckan
dcat  health_dcat_ap.test_euro_health_dcat_ap_profile_parse.TestSchemingFluentParseSupport.test_e2e_dcat_to_ckan_multilingual
dcat  health_dcat_ap.test_euro_health_dcat_ap_profile_serialize.TestEuroDCATAP3ProfileSerializeDatasetFluent.test_e2e_ckan_to_dcat_multilingual
'

# Tests that fail now and then whatever the backend, as in KNOWN: a failure
# is reported as "flaky", and does not change the exit status.
FLAKY='
# the third dataset gets random Faker title and notes, which contain the word
# "record" about once in a hundred runs: then it matches q=record too
ckan  ckan.tests.lib.search.test_query.TestPackageQuery.test_name_multiple_results
'

suites=()
pytest_args=()
while (($#)); do
  if [[ $1 == -- ]]; then shift; pytest_args=("$@"); break; fi
  suites+=("$1"); shift
done
((${#suites[@]})) || suites=("${ALL_SUITES[@]}")

mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.xml "$RESULTS"/*.log "$RESULTS/runs"

# -- sources ----------------------------------------------------------------

# download DIST VERSION: download DIST==VERSION's source distribution from
# PyPI (once); prints the archive.
download() {
  local into=$WORK/sdist/$1-$2
  if ! compgen -G "$into/*.tar.gz" >/dev/null; then
    mkdir -p "$into"
    "$PIP" download -q --no-deps --no-binary :all: "$1==$2" -d "$into" >&2 || return 1
  fi
  compgen -G "$into/*.tar.gz" | head -n1
}

# sdist DIST VERSION: download and unpack (once) DIST==VERSION's source
# distribution; prints the unpacked directory.
sdist() {
  local archive top
  archive=$(download "$1" "$2") || return 1
  top=$(tar tzf "$archive" | head -n1 | cut -d/ -f1)
  [[ -d $WORK/src/$top ]] || { mkdir -p "$WORK/src" && tar xzf "$archive" -C "$WORK/src"; } \
    || return 1
  echo "$WORK/src/$top"
}

# same_as_installed SRC PACKAGE: say whether ckanext/PACKAGE in the sdist is
# file for file the installed one (it is what `pip install` of it gives).
same_as_installed() {
  local installed
  installed=$("$PY" -c "import importlib.util as u; print(u.find_spec('ckanext.$2').submodule_search_locations[0])")
  if diff -rq -x __pycache__ -x '*.mo' "$1/ckanext/$2" "$installed" >/dev/null; then
    echo "[conformance] $1/ckanext/$2: same files as the installed $installed"
  else
    echo "[conformance] NOTE: $1/ckanext/$2 differs from the installed $installed"
  fi
}

# ckanext-dcat 2.4.4 is no dependency of this project: install it from its
# sdist when missing. Its runtime requirements come along (rdflib, pyld,
# geomet, ckantoolkit); every package already installed is held at its
# version by a constraints file, so pip fails rather than change one.
# (Its dev extras are not installed: pytest-ckan would add a second
# --ckan-ini option to every pytest run of .venv, and pytest-pretty would
# change `make test`'s output; the tests that need pyshacl or mlcroissant
# are not in the sdist; responses is already installed.)
ensure_dcat() {
  local archive=$1
  if [[ $("$PY" -c 'import importlib.metadata as m; print(m.version("ckanext-dcat"))' 2>/dev/null) == 2.4.4 ]]; then
    return 0
  fi
  echo "[conformance] installing ckanext-dcat 2.4.4 from $archive"
  "$PIP" freeze --exclude-editable > "$WORK/constraints.txt" || return 1
  "$PIP" install -q -c "$WORK/constraints.txt" "$archive"
}

# -- running ----------------------------------------------------------------

# run NAME INI DATABASE REDIS_DB SOURCE PYTEST_ARGS...: one suite's pytest
# inside devstack; its log and junit XML go to $RESULTS. SOURCE is the
# unpacked sdist the extension is imported from ("" for CKAN's own tests).
run() {
  local name=$1 ini=$2 db=$3 redis_db=$4 source=$5 started=$SECONDS rc
  shift 5
  echo
  echo "[conformance] ===== $name ($ini, database $db, Redis db $redis_db)"
  OPENDATA_TH_CONFORMANCE_SOURCE=$source \
    "$PY" scripts/devstack.py run --ini "$ini" --db "$db" --redis-db "$redis_db" -- \
    .venv/bin/pytest --ckan-ini="$ini" \
    -p ckanext.opendata_th.tests.conformance_plugin -p no:cacheprovider \
    -q -rfE --junitxml="$RESULTS/$name.xml" "$@" ${pytest_args[@]+"${pytest_args[@]}"} \
    2>&1 | tee "$RESULTS/$name.log"
  rc=${PIPESTATUS[0]}
  echo "$name $rc $((SECONDS - started))" >> "$RESULTS/runs"
}

# could_not_run NAME WHY: the suite is counted as not run (exit status 2).
could_not_run() {
  echo "[conformance] $1: could not run: $2"
  echo "$1 setup 0" >> "$RESULTS/runs"
}

# pytest options for a suite run from an unpacked sdist: the project's own
# pytest configuration (setup.cfg; rootdir there), as in its repository, and
# no warnings summary (as their CI runs them: hundreds of CKAN deprecations).
from_sdist() {
  echo "-c $1/setup.cfg --rootdir $1 --disable-warnings"
}

suite_ckan() {
  local CK
  CK=$("$PY" -c 'import ckan.tests, os; print(os.path.dirname(ckan.tests.__file__))')
  run ckan test-conformance.ini ckan_conformance 10 "" \
    "$CK/logic/action/test_get.py::TestPackageSearch" \
    "$CK/logic/action/test_get.py::TestOrganizationList" \
    "$CK/logic/action/test_get.py::TestGroupList" \
    "$CK/logic/action/test_get.py::TestCurrentPackageList" \
    "$CK/logic/action/test_get.py::TestGroupShow" \
    "$CK/logic/action/test_get.py::TestOrganizationShow" \
    "$CK/logic/action/test_get.py::TestOrganizationListForUser" \
    "$CK/controllers/test_package.py::TestSearch" \
    "$CK/controllers/test_group.py::TestGroupSearch" \
    "$CK/controllers/test_group.py::TestGroupInnerSearch" \
    "$CK/controllers/test_group.py::TestGroupIndex" \
    "$CK/controllers/test_group.py::TestGroupRead" \
    "$CK/controllers/test_organization.py::TestOrganizationList" \
    "$CK/controllers/test_organization.py::TestOrganizationSearch" \
    "$CK/controllers/test_organization.py::TestOrganizationInnerSearch" \
    "$CK/controllers/test_organization.py::TestOrganizationRead" \
    "$CK/controllers/test_home.py::TestHome" \
    "$CK/lib/search/test_query.py::TestPackageQuery" \
    "$CK/lib/search/test_query.py::test_convert_legacy_params_to_solr" \
    "$CK/lib/search/test_search.py"
}

suite_harvest() {
  local src
  src=$(sdist ckanext-harvest 1.6.3) && [[ -d $src/ckanext/harvest/tests ]] \
    || { could_not_run harvest "no ckanext-harvest 1.6.3 sdist with tests"; return; }
  same_as_installed "$src" harvest
  # -p ...fixtures: the clean_queues fixture, which ckanext-harvest's
  # repository loads from a top-level conftest.py that its sdist lacks.
  # shellcheck disable=SC2046
  run harvest test-conformance-harvest.ini ckan_conformance_harvest 11 "$src" \
    $(from_sdist "$src") -p ckanext.harvest.tests.fixtures "$src/ckanext/harvest/tests"
}

suite_scheming() {
  local src
  src=$(sdist ckanext-scheming 3.1.0) && [[ -d $src/ckanext/scheming/tests ]] \
    || { could_not_run scheming "no ckanext-scheming 3.1.0 sdist with tests"; return; }
  same_as_installed "$src" scheming
  # shellcheck disable=SC2046
  run scheming test-conformance-scheming.ini ckan_conformance_scheming 12 "$src" \
    $(from_sdist "$src") "$src/ckanext/scheming/tests"
}

suite_scheming-subclass() {
  local src t
  src=$(sdist ckanext-scheming 3.1.0) && t=$src/ckanext/scheming/tests && [[ -d $t ]] \
    || { could_not_run scheming-subclass "no ckanext-scheming 3.1.0 sdist with tests"; return; }
  # shellcheck disable=SC2046
  run scheming-subclass test-conformance-scheming-subclass.ini ckan_conformance_scheming 12 "$src" \
    $(from_sdist "$src") "$t/test_dataset_display.py" \
    "$t/test_form.py::TestDatasetFormNew" "$t/test_dataset_logic.py"
}

# ckanext-dataset-series: a test dependency of ckanext-dcat (its CI
# installs it for the DCAT-AP 3 dataset-series tests), not of this project.
# Installed from its PyPI sdist into .dev/conformance/site, which only the
# dcat suite sees (PYTHONPATH), never into .venv. (ckanext-fluent, the
# other one, cannot be had: its only PyPI release, 1.0.0, is Python 2.)
ensure_dataset_series() {
  local site=$WORK/site archive
  [[ -d $site/ckanext/dataset_series ]] && return 0
  archive=$(download ckanext-dataset-series 0.1.1) || return 1
  "$PIP" install -q --no-deps --target "$site" "$archive"
}

suite_dcat() {
  local src archive
  src=$(sdist ckanext-dcat 2.4.4) && [[ -d $src/ckanext/dcat/tests ]] \
    || { could_not_run dcat "no ckanext-dcat 2.4.4 sdist with tests"; return; }
  archive=$(download ckanext-dcat 2.4.4)
  ensure_dcat "$archive" || { could_not_run dcat "installing ckanext-dcat 2.4.4 failed"; return; }
  ensure_dataset_series \
    || { could_not_run dcat "installing ckanext-dataset-series 0.1.1 failed"; return; }
  same_as_installed "$src" dcat
  # shellcheck disable=SC2046
  PYTHONPATH=$PWD/$WORK/site${PYTHONPATH:+:$PYTHONPATH} \
    run dcat test-conformance-dcat.ini ckan_conformance_dcat 13 "$src" \
    $(from_sdist "$src") "$src/ckanext/dcat/tests"
}

for suite in "${suites[@]}"; do
  if [[ " ${ALL_SUITES[*]} " != *" $suite "* ]]; then
    echo "unknown suite '$suite' (suites: ${ALL_SUITES[*]})" >&2
    exit 2
  fi
  "suite_$suite"
done

# -- summary ----------------------------------------------------------------
KNOWN=$KNOWN FLAKY=$FLAKY "$PY" - "$RESULTS" <<'EOF'
"""Counts per suite from the junit XML files, the failures, the exit status."""
import os
import sys
import xml.etree.ElementTree as ET

results = sys.argv[1]


def listed(name):
    return [line.split() for line in os.environ[name].splitlines()
            if line.strip() and not line.startswith("#")]


known, flaky = listed("KNOWN"), listed("FLAKY")
runs = [line.split() for line in open(os.path.join(results, "runs"))]


def matches(test, key):
    return test == key or test.endswith("." + key)


def listed_in(tests, suite, test):
    return any(s == suite and matches(test, k) for s, k in tests)


def outcomes(path):
    """{test: passed|failed|error|skipped}; test is "module.Class.name"
    (without the site-packages path of the tests of the installed ckan)."""
    found = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        test = f"{case.get('classname')}.{case.get('name')}".split("site-packages.")[-1]
        found[test] = ("error" if "error" in kinds else "failed" if "failure" in kinds
                       else "skipped" if "skipped" in kinds else "passed")
    return found


KINDS = ("passed", "failed", "error", "skipped")
total = dict.fromkeys(KINDS, 0)
failing, fixed, status = [], [], 0
print("\n[conformance] ===== results")
print(f"  {'suite':<18} {'passed':>6} {'failed':>6} {'errors':>6} {'skipped':>7}  time")
for name, rc, seconds in runs:
    path = os.path.join(results, f"{name}.xml")
    # pytest exits 0 (all passed) or 1 (some failed); anything else: no result
    if rc not in ("0", "1") or not os.path.exists(path):
        print(f"  {name:<18} did not run to the end (exit status {rc}); see {results}/{name}.log")
        status = 2
        continue
    found = outcomes(path)
    counts = dict.fromkeys(KINDS, 0)
    for test, kind in found.items():
        counts[kind] += 1
        if kind in ("failed", "error"):
            label = ("known" if listed_in(known, name, test)
                     else "flaky" if listed_in(flaky, name, test) else "NEW")
            failing.append((name, kind, test, label))
    fixed += [k for s, k in known if s == name and any(
        matches(t, k) and kind == "passed" for t, kind in found.items())]
    for kind in KINDS:
        total[kind] += counts[kind]
    seconds = int(seconds)
    print(f"  {name:<18} {counts['passed']:>6} {counts['failed']:>6} {counts['error']:>6} "
          f"{counts['skipped']:>7}  {seconds // 60}m{seconds % 60:02d}s")
print(f"  {'total':<18} {total['passed']:>6} {total['failed']:>6} {total['error']:>6} "
      f"{total['skipped']:>7}")

if failing:
    print("\n[conformance] failures and errors (known ones are explained in README.rst):")
    for name, kind, test, label in failing:
        print(f"  {label:<5}  {name:<18} {kind:<7} {test}")
for test in fixed:
    print(f"  passes now, remove it from KNOWN: {test}")
if status == 0 and any(label == "NEW" for *_, label in failing):
    status = 1
print(f"{total['passed']} passed, {total['failed']} failed, {total['error']} errors, "
      f"{total['skipped']} skipped")
sys.exit(status)
EOF
