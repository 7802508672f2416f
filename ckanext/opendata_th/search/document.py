"""Turn an indexed dataset dict into the row the search table stores.

Plain Python. The input is the flat dict CKAN would send to Solr (after
extras, tags, groups and resources were flattened and plugins ran
``before_dataset_index``); see :mod:`.index` for how it is made.
"""
from __future__ import annotations

import json
from typing import Any

from . import sql, text

# Never searched as words: identifiers, flags, bookkeeping.
NOT_TEXT = frozenset({
    "id", "index_id", "site_id", "capacity", "state", "permission_labels",
    "entity_type", "dataset_type", "type", "owner_org", "creator_user_id",
    "private", "metadata_created", "metadata_modified", "indexed_ts",
    "data_dict", "validated_data_dict", "license_id", "num_resources",
    "num_tags", "isopen", "revision_id", "title_string", "res_type",
})
WEIGHT_A = ("title", "name")
WEIGHT_B = ("tags", "groups", "organization")
WEIGHT_C = ("notes", "res_name", "res_description")
STORED_APART = ("data_dict", "validated_data_dict")
# Longer values are not kept for exact matching and facets (Solr's string
# fields are for short values; long text is searched through its words).
MAX_TERM_LENGTH = 500


def as_strings(value: Any) -> list[str]:
    """Every value as a list of strings, the way Solr indexes it."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [s for item in value for s in as_strings(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, sort_keys=True, ensure_ascii=False)]
    return [str(value)]


def _weighted_values(doc: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    parts = []
    for name in names:
        values = as_strings(doc.get(name))
        if name == "name":
            values = [v.replace("-", " ").replace("_", " ") for v in values]
        parts.extend(values)
    return parts


def build_row(doc: dict[str, Any]) -> dict[str, Any]:
    """The column values for one search document."""
    # Each distinct value is segmented once: a text field's value gives both
    # its field's lexemes and its part of the weighted vector, and values
    # recur (extras under two names, resource names). The words of values
    # joined by newlines are the words of each value in turn (text.words
    # splits on whitespace first), so the vector is the same as if the
    # joined text were segmented.
    segmented: dict[str, list[list[str]]] = {}

    def words_of(values: list[str]) -> list[list[str]]:
        found: list[list[str]] = []
        for value in values:
            value_words = segmented.get(value)
            if value_words is None:
                value_words = segmented[value] = text.words(value)
            found.extend(value_words)
        return found

    term_fields: list[str] = []
    term_values: list[str] = []
    lex: dict[str, list[str]] = {}
    rest: list[str] = []
    weighted = set(WEIGHT_A + WEIGHT_B + WEIGHT_C)
    for key, value in doc.items():
        if key in STORED_APART:
            continue
        values = as_strings(value)
        if not values:
            continue
        if sql.is_text_field(key):
            lex[key] = sorted({lexeme for position in words_of(values)
                               for lexeme in position})
        else:
            for v in dict.fromkeys(values):
                if len(v) <= MAX_TERM_LENGTH:
                    term_fields.append(key)
                    term_values.append(v)
        if key not in NOT_TEXT and key not in weighted and not key.endswith("_date"):
            rest.extend(values)
    vector = text.tsvector_literal_of_words([
        (words_of(_weighted_values(doc, WEIGHT_A)), "A"),
        (words_of(_weighted_values(doc, WEIGHT_B)), "B"),
        (words_of(_weighted_values(doc, WEIGHT_C)), "C"),
        (words_of(rest), "D"),
    ])
    fields = {k: v for k, v in doc.items() if k not in STORED_APART}
    return {
        "index_id": doc["index_id"],
        "id": doc["id"],
        "name": doc.get("name"),
        "site_id": doc["site_id"],
        "state": doc.get("state"),
        "capacity": doc.get("capacity"),
        "dataset_type": doc.get("dataset_type"),
        "organization": doc.get("organization"),
        "owner_org": doc.get("owner_org"),
        "permission_labels": list(doc.get("permission_labels") or []),
        "title_string": doc.get("title_string"),
        "metadata_modified": doc.get("metadata_modified"),
        "metadata_created": doc.get("metadata_created"),
        "term_fields": term_fields,
        "term_values": term_values,
        "lex": json.dumps(lex, ensure_ascii=False),
        "fields": json.dumps(fields, ensure_ascii=False, default=str),
        "search_vector": vector,
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
    }
