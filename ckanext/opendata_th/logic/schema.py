"""Validation schemas of the ``opendata_th`` actions."""
from __future__ import annotations

from ckan.logic.schema import validator_args


@validator_args
def properties_show(not_empty, unicode_safe, boolean_validator, default):
    return {
        "id": [not_empty, unicode_safe],
        "check_links": [default(False), boolean_validator],
    }
