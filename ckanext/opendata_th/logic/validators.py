"""Validators registered by the ``opendata_th`` plugin (IValidators).

Error messages carry Thai and English together, so an API client, a Thai
publisher and an English-speaking sysadmin all read the same clear text.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["tag_name_validator"]

# Thai letters include combining vowels and tone marks (Unicode category Mn),
# which CKAN's core tag validator (\w only) rejects.
_TAG = re.compile(r"[\w\u0e00-\u0e7f \-.]*$", re.UNICODE)


def bilingual(thai: str, english: str) -> str:
    """One message in both languages: Thai first."""
    return f"{thai} / {english}"


def tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag rule (letters, digits, space, - _ .) with Thai letters allowed."""
    if not _TAG.match(value):
        raise tk.Invalid(bilingual(
            f'แท็ก "{value}" ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง และเครื่องหมาย - _ .',
            f'Tag "{value}" can only contain letters, digits, spaces, '
            f'hyphens ("-"), underscores ("_") or dots (".")'))
    return value
