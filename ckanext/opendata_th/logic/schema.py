"""Validation schemas of the ``opendata_th`` actions."""
from __future__ import annotations

from ckan.logic.schema import validator_args


@validator_args
def dataset_id(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


# -- readiness assessments. The questionnaire's own fields (activities,
# actions) and the uploaded file are checked by the playbook's rules
# (playbook.readiness.merge_update) and the action, not here; the fiscal
# year too (playbook.readiness.parse_fiscal_year: it explains a Common Era
# year given by mistake).

@validator_args
def readiness_schema_show(ignore):
    return {"__extras": [ignore]}


@validator_args
def readiness_show(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def readiness_update(not_empty, unicode_safe, ignore):
    # "published" is read strictly by the action (true/false, not "anything else is false")
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [not_empty],
            "__extras": [ignore]}


@validator_args
def readiness_list(ignore_missing, unicode_safe, ignore):
    return {"organization": [ignore_missing, unicode_safe],
            "fiscal_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def readiness_history(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def readiness_copy_forward(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "from_year": [not_empty],
            "to_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def readiness_file_upload(not_empty, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [not_empty],
            "activity": [not_empty, unicode_safe],
            "__extras": [ignore]}


@validator_args
def readiness_file_id(not_empty, unicode_safe, ignore):
    return {"id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def readiness_overdue_actions(ignore_missing, unicode_safe, ignore):
    return {"organization": [ignore_missing, unicode_safe], "__extras": [ignore]}
