"""Keeping the search index's ten-property figures in step with the clock.

Search results, the dataset page and the schedule facet compute "timely" when
they are asked. The indexed ``opendata_score`` and ``opendata_unmet`` (for
filters and sorting) are written when a dataset is indexed, so a dataset
whose update falls due keeps its old score there until it is re-indexed;
:func:`refresh_overdue` re-indexes exactly those, and ``ckan opendata-th
remind`` runs it every day.
"""
from __future__ import annotations

import ckan.lib.search as search

from ckanext.opendata_th.annotations import DUE_FIELD
from ckanext.opendata_th.jobs.datasets import search_datasets

STALE = f"{DUE_FIELD}:[* TO NOW] -opendata_unmet:timely"
"""Overdue now, but indexed while "timely" was met."""


def refresh_overdue() -> list[str]:
    """Re-index the datasets whose update fell due since they were indexed;
    returns their names."""
    stale = list(search_datasets(STALE))
    for dataset in stale:
        search.rebuild(dataset["id"])
    return [dataset["name"] for dataset in stale]
