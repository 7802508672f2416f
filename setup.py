"""Packaging for ckanext-opendata-th.

Metadata lives in pyproject.toml. This file only adds one build step: the
Thai (and any other) gettext catalogs under ckanext/opendata_th/i18n are
compiled to .mo files whenever the package is built or installed, so CKAN
finds the translations without a separate `compile_catalog` run.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

I18N = Path(__file__).parent / "ckanext" / "opendata_th" / "i18n"


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in I18N.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


class BuildPyWithCatalogs(build_py):
    def run(self):
        compile_catalogs()
        super().run()


if __name__ == "__main__":  # run by pip / setuptools; `import setup` only defines
    setup(cmdclass={"build_py": BuildPyWithCatalogs})
