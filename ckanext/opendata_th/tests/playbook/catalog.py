"""The rules' messages as people read them, from the real Thai catalog (read
with Babel alone, no CKAN), for tests of the exact texts."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from ckanext.opendata_th.playbook.messages import Message

CATALOG = (Path(__file__).resolve().parents[2] / "i18n" / "th" / "LC_MESSAGES"
           / "ckanext-opendata_th.po")


@functools.cache
def thai_catalog() -> dict[str, str]:
    with CATALOG.open("rb") as stream:
        return {m.id: m.string for m in read_po(stream) if m.id and m.string}


def thai(message: Message) -> str:
    return message.render(lambda msgid: thai_catalog().get(msgid, msgid), "th")


@dataclass(frozen=True)
class B:
    """A message as read on a Thai page and on an English page."""

    th: str
    en: str


def shown(message: Message) -> B:
    return B(thai(message), message.render()) if message else B("", "")


def th(error) -> str:
    """An error's message (or a message) as a Thai page shows it."""
    return thai(getattr(error, "message", error))


def en(error) -> str:
    """An error's message (or a message) as an English page shows it."""
    return getattr(error, "message", error).render()
