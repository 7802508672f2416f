"""Data previews (plugin ``opendata_th_previews``): a PDF view, and Thai
files read right when ckanext-xloader loads them into the DataStore.

Tables are previewed by CKAN's ``datatables_view`` over the DataStore that
ckanext-xloader fills. xloader guesses a file's encoding with chardet, which
calls Thai Windows files (cp874) "TIS-620" or, when they hold little Thai,
a Cyrillic code page; ``playbook.text_encoding`` corrects that guess.
xloader has no hook for the encoding, so this plugin wraps its detection
function once, at start-up.
"""
from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.playbook.text_encoding import thai_encoding

log = logging.getLogger(__name__)

PDF_VIEW = "opendata_th_pdf_view"
_SAMPLE_BYTES = 64 * 1024


class OpendataThPreviewsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IConfigurable, inherit=True)
    p.implements(p.IResourceView, inherit=True)

    # IConfigurer: the PDF view's template, in a directory of this plugin's
    # own (CKAN ranks a template directory at the first plugin that adds it,
    # so sharing opendata_th's would move all of those behind the plugins
    # listed between the two)
    def update_config(self, config_):
        tk.add_template_directory(config_, "templates/previews")

    # IConfigurable
    def configure(self, config_):
        read_thai_files_right()

    # IResourceView: PDF files shown in the page, with a download link
    def info(self) -> dict[str, Any]:
        return {
            "name": PDF_VIEW,
            "title": tk._("PDF"),
            "icon": "file-pdf",
            "iframed": False,
            "always_available": False,
            "default_title": tk._("PDF"),
        }

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        resource = data_dict["resource"]
        return (resource.get("format") or "").strip().lower() == "pdf" \
            and embeddable(resource.get("url"))

    def view_template(self, context, data_dict):
        return "opendata_th/pdf_view.html"


def embeddable(url: str | None) -> bool:
    """Only web addresses are embedded: a ``javascript:`` or ``data:`` URL
    in a resource must never reach an <iframe>."""
    return urlsplit(url or "").scheme in ("http", "https")


def read_thai_files_right() -> None:
    """Make xloader read Thai single-byte files as cp874 (once)."""
    try:
        from ckanext.xloader import loader
    except ImportError:  # xloader not installed: nothing to correct
        return
    if getattr(loader.detect_encoding, "reads_thai", False):
        return
    loader.detect_encoding = _thai_aware(loader.detect_encoding)


def _thai_aware(detect):
    @functools.wraps(detect)
    def detect_encoding(file_path):
        result = dict(detect(file_path))
        with open(file_path, "rb") as file:
            sample = file.read(_SAMPLE_BYTES)
        encoding = thai_encoding(result.get("encoding"), sample)
        if encoding != result.get("encoding"):
            log.info("reading %s as %s, not %s", file_path, encoding, result.get("encoding"))
            result.update(encoding=encoding, confidence=1.0)
        return result

    detect_encoding.reads_thai = True
    return detect_encoding
