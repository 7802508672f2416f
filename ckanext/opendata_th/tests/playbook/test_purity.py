"""The playbook's rules are plain Python: importing any of them must not
import CKAN, SQLAlchemy or Flask (checked in a fresh interpreter)."""
import json
import pkgutil
import subprocess
import sys

import ckanext.opendata_th.playbook as playbook

FORBIDDEN = ("ckan", "sqlalchemy", "flask")
MODULES = sorted(f"{playbook.__name__}.{m.name}" for m in pkgutil.iter_modules(playbook.__path__))

_PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def test_every_playbook_module_is_checked():
    assert {"dates", "frequency", "messages", "national_schema", "properties",
            "vocabulary"} <= {m.rsplit(".", 1)[1] for m in MODULES}


def test_no_playbook_module_imports_ckan_sqlalchemy_or_flask():
    for module in MODULES:
        output = subprocess.run([sys.executable, "-c", _PROBE, module], check=True,
                                capture_output=True, text=True).stdout
        loaded = json.loads(output)
        leaked = [name for name in loaded if name.split(".")[0] in FORBIDDEN]
        assert not leaked, f"{module} imports {leaked[:5]}"
