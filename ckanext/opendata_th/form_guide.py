"""What the dataset and resource forms need to guide a publisher: the
sections of the dataset form, and the rules its script (assets/form-guide.js)
follows to show only what applies. The rules are taken from the playbook, so
the form and the server's validation cannot disagree; the server still checks
everything (the form works without JavaScript, with every field shown)."""
from __future__ import annotations

from typing import Any

from ckanext.opendata_th.playbook import frequency, national_schema
from ckanext.opendata_th.playbook.vocabulary import (
    CATEGORY_FIELD,
    CLASSIFICATION_FIELD,
    OTHER,
    OTHER_DATA_TYPE,
    UPDATE_TIME_FIELD,
    UPDATE_UNIT_FIELD,
)

OTHER_SUFFIX = "_other"


def opendata_th_form_sections(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset form's sections, in the order a publisher fills them:
    ``form_sections`` of the scheming schema, each with its ``fields`` (the
    schema's field dicts). A form field no section names is added to the last
    section, so that a field added to the schema is never left off the form."""
    by_name = {field["field_name"]: field for field in schema["dataset_fields"]}
    sections = []
    placed: set[str] = set()
    for spec in schema.get("form_sections", []):
        fields = [by_name[name] for name in spec["fields"] if name in by_name]
        placed.update(field["field_name"] for field in fields)
        sections.append({**spec, "fields": fields})
    leftovers = [field for field in schema["dataset_fields"] if field["field_name"] not in placed]
    if not sections:
        return [{"key": "fields", "fields": leftovers}]
    sections[-1]["fields"].extend(leftovers)
    return sections


def opendata_th_form_rules(level: str) -> dict[str, Any]:
    """The form script's rules for the fields of ``level`` ("dataset" or
    "resource"):

    - ``other``: {"<field>_other": [its choice field, the choice that needs it]}
    - ``time``: the update-time field, the unit field, and the units that need a time
    - ``classification``: the category field, the classification field and
      {category: [the classification levels it allows]}
    """
    fields = national_schema.FIELDS[level]
    other = {}
    for name in fields:
        parent = fields.get(name.removesuffix(OTHER_SUFFIX)) if name.endswith(OTHER_SUFFIX) else None
        if parent is not None and parent.choices:
            other_value = OTHER_DATA_TYPE if parent.name == "data_type" else OTHER
            other[name] = [parent.name, other_value]
    rules: dict[str, Any] = {"other": other}
    if UPDATE_TIME_FIELD in fields and UPDATE_UNIT_FIELD in fields:
        rules["time"] = {
            "field": UPDATE_TIME_FIELD,
            "unit": UPDATE_UNIT_FIELD,
            "units": [unit for unit in frequency.UNITS if unit in frequency.DAILY_OR_SHORTER],
        }
    if CATEGORY_FIELD in fields and CLASSIFICATION_FIELD in fields:
        rules["classification"] = {
            "category": CATEGORY_FIELD,
            "field": CLASSIFICATION_FIELD,
            "allowed": {category: list(levels)
                        for category, levels in national_schema.CLASSIFICATIONS.items()},
        }
    return rules
