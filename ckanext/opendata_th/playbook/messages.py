"""Messages the rules return, written once in English and read in the
reader's language.

The rules know nothing of requests or languages: they return a
:class:`Message`, an English message id (marked with :func:`N_` so that Babel
extracts it into the translation catalogs) and named parameters. The glue
renders it with the request's ``gettext`` (Thai pages Thai, English pages
English); the Thai texts live in the Thai catalog, not in the code.

Parameters may be plain values (a choice value is data and is quoted as it
is stored, in Thai), another :class:`Message`, a :class:`Label` (a name the
dataset schema gives in both languages), or a date or datetime (written with
a Buddhist Era year in Thai, a Common Era year otherwise).
"""
from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.opendata_th.playbook.dates import (
    format_date_en,
    format_date_th,
    format_datetime_en,
    format_datetime_th,
)

Gettext = Callable[[str], str]


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction; it is translated where it is shown."""
    return msgid


def untranslated(msgid: str) -> str:
    """A gettext that keeps the English message id."""
    return msgid


@dataclass(frozen=True)
class Label:
    """A name in Thai and English taken from data (the dataset schema's field
    and choice labels), not from the catalogs."""

    th: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


@dataclass(frozen=True, init=False)
class Message:
    """An English message id and its named parameters (``{name}`` fields)."""

    msgid: str
    params: Mapping[str, Any]

    def __init__(self, msgid: str, /, **params: Any) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)

    def __bool__(self) -> bool:
        return bool(self.msgid)

    def render(self, gettext: Gettext = untranslated, lang: str = "en") -> str:
        """The text in one language: ``gettext`` translates the message id and
        every message in the parameters; ``lang`` picks labels and calendars.
        A translation whose fields do not match falls back to English."""
        values = {name: _render(value, gettext, lang) for name, value in self.params.items()}
        try:
            return _fill(gettext(self.msgid), values)
        except (KeyError, IndexError, ValueError):
            try:
                return _fill(self.msgid, values)
            except (KeyError, IndexError, ValueError):
                return self.msgid

    def __str__(self) -> str:
        return self.render()

    def as_dict(self) -> dict[str, Any]:
        """The message for machines: its id and parameters, JSON-serializable."""
        return {"id": self.msgid, "params": {name: _plain(value) for name, value in self.params.items()}}

    @classmethod
    def from_dict(cls, data: Any) -> "Message":
        """The message :meth:`as_dict` gave (stored as JSON); parameters
        that are such dicts become messages again. Anything else: an empty
        message."""
        if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
            return NO_MESSAGE
        params = data.get("params") if isinstance(data.get("params"), Mapping) else {}
        return cls(data["id"], **{str(name): _revived(value) for name, value in params.items()})

    def fields(self) -> set[str]:
        """The names of the ``{fields}`` of the message id."""
        return {name for _, name, _, _ in string.Formatter().parse(self.msgid) if name}


NO_MESSAGE = Message("")


def _revived(value: Any) -> Any:
    """A parameter as :meth:`Message.as_dict` wrote it, as it was (dates
    stay ISO strings)."""
    if isinstance(value, Mapping) and set(value) == {"id", "params"} and isinstance(value["id"], str):
        return Message.from_dict(value)
    if isinstance(value, Mapping) and set(value) == {"th", "en"}:
        return Label(str(value["th"]), str(value["en"]))
    if isinstance(value, list):
        return [_revived(item) for item in value]
    return value


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def _fill(template: str, values: Mapping[str, str]) -> str:
    """``template.format(**values)``, with a space where Thai text meets a
    Latin word or a number ("กรุณาระบุ URL", not "กรุณาระบุURL"), as Thai
    is written: the translation need not guess what each value holds."""
    text = ""
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        for piece in (literal, None if name is None else format(values[name], spec or "")):
            if not piece:
                continue
            if text and (_is_thai(text[-1]) and _is_latin(piece[0])
                         or _is_latin(text[-1]) and _is_thai(piece[0])):
                text += " "
            text += piece
    return text


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _render(value: Any, gettext: Gettext, lang: str) -> str:
    if isinstance(value, Message):
        return value.render(gettext, lang)
    if isinstance(value, Label):
        return value.in_language(lang)
    if isinstance(value, dt.datetime):
        return format_datetime_th(value) if lang == "th" else format_datetime_en(value)
    if isinstance(value, dt.date):
        return format_date_th(value) if lang == "th" else format_date_en(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_render(item, gettext, lang) for item in value)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_dict()
    if isinstance(value, Label):
        return {"th": value.th, "en": value.en}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


class MessageError(ValueError):
    """An error whose :class:`Message` the glue shows in the reader's
    language; ``str()`` gives the English text (for logs)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


class InputError(MessageError):
    """Bad input from a user: every error at once, by dotted path or field
    (e.g. "activities.budget.level", "answers.personal_data", "value");
    the message lists them all."""

    def __init__(self, errors: Mapping[str, list[Message]]) -> None:
        self.errors = {path: list(messages) for path, messages in errors.items()}
        every = [m for messages in self.errors.values() for m in messages]
        if len(every) == 1:
            message = every[0]
        else:
            message = Message(N_("Please correct these errors: {errors}"), errors=tuple(every))
        super().__init__(message)


class SchemaFileError(MessageError):
    """A broken declarative file (a questionnaire, a decision tree): the
    message names the file, the place in it and what is wrong, so that a
    sysadmin can fix it at start-up. Subclasses give the two texts."""

    BROKEN_AT: str  # N_("The … schema {file} is broken: {place} {problem}")
    BROKEN: str     # N_("The … schema {file} is broken: {problem}")

    def __init__(self, path: object, place: str, problem: Message) -> None:
        self.path = str(path)
        self.place = place
        self.problem = problem
        if place:
            message = Message(self.BROKEN_AT, file=self.path, place=place, problem=problem)
        else:
            message = Message(self.BROKEN, file=self.path, problem=problem)
        super().__init__(message)
