"""Messages in Thai and English together (Thai first), for errors that a
publisher, an API client and an English-speaking sysadmin all read."""
from __future__ import annotations


def bilingual(thai: str, english: str) -> str:
    """One message in both languages: ``"Thai / English"``."""
    return f"{thai} / {english}"


class BilingualError(ValueError):
    """An error with a Thai and an English message; ``str()`` gives both."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(bilingual(message_th, message_en))
        self.message_th = message_th
        self.message_en = message_en
