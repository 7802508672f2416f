"""Columns of standard codes: which code list a column uses, and which of its
values are not in that list.

The code lists
--------------
========================  ===================================================
``iso3166-alpha2``        ISO 3166-1 two-letter country codes (TH), from pycountry
``iso3166-alpha3``        ISO 3166-1 three-letter country codes (THA), from pycountry
``iso3166-numeric``       ISO 3166-1 numeric country codes (764), from pycountry
``iso4217``               ISO 4217 currency codes (THB), from pycountry
``unlocode``              UN/LOCODE locations (THBKK, also written "TH BKK"),
                          from ``data/unlocode.csv.gz``
``th-province``           Thai province codes of the Department of Provincial
                          Administration (2 digits, 10 Bangkok), from
                          ``data/thai_admin_codes.csv.gz``
``th-district``           Thai district (amphoe/khet) codes (4 digits, 1001)
``th-subdistrict``        Thai sub-district (tambon/khwaeng) codes (6 digits, 100101)
========================  ===================================================

Each list is loaded once per process, when a column first needs it
(:func:`code_list` gives it as a frozenset of strings); the UN/LOCODE list,
116,000 codes, loads in about 0.1 s.

Recognition
-----------
A column is a code column of list L when, among the distinct non-blank
values of the first :data:`SAMPLE` non-blank cells of its first batch that
has any:

* its header hints at L (``country``/``ประเทศ``, ``currency``/``สกุลเงิน``,
  ``locode``/``port``/``ท่าเรือ``, ``province``/``จังหวัด``/``PROV_ID``/``CH_ID``,
  ``amphoe``/``อำเภอ``/``AM_ID``, ``tambon``/``ตำบล``/``TA_ID``; English words
  are matched whole, so "report" is no port) and at least
  :data:`HINTED_SHARE` of them are valid codes of L, or
* no header hint, and at least :data:`UNHINTED_SHARE` of them are valid codes
  of L as written, with at least :data:`MIN_DISTINCT_UNHINTED` distinct
  values (:data:`MIN_DISTINCT_UNHINTED_NUMERIC` for district and
  sub-district codes, so that a column of the years 2001 to 2011, which are
  district codes of Chon Buri, is not taken for one). Province codes and
  ISO numeric country codes are never recognised without a hint: columns of
  two- and three-digit numbers are everywhere.

When several lists qualify, the one most values are valid in wins (ties go
to the first in the table above).

Checking
--------
Once recognised, every cell is checked (vectorised ``is_in``); a value
that is not in the list as written is tried again upper-cased, with Thai
digits made ASCII and, for UN/LOCODE, without the space after the country.
What is still not in the list is invalid, except ISO numeric codes that
lost their leading zeros (``4`` for ``004``), reported on their own.
"""
from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import polars as pl

from ckanext.opendata_th.playbook.messages import Message, N_
from ckanext.opendata_th.quality.findings import ERROR, MAX_EXAMPLES, Finding, Location

DATA = Path(__file__).resolve().parent / "data"
UNLOCODE_FILE = DATA / "unlocode.csv.gz"
THAI_ADMIN_FILE = DATA / "thai_admin_codes.csv.gz"

SAMPLE = 5000
"""Non-blank cells of the first batch that recognition looks at."""

HINTED_SHARE = 0.5
UNHINTED_SHARE = 0.9
MIN_DISTINCT_UNHINTED = 3
MIN_DISTINCT_UNHINTED_NUMERIC = 20

MAX_INVALID_VALUES = 100
"""Distinct invalid values a column keeps (the finding shows the first few)."""

THAI_DIGITS = list("๐๑๒๓๔๕๖๗๘๙")
ASCII_DIGITS = list("0123456789")


@dataclass(frozen=True)
class CodeList:
    """One standard list of codes: its id (the profile's ``code_list``),
    what it is called in messages, the shape of its codes, and the header
    words that announce it (English phrases as tuples of whole words, Thai
    words as substrings: Thai is written without spaces)."""

    id: str
    title: str
    shape: str
    hint_phrases: tuple[tuple[str, ...], ...]
    hint_thai: tuple[str, ...]
    needs_hint: bool = False
    numeric: bool = False


_COUNTRY_PHRASES = (("country",), ("countries",), ("nation",), ("nationality",), ("cntry",),
                    ("ctry",), ("iso2",), ("iso3",), ("alpha2",), ("alpha3",), ("alpha", "2"),
                    ("alpha", "3"), ("iso3166",), ("iso", "3166"))
_COUNTRY_THAI = ("ประเทศ", "สัญชาติ")

CODE_LISTS: tuple[CodeList, ...] = (
    CodeList("iso3166-alpha2", N_("ISO 3166-1 alpha-2 country codes"), r"^[A-Za-z]{2}$",
             _COUNTRY_PHRASES, _COUNTRY_THAI),
    CodeList("iso3166-alpha3", N_("ISO 3166-1 alpha-3 country codes"), r"^[A-Za-z]{3}$",
             _COUNTRY_PHRASES, _COUNTRY_THAI),
    CodeList("iso3166-numeric", N_("ISO 3166-1 numeric country codes"), r"^[0-9]{1,3}$",
             _COUNTRY_PHRASES, _COUNTRY_THAI, needs_hint=True, numeric=True),
    CodeList("iso4217", N_("ISO 4217 currency codes"), r"^[A-Za-z]{3}$",
             (("currency",), ("currencies",), ("ccy",), ("iso4217",), ("iso", "4217")),
             ("สกุลเงิน",)),
    CodeList("unlocode", N_("UN/LOCODE location codes"), r"^[A-Za-z]{2} ?[A-Za-z0-9]{3}$",
             (("locode",), ("unlocode",), ("un", "locode"), ("port",), ("ports",), ("seaport",)),
             ("ท่าเรือ",)),
    CodeList("th-province", N_("Thai province codes"), r"^[0-9]{2}$",
             (("province",), ("provinces",), ("prov",), ("changwat",), ("ch", "id"),
              ("ch", "code")),
             ("จังหวัด",), needs_hint=True, numeric=True),
    CodeList("th-district", N_("Thai district codes"), r"^[0-9]{4}$",
             (("district",), ("districts",), ("amphoe",), ("amphur",), ("am", "id"),
              ("am", "code")),
             ("อำเภอ",), numeric=True),
    CodeList("th-subdistrict", N_("Thai sub-district codes"), r"^[0-9]{6}$",
             (("subdistrict",), ("subdistricts",), ("sub", "district"), ("tambon",), ("tumbon",),
              ("ta", "id"), ("ta", "code")),
             ("ตำบล", "แขวง")),
)
LISTS_BY_ID: dict[str, CodeList] = {code_list.id: code_list for code_list in CODE_LISTS}


# -- the lists -----------------------------------------------------------------
@lru_cache(maxsize=None)
def code_list(list_id: str) -> frozenset[str]:
    """Every valid code of a list (see the module's table), loaded once per
    process. Raises KeyError for an unknown id."""
    if list_id not in LISTS_BY_ID:
        raise KeyError(list_id)
    if list_id.startswith("iso"):
        import pycountry  # loads its JSON databases: only when a column needs them

        if list_id == "iso4217":
            return frozenset(currency.alpha_3 for currency in pycountry.currencies)
        attribute = {"iso3166-alpha2": "alpha_2", "iso3166-alpha3": "alpha_3",
                     "iso3166-numeric": "numeric"}[list_id]
        return frozenset(getattr(country, attribute) for country in pycountry.countries)
    if list_id == "unlocode":
        return load_unlocode()
    level = {"th-province": "province", "th-district": "district",
             "th-subdistrict": "sub_district"}[list_id]
    return thai_admin_codes()[level]


def load_unlocode(path: Path = UNLOCODE_FILE) -> frozenset[str]:
    """The UN/LOCODE codes (country + location, ``THBKK``) of the packaged
    list. Only the first two columns are read, without quoting: some place
    names in the file carry stray quotes, the codes never do."""
    frame = pl.read_csv(path, columns=["country", "location"], quote_char=None,
                        infer_schema=False, truncate_ragged_lines=True)
    codes = frame.select(pl.concat_str("country", "location").alias("code"))["code"]
    return frozenset(codes.drop_nulls().to_list())


@lru_cache(maxsize=1)
def thai_admin_codes(path: Path = THAI_ADMIN_FILE) -> dict[str, frozenset[str]]:
    """Thai province, district and sub-district codes by the list's level
    ("province", "district", "sub_district") from the packaged list."""
    frame = pl.read_csv(path, columns=["level", "code"], infer_schema=False)
    return {level: frozenset(frame.filter(pl.col("level") == level)["code"].to_list())
            for level in frame["level"].unique().to_list()}


@lru_cache(maxsize=None)
def _code_series(list_id: str) -> pl.Series:
    """The list as a polars Series, to test whole columns with ``is_in``."""
    return pl.Series("code", sorted(code_list(list_id)), dtype=pl.String)


def load_time(list_id: str) -> float:
    """Seconds it takes to load a list from its source, past the cache (a
    measure for tests and benchmarks; the checks load each list once)."""
    started = time.perf_counter()
    if list_id == "unlocode":
        load_unlocode()
    elif list_id.startswith("th-"):
        thai_admin_codes.__wrapped__()
    else:
        code_list.__wrapped__(list_id)
    return time.perf_counter() - started


# -- header hints ----------------------------------------------------------------
def header_words(header: str) -> list[str]:
    """The English words of a header, lower case: "PROV_ID" -> prov, id;
    "provinceCode" -> province, code; "UN/LOCODE" -> un, locode."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def hinted_lists(header: str) -> tuple[CodeList, ...]:
    """The code lists a header announces (none for most headers)."""
    words = header_words(header)

    def says(phrase: tuple[str, ...]) -> bool:
        return any(tuple(words[i:i + len(phrase)]) == phrase for i in range(len(words)))

    found = []
    for candidate in CODE_LISTS:
        if any(says(phrase) for phrase in candidate.hint_phrases) or any(
                word in header for word in candidate.hint_thai):
            found.append(candidate)
    # "sub_district" also says "district": the narrower list wins
    if any(c.id == "th-subdistrict" for c in found):
        found = [c for c in found if c.id != "th-district"]
    return tuple(found)


def _normalised(candidate: CodeList, values: pl.Series) -> pl.Series:
    """Values as the list writes its codes: upper case, ASCII digits, and
    for UN/LOCODE without the space after the country ("TH BKK")."""
    values = values.str.replace_many(THAI_DIGITS, ASCII_DIGITS).str.to_uppercase()
    if candidate.id == "unlocode":
        values = values.str.replace(r"^([A-Z]{2}) ", "$1")
    return values


def _lost_zeros(candidate: CodeList, values: pl.Series) -> pl.Series:
    """Which values are codes of a zero-padded numeric list that lost their
    leading zeros to a numeric cast (``4`` for ``004``)."""
    if candidate.id != "iso3166-numeric":
        return pl.Series([False] * values.len(), dtype=pl.Boolean)
    return (values.str.contains(r"^[0-9]{1,2}$")
            & values.str.zfill(3).is_in(_code_series(candidate.id).implode())).fill_null(False)


class CodeColumn:
    """Recognises a column of standard codes and finds its invalid values
    (a :class:`~ckanext.opendata_th.quality.findings.ColumnCheck`).

    Create one per column, ``CodeColumn(header)``: the header's words are
    hints to the code list (without a header, the batches' Series name is
    used). Memory stays bounded: counters, at most :data:`MAX_EXAMPLES`
    example rows and :data:`MAX_INVALID_VALUES` distinct invalid values."""

    def __init__(self, header: str = "") -> None:
        self.header = header
        self.code_list: Optional[CodeList] = None
        self._decided = False
        self.checked = 0
        self.invalid = 0
        self.lost_zeros = 0
        self.invalid_values: dict[str, None] = {}  # ordered set
        self.lost_zero_values: dict[str, None] = {}
        self._invalid_examples: list[int] = []
        self._lost_zero_examples: list[int] = []

    def update(self, values: Any, first_row: int) -> None:
        """Read one batch of the column: ``values`` a polars String Series
        (None for a blank cell), ``first_row`` the row number of its first cell."""
        values = values if isinstance(values, pl.Series) else pl.Series(values)
        if values.dtype != pl.String:
            values = values.cast(pl.String)
        if not self._decided:
            if values.null_count() == values.len():
                return
            self._decided = True
            self.code_list = self.recognise(values.drop_nulls().head(SAMPLE),
                                            self.header or values.name)
        if self.code_list is None:
            return
        self._check(values, first_row)

    @staticmethod
    def recognise(sample: pl.Series, header: str = "") -> Optional[CodeList]:
        """The code list of a column from a sample of its non-blank cells
        and its header, or None (see the module's "Recognition")."""
        distinct = sample.drop_nulls().unique()
        if distinct.is_empty():
            return None
        hinted = hinted_lists(header)
        best, best_share = None, 0.0
        for candidate in hinted or CODE_LISTS:
            if not hinted:
                minimum = (MIN_DISTINCT_UNHINTED_NUMERIC if candidate.numeric
                           else MIN_DISTINCT_UNHINTED)
                if candidate.needs_hint or distinct.len() < minimum:
                    continue
            # with a hint, values count as they will be checked (upper case,
            # ASCII digits); without one, only codes written as the list writes them
            written = _normalised(candidate, distinct) if hinted else distinct
            shaped = written.filter(written.str.contains(candidate.shape))
            if shaped.len() < (HINTED_SHARE if hinted else UNHINTED_SHARE) * distinct.len():
                continue
            codes = _code_series(candidate.id).implode()
            valid = shaped.is_in(codes)
            if hinted:
                valid = valid | _lost_zeros(candidate, shaped)
            share = int(valid.sum()) / distinct.len()
            if share > best_share:
                best, best_share = candidate, share
        needed = HINTED_SHARE if hinted else UNHINTED_SHARE
        return best if best is not None and best_share >= needed else None

    def _check(self, values: pl.Series, first_row: int) -> None:
        assert self.code_list is not None
        codes = _code_series(self.code_list.id).implode()
        self.checked += values.len() - values.null_count()
        suspect = (~values.is_in(codes)).fill_null(False)
        if not suspect.any():
            return
        positions = suspect.arg_true()
        written = values.gather(positions)
        still_bad = ~_normalised(self.code_list, written).is_in(codes).fill_null(False)
        if not still_bad.any():
            return
        positions, written = positions.filter(still_bad), written.filter(still_bad)
        lost = _lost_zeros(self.code_list, written)
        for mask, kind in ((lost, "lost"), (~lost, "invalid")):
            if not mask.any():
                continue
            rows = positions.filter(mask)
            bad_values = written.filter(mask)
            if kind == "lost":
                self.lost_zeros += rows.len()
                examples, kept = self._lost_zero_examples, self.lost_zero_values
            else:
                self.invalid += rows.len()
                examples, kept = self._invalid_examples, self.invalid_values
            examples.extend(first_row + row for row in rows.head(MAX_EXAMPLES - len(examples)).to_list())
            if len(kept) < MAX_INVALID_VALUES:
                for value in bad_values.unique(maintain_order=True).head(MAX_INVALID_VALUES).to_list():
                    if len(kept) < MAX_INVALID_VALUES:
                        kept[value] = None

    def profile(self) -> Mapping[str, Any]:
        """``{"code_list": id, "invalid": cells}`` for a code column (the
        invalid cells include those that lost leading zeros), else ``{}``."""
        if self.code_list is None:
            return {}
        return {"code_list": self.code_list.id, "invalid": self.invalid + self.lost_zeros}

    def findings(self, column: str) -> list[Finding]:
        """Invalid codes, and codes that lost their leading zeros: errors
        naming the list, with example rows and values."""
        if self.code_list is None:
            return []
        found = []
        title = Message(self.code_list.title)
        if self.invalid:
            values = tuple(list(self.invalid_values)[:MAX_EXAMPLES])
            found.append(Finding(
                code="codes.invalid", severity=ERROR,
                message=Message(N_("Column “{column}” has {count} values that are not "
                                   "{code_list}, such as {values}"),
                                column=column, count=self.invalid, code_list=title, values=values),
                column=column, count=self.invalid,
                examples=tuple(Location(row=row, column=column) for row in self._invalid_examples),
                values=values))
        if self.lost_zeros:
            values = tuple(list(self.lost_zero_values)[:MAX_EXAMPLES])
            found.append(Finding(
                code="codes.lost_leading_zeros", severity=ERROR,
                message=Message(N_("Column “{column}” has {count} {code_list} that lost their "
                                   "leading zeros, such as {values}"),
                                column=column, count=self.lost_zeros, code_list=title,
                                values=tuple(f"{v} ({v.zfill(3)})" for v in values)),
                column=column, count=self.lost_zeros,
                examples=tuple(Location(row=row, column=column)
                               for row in self._lost_zero_examples),
                values=values))
        return found
