"""Personal data that must never be published (PDPA B.E. 2562, พ.ร.บ.
คุ้มครองข้อมูลส่วนบุคคล): Thai citizen ID numbers, phone numbers, e-mail
addresses and the names of persons with a title.

:class:`PersonalDataColumn` counts the cells of each kind in a column and
reports one error per kind found, naming the column and the count, never
the values (a report is shown to people who must not see them).

What counts (the rules, chosen to avoid the false alarms that matter)
-----------------------------------------------------------------------
citizen_id
    The whole cell is a 13-digit number, written as ``1234567890123``,
    ``1-2345-67890-12-3`` or with spaces in the same places, in ASCII or Thai
    digits, whose last digit is the check digit of the first twelve (sum of
    digit[i] × (13 − i) for i in 0..11; check = (11 − sum mod 11) mod 10),
    and whose first digit is 1 to 8 (a person's type). A 13-digit number
    failing the check is not an ID; one starting with 0 is a juristic
    person's registration number (a company's, public data), not a person's.
phone
    The whole cell is one or more Thai phone numbers, optionally labelled
    (``โทร.``, ``โทรศัพท์``, ``มือถือ``, ``Tel``, ``Phone``, ``Mobile``, ``Fax``)
    and separated by ``,``, ``/``, ``;``, ``หรือ`` or ``และ``, each optionally
    with an extension (``ต่อ 123``): a mobile number ``0[689]x-xxx-xxxx``
    (10 digits), a landline ``0x-xxx-xxxx`` (9 digits, area code 2 to 7), or
    the same after ``+66`` without its leading 0; digits may be grouped with
    spaces or hyphens. So a phone needs its leading 0 or +66 and exactly its
    9 or 10 digits: an 8-10 digit measurement (``12345678``, ``0.81234567``)
    is no phone. A number inside longer free text is not searched for.
email
    The cell contains an e-mail address (``name@domain.tld``), anywhere in it.
person_name
    The whole cell, at most :data:`MAX_NAME_BYTES` bytes (60 Thai
    characters), is a title — นาย, นาง, นางสาว, น.ส., ด.ช., ด.ญ., เด็กชาย,
    เด็กหญิง, or Mr, Mrs, Ms, Miss, Dr — followed (directly or after a
    space) by a given name and a family name: two or three words of Thai
    letters (or, after an English title, two or three capitalised Latin
    words: "MS Excel" is no person). So "นายก", "นายทะเบียน" and
    "นายกเทศมนตรี" (one word: an office, not a person) are not names, and
    neither are offices followed by a place ("นายอำเภอ เมืองตรัง", "นายก
    อบต.บ้านนา": see :data:`OFFICES`), nor "ต. เกาะสาหร่าย" (a tambon, not a
    title), nor a word that merely begins like a title ("นางรอง", a
    district). A given name that begins like an office is kept: "นายกมล
    สุขดี" is Mr Kamon. Names written without a title are not recognised.

Speed
-----
Every cell of every batch is looked at, cheaply: the byte length singles out
the cells that may be IDs; one anchored pattern the cells that may be phones
or names; a plain search for ``@`` the possible e-mail addresses; only those
few cells are then matched in full. A column whose first
:data:`LETTER_SAMPLE` non-blank cells hold no letter at all (numbers,
codes, dates) is only searched for the two kinds a letter-free cell can be,
citizen IDs and phones. A column that repeats its values (categories,
dates, codes) is searched value by value: each value once, in the batch
where it first appears; the values already looked at, and those found to
be personal data, are remembered as 64-bit hashes (:data:`SEEN_VALUES` at
most), so a later batch costs a hash of each cell and a lookup.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Optional

import polars as pl

from ckanext.opendata_th.playbook.messages import Message, N_
from ckanext.opendata_th.quality.findings import ERROR, MAX_EXAMPLES, Finding, Location

KINDS = ("citizen_id", "phone", "email", "person_name")
"""The kinds of personal data, in the order they are reported."""

MAX_NAME_BYTES = 180
"""A name cell is at most this long in UTF-8 (60 Thai characters)."""

LETTER_SAMPLE = 1000
"""Non-blank cells of a column that tell whether it holds letters at all."""

DISTINCT_SHARE = 0.5
"""A column whose first batch has fewer distinct values than this share of
its non-blank cells is searched value by value (each distinct value once),
not cell by cell."""

SEEN_VALUES = 100_000
"""Distinct values a column searched value by value remembers (as 64-bit
hashes: 800 kB); beyond them, new values are searched in every batch."""
_HASH_SEED = 0x5EED_DA7A

THAI_DIGITS = list("๐๑๒๓๔๕๖๗๘๙")
ASCII_DIGITS = list("0123456789")

# byte lengths a citizen ID cell can have: 13 digits, plus 4 separators, in
# ASCII (1 byte) or Thai digits (3 bytes)
_ID_LENGTHS = [13, 17, 39, 43]
_ID_SHAPE = (r"^[1-8](?:[0-9]{12}|-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]"
             r"| [0-9]{4} [0-9]{5} [0-9]{2} [0-9])$")

_PHONE_LABEL = (r"(?:(?:โทรศัพท์มือถือ|โทรศัพท์|โทรสาร|โทร\.?|มือถือ"
                r"|(?i:tel|phone|mobile|mob|fax)\.?)\s*:?\s*)?")
_D = "[0-9๐-๙]"  # a digit, ASCII or Thai
_PHONE_NUMBER = (r"(?:\+66[ -]?(?:\([0๐]\)[ -]?)?|\(?[0๐])"
                 r"(?:[689๖๘๙]" + _D + r"\)?(?:[ -]?" + _D + r"){7}|[2-7๒-๗]\)?(?:[ -]?" + _D + r"){7})"
                 r"(?:-" + _D + r"{1,2})?(?:\s*(?:ต่อ|(?i:ext)\.?|#)\s*" + _D + r"{1,5})?")
_PHONE = (rf"^{_PHONE_LABEL}{_PHONE_NUMBER}"
          rf"(?:\s*(?:[,/;]|หรือ|และ)\s*{_PHONE_LABEL}{_PHONE_NUMBER})*$")

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"

_THAI_WORD = r"[\u0E01-\u0E3A\u0E40-\u0E4E]+"  # Thai letters and marks, no digits
_THAI_TITLE = r"(?:นางสาว|นาง|นาย|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)"
_THAI_NAME = rf"{_THAI_TITLE} ?{_THAI_WORD}(?: {_THAI_WORD}){{1,2}}"
_ENGLISH_NAME = (r"(?:Mr|Mrs|Ms|Miss|Dr|MR|MRS|MS|MISS|DR)\.? ?[A-Z][A-Za-z'-]*"
                 r"(?: [A-Z][A-Za-z'-]*){1,2}")
_NAME = rf"^(?:{_THAI_NAME}|{_ENGLISH_NAME})$"

OFFICES = ("นายก", "นายอำเภอ", "นายทะเบียน", "นายช่าง", "นายตรวจ", "นายด่าน", "นายหน้า",
           "นายจ้าง", "นายทุน", "นายประกัน", "นายห้าง", "นายท่า", "นายงาน", "นายเรือ",
           "นายทหาร", "นายสถานี", "นางพยาบาล", "นางงาม", "นางแบบ", "นางฟ้า", "นางรำ")
"""Words that begin with a title but name an office or a trade (นายก: mayor
or president, นายอำเภอ: district chief, นายทะเบียน: registrar …): a cell
whose first word is one of them is not a person's name."""
OFFICE_PREFIXES = ("นายกเทศมนตรี", "นายกรัฐมนตรี", "นายกองค์การ", "นายกสมาคม", "นายกสภา",
                   "นายกอบต", "นายกอบจ", "นายกเมือง", "นายอำเภอ", "นายทะเบียน")
"""Longer offices whose first word may go on ("นายอำเภอเมืองตรัง")."""
_OFFICE = "^(?:(?:" + "|".join(OFFICES) + ")(?: |$)|(?:" + "|".join(OFFICE_PREFIXES) + "))"

# first characters of a cell that may be a phone or a name (anchored, cheap)
_MAY_BE_PHONE_OR_NAME = (r"^(?:[+(0๐]|โทร|มือถือ|(?i:tel|phone|mob|fax)"
                         r"|นา[ยง]|น\.ส\.|ด\.[ชญ]\.|เด็ก[ชห]|(?i:mr|ms|miss|dr))")
_LETTER = r"[A-Za-z\u0E01-\u0E2E]"

_MIN_BYTES = 6
"""The shortest cell that can hold personal data ("a@b.co", "นายก ข")."""
_MIN_PHONE_BYTES = 9
"""The shortest cell that can hold a phone number (a landline's 9 digits)."""
_PHONE_STARTS = ("0", "+", "(", "๐")
"""How a phone number without a label starts (a prefix test is several times
cheaper than a pattern on a column of numbers)."""

_ID_WEIGHTS = tuple(13 - i for i in range(12))


def _weighted_table(weights: tuple[int, ...]) -> pl.Series:
    """Σ digit × weight for every 4-digit chunk 0000..9999 (a lookup table,
    so the check digit takes three gathers instead of twelve divisions)."""
    chunk = pl.int_range(10_000, dtype=pl.Int32, eager=True)
    return pl.select(pl.sum_horizontal(
        [(pl.lit(chunk) // 10 ** (3 - i) % 10) * weight for i, weight in enumerate(weights)]
    )).to_series().cast(pl.Int32)


@lru_cache(maxsize=1)
def _tables() -> tuple[pl.Series, pl.Series, pl.Series]:
    """The weighted sums of an ID's digits 1-4, 5-8 and 9-12."""
    return (_weighted_table(_ID_WEIGHTS[0:4]), _weighted_table(_ID_WEIGHTS[4:8]),
            _weighted_table(_ID_WEIGHTS[8:12]))


def valid_id_numbers(numbers: pl.Series) -> pl.Series:
    """Whether each 13-digit number (Int64; leading zeros allowed, null for
    a cell that is no number) has a valid check digit, vectorised."""
    head, middle, tail = _tables()
    known = numbers.is_between(0, 9_999_999_999_999).fill_null(False)
    number = numbers.cast(pl.Int64).fill_null(0).clip(0, 9_999_999_999_999)
    total = (head.gather(number // 1_000_000_000)
             + middle.gather((number // 100_000) % 10_000)
             + tail.gather((number // 10) % 10_000))
    check = (11 - total % 11) % 10
    return (known & (check.cast(pl.Int64) == number % 10)).fill_null(False)


def valid_citizen_ids(cells: pl.Series) -> pl.Series:
    """Whether each cell is 13 ASCII digits with a valid check digit."""
    shaped = cells.str.contains(r"^[0-9]{13}$").fill_null(False)
    return shaped & valid_id_numbers(cells.str.to_integer(strict=False))


def _citizen_ids(values: pl.Series, lengths: pl.Series) -> pl.Series:
    """Positions of the cells that are valid citizen ID numbers. A 13-byte
    cell is read as a number straight away (no regex): it is an ID when it
    is all digits, starts with 1 to 8 and its check digit holds. Cells
    written with separators or Thai digits (rare) are matched in full."""
    if not lengths.is_in(_ID_LENGTHS).any():
        return pl.Series([], dtype=pl.UInt32)
    plain = (lengths == 13).arg_true()
    number = values.gather(plain).str.to_integer(strict=False)
    person = number.is_between(1_000_000_000_000, 8_999_999_999_999).fill_null(False)
    positions = plain.filter(person & valid_id_numbers(number))
    written = lengths.is_in(_ID_LENGTHS[1:]).arg_true()
    if written.len():
        cells = values.gather(written)
        # 39 and 43 bytes is also 13 or 14 Thai letters: keep what starts with a digit
        digit_first = cells.str.contains("^[1-8๑-๘]").fill_null(False)
        written, cells = written.filter(digit_first), cells.filter(digit_first)
    if written.len():
        cells = cells.str.replace_many(THAI_DIGITS, ASCII_DIGITS)
        shaped = cells.str.contains(_ID_SHAPE).fill_null(False)
        digits = cells.str.replace_all(r"[- ]", "").str.to_integer(strict=False)
        more = written.filter(shaped & valid_id_numbers(digits))
        if more.len():
            positions = positions.append(more).sort()
    return positions


def find_personal(values: pl.Series, *, letters: bool = True) -> dict[str, pl.Series]:
    """The positions (UInt32, ascending) of the cells of ``values`` holding
    each kind of personal data (see the module's rules). ``letters=False``
    looks for the kinds a letter-free cell can be only (IDs and phones)."""
    found = {kind: pl.Series(kind, [], dtype=pl.UInt32) for kind in KINDS}
    lengths = values.str.len_bytes()
    longest = lengths.max()
    if longest is None or int(longest) < _MIN_BYTES:  # type: ignore[arg-type]
        return found
    found["citizen_id"] = _citizen_ids(values, lengths).alias("citizen_id")

    if letters:
        positions = values.str.contains(_MAY_BE_PHONE_OR_NAME).fill_null(False).arg_true()
    else:  # a phone number has at least 9 digits after a 0, +66 or "("
        long_enough = (lengths >= _MIN_PHONE_BYTES).fill_null(False)
        positions = pl.Series([], dtype=pl.UInt32)
        if long_enough.any():
            starts = values.str.starts_with(_PHONE_STARTS[0])
            for start in _PHONE_STARTS[1:]:
                starts = starts | values.str.starts_with(start)
            positions = (long_enough & starts).fill_null(False).arg_true()
    if positions.len():
        cells = values.gather(positions)
        found["phone"] = positions.filter(cells.str.contains(_PHONE).fill_null(False)).alias("phone")
        if letters:
            names = ((lengths.gather(positions) <= MAX_NAME_BYTES)
                     & cells.str.contains(_NAME)).fill_null(False)
            if names.any():
                positions, cells = positions.filter(names), cells.filter(names)
                office = cells.str.contains(_OFFICE).fill_null(False)
                found["person_name"] = positions.filter(~office).alias("person_name")

    if letters:
        positions = values.str.contains("@", literal=True).fill_null(False).arg_true()
        if positions.len():
            cells = values.gather(positions)
            found["email"] = positions.filter(cells.str.contains(_EMAIL).fill_null(False)).alias("email")
    return found


_MESSAGES = {
    "citizen_id": N_("Column “{column}” has {count} cells with Thai citizen ID numbers: personal "
                     "data that must not be published"),
    "phone": N_("Column “{column}” has {count} cells with phone numbers: personal data that must "
                "not be published"),
    "email": N_("Column “{column}” has {count} cells with email addresses: personal data that "
                "must not be published"),
    "person_name": N_("Column “{column}” has {count} cells with names of persons with a title "
                      "(such as นาย, นาง, นางสาว): personal data that must not be published"),
}


class PersonalDataColumn:
    """Counts the personal data in a column (a
    :class:`~ckanext.opendata_th.quality.findings.ColumnCheck`).

    Create one per column, ``PersonalDataColumn(header)``, feed it every
    batch. It keeps counts and at most :data:`MAX_EXAMPLES` example rows per
    kind, never a value."""

    def __init__(self, header: str = "") -> None:
        self.header = header
        self.counts: dict[str, int] = {kind: 0 for kind in KINDS}
        self._examples: dict[str, list[int]] = {kind: [] for kind in KINDS}
        self._letters: Optional[bool] = None  # decided on the first non-blank cells
        self._by_value: Optional[bool] = None  # decided on the first batch (DISTINCT_SHARE)
        self._seen: Optional[pl.Series] = None  # hashes of the values looked at (by value)
        self._personal: dict[str, pl.Series] = {}  # hashes of the values found, by kind

    def update(self, values: Any, first_row: int) -> None:
        """Read one batch of the column: ``values`` a polars String Series
        (None for a blank cell), ``first_row`` the row number of its first cell."""
        values = values if isinstance(values, pl.Series) else pl.Series(values)
        if values.dtype != pl.String:
            values = values.cast(pl.String)
        if self._letters is None:
            sample = values.drop_nulls().head(LETTER_SAMPLE)
            if sample.is_empty():
                return
            self._letters = bool(sample.str.contains(_LETTER).any())
        for kind, positions in self._find(values).items():
            if not positions.len():
                continue
            self.counts[kind] += positions.len()
            examples = self._examples[kind]
            if len(examples) < MAX_EXAMPLES:
                examples.extend(first_row + p for p in positions.head(MAX_EXAMPLES - len(examples)).to_list())

    def _find(self, values: pl.Series) -> dict[str, pl.Series]:
        """:func:`find_personal` on the cells, or once on each distinct
        value (a column that repeats its values: codes, categories, dates):
        the values already looked at are known by a 64-bit hash, so a batch
        costs a hash of each cell and a lookup, and only its new values are
        searched; the cells holding personal data are found by their hash."""
        letters = bool(self._letters)
        if (values.str.len_bytes().max() or 0) < _MIN_BYTES:  # type: ignore[operator]
            return find_personal(values.clear(), letters=letters)
        if self._by_value is False:
            return find_personal(values, letters=letters)
        hashes = values.hash(seed=_HASH_SEED)
        new = values.is_not_null()
        if self._seen is not None:
            new = new & ~hashes.is_in(self._seen.implode())
        if new.any():
            distinct = pl.DataFrame({"value": values.filter(new), "hash": hashes.filter(new)}).unique("hash")
            if self._by_value is None:
                filled = values.len() - values.null_count()
                self._by_value = distinct.height < DISTINCT_SHARE * filled
            for kind, positions in find_personal(distinct["value"], letters=letters).items():
                if positions.len():
                    found = distinct["hash"].gather(positions)
                    known = self._personal.get(kind)
                    self._personal[kind] = found if known is None else known.append(found)
            if self._seen is None:
                self._seen = distinct["hash"]
            elif self._seen.len() < SEEN_VALUES:
                self._seen = self._seen.append(distinct["hash"])
        return {kind: (hashes.is_in(self._personal[kind].implode()) & values.is_not_null())
                .arg_true().alias(kind)
                if kind in self._personal else pl.Series(kind, [], dtype=pl.UInt32)
                for kind in KINDS}

    def kinds(self) -> list[str]:
        """The kinds of personal data found, in :data:`KINDS` order."""
        return [kind for kind in KINDS if self.counts[kind]]

    def profile(self) -> Mapping[str, Any]:
        """``{"personal_data": [kinds found]}``, or ``{}`` when none was found."""
        kinds = self.kinds()
        return {"personal_data": kinds} if kinds else {}

    def findings(self, column: str) -> list[Finding]:
        """One error per kind found: the column and the count, example rows,
        and never a value."""
        return [Finding(code=f"personal.{kind}", severity=ERROR,
                        message=Message(_MESSAGES[kind], column=column, count=self.counts[kind]),
                        column=column, count=self.counts[kind],
                        examples=tuple(Location(row=row, column=column)
                                       for row in self._examples[kind]),
                        values=())
                for kind in self.kinds()]
