# Development tasks. `make serve` runs a portal with demo data; `make test`
# runs the test suite. Both set up everything they need on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
CKAN_VERSION ?= 2.11.6
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(CKAN_VERSION)

.PHONY: install serve test test-pure mutation ckan conformance benchmark i18n clean-dev

install: $(STAMP)

$(STAMP): pyproject.toml setup.py requirements.txt dev-requirements.txt
	@scripts/system-deps.sh $(PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel setuptools
	$(BIN)/pip install -q "ckan[requirements,dev]==$(CKAN_VERSION)"
	$(BIN)/pip install -q -r requirements.txt -r dev-requirements.txt
	$(BIN)/pip install -q --no-build-isolation -e .
	$(MAKE) i18n
	rm -f $(VENV)/.installed-* && touch $@

# Compile the translation catalogs (also done by setup.py on a normal install).
i18n:
	$(BIN)/python -c "from setup import compile_catalogs; compile_catalogs()"

serve: install
	$(BIN)/python scripts/devstack.py serve

# The whole suite runs in one pytest-xdist worker per CPU, each with its own
# databases and Redis database; naming test paths runs one process unless
# -n N is given: make test PYTEST_ARGS="ckanext/opendata_th/tests/test_form.py -q"
test: install
	@scripts/system-deps.sh --browser $(PYTHON)
	$(BIN)/python scripts/devstack.py test $(PYTEST_ARGS)

# The rules of the playbook, the search parser, the data-quality checker,
# the yearly report's files and the charts alone: no database, a minute.
test-pure: install
	$(BIN)/pytest -p no:ckan -q ckanext/opendata_th/tests/playbook ckanext/opendata_th/tests/search/test_lucene.py ckanext/opendata_th/tests/search/test_limits.py ckanext/opendata_th/tests/search/test_sql.py ckanext/opendata_th/tests/search/test_text.py ckanext/opendata_th/tests/test_i18n.py ckanext/opendata_th/tests/test_glossary.py ckanext/opendata_th/tests/quality ckanext/opendata_th/tests/reports ckanext/opendata_th/tests/test_charts.py ckanext/opendata_th/tests/test_dashboard_charts.py

# Mutation testing of the pure rules (playbook/ and search/lucene.py) against
# the pure tests, without a database (configuration: [tool.mutmut] in
# pyproject.toml). A fresh run each time, about a quarter of an hour; ends with
# the share of mutants killed. `.venv/bin/mutmut results` lists the survivors,
# `.venv/bin/mutmut show NAME` shows one.
mutation: install
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/python scripts/mutation_score.py

# Any `ckan` command against the portal that `make serve` runs (or its
# database when it is stopped), e.g. make ckan ARGS="opendata-th overdue"
ckan: install
	$(BIN)/python scripts/devstack.py run --attach --ini development.ini --db ckan_dev --redis-db 0 -- $(BIN)/ckan -c development.ini $(ARGS)

clean-dev:
	rm -rf .dev

# Other projects' tests against the PostgreSQL search backend: CKAN's own
# search / organization / group listing tests, and the test suites of
# ckanext-harvest 1.6.3, ckanext-scheming 3.1.0 and ckanext-dcat 2.4.4 from
# their PyPI source distributions (downloaded into .dev/conformance/;
# ckanext-dcat is installed into .venv when missing). Prints the counts per
# suite and in total, and every failure; fails only on a failure that is not
# a known one (see scripts/conformance.sh). About a quarter of an hour.
# Run some suites only: make conformance SUITES="harvest dcat"
conformance: install
	scripts/conformance.sh $(SUITES)

# Search backend and dataset overhead benchmarks; print their figures.
benchmark: install
	$(BIN)/python scripts/devstack.py run --db ckan_bench -- $(BIN)/python benchmarks/search.py
	$(BIN)/python scripts/devstack.py run --db ckan_bench -- $(BIN)/python benchmarks/dataset_overhead.py
	$(BIN)/python scripts/devstack.py run --db ckan_bench -- $(BIN)/python benchmarks/search_overhead.py
	$(BIN)/python scripts/devstack.py run --db ckan_bench_harvest -- $(BIN)/python benchmarks/harvest.py
	$(BIN)/python scripts/devstack.py run --db ckan_bench_dashboard -- $(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/quality.py
