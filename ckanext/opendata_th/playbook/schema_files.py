"""Reading the declarative YAML files a sysadmin may replace (the readiness
questionnaire, the classification decision tree): a safe loader that
refuses a key given twice, and a reader whose every complaint names the
file and the place (``activities[2].levels[3].description.th``)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ckanext.opendata_th.playbook.messages import N_, Label, Message, SchemaFileError


class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader (libyaml's when there is one: ten times faster)
    that refuses a key given twice in one mapping (PyYAML would silently
    keep the last one)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"found the key {key!r} twice", key_node.start_mark)
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                _construct_mapping)  # type: ignore[arg-type]


def join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


class SchemaReader:
    """Reads one schema file; ``error`` is the file kind's SchemaFileError."""

    error: type[SchemaFileError] = SchemaFileError

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, place: str, problem: Message) -> SchemaFileError:
        return self.error(self.path, place, problem)

    def read(self) -> object:
        """The file's YAML, or the reason it cannot be read."""
        try:
            with self.path.open(encoding="utf-8") as stream:
                return yaml.load(stream, Loader=UniqueKeyLoader)  # noqa: S506 (a safe loader)
        except OSError as error:
            raise self.fail("", Message(N_("the file cannot be read ({reason})"),
                                        reason=error.strerror or type(error).__name__)) from error
        except UnicodeDecodeError as error:
            raise self.fail("", Message(N_("the file is not UTF-8 text"))) from error
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            if mark is not None:
                raise self.fail("", Message(
                    N_("the YAML is not valid at line {line}, column {column}: {problem}"),
                    line=mark.line + 1, column=mark.column + 1, problem=problem)) from error
            raise self.fail("", Message(N_("the YAML is not valid: {problem}"), problem=problem)) from error

    def mapping(self, value: object, place: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(place, Message(N_("must be a mapping of keys to values")))
        for key in required:
            if key not in value or value[key] is None:
                raise self.fail(join(place, key), Message(N_("is missing")))
        known = required + optional
        for key in value:
            if key not in known:
                raise self.fail(join(place, str(key)), Message(
                    N_("is not a known key; the keys are {keys}"),
                    keys=", ".join(known)))
        return value

    def sequence(self, value: object, place: str) -> list:
        if not isinstance(value, list) or not value:
            raise self.fail(place, Message(N_("must be a non-empty list")))
        return value

    def text(self, value: object, place: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
            raise self.fail(place, Message(N_("must be a non-empty text")))
        return str(value).strip()

    def label(self, value: object, place: str) -> Label:
        value = self.mapping(value, place, ("th", "en"))
        return Label(self.text(value["th"], f"{place}.th"), self.text(value["en"], f"{place}.en"))

    def number(self, value: object, place: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(place, Message(N_("must be a whole number")))
        return value

    def numbered(self, items: list, place: str) -> list[Mapping[str, Any]]:
        """Checks that the items are numbered 1, 2, ... N in order."""
        for index, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                raise self.fail(f"{place}[{index}]", Message(N_("must be a mapping of keys to values")))
            if item.get("number") is None:
                raise self.fail(f"{place}[{index}].number", Message(N_("is missing")))
            number = self.number(item["number"], f"{place}[{index}].number")
            if number != index:
                raise self.fail(f"{place}[{index}].number", Message(
                    N_("is {number}, expected {expected}: levels are numbered 1, 2, 3… in order, without gaps"),
                    number=number, expected=index))
        return items
