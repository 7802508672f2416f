"""Walking the catalog as the site user, for jobs and commands."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import site_context

PAGE = 500


def search_datasets(fq: str = "", org: str | None = None) -> Iterator[dict[str, Any]]:
    """Every active dataset (private ones too) matching ``fq``, optionally of
    one organization (name or id; unknown ones raise ObjectNotFound), page by
    page in name order."""
    if org:
        organization = tk.get_action("organization_show")(site_context(), {"id": org})
        fq = f'{fq} +owner_org:"{organization["id"]}"'.strip()
    start = 0
    while True:
        result = tk.get_action("package_search")(site_context(), {
            "q": "*:*", "fq": fq, "rows": PAGE, "start": start,
            "include_private": True, "sort": "name asc"})
        yield from result["results"]
        start += PAGE
        if start >= result["count"]:
            return
