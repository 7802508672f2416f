"""The national catalog's dataset schema (ckanext-thai_gdc 2.2.4) as plain rules.

The fields, their labels and choices, whether they are required and which data
types they apply to are read from ``schemas/dataset.yaml``, the
ckanext-scheming schema, so the form and these rules cannot drift apart. This
module adds what the YAML cannot say: a field applies only to its data types,
``<field>_other`` is required when its field's choice is "other" (อื่นๆ), an
expected update time is required for daily or shorter frequencies, which
classification levels each governance category allows, and how to read BE
years, dates and times. Errors are :class:`.messages.Message`\s that the glue
shows in the reader's language.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ckanext.opendata_th.playbook.dates import BE_OFFSET, THAI_DIGITS
from ckanext.opendata_th.playbook.messages import N_, Label, Message, MessageError
from ckanext.opendata_th.playbook.frequency import (
    DAILY_OR_SHORTER,
    UNIT_LABELS_EN,
    FrequencyError,
)
from ckanext.opendata_th.playbook.frequency import parse_interval as _parse_interval
from ckanext.opendata_th.playbook.vocabulary import (
    CONFIDENTIAL,
    INTERNAL,
    INTERNAL_DISTRIBUTION,
    NO_ACCESS_RESTRICTION,
    OFFICIAL_SECRET,
    OPEN,
    OTHER,
    OTHER_DATA_TYPE,
    PERSONAL,
    PUBLIC,
    SECRET,
    SECURITY,
    TOP_SECRET,
    UPDATE_TIME_FIELD,
    UPDATE_UNIT_FIELD,
)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "dataset.yaml"

CLASSIFICATIONS: dict[str, tuple[str, ...]] = {
    PUBLIC: (OPEN,),
    INTERNAL: (INTERNAL_DISTRIBUTION,),
    PERSONAL: (INTERNAL_DISTRIBUTION, CONFIDENTIAL, SECRET),
    SECURITY: (CONFIDENTIAL, SECRET, TOP_SECRET),
    OFFICIAL_SECRET: (CONFIDENTIAL, SECRET, TOP_SECRET),
}
"""The classification levels (data_classification) each data_category allows."""

NAME_MAX_LENGTH = 70
BE_YEAR_MIN, BE_YEAR_MAX = 2400, 2700
_SHORT_CHOICE_LIST = 8
"""Choice errors list the choices of fields with at most this many."""

_BE_YEAR = re.compile(r"[0-9]{4}")
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])(?:[:.][0-5][0-9])?(?:\s*น\.)?")
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?")


class SchemaError(MessageError):
    """A value the schema does not accept, and why."""


@dataclass(frozen=True)
class Field:
    """One dataset or resource field of the schema."""

    name: str
    level: str
    """"dataset" or "resource"."""
    label_th: str
    label_en: str
    data_types: frozenset[str]
    """The data_type values the field applies to."""
    required: bool
    choices: tuple[str, ...]
    choice_labels_en: Mapping[str, str]
    multiple: bool

    @property
    def label(self) -> Label:
        return Label(self.label_th, self.label_en)

    def quoted_choice(self, value: str) -> Label:
        """A choice quoted as people read it: its stored (Thai) value, and in
        English that value followed by its English label."""
        english = self.choice_labels_en.get(value)
        shown = f"“{value}”"
        return Label(shown, f"{shown} ({english})" if english and english != value else shown)


def _labels(text: object) -> tuple[str, str]:
    if isinstance(text, Mapping):
        return str(text["th"]), str(text["en"])
    return str(text), str(text)


def _load(path: Path) -> tuple[dict[str, str], dict[str, dict[str, Field]]]:
    with path.open(encoding="utf-8") as stream:
        schema = yaml.safe_load(stream)
    data_type = next(f for f in schema["dataset_fields"] if f["field_name"] == "data_type")
    codes = {choice["code"]: choice["value"] for choice in data_type["choices"]}
    fields: dict[str, dict[str, Field]] = {}
    for level in ("dataset", "resource"):
        fields[level] = {}
        for spec in schema[f"{level}_fields"]:
            choices = spec.get("choices", ())
            label_th, label_en = _labels(spec["label"])
            fields[level][spec["field_name"]] = Field(
                name=spec["field_name"],
                level=level,
                label_th=label_th,
                label_en=label_en,
                data_types=frozenset(codes[code] for code in spec.get("data_types", "".join(codes))),
                required=bool(spec.get("required")),
                choices=tuple(str(choice["value"]) for choice in choices),
                choice_labels_en={str(c["value"]): _labels(c["label"])[1] for c in choices},
                multiple=spec.get("preset") == "national_multiple_choice",
            )
    return codes, fields


DATA_TYPE_CODES, FIELDS = _load(SCHEMA_FILE)
"""DATA_TYPE_CODES: {code (R S G M O): data_type value}.
FIELDS: {"dataset" | "resource": {field name: Field}}, in the schema's order."""
DATA_TYPES: tuple[str, ...] = tuple(DATA_TYPE_CODES.values())


def is_empty(value: object) -> bool:
    """None, a blank string, or a list of those."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_empty(item) for item in value)
    return False


def selected(value: object) -> list[str]:
    """The chosen values of a choice field: from a list, a JSON list (as
    multi-choice fields are stored) or a single value."""
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if not is_empty(item)]
    return [] if is_empty(value) else [str(value).strip()]


def applies(field: Field, data_type: object) -> bool:
    """Whether the field belongs to a dataset of this data_type. Before a valid
    data_type is chosen every field applies (data_type reports its own error)."""
    return data_type not in DATA_TYPES or data_type in field.data_types


def _other_parent(field: Field) -> Field | None:
    """The choice field whose "other" text ``field`` holds, if any."""
    if not field.name.endswith("_other"):
        return None
    parent = FIELDS[field.level].get(field.name.removesuffix("_other"))
    return parent if parent is not None and parent.choices else None


def missing_value_error(field: Field, data_type: object, values: Mapping[str, object]) -> SchemaError | None:
    """The error an empty value of ``field`` gets, or None when it may stay
    empty. ``values`` are the other fields of the same dataset or resource."""
    if not applies(field, data_type):
        return None
    if field.required:
        return SchemaError(Message(N_("{field} is required"), field=field.label))
    parent = _other_parent(field)
    if parent is not None:
        other = OTHER_DATA_TYPE if parent.name == "data_type" else OTHER
        if other in selected(values.get(parent.name)):
            return SchemaError(Message(
                N_("{field} is required when {parent} is {other}"),
                field=field.label, parent=parent.label, other=Label(f"“{other}”", f"“{other}” (other)")))
    unit = values.get(UPDATE_UNIT_FIELD)
    if field.name == UPDATE_TIME_FIELD and isinstance(unit, str) and unit.strip() in DAILY_OR_SHORTER:
        unit = unit.strip()
        return SchemaError(Message(
            N_("{field} (HH:MM) is required when the update frequency unit is {unit}"),
            field=field.label, unit=Label(f"“{unit}”", f"“{unit}” ({UNIT_LABELS_EN[unit]})")))
    return None


def _quoted(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"“{value}”" for value in values)


def _choice_error(field: Field, values: list[str]) -> SchemaError:
    quoted = _quoted(values)
    if len(field.choices) <= _SHORT_CHOICE_LIST:
        if len(values) == 1:
            msgid = N_("{values} is not among the choices of {field} (choose from: {choices})")
        else:
            msgid = N_("{values} are not among the choices of {field} (choose from: {choices})")
        return SchemaError(Message(msgid, values=quoted, field=field.label, choices=_quoted(field.choices)))
    if len(values) == 1:
        msgid = N_("{values} is not among the choices of {field}")
    else:
        msgid = N_("{values} are not among the choices of {field}")
    return SchemaError(Message(msgid, values=quoted, field=field.label))


def check_choice(field: Field, value: object) -> str:
    """One of the field's choices; "True"/"False" may come as booleans."""
    text = str(value).strip() if isinstance(value, (str, bool)) else None
    if text not in field.choices:
        raise _choice_error(field, [str(value)])
    return text


def check_choices(field: Field, value: object) -> list[str]:
    """A multi-choice value (a list, a JSON list or one string) as the list of
    chosen values in the schema's order, duplicates removed."""
    if not isinstance(value, (str, list, tuple)):
        raise SchemaError(Message(N_("{field} must be a list of choices (you gave “{value}”)"),
                                  field=field.label, value=value))
    chosen = selected(value)
    unknown = [item for item in chosen if item not in field.choices]
    if unknown:
        raise _choice_error(field, unknown)
    return [choice for choice in field.choices if choice in chosen]


def check_classification(category: object, classification: str) -> None:
    """The data_category allows this data_classification level (unknown
    categories are data_category's own error)."""
    if not isinstance(category, str) or category not in CLASSIFICATIONS:
        return
    allowed = CLASSIFICATIONS[category]
    if classification in allowed:
        return
    levels = FIELDS["dataset"]["data_classification"]
    raise SchemaError(Message(
        N_("The data category {category} allows only the classification {allowed} "
           "(you chose “{classification}”)"),
        category=FIELDS["dataset"]["data_category"].quoted_choice(category),
        allowed=[levels.quoted_choice(level) for level in allowed],
        classification=classification))


def default_accessible_condition(category: object, condition: object) -> object:
    """Public data with no access condition has "no access restriction"."""
    return NO_ACCESS_RESTRICTION if category == PUBLIC and is_empty(condition) else condition


def parse_be_year(field: Field, value: object) -> str:
    """A Buddhist Era year as 4 ASCII digits between 2400 and 2700 (Thai digits
    accepted: "๒๕๖๘" -> "2568")."""
    text = "" if isinstance(value, bool) else str(value).strip().translate(THAI_DIGITS)
    if _BE_YEAR.fullmatch(text) and BE_YEAR_MIN <= int(text) <= BE_YEAR_MAX:
        return text
    # a Common Era year whose Buddhist Era year would be accepted: say which
    if _BE_YEAR.fullmatch(text) and BE_YEAR_MIN <= int(text) + BE_OFFSET <= BE_YEAR_MAX:
        raise SchemaError(Message(
            N_("{field} must be a 4-digit Buddhist Era year between {min} and {max}, e.g. 2568 "
               "(you gave “{value}”); {ce} CE is {be} BE"),
            field=field.label, min=BE_YEAR_MIN, max=BE_YEAR_MAX, value=value,
            ce=text, be=int(text) + BE_OFFSET))
    raise SchemaError(Message(
        N_("{field} must be a 4-digit Buddhist Era year between {min} and {max}, e.g. 2568 "
           "(you gave “{value}”)"),
        field=field.label, min=BE_YEAR_MIN, max=BE_YEAR_MAX, value=value))


def parse_date(field: Field, value: object) -> str:
    """An ISO Gregorian date ``YYYY-MM-DD`` (a time part is dropped, Thai
    digits accepted). Buddhist Era years are refused with the CE year to use."""
    day: dt.date | None
    if isinstance(value, (dt.date, dt.datetime)):
        day = value.date() if isinstance(value, dt.datetime) else value
    else:
        match = _DATE.fullmatch(value.strip().translate(THAI_DIGITS)) if isinstance(value, str) else None
        try:
            day = dt.date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            day = None
    if day is None:
        raise SchemaError(Message(
            N_("{field} must be a date as YYYY-MM-DD, e.g. 2025-01-31 (you gave “{value}”)"),
            field=field.label, value=value))
    if day.year >= BE_YEAR_MIN:
        raise SchemaError(Message(
            N_("{field} must use the Common Era year, not the Buddhist Era: {be} BE is {ce} CE"),
            field=field.label, be=day.year, ce=day.year - BE_OFFSET))
    return day.isoformat()


def parse_time_of_day(field: Field, value: object) -> str:
    """A time of day as ``HH:MM`` ("9.30 น.", "๐๙:๓๐" and "09:30:00" -> "09:30")."""
    match = _TIME.fullmatch(value.strip().translate(THAI_DIGITS)) if isinstance(value, str) else None
    if match is None:
        raise SchemaError(Message(
            N_("{field} must be a time of day as HH:MM, e.g. 09:30 (you gave “{value}”)"),
            field=field.label, value=value))
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_interval(value: object) -> str:
    """``update_frequency_interval`` as the text of a positive whole number
    ("๓" -> "3"); see :func:`frequency.parse_interval`."""
    try:
        return str(_parse_interval(value))
    except FrequencyError as error:
        raise SchemaError(error.message) from None


def check_dataset_name(value: str) -> str:
    """The dataset's URL name fits the national catalogs (at most 70 characters)."""
    if len(value) > NAME_MAX_LENGTH:
        raise SchemaError(Message(
            N_("The dataset URL name can be at most {max} characters long (it is {length})"),
            max=NAME_MAX_LENGTH, length=len(value)))
    return value
