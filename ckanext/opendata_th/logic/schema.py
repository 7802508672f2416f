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


# -- the disclosure workflow. The selection reasons, scores and
# classification answers are checked by the playbook's rules
# (playbook.priority, playbook.classification), the transition's name and
# preconditions by its state machine (playbook.workflow), not here.

@validator_args
def workflow_dataset(not_empty, unicode_safe, ignore):
    return {"id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def workflow_history(not_empty, ignore_missing, unicode_safe, natural_number_validator, ignore):
    return {"id": [not_empty, unicode_safe],
            "limit": [ignore_missing, natural_number_validator],
            "offset": [ignore_missing, natural_number_validator],
            "__extras": [ignore]}


@validator_args
def workflow_transition(not_empty, ignore_missing, unicode_safe, ignore):
    return {"id": [not_empty, unicode_safe],
            "transition": [not_empty, unicode_safe],
            "comment": [ignore_missing, unicode_safe],
            "__extras": [ignore]}


@validator_args
def workflow_select(not_empty, unicode_safe, ignore):
    # "reasons" and "note": playbook.priority.check_reasons
    return {"id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def workflow_prioritise(not_empty, unicode_safe, ignore):
    # the three scores: playbook.priority.check_scores (it names each bad one)
    return {"id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def workflow_classify(not_empty, unicode_safe, ignore):
    # "answers" and "details": playbook.classification.decide
    return {"id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def workflow_classification_schema_show(ignore):
    return {"__extras": [ignore]}


@validator_args
def workflow_priority_list(not_empty, unicode_safe, ignore):
    return {"organization_id": [not_empty, unicode_safe], "__extras": [ignore]}


@validator_args
def workflow_approval_queue(ignore_missing, unicode_safe, ignore):
    return {"organization_id": [ignore_missing, unicode_safe], "__extras": [ignore]}


# -- the data catalog. The filters' values, limit and offset are checked by
# the action (its messages name the values allowed); the file by
# playbook.catalog.

@validator_args
def catalog_list(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization_id": [not_empty, unicode_safe],
            "stage": [ignore_missing, unicode_safe],
            "data_category": [ignore_missing, unicode_safe],
            "overdue": [ignore_missing],
            "q": [ignore_missing, unicode_safe],
            "limit": [ignore_missing],
            "offset": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def catalog_import(not_empty, unicode_safe, ignore):
    # "upload" (a file) and "content" (CSV text) are read by the action
    return {"organization_id": [not_empty, unicode_safe], "__extras": [ignore]}


# -- yearly targets and the dashboard (the target values and the fiscal
# year are checked by playbook.targets.parse_targets and
# playbook.readiness.parse_fiscal_year)

@validator_args
def dashboard_show(ignore_missing, unicode_safe, ignore):
    return {"organization": [ignore_missing, unicode_safe],
            "fiscal_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def target_show(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [ignore_missing],
            "__extras": [ignore]}


@validator_args
def target_update(not_empty, ignore_missing, unicode_safe, ignore):
    return {"organization": [not_empty, unicode_safe],
            "fiscal_year": [not_empty],
            "__extras": [ignore]}
