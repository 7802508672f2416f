"""What one search may ask of the PostgreSQL search backend.

Plain Python. Anyone can search without logging in, so the cost of one
search is bounded before any SQL is built: the length of the query text,
the number of terms, ``qf`` fields, sort keys and facet fields, and how
deep parentheses nest. The defaults are far above what CKAN's pages, its
API clients and ckanext-harvest send (a few terms, CKAN's five ``qf``
fields, one or two sort keys, under twenty facet fields) and far below what
takes PostgreSQL more than a fraction of a second to plan.

Each limit is a config option ``ckanext.opendata_th.search.max_<name>``.
A search over a limit raises :class:`LimitExceeded`, which names the limit;
a value the database could never store (a NUL character, a lone surrogate)
or a parameter of the wrong shape raises :class:`BadInput`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Iterable, Optional

OPTION_PREFIX = "ckanext.opendata_th.search.max_"


@dataclass(frozen=True)
class Limits:
    """The limits of one search (see the module docstring)."""

    query_length: int = 4_000  # characters of q, fq and fq_list together
    terms: int = 200  # words, phrase words, values and range bounds
    qf_fields: int = 30
    sort_keys: int = 10
    facet_fields: int = 50
    depth: int = 20  # levels of nested parentheses

    @classmethod
    def from_options(cls, get: Callable[[str], Any]) -> "Limits":
        """Limits read through ``get(option_name)``; a missing, empty or
        non-numeric option keeps its default, and no limit is below 1."""
        values = {}
        for item in fields(cls):
            raw = get(OPTION_PREFIX + item.name)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                continue
            values[item.name] = max(1, value)
        return replace(cls(), **values)

    @staticmethod
    def option(name: str) -> str:
        return OPTION_PREFIX + name


class LimitExceeded(ValueError):
    """A search asks for more than a limit allows."""

    def __init__(self, limit: str, allowed: int, found: Optional[int] = None):
        self.limit, self.allowed, self.found = limit, allowed, found
        self.option = Limits.option(limit)
        super().__init__(f"{limit}: {found if found is not None else 'more'} "
                         f"(at most {allowed}, {self.option})")


class BadInput(ValueError):
    """A search parameter no search can use. ``reason`` is one of
    ``nul`` (a NUL character), ``encoding`` (text that is not valid
    Unicode, such as a lone surrogate) or ``shape`` (a parameter of the
    wrong type; ``parameter`` names it)."""

    def __init__(self, reason: str, parameter: str):
        self.reason, self.parameter = reason, parameter
        super().__init__(f"{reason} in {parameter}")


def check_values(query: dict[str, Any]) -> None:
    """Refuse text PostgreSQL cannot take, in any parameter (nested in
    lists or dicts too), and an ``fq_list`` that is not a list of strings."""
    for name, value in query.items():
        reason = unstorable(value)
        if reason:
            raise BadInput(reason, name)
    fq_list = query.get("fq_list")
    if fq_list is not None and (not isinstance(fq_list, (list, tuple))
                                or not all(isinstance(f, str) for f in fq_list)):
        raise BadInput("shape", "fq_list")
    fq = query.get("fq")
    if fq is not None and not isinstance(fq, str) and not (
            isinstance(fq, (list, tuple)) and all(isinstance(f, str) for f in fq)):
        raise BadInput("shape", "fq")


def unstorable(value: Any) -> Optional[str]:
    """Why some text in ``value`` (a string, or strings nested in lists and
    dicts, keys too) cannot be stored or searched by PostgreSQL: ``nul`` (a
    NUL character) or ``encoding`` (not valid Unicode, such as a lone
    surrogate); None when all of it can."""
    for text in _strings(value):
        if "\x00" in text:
            return "nul"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "encoding"
    return None


_MAX_NESTING = 20


def _strings(value: Any, depth: int = 0) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif depth < _MAX_NESTING and isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, depth + 1)
    elif depth < _MAX_NESTING and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)


def check_request(query: dict[str, Any], limits: Limits) -> None:
    """Check the sizes that can be read off the parameters before parsing:
    query length, ``qf`` fields, sort keys and facet fields. (Terms and
    nesting depth are counted while the query is parsed and compiled.)"""
    texts = [query.get("q"), query.get("fq"), query.get("fq_list")]
    length = sum(len(text) for value in texts for text in _strings(value))
    if length > limits.query_length:
        raise LimitExceeded("query_length", limits.query_length, length)
    qf = query.get("qf")
    if isinstance(qf, str):
        count = len(qf.split())
        if count > limits.qf_fields:
            raise LimitExceeded("qf_fields", limits.qf_fields, count)
    sort = query.get("sort")
    if isinstance(sort, str):
        count = len([part for part in sort.split(",") if part.strip()])
        if count > limits.sort_keys:
            raise LimitExceeded("sort_keys", limits.sort_keys, count)
    facet_fields = query.get("facet.field")
    if isinstance(facet_fields, (list, tuple)):
        count = len(set(facet_fields)) if all(isinstance(f, str) for f in facet_fields) \
            else len(facet_fields)
        if count > limits.facet_fields:
            raise LimitExceeded("facet_fields", limits.facet_fields, count)
