"""Checks the image at build time. The Dockerfile runs it after installing
the extension. Exits non-zero, failing the build, when something that CKAN
would only trip over at start-up is already wrong.

* every plugin in CKAN__PLUGINS has an installed entry point that imports
* every Thai/other .po catalog of ckanext-opendata-th has its compiled .mo
* every ``module:file`` in the scheming.* settings of ckan.ini is a real file,
  found the way ckanext-scheming finds it
* PyThaiNLP can segment Thai text, with its data directory set up
"""
from __future__ import annotations

import configparser
import importlib
import inspect
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

problems: list[str] = []


def check_plugins() -> None:
    installed = {ep.name: ep for ep in entry_points(group="ckan.plugins")}
    for name in os.environ.get("CKAN__PLUGINS", "").split():
        ep = installed.get(name)
        if ep is None:
            problems.append(f"plugin {name}: no 'ckan.plugins' entry point installed")
            continue
        try:
            ep.load()
        except Exception as exc:  # any import error is a broken plugin
            problems.append(f"plugin {name}: {ep.value} does not import: {exc!r}")


def check_catalogs() -> None:
    import ckanext.opendata_th as package

    i18n = Path(list(package.__path__)[0]) / "i18n"
    catalogs = sorted(i18n.glob("*/LC_MESSAGES/*.po"))
    if not catalogs:
        problems.append(f"no translation catalogs installed under {i18n}")
    for po in catalogs:
        if not po.with_suffix(".mo").is_file():
            problems.append(f"{po} was not compiled to .mo")


def check_scheming_files() -> None:
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    ini.read(os.environ.get("CKAN_INI", "/srv/app/ckan.ini"))
    main = ini["app:main"] if ini.has_section("app:main") else {}
    for key in ("scheming.dataset_schemas", "scheming.presets",
                "scheming.organization_schemas", "scheming.group_schemas"):
        for ref in main.get(key, "").split():
            if "://" in ref or ":" not in ref:
                continue
            module_name, file_name = ref.split(":", 1)
            try:
                module = importlib.import_module(module_name)
                path = Path(inspect.getfile(module)).parent / file_name
            except Exception as exc:
                problems.append(f"{key}: cannot resolve {ref}: {exc!r}")
                continue
            if not path.is_file():
                problems.append(f"{key}: {ref} -> {path} does not exist")


def check_thai_segmentation() -> None:
    try:
        from pythainlp.tokenize import word_tokenize

        words = word_tokenize("ข้อมูลเปิดภาครัฐ")
    except Exception as exc:
        problems.append(f"PyThaiNLP cannot segment Thai text: {exc!r}")
        return
    if len(words) < 2:
        problems.append(f"PyThaiNLP did not segment Thai text: {words!r}")


for check in (check_plugins, check_catalogs, check_scheming_files,
              check_thai_segmentation):
    try:
        check()
    except Exception as exc:
        problems.append(f"{check.__name__} crashed: {exc!r}")

if problems:
    print("Image verification FAILED:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)
print("Image verification passed: plugins, translations, schemas, Thai segmentation.")
