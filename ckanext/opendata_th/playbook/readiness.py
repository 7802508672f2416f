"""The readiness assessment: an agency judges, once per Thai fiscal year,
how far it has come on each activity of open-data preparation (step 2.2 of
the playbook), and is ready to publish when every activity has reached the
required maturity level.

What the activities and levels are, what each level means, the evidence
expected and the rule live in ``schemas/readiness.yaml`` (Thai and English
texts in the file itself, so that a sysadmin can swap the file when the
national criteria change, without code or catalogs). This module loads and
checks that file, validates and merges what an admin fills in (the
*document*, plain JSON stored as is), says what changed, and decides whether
the agency is ready. It imports nothing from CKAN: the glue (``readiness.py``
at the package root) fetches the facts and passes them in.

The document::

    {"activities": {key: {"level": int | None, "evidence": str,
                          "links": [str], "responsible": str}, ...},
     "actions": [{"id", "activity", "description", "owner",
                  "due_date": "YYYY-MM-DD" | None, "done": bool}, ...]}
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from ckanext.opendata_th.playbook.dates import (
    THAI_DIGITS,
    fiscal_year_be,
    to_be_year,
    to_ce_year,
    to_local_naive,
)
from ckanext.opendata_th.playbook.messages import N_, InputError, Label, Message, SchemaFileError
from ckanext.opendata_th.playbook.schema_files import SchemaReader

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "readiness.yaml"

FIRST_FISCAL_YEAR = 2550
"""The earliest fiscal year (BE) an assessment may be for."""

MAX_EVIDENCE = 10000
MAX_LINKS = 20
MAX_LINK = 1000
MAX_RESPONSIBLE = 200
MAX_ACTIONS = 100
MAX_DESCRIPTION = 2000
MAX_OWNER = 100
MAX_ACTION_ID = 100
"""Bounds on what an admin may store, so that no request costs much."""

ANSWER_FIELDS = ("level", "evidence", "links", "responsible")
ACTION_FIELDS = ("id", "activity", "description", "owner", "due_date", "done")
_COMPUTED_ACTION_FIELDS = ("overdue",)
"""Fields the show action adds to an action; ignored when sent back."""

_KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE = ("true", "on", "1", "yes")
_FALSE = ("false", "off", "0", "no", "")


# --- errors ---------------------------------------------------------------

class ReadinessSchemaError(SchemaFileError):
    """A broken readiness schema file (see :class:`SchemaFileError`)."""

    BROKEN_AT = N_("The readiness schema {file} is broken: {place} {problem}")
    BROKEN = N_("The readiness schema {file} is broken: {problem}")


class ReadinessInputError(InputError):
    """Bad input from a user: every error at once, by dotted path
    ("fiscal_year", "activities.budget.level", "actions.2.due_date")."""


# --- the schema -----------------------------------------------------------

@dataclass(frozen=True)
class Level:
    """One maturity level of one activity: what it means and the evidence
    expected."""

    number: int
    name: Label
    description: Label
    evidence: Label


@dataclass(frozen=True)
class Activity:
    """One activity of the assessment, with its levels numbered 1..N."""

    key: str
    name: Label
    odi_theme: str
    question: Label
    levels: tuple[Level, ...]

    def level(self, number: int) -> Level:
        """The level numbered ``number``; KeyError when there is none."""
        for level in self.levels:
            if level.number == number:
                return level
        raise KeyError(number)


@dataclass(frozen=True)
class ReadinessSchema:
    """The activities, their levels and the readiness rule, as loaded from a
    readiness schema file."""

    path: str
    version: str
    required_level: int
    level_names: tuple[Label, ...]
    activities: tuple[Activity, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(activity.key for activity in self.activities)

    @property
    def max_level(self) -> int:
        return len(self.level_names)

    def activity(self, key: str) -> Activity:
        """The activity with this key; KeyError when there is none."""
        for activity in self.activities:
            if activity.key == key:
                return activity
        raise KeyError(key)

    def level_name(self, number: int) -> Label:
        """The name of level ``number`` (1-based); KeyError out of range."""
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= self.max_level:
            raise KeyError(number)
        return self.level_names[number - 1]

    def as_dict(self, lang: str) -> dict[str, Any]:
        """The schema for the API, its texts in ``lang`` ("th", else English)."""
        def text(label: Label) -> str:
            return label.in_language(lang)

        return {
            "version": self.version,
            "required_level": self.required_level,
            "levels": [{"number": number, "name": text(name)}
                       for number, name in enumerate(self.level_names, start=1)],
            "activities": [{
                "key": activity.key,
                "name": text(activity.name),
                "odi_theme": activity.odi_theme,
                "question": text(activity.question),
                "levels": [{"number": level.number, "name": text(level.name),
                            "description": text(level.description), "evidence": text(level.evidence)}
                           for level in activity.levels],
            } for activity in self.activities],
        }


class _Reader(SchemaReader):
    """Reads the readiness schema file."""

    error = ReadinessSchemaError


def load_schema(path: str | Path | None = None) -> ReadinessSchema:
    """Loads and checks a readiness schema file (None: the shipped one).

    Every activity needs a unique key, Thai and English texts, and levels
    numbered 1..N (the same N as the top-level ``levels``); the rule's
    required_level lies in 1..N. Places are written as paths counted from 1,
    ``activities[2].levels[3].description.th``. Raises ReadinessSchemaError,
    also for a missing or unreadable file and bad YAML."""
    path = Path(path) if path else SCHEMA_FILE
    reader = _Reader(path)
    data = reader.read()

    top = reader.mapping(data, "", ("version", "rule", "levels", "activities"))
    version = reader.text(top["version"], "version")
    rule = reader.mapping(top["rule"], "rule", ("required_level",))
    levels = reader.numbered(reader.sequence(top["levels"], "levels"), "levels")
    level_names = tuple(
        reader.label(reader.mapping(item, f"levels[{index}]", ("number", "name"))["name"],
                     f"levels[{index}].name")
        for index, item in enumerate(levels, start=1))
    count = len(level_names)
    required_level = reader.number(rule["required_level"], "rule.required_level")
    if not 1 <= required_level <= count:
        raise reader.fail("rule.required_level", Message(
            N_("is {number}, but must be a level from 1 to {max}"), number=required_level, max=count))

    activities: list[Activity] = []
    for index, item in enumerate(reader.sequence(top["activities"], "activities"), start=1):
        place = f"activities[{index}]"
        item = reader.mapping(item, place, ("key", "name", "question", "levels"), ("odi_theme",))
        key = reader.text(item["key"], f"{place}.key")
        if not _KEY.fullmatch(key):
            raise reader.fail(f"{place}.key", Message(
                N_("is “{key}”, but must be lower-case letters, digits and _, starting with a letter"),
                key=key))
        if key in (activity.key for activity in activities):
            raise reader.fail(f"{place}.key", Message(N_("“{key}” is given to two activities"), key=key))
        theme = "" if item.get("odi_theme") is None else reader.text(item["odi_theme"], f"{place}.odi_theme")
        steps = reader.numbered(reader.sequence(item["levels"], f"{place}.levels"), f"{place}.levels")
        if len(steps) != count:
            raise reader.fail(f"{place}.levels", Message(
                N_("has {number} levels, but the schema has {max}"), number=len(steps), max=count))
        activity_levels = []
        for number, step in enumerate(steps, start=1):
            where = f"{place}.levels[{number}]"
            step = reader.mapping(step, where, ("number", "description", "evidence"))
            activity_levels.append(Level(
                number=number, name=level_names[number - 1],
                description=reader.label(step["description"], f"{where}.description"),
                evidence=reader.label(step["evidence"], f"{where}.evidence")))
        activities.append(Activity(
            key=key, name=reader.label(item["name"], f"{place}.name"), odi_theme=theme,
            question=reader.label(item["question"], f"{place}.question"),
            levels=tuple(activity_levels)))
    return ReadinessSchema(path=str(path), version=version, required_level=required_level,
                           level_names=level_names, activities=tuple(activities))


# --- fiscal years -----------------------------------------------------------

def fiscal_year_of(moment: dt.date | dt.datetime) -> int:
    """The Thai fiscal year (BE) a moment falls in, on Bangkok's calendar:
    aware datetimes are converted to Bangkok time first; naive ones and dates
    are read as Bangkok's."""
    if isinstance(moment, dt.datetime):
        moment = to_local_naive(moment).date()
    return fiscal_year_be(moment)


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day (Common Era dates) of fiscal year ``year`` (BE):
    2570 -> (2026-10-01, 2027-09-30)."""
    last = to_ce_year(year)
    return dt.date(last - 1, 10, 1), dt.date(last, 9, 30)


def fiscal_year_label(year: int) -> Message:
    """"fiscal year 2570 (1 Oct 2026 – 30 Sep 2027)", dates in the reader's calendar."""
    start, end = fiscal_year_bounds(year)
    return Message(N_("fiscal year {year} ({start} – {end})"), year=year, start=start, end=end)


def parse_fiscal_year(value: object, current: int) -> int:
    """A fiscal year (BE) from an int or a string of digits (Thai digits
    too), from 2550 to the year after ``current``. A Common Era year given by
    mistake gets an error that suggests the BE year. Raises
    ReadinessInputError {"fiscal_year": [Message]}."""
    def refuse(message: Message) -> ReadinessInputError:
        return ReadinessInputError({"fiscal_year": [message]})

    if isinstance(value, bool):
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, str) and value.strip().translate(THAI_DIGITS).isascii() \
            and value.strip().translate(THAI_DIGITS).isdigit() and len(value.strip()) <= 6:
        year = int(value.strip().translate(THAI_DIGITS))
    else:
        year = None
    if year is None:
        raise refuse(Message(
            N_("The fiscal year must be a whole number, a year of the Buddhist Era such as {example}"),
            example=current))
    if 1900 <= year <= 2399:
        raise refuse(Message(
            N_("{year} looks like a year of the Common Era; fiscal years are in the Buddhist Era: "
               "did you mean {suggestion}?"), year=year, suggestion=to_be_year(year)))
    if not FIRST_FISCAL_YEAR <= year <= current + 1:
        raise refuse(Message(N_("The fiscal year must be from {first} to {last}"),
                             first=FIRST_FISCAL_YEAR, last=current + 1))
    return year


# --- the document -----------------------------------------------------------

def _empty_answer() -> dict[str, Any]:
    return {"level": None, "evidence": "", "links": [], "responsible": ""}


def empty_document(schema: ReadinessSchema) -> dict[str, Any]:
    """A document with every activity not assessed and no actions."""
    return {"activities": {key: _empty_answer() for key in schema.keys}, "actions": []}


def _quoted(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _text(value: object) -> str | None:
    """A text field's value: strings stripped, None as empty; None for other types."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return None


class _Errors(dict):
    def add(self, path: str, message: Message) -> None:
        self.setdefault(path, []).append(message)


def _level(value: object, max_level: int) -> tuple[bool, int | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True, None
    if isinstance(value, str):
        digits = value.strip().translate(THAI_DIGITS)
        value = int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 3 else None
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= max_level:
        return False, None
    return True, value


def _links(value: object, path: str, errors: _Errors) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items: list = value.splitlines()
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        errors.add(path, Message(N_("Links must be a list of web addresses, one per line")))
        return []
    links = []
    for item in items:
        if not isinstance(item, str):
            errors.add(path, Message(N_("Links must be a list of web addresses, one per line")))
            return []
        item = item.strip()
        if item:
            links.append(item)
    if len(links) > MAX_LINKS:
        errors.add(path, Message(N_("Give at most {max} links"), max=MAX_LINKS))
        return []
    for link in links:
        if len(link) > MAX_LINK:
            errors.add(path, Message(N_("The link “{link}” is longer than {max} characters"),
                                     link=_short(link), max=MAX_LINK))
        elif not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", link, flags=re.IGNORECASE):
            errors.add(path, Message(N_("“{link}” is not a web address starting with http:// or https://"),
                                     link=_short(link)))
    return links


def _bounded_text(value: object, path: str, limit: int, errors: _Errors) -> str:
    text = _text(value)
    if text is None:
        errors.add(path, Message(N_("Must be a text")))
        return ""
    if len(text) > limit:
        errors.add(path, Message(N_("Must be at most {max} characters long (it is {length})"),
                                 max=limit, length=len(text)))
    return text


def _merge_answer(schema: ReadinessSchema, key: str, answer: dict[str, Any], given: object,
                  errors: _Errors) -> None:
    path = f"activities.{key}"
    if not isinstance(given, Mapping):
        errors.add(path, Message(N_("Must be a mapping of fields (level, evidence, links, responsible)")))
        return
    for field in given:
        if field not in ANSWER_FIELDS:
            errors.add(f"{path}.{field}", Message(N_("Unknown field “{field}”: the fields are {fields}"),
                                                 field=_short(str(field)), fields=_quoted(ANSWER_FIELDS)))
    if "level" in given:
        valid, level = _level(given["level"], schema.max_level)
        if valid:
            answer["level"] = level
        else:
            errors.add(f"{path}.level", Message(
                N_("The level must be a whole number from 1 to {max}, or empty when not assessed"),
                max=schema.max_level))
    if "evidence" in given:
        answer["evidence"] = _bounded_text(given["evidence"], f"{path}.evidence", MAX_EVIDENCE, errors)
    if "links" in given:
        answer["links"] = _links(given["links"], f"{path}.links", errors)
    if "responsible" in given:
        answer["responsible"] = _bounded_text(given["responsible"], f"{path}.responsible",
                                              MAX_RESPONSIBLE, errors)


def _done(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _due_date(value: object) -> tuple[bool, str | None]:
    if value is None:
        return True, None
    if isinstance(value, dt.datetime):
        return False, None
    if isinstance(value, dt.date):
        return True, value.isoformat()
    if isinstance(value, str):
        text = value.strip().translate(THAI_DIGITS)
        if not text:
            return True, None
        if _DATE.fullmatch(text):
            try:
                return True, dt.date.fromisoformat(text).isoformat()
            except ValueError:  # the shape of a date but no such day, e.g. 2026-02-30
                return False, None
    return False, None


def _action(schema: ReadinessSchema, index: int, given: object, new_id: Callable[[], str],
            errors: _Errors) -> dict[str, Any] | None:
    path = f"actions.{index}"
    if not isinstance(given, Mapping):
        errors.add(path, Message(N_("An improvement action must be a mapping of fields")))
        return None
    for field in given:
        if field not in ACTION_FIELDS and field not in _COMPUTED_ACTION_FIELDS:
            errors.add(f"{path}.{field}", Message(N_("Unknown field “{field}”: the fields are {fields}"),
                                                 field=_short(str(field)), fields=_quoted(ACTION_FIELDS)))
    action_id = _text(given.get("id"))
    if action_id is None or len(action_id) > MAX_ACTION_ID:
        errors.add(f"{path}.id", Message(N_("The action's id must be a text of at most {max} characters"),
                                         max=MAX_ACTION_ID))
        action_id = ""
    activity = _text(given.get("activity"))
    if not activity:
        errors.add(f"{path}.activity", Message(N_("Choose the activity the action improves")))
    elif activity not in schema.keys:
        errors.add(f"{path}.activity", _unknown_activity(schema, activity))
    description = _bounded_text(given.get("description"), f"{path}.description", MAX_DESCRIPTION, errors)
    if not description and f"{path}.description" not in errors:
        errors.add(f"{path}.description", Message(N_("Describe the improvement action")))
    owner = _bounded_text(given.get("owner"), f"{path}.owner", MAX_OWNER, errors)
    valid, due_date = _due_date(given.get("due_date"))
    if not valid:
        errors.add(f"{path}.due_date", Message(
            N_("The due date must be a date written YYYY-MM-DD (Common Era), e.g. {example}"),
            example="2026-12-31"))
    done = _done(given.get("done"))
    if done is None:
        errors.add(f"{path}.done", Message(N_("“Done” must be true or false")))
    return {"id": action_id or new_id(), "activity": activity or "", "description": description,
            "owner": owner, "due_date": due_date, "done": bool(done)}


def _unknown_activity(schema: ReadinessSchema, key: str) -> Message:
    return Message(N_("Unknown activity “{key}”: the activities are {keys}"),
                   key=_short(key), keys=_quoted(schema.keys))


def _copy_document(schema: ReadinessSchema, current: Mapping | None) -> dict[str, Any]:
    """A deep copy of a stored document with every schema activity present
    (answers of activities the schema no longer has are kept, not lost)."""
    document: dict[str, Any] = copy.deepcopy(dict(current)) if isinstance(current, Mapping) else {}
    stored = document.get("activities")
    activities: Mapping[str, Any] = stored if isinstance(stored, Mapping) else {}
    merged: dict[str, Any] = {}
    for key in schema.keys:
        answer = _empty_answer()
        if isinstance(activities.get(key), Mapping):
            answer.update(activities[key])
        merged[key] = answer
    for key, answer in activities.items():
        merged.setdefault(key, answer)
    document["activities"] = merged
    actions = document.get("actions")
    document["actions"] = list(actions) if isinstance(actions, list) else []
    return document


def merge_update(schema: ReadinessSchema, current: dict | None, changes: Mapping, *,
                 new_id: Callable[[], str]) -> dict[str, Any]:
    """The document after applying ``changes`` to ``current`` (never mutated).

    ``changes`` = {"activities"?: {key: {level?, evidence?, links?,
    responsible?}}, "actions"?: [action, ...]}: answers merge per activity
    and field; actions, when given, replace the whole list (ids kept when
    given, ``new_id()`` otherwise). Form input is accepted (level "3" or ""
    for not assessed, links one per line, done "on"/"true", due_date "" for
    none). Raises one ReadinessInputError with every error found."""
    errors = _Errors()
    document = _copy_document(schema, current)
    if not isinstance(changes, Mapping):
        raise ReadinessInputError({"": [Message(N_("The changes must be a mapping of fields"))]})
    for key in changes:
        if key not in ("activities", "actions"):
            errors.add(str(key), Message(N_("Unknown field “{field}”: the fields are {fields}"),
                                         field=_short(str(key)), fields=_quoted(("activities", "actions"))))
    given_activities = changes.get("activities")
    if given_activities is not None:
        if not isinstance(given_activities, Mapping):
            errors.add("activities", Message(N_("Activities must be a mapping of activity keys to answers")))
        else:
            for key, given in given_activities.items():
                if key not in schema.keys:
                    errors.add(f"activities.{key}", _unknown_activity(schema, str(key)))
                    continue
                _merge_answer(schema, key, document["activities"][key], given, errors)
    given_actions = changes.get("actions")
    if given_actions is not None:
        if isinstance(given_actions, Mapping):  # a form's numbered fields: {"0": {...}, "1": {...}}
            given_actions = [given_actions[index] for index in sorted(
                given_actions, key=lambda i: int(i) if str(i).isdigit() else -1)]
        if not isinstance(given_actions, (list, tuple)):
            errors.add("actions", Message(N_("Improvement actions must be a list")))
        elif len(given_actions) > MAX_ACTIONS:
            errors.add("actions", Message(N_("Give at most {max} improvement actions"), max=MAX_ACTIONS))
        else:
            actions = [_action(schema, index, given, new_id, errors)
                       for index, given in enumerate(given_actions)]
            seen: set[str] = set()
            for index, action in enumerate(actions):
                if action is None:
                    continue
                if action["id"] in seen:
                    errors.add(f"actions.{index}.id", Message(N_("Two improvement actions have the id “{id}”"),
                                                              id=_short(action["id"])))
                seen.add(action["id"])
            document["actions"] = [action for action in actions if action is not None]
    if errors:
        raise ReadinessInputError(errors)
    return document


# --- history ------------------------------------------------------------------

def _answers(document: Mapping | None) -> Mapping[str, Any]:
    if isinstance(document, Mapping) and isinstance(document.get("activities"), Mapping):
        return document["activities"]
    return {}


def _actions(document: Mapping | None) -> list[Mapping[str, Any]]:
    if isinstance(document, Mapping) and isinstance(document.get("actions"), list):
        return [action for action in document["actions"] if isinstance(action, Mapping)]
    return []


def changes(old: dict | None, new: dict) -> list[dict[str, Any]]:
    """What differs between two documents, for the history:
    ``[{"field": "activities.budget.level", "old": 1, "new": 2},
    {"field": "actions.<id>", "old": {...} | None, "new": {...} | None}]``
    (a missing document counts as empty); [] when nothing did."""
    found: list[dict[str, Any]] = []
    old_answers, new_answers = _answers(old), _answers(new)
    keys = list(new_answers) + [key for key in old_answers if key not in new_answers]
    empty = _empty_answer()
    for key in keys:
        before: Mapping[str, Any] = old_answers.get(key) or {}
        after: Mapping[str, Any] = new_answers.get(key) or {}
        if not isinstance(before, Mapping):
            before = {}
        if not isinstance(after, Mapping):
            after = {}
        for field in ANSWER_FIELDS:
            was, now = before.get(field, empty[field]), after.get(field, empty[field])
            if was != now:
                found.append({"field": f"activities.{key}.{field}", "old": copy.deepcopy(was),
                              "new": copy.deepcopy(now)})
    old_actions = {str(action.get("id")): action for action in _actions(old)}
    new_actions = {str(action.get("id")): action for action in _actions(new)}
    for action_id in list(new_actions) + [i for i in old_actions if i not in new_actions]:
        was, now = old_actions.get(action_id), new_actions.get(action_id)
        if was != now:
            found.append({"field": f"actions.{action_id}", "old": copy.deepcopy(dict(was) if was else None),
                          "new": copy.deepcopy(dict(now) if now else None)})
    return found


_FIELD_NAMES = {
    "level": N_("level"),
    "evidence": N_("evidence"),
    "links": N_("links"),
    "responsible": N_("person responsible"),
}


def field_label(schema: ReadinessSchema, field: str) -> Message:
    """The human name of a :func:`changes` field: "Budget: level",
    "Improvement action"."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "activities" and parts[2] in _FIELD_NAMES:
        try:
            name: Label | str = schema.activity(parts[1]).name
        except KeyError:
            name = parts[1]
        return Message(N_("{activity}: {field}"), activity=name, field=Message(_FIELD_NAMES[parts[2]]))
    if parts[0] == "actions" and len(parts) >= 2:
        return Message(N_("Improvement action"))
    return Message(N_("Field {field}"), field=field)


# --- the rule ---------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """An activity below the required level (``level`` None: not assessed)."""

    activity: str
    name: Label
    level: int | None
    required: int

    def message(self) -> Message:
        if self.level is None:
            return Message(N_("{activity} is not assessed"), activity=self.name)
        return Message(N_("{activity} is at level {level}"), activity=self.name, level=self.level)


@dataclass(frozen=True)
class Verdict:
    """Whether an agency is ready, and what is missing when it is not."""

    ready: bool
    required_level: int
    gaps: tuple[Gap, ...]

    def message(self) -> Message:
        if self.ready:
            return Message(N_("Ready: every activity is at level {level} or above"), level=self.required_level)
        return Message(N_("Not ready: {gaps}; every activity must be at level {level} or above"),
                       gaps=tuple(gap.message() for gap in self.gaps), level=self.required_level)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "required_level": self.required_level,
            "gaps": [{"activity": gap.activity, "level": gap.level, "required": gap.required,
                      "message": gap.message().as_dict()} for gap in self.gaps],
            "message": self.message().as_dict(),
        }


def _stored_level(answer: object) -> int | None:
    level = answer.get("level") if isinstance(answer, Mapping) else None
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def level_of(schema: ReadinessSchema, answer: object) -> int | None:
    """An answer's level, when it is one of the questionnaire's (None: not
    assessed, or a level the questionnaire no longer has)."""
    level = _stored_level(answer)
    return level if level is not None and 1 <= level <= schema.max_level else None


def levels(schema: ReadinessSchema, document: dict | None) -> dict[str, int | None]:
    """Each activity's level in the document (:func:`level_of`), in the
    schema's order."""
    answers = _answers(document)
    return {activity.key: level_of(schema, answers.get(activity.key)) for activity in schema.activities}


def evaluate(schema: ReadinessSchema, document: dict | None, required_level: int | None = None) -> Verdict:
    """Ready when every activity of the schema is at or above
    ``required_level`` (None: the schema's rule); a missing document or
    answer is "not assessed"."""
    required = schema.required_level if required_level is None else required_level
    answers = _answers(document)
    gaps = []
    for activity in schema.activities:
        level = _stored_level(answers.get(activity.key))
        if level is None or level < required:
            gaps.append(Gap(activity=activity.key, name=activity.name, level=level, required=required))
    return Verdict(ready=not gaps, required_level=required, gaps=tuple(gaps))


def carry_forward(document: dict) -> dict[str, Any]:
    """The start of next year's assessment: the answers as they are, the
    open actions kept (with their ids), the done ones dropped."""
    copied = copy.deepcopy(dict(document)) if isinstance(document, Mapping) else {}
    copied["activities"] = copy.deepcopy(dict(_answers(document)))
    copied["actions"] = [copy.deepcopy(dict(action)) for action in _actions(document)
                         if not action.get("done")]
    return copied


def overdue_actions(document: dict | None, today: dt.date) -> list[dict[str, Any]]:
    """The actions not done whose due date is before ``today``."""
    overdue = []
    for action in _actions(document):
        valid, due = _due_date(action.get("due_date"))
        if not action.get("done") and valid and due is not None and dt.date.fromisoformat(due) < today:
            overdue.append(copy.deepcopy(dict(action)))
    return overdue


def not_ready_message(organization: str, year: int, verdict: Verdict, url: str) -> Message:
    """The publishing gate's error: why the agency may not publish, and
    where to complete its assessment."""
    return Message(
        N_("“{organization}” is not ready to publish data in {fiscal_year}: {gaps}; every activity "
           "must be at level {level} or above. Complete its readiness assessment: {url}"),
        organization=organization, fiscal_year=fiscal_year_label(year),
        gaps=tuple(gap.message() for gap in verdict.gaps), level=verdict.required_level, url=url)
