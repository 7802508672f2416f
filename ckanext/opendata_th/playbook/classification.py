"""The classification: the legal decision tree that says whether a dataset
can be disclosed (step 3.5 of the playbook), and which data_category and
data_classification follow.

The questions, their branches, the outcomes and the laws each one cites live
in ``schemas/classification.yaml`` (Thai and English texts in the file, so a
sysadmin can swap it when the law changes). This module loads and checks that
file (:func:`load_schema`) and walks the tree over a publisher's answers
(:func:`decide`); a path not yet complete says which question comes next, so
the guided form can ask one question at a time and resume later. It imports
nothing from CKAN.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from ckanext.opendata_th.playbook.disclosure import may_be_public
from ckanext.opendata_th.playbook.messages import N_, InputError, Label, Message, SchemaFileError
from ckanext.opendata_th.playbook.schema_files import SchemaReader
from ckanext.opendata_th.playbook.national_schema import CLASSIFICATIONS, SchemaError, check_classification

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "classification.yaml"

OUTCOME_PREFIX = "outcome:"
MAX_DETAIL_LENGTH = 10000
"""The longest max_length a schema may give a detail."""

_KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")
_YES = ("yes", "true", "1", "on", "ใช่")
_NO = ("no", "false", "0", "off", "ไม่ใช่")


# --- errors ---------------------------------------------------------------

class ClassificationSchemaError(SchemaFileError):
    """A broken classification schema file (see :class:`SchemaFileError`)."""

    BROKEN_AT = N_("The classification schema {file} is broken: {place} {problem}")
    BROKEN = N_("The classification schema {file} is broken: {problem}")


class ClassificationInputError(InputError):
    """Bad answers or details from a user: every error at once, by dotted
    path ("answers.<question>", "details.<detail>")."""


# --- the schema -----------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """One yes/no question; ``yes`` and ``no`` name the next question's key
    or ``outcome:<key>``."""

    key: str
    text: Label
    help: Label
    law: Label | None
    yes: str
    no: str
    record: tuple[str, ...]
    """Details a yes-answer must record."""

    def next(self, answer: bool) -> str:
        return self.yes if answer else self.no


@dataclass(frozen=True)
class Outcome:
    """Where a path ends: whether the data may be disclosed, whether the
    dataset is withheld, and the governance fields it gets."""

    key: str
    disclosable: bool
    withhold: bool
    category: str
    classification: str
    label: Label
    explanation: Label


@dataclass(frozen=True)
class Detail:
    """A text a yes-answer records (who gave permission, which law)."""

    key: str
    label: Label
    max_length: int


def _text(label: Label | None, lang: str) -> str | None:
    return None if label is None else label.in_language(lang)


@dataclass(frozen=True)
class ClassificationSchema:
    """The decision tree, as loaded from a classification schema file."""

    path: str
    version: str
    start: str
    questions: dict[str, Question]
    """In the file's order."""
    outcomes: dict[str, Outcome]
    details: dict[str, Detail]

    def as_dict(self, lang: str) -> dict[str, Any]:
        """The schema for the API, its texts in ``lang`` ("th", else English)."""
        return {
            "version": self.version,
            "start": self.start,
            "questions": [{
                "key": q.key, "text": _text(q.text, lang), "help": _text(q.help, lang),
                "law": _text(q.law, lang), "yes": q.yes, "no": q.no, "record": list(q.record),
            } for q in self.questions.values()],
            "outcomes": [{
                "key": o.key, "disclosable": o.disclosable, "withhold": o.withhold,
                "category": o.category, "classification": o.classification,
                "label": _text(o.label, lang), "explanation": _text(o.explanation, lang),
            } for o in self.outcomes.values()],
            "details": [{"key": d.key, "label": _text(d.label, lang), "max_length": d.max_length}
                        for d in self.details.values()],
        }


class _Reader(SchemaReader):
    """Reads the classification schema file."""

    error = ClassificationSchemaError

    def key(self, value: object, place: str) -> str:
        key = self.text(value, place)
        if not _KEY.fullmatch(key):
            raise self.fail(place, Message(
                N_("is “{key}”, but must be lower-case letters, digits and _, starting with a letter"),
                key=key))
        return key

    def flag(self, value: object, place: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(place, Message(N_("must be true or false")))
        return value


def _branches(item: Mapping[Any, Any]) -> dict[Any, Any]:
    """YAML 1.1 reads the keys ``yes`` and ``no`` as true and false: take
    them back as the words."""
    return {{True: "yes", False: "no"}.get(key, key) if isinstance(key, bool) else key: value
            for key, value in item.items()}


def load_schema(path: str | Path | None = None) -> ClassificationSchema:
    """Loads and checks a classification schema file (None: the shipped one).

    Checked: the keys each part needs, unique keys, every branch leads to a
    question or an outcome of the file, the start exists, no cycle, every
    question and outcome can be reached, the outcomes' category and
    classification are a pair the national catalog allows (and a disclosable
    outcome is public data classified as open), Thai and English texts are
    given, and what a question records is declared under ``details``. Places
    are counted from 1 (``questions[3].yes``). Raises
    ClassificationSchemaError, also for an unreadable file and bad YAML."""
    path = Path(path) if path else SCHEMA_FILE
    reader = _Reader(path)
    top = reader.mapping(reader.read(), "", ("version", "start", "questions", "outcomes", "details"))
    version = reader.text(top["version"], "version")
    start = reader.key(top["start"], "start")

    details: dict[str, Detail] = {}
    for index, item in enumerate(reader.sequence(top["details"], "details"), start=1):
        place = f"details[{index}]"
        item = reader.mapping(item, place, ("key", "label", "max_length"))
        key = reader.key(item["key"], f"{place}.key")
        if key in details:
            raise reader.fail(f"{place}.key", Message(N_("“{key}” is given twice"), key=key))
        length = reader.number(item["max_length"], f"{place}.max_length")
        if not 1 <= length <= MAX_DETAIL_LENGTH:
            raise reader.fail(f"{place}.max_length", Message(
                N_("is {number}, but must be from 1 to {max}"), number=length, max=MAX_DETAIL_LENGTH))
        details[key] = Detail(key, reader.label(item["label"], f"{place}.label"), length)

    outcomes: dict[str, Outcome] = {}
    for index, item in enumerate(reader.sequence(top["outcomes"], "outcomes"), start=1):
        place = f"outcomes[{index}]"
        item = reader.mapping(item, place, ("key", "disclosable", "category", "classification", "label",
                                            "explanation"), ("withhold",))
        key = reader.key(item["key"], f"{place}.key")
        if key in outcomes:
            raise reader.fail(f"{place}.key", Message(N_("“{key}” is given twice"), key=key))
        disclosable = reader.flag(item["disclosable"], f"{place}.disclosable")
        withhold = (not disclosable if item.get("withhold") is None
                    else reader.flag(item["withhold"], f"{place}.withhold"))
        if disclosable and withhold:
            raise reader.fail(f"{place}.withhold", Message(N_("cannot be true for a disclosable outcome")))
        category = reader.text(item["category"], f"{place}.category")
        if category not in CLASSIFICATIONS:
            raise reader.fail(f"{place}.category", Message(
                N_("is “{value}”, but must be one of {choices}"),
                value=category, choices=", ".join(CLASSIFICATIONS)))
        classification = reader.text(item["classification"], f"{place}.classification")
        try:
            check_classification(category, classification)
        except SchemaError as error:
            raise reader.fail(f"{place}.classification", error.message) from None
        if disclosable and not may_be_public(category, classification):
            raise reader.fail(f"{place}.disclosable", Message(
                N_("is true, but only public data classified as open may be disclosed")))
        outcomes[key] = Outcome(key, disclosable, withhold, category, classification,
                                reader.label(item["label"], f"{place}.label"),
                                reader.label(item["explanation"], f"{place}.explanation"))

    raw_questions = reader.sequence(top["questions"], "questions")
    questions: dict[str, Question] = {}
    places: dict[str, str] = {}
    for index, item in enumerate(raw_questions, start=1):
        place = f"questions[{index}]"
        if not isinstance(item, Mapping):
            raise reader.fail(place, Message(N_("must be a mapping of keys to values")))
        item = reader.mapping(_branches(item), place, ("key", "text", "help", "yes", "no"), ("law", "record"))
        key = reader.key(item["key"], f"{place}.key")
        if key in questions:
            raise reader.fail(f"{place}.key", Message(N_("“{key}” is given twice"), key=key))
        record: tuple[str, ...] = ()
        if item.get("record") is not None:
            names = reader.sequence(item["record"], f"{place}.record")
            record = tuple(reader.text(name, f"{place}.record[{n}]") for n, name in enumerate(names, start=1))
            for n, name in enumerate(record, start=1):
                if name not in details:
                    raise reader.fail(f"{place}.record[{n}]", Message(
                        N_("is “{value}”, but must be one of {choices}"),
                        value=name, choices=", ".join(details)))
        law = None if item.get("law") is None else reader.label(item["law"], f"{place}.law")
        questions[key] = Question(key, reader.label(item["text"], f"{place}.text"),
                                  reader.label(item["help"], f"{place}.help"), law,
                                  reader.text(item["yes"], f"{place}.yes"), reader.text(item["no"], f"{place}.no"),
                                  record)
        places[key] = place

    for key, question in questions.items():
        for branch in ("yes", "no"):
            target = getattr(question, branch)
            if target.startswith(OUTCOME_PREFIX):
                if target[len(OUTCOME_PREFIX):] not in outcomes:
                    raise reader.fail(f"{places[key]}.{branch}", Message(
                        N_("leads to “{target}”, but there is no such outcome; the outcomes are {choices}"),
                        target=target, choices=", ".join(outcomes)))
            elif target not in questions:
                raise reader.fail(f"{places[key]}.{branch}", Message(
                    N_("leads to “{target}”, but there is no such question (write “outcome:<key>” "
                       "for an outcome)"), target=target))
    if start not in questions:
        raise reader.fail("start", Message(N_("is “{value}”, but there is no such question"), value=start))

    _check_paths(reader, start, questions, outcomes, places)
    return ClassificationSchema(str(path), version, start, questions, outcomes, details)


_LOADED: dict[str, tuple[tuple[int, int], ClassificationSchema]] = {}


def current_schema(path: str | Path | None = None) -> ClassificationSchema:
    """:func:`load_schema`, read again only when the file changes (its
    modification time or size), so that the glue may call it per request."""
    path = Path(path) if path else SCHEMA_FILE
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_schema(path)  # raises the error that names the file
    cached = _LOADED.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    schema = load_schema(path)
    _LOADED[str(path)] = (stamp, schema)
    return schema


def _check_paths(reader: _Reader, start: str, questions: dict[str, Question],
                 outcomes: dict[str, Outcome], places: dict[str, str]) -> None:
    """No cycle, and every question and outcome reachable from the start."""
    done: set[str] = set()
    reached_outcomes: set[str] = set()
    # depth-first, iterative: (question, branches still to follow); a question
    # on the current path met again is a cycle
    on_path: list[str] = [start]
    stack = [[start, ["yes", "no"]]]
    while stack:
        key, branches = stack[-1]
        if not branches:
            stack.pop()
            on_path.pop()
            done.add(key)
            continue
        branch = branches.pop(0)
        target = getattr(questions[key], branch)
        if target.startswith(OUTCOME_PREFIX):
            reached_outcomes.add(target[len(OUTCOME_PREFIX):])
        elif target in on_path:
            raise reader.fail(f"{places[key]}.{branch}", Message(
                N_("leads back to “{target}”: the questions go round in a circle ({cycle})"),
                target=target, cycle=" → ".join(on_path[on_path.index(target):] + [target])))
        elif target not in done:
            on_path.append(target)
            stack.append([target, ["yes", "no"]])
    for key in questions:
        if key not in done:
            raise reader.fail(places[key], Message(
                N_("“{key}” cannot be reached from the start question"), key=key))
    for index, key in enumerate(outcomes, start=1):
        if key not in reached_outcomes:
            raise reader.fail(f"outcomes[{index}]", Message(
                N_("“{key}” cannot be reached from the start question"), key=key))


# --- deciding -------------------------------------------------------------

def fields_for(outcome: Outcome, current_category: object = None,
               current_classification: object = None) -> tuple[str, str]:
    """The data_category and data_classification a decided dataset gets: the
    outcome's, except that a level already set within the same category is
    kept (a dataset marked ลับมาก stays ลับมาก when the outcome says ลับ)."""
    if (current_category == outcome.category
            and current_classification in CLASSIFICATIONS.get(outcome.category, ())):
        return outcome.category, str(current_classification)
    return outcome.category, outcome.classification


@dataclass(frozen=True)
class Decision:
    """Where a publisher's answers lead: the next question, or the outcome
    and the fields it sets."""

    answers: dict[str, bool]
    """Only the questions on the path, in order."""
    details: dict[str, str]
    """Only the details the path records."""
    next_question: str | None
    outcome: str | None
    disclosable: bool | None
    """None until decided."""
    withhold: bool
    category: str | None
    classification: str | None

    @property
    def decided(self) -> bool:
        return self.outcome is not None

    def as_dict(self, schema: ClassificationSchema, lang: str) -> dict[str, Any]:
        """The decision for the API, with the texts in ``lang``: the path
        (each question and its answer), the laws it cites, the outcome's
        label and explanation."""
        path = [{"key": key, "text": _text(schema.questions[key].text, lang),
                 "law": _text(schema.questions[key].law, lang), "answer": answer}
                for key, answer in self.answers.items()]
        laws: list[str] = []
        for step in path:
            if step["law"] and step["law"] not in laws:
                laws.append(step["law"])
        outcome = schema.outcomes.get(self.outcome) if self.outcome else None
        following = schema.questions.get(self.next_question) if self.next_question else None
        return {
            "version": schema.version,
            "answers": dict(self.answers),
            "details": dict(self.details),
            "details_labels": {key: _text(schema.details[key].label, lang) for key in self.details},
            "path": path,
            "laws": laws,
            "next_question": self.next_question,
            "next_question_text": _text(following.text, lang) if following else None,
            "outcome": self.outcome,
            "outcome_label": _text(outcome.label, lang) if outcome else None,
            "explanation": _text(outcome.explanation, lang) if outcome else None,
            "disclosable": self.disclosable,
            "withhold": self.withhold,
            "category": self.category,
            "classification": self.classification,
        }


def _answer(value: object) -> bool | None | Message:
    """True/False, None for no answer (blank), or the error."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        if not text:
            return None
        if text in _YES:
            return True
        if text in _NO:
            return False
    shown = value[:50] if isinstance(value, str) else type(value).__name__
    return Message(N_("The answer must be yes or no (you gave “{value}”)"), value=shown)


def decide(schema: ClassificationSchema, answers: Mapping[str, object], details: Mapping[str, object], *,
           current_category: object = None, current_classification: object = None) -> Decision:
    """Walks the tree from the start over ``answers`` ({question key: yes/no,
    as a bool or "yes"/"no"/"true"/"false"/"1"/"0"}); a blank answer is no
    answer yet. Answers and details off the path are dropped. Raises
    ClassificationInputError for an unknown question or detail, an answer
    that is not yes or no, and a detail that a yes-answer on the path needs
    but is missing or too long."""
    errors: dict[str, list[Message]] = {}
    answers = answers if isinstance(answers, Mapping) else {}
    details = details if isinstance(details, Mapping) else {}
    given: dict[str, bool] = {}
    for key, value in list(answers.items())[:len(schema.questions) + 10]:
        if key not in schema.questions:
            errors[f"answers.{str(key)[:50]}"] = [Message(
                N_("There is no question “{key}” in the classification"), key=str(key)[:50])]
            continue
        answer = _answer(value)
        if isinstance(answer, Message):
            errors[f"answers.{key}"] = [answer]
        elif answer is not None:
            given[key] = answer
    if len(answers) > len(schema.questions) + 10:
        errors["answers"] = [Message(N_("There are more answers than questions"))]
    for key in list(details)[:len(schema.details) + 10]:
        if key not in schema.details:
            errors[f"details.{str(key)[:50]}"] = [Message(
                N_("There is no detail “{key}” in the classification"), key=str(key)[:50])]
    if len(details) > len(schema.details) + 10:
        errors["details"] = [Message(N_("There are more details than the classification records"))]

    path: dict[str, bool] = {}
    recorded: dict[str, str] = {}
    current: str | None = schema.start
    outcome: Outcome | None = None
    while current is not None and current not in path:  # the schema has no cycle; be safe anyway
        question = schema.questions[current]
        if current not in given:
            break
        answer = given[current]
        path[current] = answer
        if answer:
            for name in question.record:
                detail = schema.details[name]
                value = details.get(name)
                text = value.strip() if isinstance(value, str) else None
                if value is not None and not isinstance(value, str):
                    errors[f"details.{name}"] = [Message(N_("{field} must be text"), field=detail.label)]
                elif not text:
                    errors[f"details.{name}"] = [Message(
                        N_("{field} is required when the answer is yes"), field=detail.label)]
                elif len(text) > detail.max_length:
                    errors[f"details.{name}"] = [Message(
                        N_("{field} can be at most {max} characters long (it is {length})"),
                        field=detail.label, max=detail.max_length, length=len(text))]
                else:
                    recorded[name] = text
        target = question.next(answer)
        if target.startswith(OUTCOME_PREFIX):
            outcome = schema.outcomes[target[len(OUTCOME_PREFIX):]]
            current = None
        else:
            current = target
    if errors:
        raise ClassificationInputError(errors)
    if outcome is None:
        return Decision(path, recorded, current, None, None, False, None, None)
    category, classification = fields_for(outcome, current_category, current_classification)
    return Decision(path, recorded, None, outcome.key, outcome.disclosable, outcome.withhold,
                    category, classification)
