"""The public list of published high-value datasets (step 3.10.f): the
datasets whose thai_gdc ``high_value_dataset`` is "True", newest change
first, in pages.

One ``package_search`` as the visitor, public datasets only: a private
high-value dataset is never listed, not even for its own organization's
members (they find it in the dataset search, marked private).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.lib.search as search
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.home import HIGH_VALUE_FILTER
from ckanext.opendata_th.views import calls

high_value = Blueprint("opendata_th_high_value", __name__)

PAGE_SIZE = 20
MAX_PAGE = 500
"""Pages beyond this many are not offered (the dataset search goes further)."""


def _page() -> int:
    try:
        return max(1, min(int(tk.request.args.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


def published(page: int) -> dict[str, Any]:
    """One page of the published high-value datasets, as the visitor's search."""
    rows = PAGE_SIZE
    try:
        return calls.action("package_search", {
            "q": "", "fq": HIGH_VALUE_FILTER, "include_private": False,
            "sort": "metadata_modified desc", "rows": rows, "start": (page - 1) * rows})
    except search.SearchError:
        return {"count": 0, "results": []}


@high_value.route("/high-value")
def index():
    """The published high-value datasets, 20 a page."""
    page = _page()
    found = published(page)
    pages = max(1, min(-(-found["count"] // PAGE_SIZE), MAX_PAGE))
    return tk.render("opendata_th/high_value/index.html", {
        "datasets": found["results"], "count": found["count"], "page": page, "pages": pages,
        "page_url": lambda number: tk.h.url_for("opendata_th_high_value.index", page=number),
        "search_url": tk.h.url_for("dataset.search", high_value_dataset="True"),
    })
