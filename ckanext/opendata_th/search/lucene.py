"""A parser for the subset of Solr's query syntax that CKAN and its
extensions send in ``q`` and ``fq``.

Plain Python. Understands words, quoted phrases, ``field:value``,
``field:"quoted"``, ``field:(a OR b)``, ranges ``[a TO b]`` / ``{a TO b}``
with ``*`` and ``NOW`` date maths, ``*`` / ``prefix*`` / ``wi?d*card``
wildcards, ``*:*``, ``AND`` / ``OR`` / ``NOT`` / ``&&`` / ``||`` / ``!``,
``+`` / ``-`` prefixes, parentheses, and boosts ``^2`` / slops ``~2`` (read
and ignored). The default operator is AND, as CKAN sets ``q.op=AND`` (for
``q`` and ``fq`` alike). Anything else raises :class:`QuerySyntaxError`
with a message that says what was not understood.

Clauses are joined the way Solr's standard (classic Lucene) query parser
joins them, not with boolean-algebra precedence: each clause of a group
gets one occurrence, MUST, SHOULD or MUST_NOT (see :func:`_add_clause`),
and a group matches as a Lucene boolean query does (see :class:`Bool`).
So ``a OR b c`` is ``a`` SHOULD, ``b`` SHOULD, ``c`` MUST, which matches
what ``c`` matches: the OR does not filter beside a required clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Union

from .limits import LimitExceeded, Limits

MUST, SHOULD, MUST_NOT = "must", "should", "must_not"
AND, OR = "AND", "OR"  # the conjunctions, as error messages name them


class QuerySyntaxError(ValueError):
    """The query uses syntax this backend does not understand."""


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Term:
    """A value, for ``field`` or (``field`` None) for the default field.

    ``kind`` is ``term``, ``phrase``, ``prefix`` (``abc*``), ``wildcard``
    (``a?c``, ``*bc``) or ``exists`` (``field:*``).
    """
    field: Optional[str]
    value: str
    kind: str = "term"


@dataclass(frozen=True)
class Range:
    field: str
    low: Optional[str]  # None means unbounded (*)
    high: Optional[str]
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class Bool:
    """Clauses, each ``(occur, node)``, matched as Lucene matches a boolean
    query: a document matches every MUST clause and no MUST_NOT clause; when
    there is no MUST clause it must also match at least one SHOULD clause.
    Beside a MUST clause, SHOULD clauses do not filter (Lucene only scores
    them).

    Only MUST_NOT clauses: every document except those they match. Solr
    does so for a whole ``q`` or ``fq`` (it adds ``*:*``, which CKAN's
    ``fq=-field:value`` relies on); this backend does so for a nested
    group too, where Solr 8 and 9 match nothing (``a (-b)``, an old Solr
    shortcoming fixed upstream in SOLR-18256)."""
    clauses: tuple = field(default_factory=tuple)


Node = Union[MatchAll, Term, Range, Bool]

_FIELD = re.compile(r"([A-Za-z_][\w.\-]*|\*)\s*:(?!/)")
_SPECIAL = set('()"[]{}^~:\\')


class _Parser:
    def __init__(self, text: str, max_depth: int):
        self.text = text
        self.pos = 0
        self.depth = 0
        self.max_depth = max_depth

    # -- scanning -------------------------------------------------------
    def error(self, what: str) -> QuerySyntaxError:
        return QuerySyntaxError(
            f"{what} at position {self.pos} in query {self.text!r}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def peek_keyword(self, word: str) -> bool:
        end = self.pos + len(word)
        return (self.text.startswith(word, self.pos)
                and (end == len(self.text) or self.text[end].isspace()
                     or self.text[end] in "()"))

    def at_end(self) -> bool:
        self.skip_space()
        return self.pos >= len(self.text)

    # -- grammar ----------------------------------------------------------
    def parse(self) -> Node:
        node = self.parse_query(None, closing=None)
        if not self.at_end():
            raise self.error("Unexpected text")
        return node

    def parse_query(self, default_field: Optional[str], closing: Optional[str]) -> Node:
        """A group of clauses, each with an optional conjunction (``AND``,
        ``&&``, ``OR``, ``||``) before it and an optional modifier (``+``,
        ``-``, ``NOT``, ``!``), up to ``closing`` or the end of the text.

        As in Lucene, a group of one clause without a modifier is that
        clause itself; a lone ``+`` clause is too (it means the same)."""
        clauses: list[_Clause] = []
        while True:
            self.skip_space()
            if self.at_group_end(closing):
                break
            conjunction = self.read_conjunction()
            if conjunction is not None:
                if not clauses:
                    raise self.error(f"{conjunction} without a clause before it")
                self.skip_space()
                if self.at_group_end(closing):
                    raise self.error(f"{conjunction} without a clause after it")
                if self.peek_conjunction():
                    raise self.error("Two operators in a row")
            modifier = self.read_modifier()
            _add_clause(clauses, conjunction, modifier, self.parse_clause(default_field))
        if not clauses:
            return Bool(())
        if len(clauses) == 1 and clauses[0].occur == MUST:
            return clauses[0].node
        return Bool(tuple((clause.occur, clause.node) for clause in clauses))

    def at_group_end(self, closing: Optional[str]) -> bool:
        return self.pos >= len(self.text) or bool(closing and self.peek(closing))

    def peek_conjunction(self) -> bool:
        return (self.peek_keyword("AND") or self.peek_keyword("OR")
                or self.peek("&&") or self.peek("||"))

    def read_conjunction(self) -> Optional[str]:
        """Read ``AND``/``&&`` (returns ``AND``) or ``OR``/``||`` (returns
        ``OR``), or nothing (returns None)."""
        for token, name in (("&&", AND), ("||", OR)):
            if self.peek(token):
                self.pos += len(token)
                return name
        for name in (AND, OR):
            if self.peek_keyword(name):
                self.pos += len(name)
                return name
        return None

    def read_modifier(self) -> Optional[str]:
        """Read ``+`` (returns MUST), ``-``/``NOT``/``!`` (returns MUST_NOT)
        or nothing (returns None). Lucene allows one modifier per clause."""
        modifier = None
        if self.peek_keyword("NOT") or (self.peek("!") and not self.peek("!=")):
            self.pos += 3 if self.peek_keyword("NOT") else 1
            modifier = MUST_NOT
        elif self.peek("+"):
            self.pos += 1
            modifier = MUST
        elif self.peek("-"):
            self.pos += 1
            modifier = MUST_NOT
        if modifier is not None and (self.peek("+") or self.peek("-")):
            raise self.error("Two operators in a row")
        return modifier

    def parse_clause(self, default_field: Optional[str]) -> Node:
        self.skip_space()
        match = _FIELD.match(self.text, self.pos)
        if match:
            name = match.group(1)
            self.pos = match.end()
            if name == "*":
                value = self.read_word()
                if value != "*":
                    raise self.error("Only *:* may use the field name *")
                return MatchAll()
            return self.parse_value(name)
        return self.parse_value(default_field)

    def parse_value(self, field_name: Optional[str]) -> Node:
        self.skip_space()
        if self.peek("("):
            self.pos += 1
            self.depth += 1
            if self.depth > self.max_depth:
                raise LimitExceeded("depth", self.max_depth)
            node = self.parse_query(field_name, closing=")")
            self.expect(")")
            self.depth -= 1
            self.skip_modifiers()
            return node
        if self.peek("[") or self.peek("{"):
            if field_name is None:
                raise self.error("A range needs a field name")
            return self.parse_range(field_name)
        if self.peek('"'):
            phrase = self.read_phrase()
            self.skip_modifiers()
            return Term(field_name, phrase, "phrase")
        word = self.read_word()
        if not word:
            raise self.error("Expected a value")
        self.skip_modifiers()
        if word == "*":
            if field_name is None:
                return MatchAll()
            return Term(field_name, "*", "exists")
        unescaped = _unescape(word)
        stars = _unescaped_wildcards(word)
        if not stars:
            return Term(field_name, unescaped, "term")
        if stars == [len(word) - 1] and word.endswith("*"):
            return Term(field_name, _unescape(word[:-1]), "prefix")
        return Term(field_name, word, "wildcard")

    def parse_range(self, field_name: str) -> Range:
        include_low = self.text[self.pos] == "["
        self.pos += 1
        low = self.read_bound()
        self.skip_space()
        if not self.peek_keyword("TO"):
            raise self.error("Expected TO in a range")
        self.pos += 2
        high = self.read_bound()
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] not in "]}":
            raise self.error("Expected ] or } to close the range")
        include_high = self.text[self.pos] == "]"
        self.pos += 1
        self.skip_modifiers()
        return Range(field_name, low, high, include_low, include_high)

    def read_bound(self) -> Optional[str]:
        self.skip_space()
        if self.peek('"'):
            return self.read_phrase()
        start = self.pos
        while (self.pos < len(self.text) and not self.text[self.pos].isspace()
               and self.text[self.pos] not in "]}"):
            self.pos += 1
        value = self.text[start:self.pos]
        if not value:
            raise self.error("Expected a range bound")
        return None if value == "*" else _unescape(value)

    def read_phrase(self) -> str:
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if char == '"':
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1
        raise self.error("Unclosed quote")

    def read_word(self) -> str:
        start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 2
                continue
            if char.isspace() or char in _SPECIAL:
                break
            self.pos += 1
        return self.text[start:self.pos]

    def skip_modifiers(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in "^~":
            self.pos += 1
            while self.pos < len(self.text) and (self.text[self.pos].isdigit()
                                                 or self.text[self.pos] == "."):
                self.pos += 1

    def expect(self, token: str) -> None:
        self.skip_space()
        if not self.peek(token):
            raise self.error(f"Expected {token!r}")
        self.pos += len(token)


@dataclass
class _Clause:
    """A clause of a group being read: its occurrence so far, its node and
    whether it was written with ``+``."""
    occur: str
    node: Node
    plus: bool


def _add_clause(clauses: list[_Clause], conjunction: Optional[str],
                modifier: Optional[str], node: Node) -> None:
    """Append a clause, with the occurrence Solr's standard parser gives it
    under the default operator AND (``q.op=AND``, which CKAN sets).

    Lucene's rules (QueryParserBase.addClause): a clause introduced by AND
    makes the clause before it MUST, and one introduced by OR makes it
    SHOULD, unless that clause is MUST_NOT; the new clause is MUST_NOT with
    ``-``/``NOT``/``!``, else SHOULD when introduced by OR, else MUST.

    One deliberate difference: a clause written with ``+`` stays MUST beside
    an OR (Lucene turns ``+a OR b`` and ``a OR +b`` into ``a OR b``). CKAN
    builds the access filter of a search by gluing ``+capacity:public `` in
    front of the caller's ``fq`` and `` +state:(active)`` after it; with
    Lucene's rule an ``fq`` that starts or ends with OR switches those off.
    Here it can only make a search find less than Solr would, never more.
    """
    if clauses and conjunction == AND and clauses[-1].occur != MUST_NOT:
        clauses[-1].occur = MUST
    if clauses and conjunction == OR and clauses[-1].occur != MUST_NOT \
            and not clauses[-1].plus:
        clauses[-1].occur = SHOULD
    if modifier is not None:
        occur = modifier
    elif conjunction == OR:
        occur = SHOULD
    else:
        occur = MUST
    clauses.append(_Clause(occur, node, plus=modifier == MUST))


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _unescaped_wildcards(word: str) -> list[int]:
    found, index = [], 0
    while index < len(word):
        if word[index] == "\\":
            index += 2
            continue
        if word[index] in "*?":
            found.append(index)
        index += 1
    return found


def parse(text: str, max_depth: int = Limits.depth) -> Node:
    """Parse a Solr/Lucene query string into a tree of nodes.

    ``max_depth`` bounds how deep parentheses may nest (deeper raises
    :class:`~.limits.LimitExceeded`)."""
    if text is None or not text.strip():
        return MatchAll()
    if "{!" in text:
        raise QuerySyntaxError("Local parameters ({!...}) are not supported")
    if re.search(r"(?<![\w\\])_(query|val)_\s*:", text):
        raise QuerySyntaxError("Magic fields (_query_, _val_) are not supported")
    return _Parser(text, max_depth).parse()


def wildcard_to_like(word: str) -> str:
    """Convert a Lucene wildcard (``*``, ``?``, ``\\`` escapes) to SQL LIKE."""
    out, index = [], 0
    while index < len(word):
        char = word[index]
        if char == "\\" and index + 1 < len(word):
            char = word[index + 1]
            index += 2
            out.append("\\" + char if char in "%_\\" else char)
            continue
        if char == "*":
            out.append("%")
        elif char == "?":
            out.append("_")
        elif char in "%_\\":
            out.append("\\" + char)
        else:
            out.append(char)
        index += 1
    return "".join(out)
