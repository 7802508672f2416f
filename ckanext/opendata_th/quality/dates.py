"""Date and time columns: which formats a column writes its dates in, whether
they agree, which calendar the years are in, and which dates cannot exist.

Thai government files write dates in many ways: ``2024-01-31``,
``31/01/2567``, ``31 ม.ค. 67``, ``วันที่ 31 มกราคม พ.ศ. 2567``, with Thai
digits (``๓๑/๐๑/๒๕๖๗``), in the Buddhist Era or the Common Era.
:class:`DateColumn` recognises a column of them and reports what a reader
of the file trips over. Days come first: ``03/04/2567`` is 3 April (the Thai
convention); a month-first date is not guessed, so ``12/31/2024`` is an
impossible date (month 31).

Format labels
-------------
Every recognised cell gets a stable format label, made of these pieces:

date part (separators are written as the cell writes them, ``-``, ``/`` or ``.``;
one- and two-digit days and months are not told apart)
    ``YYYY-MM-DD`` (ISO; also ``YYYY/MM/DD``), ``D/M/YYYY``, ``D-M-YYYY``,
    ``D.M.YYYY`` and the same with a two-digit year (``D/M/YY``);
    ``D thai-month YYYY`` (มกราคม), ``D thai-month-abbr YYYY`` (ม.ค.),
    ``D thai-month-abbr-no-dots YYYY`` (มค), each optionally preceded by
    ``วันที่ `` and with ``พ.ศ. `` or ``ค.ศ. `` before the year when the cell
    writes it, with ``YY`` for a two-digit year, and without ``D `` for a
    month and year (``thai-month YYYY``);
    ``D english-month YYYY`` (January), ``D english-month-abbr YYYY`` (Jan),
    with ``-`` or ``, `` between the parts when the cell writes them
    (``D-english-month-abbr-YY``), and ``english-month D, YYYY``.
time part, after the date (``T``, a space or `` เวลา ``) or alone
    ``hh:mm``, ``hh:mm:ss``, then ``.f`` for fractions of a second, ``Z`` or
    ``±hh:mm`` for a UTC offset, `` น.`` for the Thai "o'clock" (which also
    allows ``hh.mm น.``). ``10.30`` alone is a number, not a time.

So ``31/01/2567 09:30`` is ``D/M/YYYY hh:mm``, ``2024-01-31T09:30:00Z`` is
``YYYY-MM-DDThh:mm:ssZ``, ``๓๑ ม.ค. ๖๗`` is ``D thai-month-abbr YY`` (and
counted as written with Thai digits).

Calendars
---------
A four-digit year from 2400 is a Buddhist Era year (2567 BE is 2024 CE), up
to 2200 a Common Era year; ``พ.ศ.``/``ค.ศ.`` before the year say it outright.
Two-digit years are counted in neither calendar, and 29 February of a
two-digit year is possible when it is a leap year in either.

Speed
-----
A date column repeats its dates (a century has 36,525 days), so each batch
is reduced to its distinct cells first (by a 64-bit hash of each cell, see
:func:`distinct_cells`) and only those are parsed, with polars regular
expressions. A column of many distinct date-times (timestamps to the second)
is checked instead with one strict pattern and ``strptime`` for its main
format, the other cells being parsed as above. The decision whether a column
holds dates is taken on its first :data:`DECIDE_AFTER` non-blank cells: a
column that is not one costs nothing after that.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import polars as pl

from ckanext.opendata_th.playbook.dates import BE_OFFSET, THAI_MONTHS, THAI_MONTHS_ABBR
from ckanext.opendata_th.playbook.messages import Message, N_
from ckanext.opendata_th.quality.findings import (
    ERROR,
    INFO,
    MAX_EXAMPLES,
    WARNING,
    Finding,
    Location,
)

RECOGNISED_SHARE = 0.8
"""A column is a date/time column when at least this share of its non-blank
cells have a date or time format (possible or not)."""

DECIDE_AFTER = 1000
"""Non-blank cells read before deciding whether the column holds dates."""

DECIDE_SHARE = 0.5
"""Share of those first cells that must look like dates to go on reading the
column; the final decision is :data:`RECOGNISED_SHARE` of all its cells."""

HIGH_CARDINALITY_PROBE = 50_000
"""Cells of the first batch whose distinct count tells a column of repeated
dates from one of nearly unique timestamps."""

CACHED_CELLS = 100_000
"""Distinct cells whose classification a column keeps between batches."""

MAX_INVALID_VALUES = 100
"""Distinct impossible dates kept (the finding shows the first few)."""

BE_FROM_YEAR = 2400
CE_UNTIL_YEAR = 2200

THAI_DIGITS = list("๐๑๒๓๔๕๖๗๘๙")
ASCII_DIGITS = list("0123456789")

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_THAI_MONTHS_NO_DOTS = tuple(abbr.replace(".", "") for abbr in THAI_MONTHS_ABBR)

# month name as written -> (month number, label token)
_THAI_MONTH_NAMES: dict[str, tuple[int, str]] = {
    **{name: (number, "thai-month") for number, name in enumerate(THAI_MONTHS, 1)},
    **{name: (number, "thai-month-abbr") for number, name in enumerate(THAI_MONTHS_ABBR, 1)},
    **{name: (number, "thai-month-abbr-no-dots")
       for number, name in enumerate(_THAI_MONTHS_NO_DOTS, 1)},
}
# lower-cased English month name -> (month number, label token)
_EN_MONTH_NAMES: dict[str, tuple[int, str]] = {
    **{name.lower(): (number, "english-month") for number, name in enumerate(EN_MONTHS, 1)},
    **{name.lower(): (number, "english-month-abbr")
       for number, name in enumerate(_EN_MONTHS_ABBR, 1) if name != "May"},
    "sept": (9, "english-month-abbr"),
}


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation, longest first (so มีนาคม is not read as มี + …)."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_TIME = (r"(?<H>[0-9]{1,2})(?<tsep>[:.])(?<M>[0-9]{2})"
         r"(?::(?<S>[0-9]{2})(?<frac>[.,][0-9]+)?)?"
         r"(?<tz>Z|[+-][0-9]{2}:?[0-9]{2})?(?<nam> ?น\.)?")
_YEAR = r"(?<y>[0-9]{4}|[0-9]{2})"

# Each family's anchored pattern; the named groups the parser reads are
# y, m (a number) or mon (a name), d, s1/s2 (date separators), pre (วันที่),
# era, dt (between date and time) and the time's groups.
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("iso", r"^(?<y>[0-9]{4})(?<s1>[-/])(?<m>[0-9]{1,2})(?<s2>[-/])(?<d>[0-9]{1,2})"
            r"(?:(?<dt>T| เวลา | )" + _TIME + r")?$"),
    ("dmy", r"^(?<d>[0-9]{1,2})(?<s1>[/.-])(?<m>[0-9]{1,2})(?<s2>[/.-])" + _YEAR
            + r"(?:(?<dt> เวลา | )" + _TIME + r")?$"),
    ("thai", r"^(?<pre>วันที่ ?)?(?:(?<d>[0-9]{1,2}) ?)?(?<mon>" + _alternatives(_THAI_MONTH_NAMES)
             + r") ?(?<era>พ\.ศ\.|ค\.ศ\.)? ?" + _YEAR + r"(?:(?<dt> เวลา | )" + _TIME + r")?$"),
    ("en_dmy", r"^(?<d>[0-9]{1,2})(?<s1>[ -])(?<mon>(?i:" + _alternatives(_EN_MONTH_NAMES)
               + r"))\.?(?<s2>[ -]|, ?)" + _YEAR + r"(?:(?<dt>T| )" + _TIME + r")?$"),
    ("en_mdy", r"^(?<mon>(?i:" + _alternatives(_EN_MONTH_NAMES) + r"))\.? (?<d>[0-9]{1,2}),? "
               r"(?<y>[0-9]{4})(?:(?<dt>, | )" + _TIME + r")?$"),
    ("time", r"^" + _TIME + r"$"),
)
_GROUPS = {name: set(re.findall(r"\(\?<(\w+)>", pattern)) for name, pattern in _FAMILIES}

_A_DIGIT = "[0-9๐-๙]"
_ONLY_DIGITS = "^[0-9๐-๙]+$"

_RESULT_SCHEMA = {"label": pl.String, "kind": pl.String, "calendar": pl.String,
                  "valid": pl.Boolean, "thai_digits": pl.Boolean}


def distinct_cells(values: pl.Series) -> pl.DataFrame:
    """The distinct non-blank cells of ``values``: columns ``value``,
    ``count`` (how often it occurs) and ``index`` (its first position).

    Cells are grouped by a 64-bit hash, which is several times faster than
    grouping the strings; two different cells sharing a hash (odds about
    n² / 2⁶⁵, under one in ten million for a million distinct cells) would be
    counted as the first of them."""
    groups = (pl.DataFrame({"hash": values.hash()}).lazy()
              .with_row_index("index")
              .group_by("hash")
              .agg(pl.len().alias("count"), pl.col("index").min())
              .collect())
    return pl.DataFrame({"value": values.gather(groups["index"]),
                         "count": groups["count"], "index": groups["index"]}).drop_nulls("value")


def classify(values: pl.Series) -> pl.DataFrame:
    """For each cell of ``values`` (aligned, same length): its format
    ``label`` (None when it is no date or time), ``kind`` ("date",
    "datetime" or "time"), ``calendar`` ("BE", "CE" or None), ``valid``
    (False for an impossible date or time such as 31/02/2567 or 25:00) and
    ``thai_digits`` (written with Thai digits). Vectorised: one regex pass
    per format family over the cells no earlier family matched, so give it
    distinct cells."""
    values = values.cast(pl.String)
    thai_digits = values.str.contains("[๐-๙]").fill_null(False).alias("thai_digits")
    text = values
    if thai_digits.any():
        text = pl.select(pl.when(thai_digits).then(values.str.replace_many(THAI_DIGITS, ASCII_DIGITS))
                         .otherwise(values)).to_series()
    remaining = pl.DataFrame({"index": pl.int_range(values.len(), dtype=pl.UInt32, eager=True),
                              "text": text}).filter(pl.col("text").is_not_null())
    parts = []
    for family, pattern in _FAMILIES:
        if remaining.is_empty():
            break
        groups = remaining["text"].str.extract_groups(pattern).struct.unnest()
        first_group = "H" if family == "time" else "y"
        matched = groups[first_group].is_not_null()
        if not matched.any():
            continue
        result = _interpret(family, groups.filter(matched)).with_columns(
            index=remaining["index"].filter(matched))
        result = result.filter(pl.col("label").is_not_null())
        parts.append(result.select("index", *(c for c in _RESULT_SCHEMA if c != "thai_digits")))
        remaining = remaining.filter(~pl.col("index").is_in(result["index"].implode()))
    frame = pl.DataFrame({"index": pl.int_range(values.len(), dtype=pl.UInt32, eager=True),
                          "thai_digits": thai_digits})
    found = pl.concat(parts) if parts else pl.DataFrame(
        schema={"index": pl.UInt32, **{c: t for c, t in _RESULT_SCHEMA.items() if c != "thai_digits"}})
    return (frame.join(found, on="index", how="left", maintain_order="left")
            .with_columns(pl.col("valid").fill_null(False))
            .select(list(_RESULT_SCHEMA)))


def _interpret(family: str, groups: pl.DataFrame) -> pl.DataFrame:
    """label, kind, calendar, valid of the cells a family's pattern matched
    (``groups``: one column per named group). The label is None for a
    match that is not a date after all ("10.30" without "น.")."""
    for name in ("y", "m", "d", "mon", "s1", "s2", "pre", "era", "dt",
                 "H", "tsep", "M", "S", "frac", "tz", "nam"):
        if name not in groups.columns:
            groups = groups.with_columns(pl.lit(None, pl.String).alias(name))
    present = lambda name: pl.col(name).is_not_null() & (pl.col(name) != "")  # noqa: E731
    optional = lambda name, text: pl.when(present(name)).then(pl.lit(text)).otherwise(pl.lit(""))  # noqa: E731
    number = lambda name: pl.col(name).cast(pl.Int32, strict=False)  # noqa: E731

    if family in ("thai", "en_dmy", "en_mdy"):
        names = _THAI_MONTH_NAMES if family == "thai" else _EN_MONTH_NAMES
        key = pl.col("mon") if family == "thai" else pl.col("mon").str.to_lowercase()
        month = key.replace_strict({k: v[0] for k, v in names.items()}, default=None,
                                   return_dtype=pl.Int32)
        month_token = key.replace_strict({k: v[1] for k, v in names.items()}, default=None,
                                         return_dtype=pl.String)
    else:
        month, month_token = number("m"), pl.lit(None, pl.String)
    groups = groups.with_columns(
        year=number("y"), month=month, month_token=month_token, day=number("d"),
        two_digits=pl.col("y").str.len_bytes() == 2, has_time=present("H"),
        hour=number("H"), minute=number("M"), second=number("S"))
    groups = groups.with_columns(
        calendar=pl.when(pl.col("era") == "พ.ศ.").then(pl.lit("BE"))
        .when(pl.col("era") == "ค.ศ.").then(pl.lit("CE"))
        .when(pl.col("two_digits")).then(pl.lit(None, pl.String))
        .when(pl.col("year") >= BE_FROM_YEAR).then(pl.lit("BE"))
        .when(pl.col("year") <= CE_UNTIL_YEAR).then(pl.lit("CE"))
        .otherwise(pl.lit(None, pl.String)),
        time_label=pl.when(pl.col("has_time")).then(pl.concat_str([
            pl.col("dt").fill_null(""), pl.lit("hh"), pl.col("tsep"), pl.lit("mm"),
            optional("S", ":ss"), optional("frac", ".f"),
            pl.when(pl.col("tz") == "Z").then(pl.lit("Z"))
            .when(present("tz")).then(pl.lit("±hh:mm")).otherwise(pl.lit("")),
            optional("nam", " น."),
        ])).otherwise(pl.lit("")),
        time_valid=~pl.col("has_time") | (
            (pl.col("hour") <= 23) & (pl.col("minute") <= 59)
            & (pl.col("second").is_null() | (pl.col("second") <= 59))),
        # "10.30" is a number unless "น." follows it
        time_ok=~pl.col("has_time") | (pl.col("tsep") == ":") | present("nam"),
        year_label=pl.when(pl.col("two_digits")).then(pl.lit("YY")).otherwise(pl.lit("YYYY")),
    )
    if family == "time":
        return groups.select(
            label=pl.when(pl.col("time_ok")).then(pl.col("time_label")),
            kind=pl.lit("time"), calendar=pl.lit(None, pl.String), valid=pl.col("time_valid"))

    if family == "iso":
        date_label = pl.concat_str([pl.lit("YYYY"), "s1", pl.lit("MM"), "s2", pl.lit("DD")])
    elif family == "dmy":
        date_label = pl.concat_str([pl.lit("D"), "s1", pl.lit("M"), "s2", "year_label"])
    elif family == "thai":
        date_label = pl.concat_str([
            optional("pre", "วันที่ "), optional("d", "D "), "month_token", pl.lit(" "),
            pl.when(present("era")).then(pl.col("era") + " ").otherwise(pl.lit("")), "year_label"])
    elif family == "en_dmy":
        date_label = pl.concat_str([pl.lit("D"), "s1", "month_token", "s2", "year_label"])
    else:  # en_mdy
        date_label = pl.concat_str(["month_token", pl.lit(" D, YYYY")])

    # leap years: a BE year is converted; a two-digit year may be of either era
    year = pl.col("year")
    ce_year = pl.when(pl.col("calendar") == "BE").then(year - BE_OFFSET).otherwise(year)
    leap = (ce_year % 4 == 0) & ((ce_year % 100 != 0) | (ce_year % 400 == 0))
    leap = pl.when(pl.col("two_digits") & pl.col("era").is_null()).then(
        (year % 4 == 0) | ((year + 2500 - BE_OFFSET) % 4 == 0)).otherwise(leap)
    month = pl.col("month")
    days_in_month = (pl.when(month == 2).then(pl.when(leap).then(29).otherwise(28))
                     .when(month.is_in([4, 6, 9, 11])).then(30).otherwise(31))
    day = pl.col("day")
    date_valid = (month >= 1) & (month <= 12) & (day.is_null() | ((day >= 1) & (day <= days_in_month)))
    return groups.select(
        label=pl.when(pl.col("time_ok")).then(pl.concat_str([date_label, "time_label"])),
        kind=pl.when(pl.col("has_time")).then(pl.lit("datetime")).otherwise(pl.lit("date")),
        calendar="calendar",
        valid=(date_valid & pl.col("time_valid")).fill_null(False))


# Labels whose cells polars' strptime can validate directly: token -> (regex, strptime)
_STRICT_TOKENS = {
    "YYYY": ("[0-9]{4}", "%Y"), "MM": ("[0-9]{1,2}", "%m"), "DD": ("[0-9]{1,2}", "%d"),
    "M": ("[0-9]{1,2}", "%m"), "D": ("[0-9]{1,2}", "%d"),
    # strptime takes a leap second (:60) and rolls it over: the pattern does not
    "hh": ("(?:[01]?[0-9]|2[0-3])", "%H"), "mm": ("[0-5][0-9]", "%M"), "ss": ("[0-5][0-9]", "%S"),
    "-": ("-", "-"), "/": ("/", "/"), ".": (r"\.", "."), ":": (":", ":"), " ": (" ", " "),
    "T": ("T", "T"),
}
_STRICT_TOKEN = re.compile("|".join(re.escape(t) for t in sorted(_STRICT_TOKENS, key=len, reverse=True)))


def strict_pattern(label: str) -> Optional[tuple[str, str]]:
    """The anchored regex and the ``strptime`` format of a format label made
    only of numeric date and time pieces (``D/M/YYYY hh:mm:ss``), or None
    (month names, two-digit years, offsets: those need :func:`classify`)."""
    regex, fmt, position = "^", "", 0
    for match in _STRICT_TOKEN.finditer(label):
        if match.start() != position:
            return None
        regex += _STRICT_TOKENS[match.group()][0]
        fmt += _STRICT_TOKENS[match.group()][1]
        position = match.end()
    if position != len(label) or "%Y" not in fmt and "%H" not in fmt:
        return None
    return regex + "$", fmt


class DateColumn:
    """Recognises a column of dates or times and checks its formats
    (a :class:`~ckanext.opendata_th.quality.findings.ColumnCheck`).

    Create one per column, ``DateColumn(header)`` (the header is only used
    in messages; ``findings`` is given it again), feed it the column batch
    after batch with :meth:`update`, then read :meth:`profile` and
    :meth:`findings`. Memory stays bounded: counters, at most
    :data:`MAX_EXAMPLES` examples per format and calendar, and at most
    :data:`MAX_INVALID_VALUES` distinct impossible dates."""

    def __init__(self, header: str = "") -> None:
        self.header = header
        self._decided: Optional[bool] = None  # None until DECIDE_AFTER cells were seen
        self._sampled = 0
        self._sample_hits = 0
        self._strict: Optional[tuple[str, str, str]] = None  # label, regex, strptime format
        self._cache: Optional[pl.DataFrame] = None  # value and its classify() columns
        self._reset()

    def _reset(self) -> None:
        self.nonblank = 0
        self.recognised = 0
        self.formats: Counter[str] = Counter()
        self.calendars: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.invalid = 0
        self.invalid_values: dict[str, None] = {}  # ordered set
        self.thai_digits = 0
        self._format_examples: dict[str, list[tuple[int, str]]] = {}
        self._calendar_examples: dict[str, list[tuple[int, str]]] = {}
        self._invalid_examples: list[tuple[int, str]] = []
        self._thai_digit_examples: list[tuple[int, str]] = []

    # -- reading -------------------------------------------------------
    def update(self, values: Any, first_row: int) -> None:
        """Read one batch of the column: ``values`` a polars String Series
        (None for a blank cell), ``first_row`` the row number of its first cell."""
        if self._decided is False:
            return
        values = _as_strings(values)
        if self._decided is None and not self._decide(values):
            return
        if self._strict is not None:
            self._update_strict(values, first_row)
        else:
            self._update_distinct(values, first_row)

    def _decide(self, values: pl.Series) -> bool:
        """Look at the first non-blank cells; False once the column is known
        not to hold dates (it is then never read again)."""
        cells = values.drop_nulls()
        if cells.is_empty():
            return True
        sample = cells.head(DECIDE_AFTER - self._sampled).alias("value")
        # only a cell with a digit and something else can be a date or a
        # time (every family's pattern wants both): the others, such as
        # names and plain numbers, need not be classified
        candidates = sample.filter(sample.str.contains(_A_DIGIT) & ~sample.str.contains(_ONLY_DIGITS))
        labels = pl.Series("label", [], pl.String)
        if candidates.len():
            distinct = candidates.unique()
            known = pl.concat([distinct.to_frame(), self._classify(distinct)], how="horizontal")
            labels = candidates.to_frame().join(known, on="value", how="left",
                                                maintain_order="left")["label"]
        self._sampled += sample.len()
        self._sample_hits += int(labels.is_not_null().sum())
        if self._sampled < DECIDE_AFTER:
            return True  # a short batch: read all of it, decide later
        if self._sample_hits < DECIDE_SHARE * self._sampled:
            self._decided = False
            self._reset()
            self._cache = None
            return False
        self._decided = True
        # dates repeat (36,525 days in a century): only cells with a time of
        # day can be nearly all different
        common = labels.drop_nulls().mode().sort()
        if common.len() and "hh" in common[0]:
            probe = cells.head(HIGH_CARDINALITY_PROBE)
            strict = strict_pattern(common[0])
            if strict is not None and probe.n_unique() > 0.5 * probe.len():
                self._strict = (common[0], *strict)
        return True

    def _update_distinct(self, values: pl.Series, first_row: int) -> None:
        groups = distinct_cells(values)
        self.nonblank += int(groups["count"].sum() or 0)
        if groups.is_empty():
            return
        self._absorb(pl.concat([groups, self._classify(groups["value"])], how="horizontal"),
                     first_row)

    def _classify(self, cells: pl.Series) -> pl.DataFrame:
        """:func:`classify`, remembering the answers for the next batches
        (which mostly repeat the same dates) up to :data:`CACHED_CELLS`."""
        cells = cells.alias("value")
        if self._cache is None:
            info = classify(cells)
            self._cache = pl.concat([cells.to_frame(), info], how="horizontal").head(CACHED_CELLS)
            return info
        known = cells.to_frame().join(self._cache.with_columns(known=pl.lit(True)), on="value",
                                      how="left", maintain_order="left")
        missing = known["known"].is_null()
        if not missing.any():
            return known.select(list(_RESULT_SCHEMA))
        new_cells = cells.filter(missing)
        info = classify(new_cells)
        if self._cache.height < CACHED_CELLS:
            self._cache = pl.concat([self._cache, pl.concat([new_cells.to_frame(), info],
                                                            how="horizontal")]).head(CACHED_CELLS)
        found = known.select(list(_RESULT_SCHEMA))
        positions = missing.arg_true()
        return found.with_columns(
            found[name].scatter(positions, info[name]) for name in _RESULT_SCHEMA)

    def _update_strict(self, values: pl.Series, first_row: int) -> None:
        """Nearly unique timestamps: the main format is checked with one
        strict regex and strptime; the other cells are classified."""
        label, regex, fmt = self._strict  # type: ignore[misc]
        kind = "datetime" if "%H" in fmt and "%Y" in fmt else "date" if "%Y" in fmt else "time"
        dtype: Any = {"datetime": pl.Datetime, "date": pl.Date, "time": pl.Time}[kind]
        # cache=False: strptime's cache of distinct strings only costs on unique cells
        parsed = values.str.strptime(dtype, fmt, strict=False, cache=False)
        good = (values.str.contains(regex) & parsed.is_not_null()).fill_null(False)
        count = int(good.sum())
        self.nonblank += values.len() - values.null_count()
        if count:
            self.recognised += count
            self.formats[label] += count
            self.kinds[kind] += count
            if kind != "time":  # compared as dates: cheaper than taking every year
                for calendar, in_era in (
                        ("BE", parsed >= _first_day(BE_FROM_YEAR, dtype)),
                        ("CE", parsed < _first_day(CE_UNTIL_YEAR + 1, dtype))):
                    mask = (good & in_era).fill_null(False)
                    self.calendars[calendar] += int(mask.sum())
                    self._add_examples(self._calendar_examples.setdefault(calendar, []), values,
                                       mask, first_row)
            self._add_examples(self._format_examples.setdefault(label, []), values, good,
                               first_row)
        rest = values.set(good, None) if count else values
        if rest.null_count() < rest.len():
            groups = distinct_cells(rest)
            self._absorb(pl.concat([groups, self._classify(groups["value"])], how="horizontal"),
                         first_row)

    @staticmethod
    def _add_examples(examples: list[tuple[int, str]], values: pl.Series, mask: pl.Series,
                      first_row: int) -> None:
        if len(examples) >= MAX_EXAMPLES:
            return
        for index in mask.arg_true().head(MAX_EXAMPLES - len(examples)).to_list():
            examples.append((first_row + index, values[index]))

    def _absorb(self, cells: pl.DataFrame, first_row: int) -> None:
        """Add the counts of classified distinct cells (value, count, index,
        label, kind, calendar, valid, thai_digits)."""
        dates = cells.filter(pl.col("label").is_not_null()).sort("index")
        if dates.is_empty():
            return
        self.recognised += int(dates["count"].sum())
        for column, counter, examples in (("label", self.formats, self._format_examples),
                                          ("calendar", self.calendars, self._calendar_examples),
                                          ("kind", self.kinds, None)):
            totals = dates.group_by(column).agg(pl.col("count").sum()).drop_nulls(column)
            for key, count in totals.iter_rows():
                counter[key] += count
            if examples is None:
                continue
            firsts = (dates.drop_nulls(column).group_by(column, maintain_order=True)
                      .head(MAX_EXAMPLES).select(column, "index", "value"))
            for key, index, value in firsts.iter_rows():
                kept = examples.setdefault(key, [])
                if len(kept) < MAX_EXAMPLES:
                    kept.append((first_row + index, value))
        invalid = dates.filter(~pl.col("valid"))
        if not invalid.is_empty():
            self.invalid += int(invalid["count"].sum())
            for index, value in invalid.select("index", "value").head(MAX_EXAMPLES).iter_rows():
                if len(self._invalid_examples) < MAX_EXAMPLES:
                    self._invalid_examples.append((first_row + index, value))
            for value in invalid["value"].head(MAX_INVALID_VALUES).to_list():
                if len(self.invalid_values) < MAX_INVALID_VALUES:
                    self.invalid_values[value] = None
        thai = dates.filter(pl.col("thai_digits"))
        if not thai.is_empty():
            self.thai_digits += int(thai["count"].sum())
            for index, value in thai.select("index", "value").head(MAX_EXAMPLES).iter_rows():
                if len(self._thai_digit_examples) < MAX_EXAMPLES:
                    self._thai_digit_examples.append((first_row + index, value))

    # -- results -------------------------------------------------------
    @property
    def strategy(self) -> str:
        """How the batches are read: "distinct" (each distinct cell parsed
        once) or "strict" (nearly unique timestamps: one strict pattern)."""
        return "strict" if self._strict is not None else "distinct"

    @property
    def is_date_column(self) -> bool:
        return (self._decided is not False and self.recognised > 0
                and self.recognised >= RECOGNISED_SHARE * self.nonblank)

    def kind(self) -> str:
        """"time" when every recognised cell is a time, "date" when every one
        is a date, "datetime" otherwise."""
        kinds = {kind for kind, count in self.kinds.items() if count}
        if kinds == {"time"}:
            return "time"
        if kinds == {"date"}:
            return "date"
        return "datetime"

    def profile(self) -> Mapping[str, Any]:
        """``{"kind", "formats": {label: cells}, "calendars": {"BE": n, "CE": n}}``
        for a date/time column, ``{}`` otherwise."""
        if not self.is_date_column:
            return {}
        return {"kind": self.kind(),
                "formats": dict(self.formats.most_common()),
                "calendars": {"BE": self.calendars["BE"], "CE": self.calendars["CE"]}}

    def findings(self, column: str) -> list[Finding]:
        """Mixed formats and calendars (warnings), impossible dates (error),
        Thai digits (info); nothing for a column that is not a date column."""
        if not self.is_date_column:
            return []
        found = []
        if len(self.formats) > 1:
            ranked = self.formats.most_common()
            minority = [label for label, _ in ranked[1:]]
            examples = _round_robin([self._format_examples.get(label, []) for label in minority])
            found.append(Finding(
                code="dates.mixed_formats", severity=WARNING,
                message=Message(N_("Column “{column}” writes its dates in {count} formats: {formats}"),
                                column=column, count=len(ranked),
                                formats=tuple(f"{label} ({count})" for label, count in ranked)),
                column=column, count=sum(count for _, count in ranked[1:]),
                examples=_locations(examples, column), values=tuple(v for _, v in examples)))
        be, ce = self.calendars["BE"], self.calendars["CE"]
        if be and ce:
            fewer = "CE" if ce <= be else "BE"
            examples = self._calendar_examples.get(fewer, [])[:MAX_EXAMPLES]
            found.append(Finding(
                code="dates.mixed_calendars", severity=WARNING,
                message=Message(N_("Column “{column}” mixes Buddhist Era years ({be} cells) and "
                                   "Common Era years ({ce} cells)"),
                                column=column, be=be, ce=ce),
                column=column, count=min(be, ce),
                examples=_locations(examples, column), values=tuple(v for _, v in examples)))
        if self.invalid:
            values = tuple(list(self.invalid_values)[:MAX_EXAMPLES])
            found.append(Finding(
                code="dates.invalid", severity=ERROR,
                message=Message(N_("Column “{column}” has {count} dates or times that cannot "
                                   "exist, such as {values}"),
                                column=column, count=self.invalid, values=values),
                column=column, count=self.invalid,
                examples=_locations(self._invalid_examples, column), values=values))
        if self.thai_digits:
            found.append(Finding(
                code="dates.thai_digits", severity=INFO,
                message=Message(N_("Column “{column}” writes {count} dates with Thai digits"),
                                column=column, count=self.thai_digits),
                column=column, count=self.thai_digits,
                examples=_locations(self._thai_digit_examples, column),
                values=tuple(v for _, v in self._thai_digit_examples)))
        return found


def _first_day(year: int, dtype: Any) -> dt.date:
    """1 January of ``year``, a date or a datetime as ``dtype`` is."""
    return dt.date(year, 1, 1) if dtype is pl.Date else dt.datetime(year, 1, 1)


def _as_strings(values: Any) -> pl.Series:
    series = values if isinstance(values, pl.Series) else pl.Series(values)
    return series if series.dtype == pl.String else series.cast(pl.String)


def _round_robin(lists: list[list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """Up to MAX_EXAMPLES items taking one from each list in turn, by row."""
    picked: list[tuple[int, str]] = []
    for depth in range(MAX_EXAMPLES):
        for items in lists:
            if depth < len(items) and len(picked) < MAX_EXAMPLES:
                picked.append(items[depth])
    return sorted(picked)


def _locations(examples: list[tuple[int, str]], column: str) -> tuple[Location, ...]:
    return tuple(Location(row=row, column=column) for row, _ in examples[:MAX_EXAMPLES])
