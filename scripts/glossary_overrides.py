"""Propose Thai catalog entries that bring CKAN's (and the extension's) Thai
messages in line with the glossary (ckanext/opendata_th/i18n/glossary.yaml).

For every effective Thai message (CKAN's catalog with the extension's merged
over it) that uses a word the glossary avoids, prints a .po entry with the
avoided word replaced by the glossary's term. The output is a proposal for a
translator to read and correct before appending it to the extension's
catalog (a plain word swap is not always good Thai): entries whose msgid the
extension's catalog already has are printed as comments, to be changed in
place.

    .venv/bin/python scripts/glossary_overrides.py > /tmp/overrides.po
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po  # noqa: E402

from ckanext.opendata_th.tests.test_glossary import (  # noqa: E402  (pure helpers)
    CATALOG, ckan_catalog, effective_catalog, load_glossary, translations)


def plural_ids() -> dict[str, str]:
    """msgid -> msgid_plural of the plural messages of both catalogs."""
    found = {}
    for path in (ckan_catalog(), CATALOG):
        with path.open("rb") as stream:
            found.update({m.id[0]: m.id[1] for m in read_po(stream) if isinstance(m.id, tuple)})
    return found


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def corrected(text: str, msgid: str, terms) -> str:
    for term in terms:
        if term["scope"] == "term" and term["english"].lower() not in msgid.lower():
            continue
        kept = {f"\0{i}\0": phrase for i, phrase in enumerate(term["except"])}
        for marker, phrase in kept.items():
            text = text.replace(phrase, marker)
        for word in sorted(term["avoid"], key=len, reverse=True):
            text = text.replace(word, term["thai"])
        for marker, phrase in kept.items():
            text = text.replace(marker, phrase)
    return text


def main() -> None:
    terms = load_glossary()
    ours = translations(CATALOG)
    plurals = plural_ids()
    for msgid, strings in sorted(effective_catalog().items()):
        fixed = tuple(corrected(text, msgid, terms) for text in strings)
        if fixed == strings:
            continue
        prefix = "# (already in the extension's catalog: change in place) " if msgid in ours else ""
        print(f"{prefix}msgid {po_string(msgid)}")
        if msgid in plurals:
            print(f"{prefix}msgid_plural {po_string(plurals[msgid])}")
            print("".join(f"{prefix}msgstr[{i}] {po_string(text)}\n"
                          for i, text in enumerate(fixed)))
        else:
            print(f"{prefix}msgstr {po_string(fixed[0])}\n")


if __name__ == "__main__":
    main()
