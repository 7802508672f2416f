"""Validation schemas of the ``opendata_th`` actions."""
from __future__ import annotations

from ckan.logic.schema import validator_args


@validator_args
def dataset_id(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}
