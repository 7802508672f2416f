"""The Solr query subset parser (no CKAN)."""
import pytest

from ckanext.opendata_th.search import lucene as L


def test_match_all_forms():
    assert L.parse("*:*") == L.MatchAll()
    assert L.parse("") == L.MatchAll()
    assert L.parse("   ") == L.MatchAll()


def test_words_default_to_and():
    assert L.parse("trade export") == L.Bool(((L.MUST, L.Term(None, "trade")),
                                              (L.MUST, L.Term(None, "export"))))


def test_field_values_phrases_and_prefixes():
    assert L.parse('tags:"open data"') == L.Term("tags", "open data", "phrase")
    assert L.parse("name:trade*") == L.Term("name", "trade", "prefix")
    assert L.parse("res_format:*") == L.Term("res_format", "*", "exists")
    assert L.parse("name:tr?de") == L.Term("name", "tr?de", "wildcard")
    assert L.parse(r"url:http\://x") == L.Term("url", "http://x")


def test_plus_minus_prefixes_and_parenthesised_or_lists():
    tree = L.parse('+capacity:public -state:deleted +organization:(a OR "b c")')
    must, must_not, orgs = tree.clauses
    assert must == (L.MUST, L.Term("capacity", "public"))
    assert must_not == (L.MUST_NOT, L.Term("state", "deleted"))
    assert orgs == (L.MUST, L.Bool(((L.SHOULD, L.Term("organization", "a")),
                                    (L.SHOULD, L.Term("organization", "b c", "phrase")))))


def test_boolean_keywords_and_precedence():
    tree = L.parse("a AND b OR NOT c")
    assert tree == L.Bool(((L.SHOULD, L.Bool(((L.MUST, L.Term(None, "a")),
                                              (L.MUST, L.Term(None, "b"))))),
                           (L.SHOULD, L.Bool(((L.MUST_NOT, L.Term(None, "c")),)))))


def test_ranges_inclusive_exclusive_and_open():
    assert L.parse("metadata_modified:[2020-01-01T00:00:00Z TO NOW]") == L.Range(
        "metadata_modified", "2020-01-01T00:00:00Z", "NOW", True, True)
    assert L.parse("num_resources:{1 TO *]") == L.Range("num_resources", "1", None, False, True)


def test_boosts_and_slops_are_read_and_ignored():
    assert L.parse("title:trade^4") == L.Term("title", "trade")
    assert L.parse('"open data"~2') == L.Term(None, "open data", "phrase")


@pytest.mark.parametrize("query", [
    '"unclosed', "tags:(a OR b", "a OR", "OR a", "[1 TO 2]", "x:[1 2]",
    "{!lucene}name:x", "_query_:foo", "foo:bar:baz)", "--included",
])
def test_unknown_syntax_is_a_clear_error(query):
    with pytest.raises(L.QuerySyntaxError):
        L.parse(query)


def test_wildcard_to_like():
    assert L.wildcard_to_like("a*b?c%_") == r"a%b_c\%\_"
