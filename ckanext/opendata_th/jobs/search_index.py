"""Keeping the search index's ten-property figures in step with the clock.

Search results, the dataset page and the schedule facet compute "timely" when
they are asked. The indexed ``opendata_score`` and ``opendata_unmet`` (for
filters and sorting) are written when a dataset is indexed, so a dataset
whose update falls due keeps its old score there until it is re-indexed;
:func:`refresh_overdue` re-indexes exactly those, and ``ckan opendata-th
remind`` runs it every day.
"""
from __future__ import annotations

import sqlalchemy as sa

import ckan.lib.search as search
import ckan.model as model

from ckanext.opendata_th.annotations import DUE_FIELD
from ckanext.opendata_th.jobs.datasets import search_datasets

STALE = f"{DUE_FIELD}:[* TO NOW] -opendata_unmet:timely"
"""Overdue now, but indexed while "timely" was met."""


def reindex(package_id: str) -> None:
    """Re-index one dataset from its committed state, for background jobs.

    The dataset's row is share-locked while its document is built and
    stored: a change committed meanwhile (``bulk_update_public``, an edit)
    waits for it and re-indexes after it, so a job never replaces a newer
    document with one built from what it read before the change."""
    model.Session.execute(sa.text("SELECT 1 FROM package WHERE id = :id FOR SHARE"),
                          {"id": package_id})
    try:
        search.rebuild(package_id)
    finally:
        model.Session.commit()


def refresh_overdue() -> list[str]:
    """Re-index the datasets whose update fell due since they were indexed;
    returns their names."""
    stale = list(search_datasets(STALE))
    for dataset in stale:
        reindex(dataset["id"])
    return [dataset["name"] for dataset in stale]
