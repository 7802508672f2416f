"""The quality checker is plain Python: importing any of its modules must
not import CKAN, SQLAlchemy or Flask (checked in a fresh interpreter, which
imports the modules one after the other and says what each one added)."""
import json
import pkgutil
import subprocess
import sys

import ckanext.opendata_th.quality as quality

FORBIDDEN = ("ckan", "sqlalchemy", "flask")
MODULES = sorted([quality.__name__] + [f"{quality.__name__}.{m.name}"
                                       for m in pkgutil.iter_modules(quality.__path__)])

_PROBE = """
import importlib, json, sys
added = {}
for name in sys.argv[1:]:
    before = set(sys.modules)
    importlib.import_module(name)
    added[name] = sorted(set(sys.modules) - before)
print(json.dumps(added))
"""


def test_every_quality_module_is_checked():
    assert {"checks", "reading", "report", "findings", "dates", "codes", "personal",
            "__main__"} <= {m.rsplit(".", 1)[1] for m in MODULES}


def test_no_quality_module_imports_ckan_sqlalchemy_or_flask():
    output = subprocess.run([sys.executable, "-c", _PROBE, *MODULES], check=True,
                            capture_output=True, text=True).stdout
    added = json.loads(output)
    assert set(added) == set(MODULES)
    for module, loaded in added.items():
        leaked = [name for name in loaded if name.split(".")[0] in FORBIDDEN]
        assert not leaked, f"{module} imports {leaked[:5]}"


def test_the_probe_would_see_a_forbidden_import():
    output = subprocess.run([sys.executable, "-c", _PROBE, "json", "sqlalchemy"], check=True,
                            capture_output=True, text=True).stdout
    assert "sqlalchemy" in json.loads(output)["sqlalchemy"]


def test_the_shared_types_load_without_polars_and_the_public_names_with_it():
    probe = ("import json, sys; import ckanext.opendata_th.quality.findings; before = 'polars' in sys.modules; "
             "from ckanext.opendata_th.quality import check_file, Limits, Report; "
             "print(json.dumps([before, 'polars' in sys.modules, check_file.__module__]))")
    output = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert json.loads(output) == [False, True, "ckanext.opendata_th.quality.checks"]
