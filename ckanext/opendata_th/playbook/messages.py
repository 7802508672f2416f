"""Texts in Thai and English together (Thai first): the one bilingual type
that rules return and errors carry, read by a Thai publisher, an API client
and an English-speaking sysadmin alike."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """A short text in Thai and English."""

    th: str
    en: str

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"

    def as_dict(self) -> dict[str, str]:
        return {"th": self.th, "en": self.en}

    def in_language(self, lang: str) -> str:
        """The Thai text for ``th``, the English text for any other language."""
        return self.th if lang == "th" else self.en


def bilingual(thai: str, english: str) -> str:
    """One message in both languages: ``"Thai / English"``."""
    return str(Bilingual(thai, english))


class BilingualError(ValueError):
    """An error with a Thai and an English message; ``str()`` gives both."""

    def __init__(self, message_th: str, message_en: str) -> None:
        self.message = Bilingual(message_th, message_en)
        super().__init__(str(self.message))

    @property
    def message_th(self) -> str:
        return self.message.th

    @property
    def message_en(self) -> str:
        return self.message.en
