"""Which text encoding a Thai data file was saved in.

Thai government files that are not UTF-8 are almost always Windows-874
(cp874), the code page Thai Windows and Excel save CSV in. Its bytes are
those of TIS-620 plus typographic marks Excel likes (curly quotes, en
dash, ellipsis, euro) at 0x80-0x9F, which TIS-620 lacks. A detector that
answers "TIS-620" (as chardet does) has those marks read as invisible
control characters (Python's TIS-620 codec maps 0x80-0x9F to C1
controls). And a file with little Thai in it can be taken for another
code page outright (chardet: KOI8-R), its Thai turned into gibberish.
``thai_encoding`` corrects both.
"""
from __future__ import annotations

import re

THAI_CODE_PAGE = "cp874"
"""Python's name of Windows-874, the superset of TIS-620 and ISO-8859-11."""

_THAI_SINGLE_BYTE = {"tis-620", "tis620", "tis_620", "iso-8859-11", "iso8859-11", "iso8859_11",
                     "windows-874", "cp874", "x-windows-874"}
_THAI_SHARE = 0.9
"""Share of the non-ASCII characters that must be Thai, in words of three
or more letters, for a file a detector took for another code page (chardet
says KOI8-R of a long file with one Thai name) to be read as cp874.
Accented Latin letters come one or two at a time inside Latin words, and
so never pass."""
_WORD = 3
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def thai_encoding(detected: str | None, sample: bytes) -> str | None:
    """The encoding to read a file with, given what a detector said
    (``detected``, e.g. "TIS-620") and the file's first bytes (``sample``).
    cp874 for Thai single-byte text, otherwise ``detected`` unchanged."""
    name = (detected or "").strip().lower()
    if name in _THAI_SINGLE_BYTE:
        return THAI_CODE_PAGE
    if name.startswith("utf") or _is_utf8(sample):
        return detected
    runs = _NON_ASCII_RUN.findall(sample.decode(THAI_CODE_PAGE, errors="replace"))
    thai_in_words = sum(_is_thai(c) for run in runs if len(run) >= _WORD for c in run)
    if runs and thai_in_words >= _THAI_SHARE * sum(map(len, runs)):
        return THAI_CODE_PAGE
    return detected


def _is_utf8(sample: bytes) -> bool:
    """Whether ``sample`` is UTF-8 (a multi-byte character cut at its end
    counts as UTF-8)."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(sample) - 3 and error.reason == "unexpected end of data"
    return True
