"""Words of Thai and English text, as the search index stores them.

Plain Python (no CKAN, no database). Thai has no spaces between words, so
Thai runs are segmented with PyThaiNLP's dictionary tokenizer (``newmm``);
dictionary compounds are also split into their parts so that a word inside
a compound is found ("ส่งออก" in "การส่งออก"). Other text is split on
non-word characters, lower-cased and stemmed with the English Snowball
stemmer. Thai digits are read as Arabic digits.

The lexemes are turned into PostgreSQL ``tsvector`` / ``tsquery`` literals
here, so the database never parses the text itself and results do not
depend on the server's locale or text-search configuration.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Iterable, Sequence

import snowballstemmer

THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_LEXEME = 200  # characters; PostgreSQL allows 2 KB per lexeme
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MIN_THAI_PREFIX = 2  # characters; one Thai letter starts too many words

WEIGHTS = ("A", "B", "C", "D")

_stemmer = snowballstemmer.stemmer("english")
_stem_lock = threading.Lock()
_trie_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionary():
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    return Trie(thai_words())


@lru_cache(maxsize=1024)
def _tokenize_thai(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(t for t in word_tokenize(text, engine="newmm", keep_whitespace=False)
                 if t.strip())


def fewest_words(text: str) -> int:
    """A lower bound of ``len(words(text))`` that costs no segmentation:
    each Thai run is at least one word."""
    return len(THAI_RUN.findall(text)) + len(WORD.findall(THAI_RUN.sub(" ", text)))


@lru_cache(maxsize=50_000)
def thai_parts(word: str) -> tuple[str, ...]:
    """The dictionary words a Thai compound is made of (empty if none)."""
    if len(word) < 4:
        return ()
    trie = _dictionary()
    with _trie_lock:
        trie.remove(word)
        try:
            from pythainlp.tokenize import word_tokenize
            parts = word_tokenize(word, custom_dict=trie, engine="newmm",
                                  keep_whitespace=False)
        finally:
            trie.add(word)
    if len(parts) < 2:
        return ()
    return tuple(p for p in parts if len(p) > 1)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    with _stem_lock:
        return _stemmer.stemWord(word)


def _normal(token: str) -> str:
    return token.translate(THAI_DIGITS).lower()[:MAX_LEXEME]


def words(text: str) -> list[list[str]]:
    """Segment ``text`` into word positions.

    Each item is one position: its first lexeme is the word, the following
    ones are the parts of a Thai compound found at the same place.
    """
    if not text:
        return []
    result: list[list[str]] = []
    for chunk in re.split(r"(\s+)", text.translate(THAI_DIGITS)):
        if not chunk or chunk.isspace():
            continue
        position = 0
        for match in THAI_RUN.finditer(chunk):
            result.extend(_latin_words(chunk[position:match.start()]))
            for token in _tokenize_thai(match.group()):
                if THAI_RUN.fullmatch(token):
                    result.append([_normal(token), *map(_normal, thai_parts(token))])
                else:
                    result.extend(_latin_words(token))
            position = match.end()
        result.extend(_latin_words(chunk[position:]))
    return result


def _latin_words(text: str) -> list[list[str]]:
    return [[stem(_normal(w))] for w in WORD.findall(text)]


def lexemes(text: str) -> list[str]:
    """Every lexeme of ``text`` (words and compound parts), in order."""
    return [lexeme for position in words(text) for lexeme in position]


def quote(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: Iterable[tuple[str, str]]) -> str:
    """Build a weighted tsvector literal from ``(text, weight)`` pairs.

    Positions run on across fields, so a phrase never spans two fields only
    by accident of numbering (a gap of 10 separates them).
    """
    return tsvector_literal_of_words((words(text), weight) for text, weight in fields)


def tsvector_literal_of_words(fields: Iterable[tuple[Sequence[Sequence[str]], str]]) -> str:
    """:func:`tsvector_literal` of texts already segmented by :func:`words`
    (for a caller that also needs their words for something else)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for segmented, weight in fields:
        if weight not in WEIGHTS:
            raise ValueError(f"weight must be one of {WEIGHTS}")
        for word_lexemes in segmented:
            position = min(position + 1, MAX_POSITION)
            for lexeme in word_lexemes:
                positions.setdefault(lexeme, []).append(f"{position}{weight}")
        position = min(position + 10, MAX_POSITION)
    return " ".join(f"{quote(lex)}:{','.join(pos[:255])}"
                    for lex, pos in positions.items())


def tsquery_for_term(term: str, prefix: bool = False,
                     thai_prefix: bool = False) -> str | None:
    """A tsquery literal matching ``term`` (all of its words), or None.

    A Thai run that segments into several words requires all of them; a
    trailing ``*`` wildcard (``prefix``) becomes a prefix match on the last
    word. With ``thai_prefix`` a Thai run also matches the start of a
    longer word ("ผู้ส่ง" finds "ผู้ส่งออก"): either the whole run is the
    start of one word, or its words follow with the last one a prefix.
    """
    found = [position[0] for position in words(term)]
    if not found:
        return None
    if thai_prefix and THAI_RUN.search(term):
        parts = []
        for piece in _pieces(term):
            if isinstance(piece, str):
                parts.append(quote(piece))
                continue
            run, segments = piece
            if len(run) < MIN_THAI_PREFIX:
                parts.extend(quote(s) for s in segments)
            elif len(segments) == 1:
                parts.append(quote(run) + ":*")
            else:
                words_ = " & ".join([*map(quote, segments[:-1]), quote(segments[-1]) + ":*"])
                parts.append(f"({quote(run)}:* | {words_})")
        if prefix and not THAI_RUN.search(term.rstrip("*")[-1:]):
            parts[-1] = _prefix_of_last_word(term, found)
        return " & ".join(parts)
    parts = [quote(lex) for lex in found]
    if prefix:
        parts[-1] = _prefix_of_last_word(term, found)
    return " & ".join(parts)


def _prefix_of_last_word(term: str, found: list[str]) -> str:
    # the stemmed form of a prefix is not a prefix of the stemmed word
    latin = WORD.findall(term.translate(THAI_DIGITS))
    return quote(_normal(latin[-1]) if latin else found[-1]) + ":*"


def _pieces(term: str) -> list[str | tuple[str, list[str]]]:
    """The words of a query term in order: Latin lexemes as strings, Thai
    runs as ``(run, [its words])``."""
    pieces: list[str | tuple[str, list[str]]] = []
    for chunk in term.translate(THAI_DIGITS).split():
        position = 0
        for match in THAI_RUN.finditer(chunk):
            pieces.extend(w[0] for w in _latin_words(chunk[position:match.start()]))
            segments = [_normal(t) for t in _tokenize_thai(match.group())]
            if segments:
                pieces.append((_normal(match.group()), segments))
            position = match.end()
        pieces.extend(w[0] for w in _latin_words(chunk[position:]))
    return pieces


def tsquery_for_phrase(phrase: str) -> str | None:
    """A tsquery literal matching the words of ``phrase`` next to each other."""
    found = [position[0] for position in words(phrase)]
    if not found:
        return None
    return " <-> ".join(quote(lex) for lex in found)


def any_of(queries: Sequence[str]) -> str | None:
    """OR of tsquery literals (used to rank by every positive term)."""
    queries = [q for q in queries if q]
    if not queries:
        return None
    return " | ".join(f"({q})" for q in queries)
