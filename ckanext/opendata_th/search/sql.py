"""Translate parsed Solr queries into SQL over the search-document table.

Plain Python: produces SQL text with ``:name`` bind parameters (for
SQLAlchemy's ``text()``), and imports nothing from CKAN.

The table (see the migration) keeps, per dataset:

``opendata_th_search_term`` (doc_no, field, value) -- the exact values of
            Solr's string fields, one row each
``opendata_th_search_stored.lex``  jsonb ``{field: [lexemes]}`` for
            the tokenized text fields
``search_vector``  weighted tsvector of everything (Solr's ``text`` field)
``metadata_modified`` / ``metadata_created`` / ``indexed_ts`` timestamps
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from dateutil.relativedelta import relativedelta

from . import lucene, text
from .limits import LimitExceeded, Limits
from .schema import STORED, TABLE, TERMS

# Fields that CKAN's Solr schema tokenizes (type text / textgen).
TEXT_FIELDS = frozenset({"title", "notes", "author", "maintainer", "res_name",
                         "res_description", "urls"})
TEXT_FIELD_PREFIXES = ("extras_", "res_extras_")
TIMESTAMP_COLUMNS = frozenset({"metadata_modified", "metadata_created", "indexed_ts"})
# Single-valued fields that also have a column of their own (fast filters).
TEXT_COLUMNS = frozenset({"id", "name", "site_id", "state", "capacity", "dataset_type",
                          "organization", "owner_org"})
NUMERIC_SORT_FIELDS = frozenset({"views_recent", "views_total", "num_resources",
                                 "num_tags"})
DEFAULT_QF = "name^4 title^4 tags^2 groups^2 text"

# Term-table lookups of one query that PostgreSQL may plan as joins (see
# Compiler._has_term); typical searches have one to three.
JOINED_LOOKUPS = 4

# weights D, C, B, A for ts_rank
RANK_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"


def is_text_field(name: str) -> bool:
    return name in TEXT_FIELDS or name.startswith(TEXT_FIELD_PREFIXES)


class QueryError(ValueError):
    """A query that is understood but cannot be answered."""


@dataclass
class Compiled:
    where: str
    params: dict[str, Any] = field(default_factory=dict)
    rank_queries: list[str] = field(default_factory=list)


class Compiler:
    """Compiles query trees into one SQL condition, collecting parameters.

    Counts the terms it compiles (every word of a phrase and every word a
    Thai run is segmented into counts) and raises
    :class:`~.limits.LimitExceeded` past ``limits.terms``.
    """

    def __init__(self, now: Optional[datetime] = None, qf: Optional[str] = None,
                 limits: Limits = Limits()):
        self.params: dict[str, Any] = {}
        self.rank_queries: list[str] = []
        self.now = now or datetime.now(timezone.utc)
        self.default_fields = _qf_fields(qf)
        self.limits = limits
        self.terms = 0
        self.lookups = 0

    def count_terms(self, number: int) -> None:
        self.terms += max(1, number)
        if self.terms > self.limits.terms:
            raise LimitExceeded("terms", self.limits.terms)

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def compile(self, node: lucene.Node) -> str:
        return self._node(node, positive=True)

    # -- nodes ------------------------------------------------------------
    def _node(self, node: lucene.Node, positive: bool) -> str:
        if isinstance(node, lucene.MatchAll):
            return "TRUE"
        if isinstance(node, lucene.Bool):
            return self._bool(node, positive)
        if isinstance(node, lucene.Range):
            return self._range(node)
        if isinstance(node, lucene.Term):
            if node.field is None:
                return self._default_field(node, positive)
            return self._field(node.field, node, positive)
        raise QueryError(f"Unsupported query node {node!r}")

    def _bool(self, node: lucene.Bool, positive: bool) -> str:
        """A boolean query, matched as Lucene matches it (see
        :class:`lucene.Bool`): all MUST clauses and no MUST_NOT clause; at
        least one SHOULD clause only when there is no MUST clause. Beside a
        MUST clause the SHOULD clauses are compiled for their words' ranking
        alone (Lucene scores them) and left out of the condition."""
        must = [self._node(n, positive) for occur, n in node.clauses
                if occur == lucene.MUST]
        should_nodes = [n for occur, n in node.clauses if occur == lucene.SHOULD]
        if must:
            for should_node in should_nodes:
                self._rank_only(should_node, positive)
            should = []
        else:
            should = [self._node(n, positive) for n in should_nodes]
        must_not = [self._node(n, not positive) for occur, n in node.clauses
                    if occur == lucene.MUST_NOT]
        parts = list(must)
        if should:
            parts.append("(" + " OR ".join(should) + ")")
        parts.extend(f"NOT ({sql})" for sql in must_not)
        if not parts:
            return "TRUE"
        return "(" + " AND ".join(parts) + ")"

    def _rank_only(self, node: lucene.Node, positive: bool) -> None:
        """Compile a clause that does not filter (a SHOULD clause beside a
        MUST clause) for the words it adds to the ranking, then drop its SQL
        and parameters. Its terms still count against ``limits.terms``, as
        the clause is part of the query that was asked."""
        params, lookups = dict(self.params), self.lookups
        self._node(node, positive)
        self.params, self.lookups = params, lookups

    def _default_field(self, term: lucene.Term, positive: bool) -> str:
        if self.default_fields is None:
            return self._text(term, positive)
        # one look-up in the term table for every exact-value field of qf,
        # so the cost grows with the terms, not with terms times fields
        exact = [name for name in self.default_fields if _in_term_table(name)]
        alternatives = [self._field(name, term, positive) for name in self.default_fields
                        if not _in_term_table(name)]
        if exact and term.kind == "exists":
            alternatives.append(self._has_term(exact, "TRUE"))
        elif exact:
            alternatives.append(self._has_term(exact, self._value_condition(term)))
        return "(" + " OR ".join(alternatives) + ")"

    def _text(self, term: lucene.Term, positive: bool) -> str:
        """Full-text match on everything (Solr's ``text`` field)."""
        if term.kind == "exists":
            return "TRUE"
        if term.kind == "wildcard":
            raise QueryError(
                f"Wildcards other than a trailing * are not supported in free text: "
                f"{term.value!r}")
        # refuse an obviously long text before segmenting its Thai
        if self.terms + text.fewest_words(term.value) > self.limits.terms:
            raise LimitExceeded("terms", self.limits.terms)
        self.count_terms(len(text.words(term.value)))
        if term.kind == "phrase":
            tsquery = exact = text.tsquery_for_phrase(term.value)
        else:
            # the start of a Thai word finds the word; whole words rank higher
            prefix = term.kind == "prefix"
            tsquery = text.tsquery_for_term(term.value, prefix=prefix, thai_prefix=True)
            exact = text.tsquery_for_term(term.value, prefix=prefix)
        if tsquery is None:  # only punctuation: matches like an empty clause
            return "TRUE"
        if positive:
            # only whole words score: a prefix-only hit ranks 0, below every
            # whole-word hit, and scoring one query instead of two halves
            # the cost of ranking a broad search
            self.rank_queries.append(exact)
        return f"search_vector @@ CAST({self.param(tsquery)} AS tsquery)"

    def _field(self, name: str, term: lucene.Term, positive: bool) -> str:
        if name == "text":
            return self._text(term, positive)
        self.count_terms(1)
        if term.kind == "exists":
            if name in TIMESTAMP_COLUMNS or name in TEXT_COLUMNS:
                return f"{name} IS NOT NULL"
            if is_text_field(name):
                return self._has_words(f"lex ? {self.param(name)}")
            return self._has_term(name, "TRUE")
        if name in TEXT_COLUMNS and term.kind in ("term", "phrase"):
            return f"{name} = {self.param(term.value)}"
        if name in TIMESTAMP_COLUMNS:
            if term.kind != "term" and term.kind != "phrase":
                raise QueryError(f"Wildcards are not supported on {name}")
            moment = parse_moment(term.value, self.now)
            return f"{name} = {self.param(moment)}"
        if is_text_field(name):
            words = text.lexemes(term.value)
            self.count_terms(len(words) - 1)
            if term.kind in ("prefix", "wildcard"):
                if term.kind != "prefix" or not words:
                    raise QueryError(f"Only a trailing * is supported on the text field {name}")
                # the last word itself, not the last part of a Thai compound
                last = text.words(term.value)[-1][0]
                return self._has_words(
                    f"EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                    f"lex -> {self.param(name)}) AS v(value) "
                    f"WHERE v.value LIKE {self.param(_like_prefix(last))})")
            if not words:
                return "TRUE"
            return self._has_words(
                f"lex @> CAST({self.param(json.dumps({name: words}))} AS jsonb)")
        if name in TEXT_COLUMNS:
            return f"{name} LIKE {self.param(_like_pattern(term))}"
        return self._has_term(name, self._value_condition(term))

    def _value_condition(self, term: lucene.Term) -> str:
        """The condition on ``value`` in the term table for a term, a
        phrase (the exact value), a prefix or a wildcard."""
        if term.kind in ("prefix", "wildcard"):
            return f"value LIKE {self.param(_like_pattern(term))}"
        return f"value = {self.param(term.value)}"

    def _has_term(self, name: str | list[str], condition: str) -> str:
        """Documents with a value of ``name`` (or of any of several fields)
        that meets ``condition``."""
        if isinstance(name, list):
            field_condition = f"field = ANY(CAST({self.param(name)} AS text[]))"
        else:
            field_condition = f"field = {self.param(name)}"
        return self._lookup(f"doc_no IN (SELECT doc_no FROM {TERMS} "
                            f"WHERE {field_condition} AND {condition})")

    def _has_words(self, condition: str) -> str:
        """Documents whose text-field lexemes (``lex``) meet ``condition``."""
        return self._lookup(f"doc_no IN (SELECT doc_no FROM {STORED} WHERE {condition})")

    def _lookup(self, lookup: str) -> str:
        self.lookups += 1
        if self.lookups <= JOINED_LOOKUPS:
            return lookup
        # "IS TRUE" keeps PostgreSQL from turning the lookup into a join:
        # planning a join of many lookups takes seconds (cubic in their
        # number), a hashed subplan costs one pass over the lookup's rows
        return f"({lookup}) IS TRUE"

    def _range(self, node: lucene.Range) -> str:
        name = node.field
        self.count_terms(2)
        low_op = ">=" if node.include_low else ">"
        high_op = "<=" if node.include_high else "<"
        if name in TIMESTAMP_COLUMNS:
            conditions = [f"{name} IS NOT NULL"]
            if node.low is not None:
                conditions.append(f"{name} {low_op} {self.param(parse_moment(node.low, self.now))}")
            if node.high is not None:
                conditions.append(f"{name} {high_op} {self.param(parse_moment(node.high, self.now))}")
            return "(" + " AND ".join(conditions) + ")"
        bounds = [b for b in (node.low, node.high) if b is not None]
        if bounds and all(_is_number(b) for b in bounds):
            value = "CAST(value AS numeric)"
            guard = r"value ~ '^-?[0-9]+(\.[0-9]+)?$'"
            conditions = [guard]
            if node.low is not None:
                conditions.append(f"{value} {low_op} {self.param(float(node.low))}")
            if node.high is not None:
                conditions.append(f"{value} {high_op} {self.param(float(node.high))}")
        elif name.endswith("_date") or any(_looks_like_date(b) for b in bounds):
            # dates are stored as ISO 8601 UTC strings, which sort as text
            conditions = ["TRUE"]
            if node.low is not None:
                conditions.append(f"value {low_op} {self.param(iso(parse_moment(node.low, self.now)))}")
            if node.high is not None:
                conditions.append(f"value {high_op} {self.param(iso(parse_moment(node.high, self.now)))}")
        else:
            conditions = ["TRUE"]
            if node.low is not None:
                conditions.append(f"value COLLATE \"C\" {low_op} {self.param(node.low)}")
            if node.high is not None:
                conditions.append(f"value COLLATE \"C\" {high_op} {self.param(node.high)}")
        return self._has_term(name, " AND ".join(conditions))


# The fields of the conditions CKAN puts on every listing.
LISTING_FIELDS = frozenset({"site_id", "state", "dataset_type", "capacity"})


def listing_filter(nodes: list[lucene.Node]) -> Optional[dict[str, str]]:
    """The values queries without words limit ``site_id``, ``state``,
    ``dataset_type`` and ``capacity`` to, as ``{field: value}``, when they
    ask nothing else (a whole listing, whose facet counts are kept ahead);
    None for anything more: words, other fields, OR, NOT, ranges, wildcards,
    two values of one field."""
    found: dict[str, str] = {}

    def only_listing(node: lucene.Node) -> bool:
        if isinstance(node, lucene.MatchAll):
            return True
        if isinstance(node, lucene.Term):
            return (node.field in LISTING_FIELDS and node.kind in ("term", "phrase")
                    and found.setdefault(node.field, node.value) == node.value)
        if isinstance(node, lucene.Bool):
            occurs = [occur for occur, _ in node.clauses]
            if lucene.MUST_NOT in occurs or (lucene.SHOULD in occurs and len(occurs) > 1):
                return False
            return all(only_listing(clause) for _, clause in node.clauses)
        return False

    return found if all(only_listing(node) for node in nodes) else None


def _qf_fields(qf: Optional[str]) -> Optional[list[str]]:
    """Fields to search bare words in; None means the full-text vector.

    The full-text vector already holds every field CKAN's default ``qf``
    names, so only a ``qf`` without ``text`` changes where words are looked.
    """
    if not qf:
        return None
    names = [part.split("^")[0] for part in qf.split() if part.strip()]
    if not names or "text" in names:
        return None
    return names


def _in_term_table(name: str) -> bool:
    """Whether a field's values are looked up in the term table."""
    return not (name == "text" or is_text_field(name) or name in TEXT_COLUMNS
                or name in TIMESTAMP_COLUMNS)


def _like_pattern(term: lucene.Term) -> str:
    if term.kind == "wildcard":
        return lucene.wildcard_to_like(term.value)
    return _like_prefix(term.value)


def _like_prefix(value: str) -> str:
    return re.sub(r"([%_\\])", r"\\\1", value) + "%"


def _is_number(value: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def _looks_like_date(value: str) -> bool:
    return value.startswith("NOW") or re.match(r"\d{4}-\d{2}-\d{2}", value) is not None


_MATH = re.compile(r"([+-]\d+|/)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|MILLI|WEEK)S?")
_UNITS = {"YEAR": "years", "MONTH": "months", "WEEK": "weeks", "DAY": "days",
          "HOUR": "hours", "MINUTE": "minutes", "SECOND": "seconds"}


def parse_moment(value: str, now: datetime) -> datetime:
    """A Solr date (ISO 8601, or NOW with date maths such as NOW-7DAYS/DAY),
    in UTC. A date outside years 1 to 9999 raises :class:`QueryError`."""
    try:
        return _moment(value.strip(), now).astimezone(timezone.utc)
    except (OverflowError, ValueError) as error:
        if isinstance(error, QueryError):
            raise
        raise QueryError(f"Date out of range (years 1 to 9999): {value!r}") from error


def _moment(value: str, now: datetime) -> datetime:
    if value.startswith("NOW"):
        moment, rest = now, value[3:]
    else:
        match = re.match(r"\d{4}-\d{2}-\d{2}(T[\d:.]+)?(Z|[+-]\d{2}:?\d{2})?", value)
        if not match:
            raise QueryError(f"Not a date: {value!r}")
        try:
            moment = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError as error:
            raise QueryError(f"Not a date: {value!r}") from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        rest = value[match.end():]
    while rest:
        match = _MATH.match(rest)
        if not match:
            raise QueryError(f"Unsupported date maths {rest!r} in {value!r}")
        op, unit = match.groups()
        if op == "/":
            moment = _round_down(moment, unit)
        elif unit == "MILLI":
            moment += timedelta(milliseconds=int(op))
        else:
            moment += relativedelta(**{_UNITS[unit]: int(op)})
        rest = rest[match.end():]
    return moment


def _round_down(moment: datetime, unit: str) -> datetime:
    fields = ["month", "day", "hour", "minute", "second", "microsecond"]
    keep = {"YEAR": 0, "MONTH": 1, "DAY": 2, "HOUR": 3, "MINUTE": 4, "SECOND": 5}.get(unit, 6)
    reset = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    return moment.replace(**{f: reset[f] for f in fields[keep:]})


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- sorting --------------------------------------------------------------
_SORT_ITEM = re.compile(r"^\s*([\w.\-]+)\s+(asc|desc)\s*$", re.IGNORECASE)


def order_by(sort: Optional[str], compiler: Compiler, rank_sql: Optional[str]) -> str:
    """SQL ORDER BY for a Solr ``sort`` such as ``score desc, name asc`` (as
    in Solr, every key needs its direction), ending with ``index_id ASC`` so
    that the order is total.

    Without words to rank by (``rank_sql`` None) every score is equal, so a
    score key is left out.
    """
    items = []
    for part in (sort or "score desc").split(","):
        if not part.strip():
            continue
        match = _SORT_ITEM.match(part)
        if not match:
            raise QueryError(f'Invalid "sort" parameter: {part.strip()!r}')
        name, direction = match.group(1), match.group(2).upper()
        if name in ("score", "rank"):
            if rank_sql is None:
                continue
            expr = rank_sql
        elif name in TIMESTAMP_COLUMNS:
            expr = name
        elif name == "title_string":
            expr = "title_string"
        elif name in TEXT_COLUMNS:
            expr = name
        else:
            value = (f"(SELECT min(t.value) FROM {TERMS} t WHERE t.doc_no = {TABLE}.doc_no "
                     f"AND t.field = {compiler.param(name)})")
            expr = (f"CASE WHEN {value} ~ '^-?[0-9.]+$' THEN CAST({value} AS numeric) END"
                    if name in NUMERIC_SORT_FIELDS else value)
        items.append(f"{expr} {direction} NULLS LAST")
    items.append("index_id ASC")
    return ", ".join(items)
