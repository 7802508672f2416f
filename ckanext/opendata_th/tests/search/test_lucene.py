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


def test_boolean_keywords_set_each_clause_as_lucene_does_not_by_precedence():
    # Lucene: AND makes b MUST, then OR makes it SHOULD again; NOT c is MUST_NOT
    # (not "(a AND b) OR NOT c")
    tree = L.parse("a AND b OR NOT c")
    assert tree == L.Bool(((L.MUST, L.Term(None, "a")),
                           (L.SHOULD, L.Term(None, "b")),
                           (L.MUST_NOT, L.Term(None, "c"))))


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


# --- keywords are whole words ------------------------------------------------

def _and(*nodes):
    return L.Bool(tuple((L.MUST, node) for node in nodes))


def _or(*nodes):
    return L.Bool(tuple((L.SHOULD, node) for node in nodes))


def _not(node):
    return L.Bool(((L.MUST_NOT, node),))


def T(value, field=None, kind="term"):
    return L.Term(field, value, kind)


@pytest.mark.parametrize("word", ["NOTAM", "ORacle", "ANDroid", "NOTICE", "ORDER", "ANDES", "TOTAL", "NOTXML"])
def test_words_that_start_with_a_keyword_are_plain_words(word):
    assert L.parse(word) == T(word)
    assert L.parse(f"a {word} b") == _and(T("a"), T(word), T("b"))


def test_a_keyword_before_a_parenthesis_is_still_a_keyword():
    assert L.parse("NOT(a)") == _not(T("a"))
    assert L.parse("a AND(b)") == _and(T("a"), T("b"))
    assert L.parse("a OR(b)") == _or(T("a"), T("b"))
    assert L.parse("(a)OR(b)") == _or(T("a"), T("b"))


def test_keywords_are_upper_case_only():
    assert L.parse("a or b") == _and(T("a"), T("or"), T("b"))
    assert L.parse("not a") == _and(T("not"), T("a"))


# --- the symbol operators ----------------------------------------------------

def test_double_bar_is_or():
    assert L.parse("a || b") == _or(T("a"), T("b"))
    assert L.parse("a ||b") == _or(T("a"), T("b"))
    assert L.parse("a || b || c") == _or(T("a"), T("b"), T("c"))
    assert L.parse("tags:(a || b)") == _or(T("a", "tags"), T("b", "tags"))


def test_double_ampersand_is_and():
    assert L.parse("a && b") == _and(T("a"), T("b"))
    assert L.parse("a &&b") == _and(T("a"), T("b"))
    # as Solr: a MUST, b and c SHOULD (not "(a AND b) OR c")
    assert L.parse("a && b || c") == L.Bool(((L.MUST, T("a")), (L.SHOULD, T("b")),
                                             (L.SHOULD, T("c"))))


def test_exclamation_mark_is_not():
    assert L.parse("!a") == _not(T("a"))
    assert L.parse("!abc") == _not(T("abc"))
    assert L.parse("a !b") == L.Bool(((L.MUST, T("a")), (L.MUST_NOT, T("b"))))
    assert L.parse("!state:deleted") == _not(T("deleted", "state"))
    assert L.parse("!(a OR b)") == _not(_or(T("a"), T("b")))


def test_an_exclamation_mark_before_an_equals_sign_is_not_an_operator():
    assert L.parse("x !=y") == _and(T("x"), T("!=y"))


def test_not_keyword_and_minus_exclude():
    assert L.parse("NOT a") == _not(T("a"))
    assert L.parse("a -b") == L.Bool(((L.MUST, T("a")), (L.MUST_NOT, T("b"))))
    assert L.parse("a NOT b") == L.Bool(((L.MUST, T("a")), (L.MUST_NOT, T("b"))))


# --- escapes and wildcards ---------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    (r"a\*", T("a*")),                          # an escaped star is a literal star
    (r"name:a\*b", T("a*b", "name")),
    (r"a\**", T("a*", kind="prefix")),          # literal star, then a prefix star
    (r"a\*b*", T("a*b", kind="prefix")),
    (r"a\?", T("a?")),
    (r"name:a\* b", _and(T("a*", "name"), T("b"))),   # the escape covers one character only
    (r"a\ b", T("a b")),                        # an escaped space stays in the word
    (r"url:http\://x", T("http://x", "url")),
])
def test_escaped_characters_are_literal(query, expected):
    assert L.parse(query) == expected


@pytest.mark.parametrize("query, expected", [
    ("name:trade*", T("trade", "name", "prefix")),
    ("XML*", T("XML", kind="prefix")),
    ("name:*bc", T("*bc", "name", "wildcard")),        # a leading star is no prefix
    ("name:a*b*", T("a*b*", "name", "wildcard")),      # two stars: a wildcard, kept raw
    ("name:a?c*", T("a?c*", "name", "wildcard")),
    (r"name:a\*b*c", T(r"a\*b*c", "name", "wildcard")),  # wildcards keep their escapes for LIKE
    ("name:*", T("*", "name", "exists")),
    ("*", L.MatchAll()),
])
def test_prefixes_wildcards_and_exists(query, expected):
    assert L.parse(query) == expected


def test_a_backslash_at_the_end_escapes_nothing_and_is_an_error():
    with pytest.raises(L.QuerySyntaxError) as info:
        L.parse("a\\")
    assert str(info.value) == "Expected a value at position 1 in query 'a\\\\'"


@pytest.mark.parametrize("word, like", [
    ("a*b?c%_", r"a%b_c\%\_"),
    (r"a\*b", "a*b"),           # escaped wildcards are literal
    (r"a\?b*", "a?b%"),
    (r"a\%b", r"a\%b"),         # escaped LIKE characters stay escaped
    (r"a\_b", r"a\_b"),
    ("a\\\\b", "a\\\\b"),       # an escaped backslash is one literal backslash
    ("a\\", "a\\\\"),           # a lone trailing backslash is literal
    ("\\", "\\\\"),
    ("X*", "X%"),
    (r"a\*", "a*"),            # an escape just before the end
    (r"ab\?", "ab?"),
    (r"\X*", "X%"),            # an escaped ordinary character is itself
    ("*", "%"),
    ("", ""),
])
def test_wildcard_to_like_escapes(word, like):
    assert L.wildcard_to_like(word) == like


# --- phrases, ranges, modifiers ------------------------------------------------

def test_phrases_with_escaped_quotes():
    assert L.parse(r'title:"a \"quoted\" word"') == T('a "quoted" word', "title", "phrase")
    assert L.parse(r'"back\\slash"') == T("back\\slash", kind="phrase")
    assert L.parse('"a*b?"') == T("a*b?", kind="phrase")  # no wildcards in phrases


def test_an_escaped_quote_does_not_close_a_phrase():
    with pytest.raises(L.QuerySyntaxError) as info:
        L.parse(r'"x\"')
    assert str(info.value) == "Unclosed quote at position 4 in query '\"x\\\\\"'"
    with pytest.raises(L.QuerySyntaxError):
        L.parse('"abc\\')


def test_range_bounds_inclusive_exclusive_quoted():
    assert L.parse("x:[1 TO 2}") == L.Range("x", "1", "2", True, False)
    assert L.parse("x:{1 TO 2]") == L.Range("x", "1", "2", False, True)
    assert L.parse("x:{* TO *}") == L.Range("x", None, None, False, False)
    assert L.parse('x:["a b" TO "c d"]') == L.Range("x", "a b", "c d")
    assert L.parse("res_format:[CSV TO XML]") == L.Range("res_format", "CSV", "XML")
    assert L.parse("(x:[1 TO 2])") == L.Range("x", "1", "2")
    assert L.parse("x:[1 TO 2] y") == _and(L.Range("x", "1", "2"), T("y"))
    assert L.parse("x:[1 TO 2]^3 y") == _and(L.Range("x", "1", "2"), T("y"))


def test_modifiers_are_skipped_with_their_numbers():
    assert L.parse("title:trade^2.5 x") == _and(T("trade", "title"), T("x"))
    assert L.parse("(title:trade^4)") == T("trade", "title")
    assert L.parse("(roam~)") == T("roam")
    assert L.parse("roam~0.8 x") == _and(T("roam"), T("x"))
    assert L.parse("(a b)^2 c") == _and(_and(T("a"), T("b")), T("c"))


def test_a_value_right_after_a_phrase_is_its_own_clause():
    assert L.parse('"open data"XML') == _and(T("open data", kind="phrase"), T("XML"))
    assert L.parse('"open data"^2XML') == _and(T("open data", kind="phrase"), T("XML"))


# --- clear errors ---------------------------------------------------------------

@pytest.mark.parametrize("query, message", [
    ('"unclosed', "Unclosed quote at position 9 in query '\"unclosed'"),
    ("tags:(a OR b", "Expected ')' at position 12 in query 'tags:(a OR b'"),
    ("a OR", "OR without a clause after it at position 4 in query 'a OR'"),
    ("OR a", "OR without a clause before it at position 2 in query 'OR a'"),
    ("[1 TO 2]", "A range needs a field name at position 0 in query '[1 TO 2]'"),
    ("x:[1 2]", "Expected TO in a range at position 5 in query 'x:[1 2]'"),
    ("x:[1", "Expected TO in a range at position 4 in query 'x:[1'"),
    ("x:[]", "Expected a range bound at position 3 in query 'x:[]'"),
    ("x:[1 TO 2", "Expected ] or } to close the range at position 9 in query 'x:[1 TO 2'"),
    ("x:[1 TO", "Expected a range bound at position 7 in query 'x:[1 TO'"),
    ("x:[a TO b X]", "Expected ] or } to close the range at position 10 in query 'x:[a TO b X]'"),
    ("foo:bar:baz)", "Expected a value at position 7 in query 'foo:bar:baz)'"),
    ("--included", "Two operators in a row at position 1 in query '--included'"),
    ("++a", "Two operators in a row at position 1 in query '++a'"),
    ("-+a", "Two operators in a row at position 1 in query '-+a'"),
    ("*:foo", "Only *:* may use the field name * at position 5 in query '*:foo'"),
    ("{!lucene}name:x", "Local parameters ({!...}) are not supported"),
    ("_query_:foo", "Magic fields (_query_, _val_) are not supported"),
    ("a _val_ :1", "Magic fields (_query_, _val_) are not supported"),
])
def test_error_messages_say_what_and_where(query, message):
    with pytest.raises(L.QuerySyntaxError) as info:
        L.parse(query)
    assert str(info.value) == message


def test_magic_field_names_inside_words_are_not_magic():
    assert L.parse("my_query_:x") == T("x", "my_query_")


# --- clause occurrence: Solr's standard parser with q.op=AND ---------------------
# (Lucene's QueryParserBase.addClause under the default operator AND)

def _bool(*clauses):
    return L.Bool(tuple(clauses))


M, S, N = L.MUST, L.SHOULD, L.MUST_NOT


@pytest.mark.parametrize("query, expected", [
    # OR makes the clauses on both sides SHOULD; the clauses around stay MUST
    ("a OR b c", _bool((S, T("a")), (S, T("b")), (M, T("c")))),
    ("c a OR b", _bool((M, T("c")), (S, T("a")), (S, T("b")))),
    # AND after OR makes the clause before it MUST again
    ("a OR b AND c", _bool((S, T("a")), (M, T("b")), (M, T("c")))),
    ("a AND b OR c", _bool((M, T("a")), (S, T("b")), (S, T("c")))),
    ("a OR b OR c d", _bool((S, T("a")), (S, T("b")), (S, T("c")), (M, T("d")))),
    # a prohibited clause stays prohibited beside AND and OR
    ("-a OR b", _bool((N, T("a")), (S, T("b")))),
    ("NOT a OR b", _bool((N, T("a")), (S, T("b")))),
    ("a OR NOT b", _bool((S, T("a")), (N, T("b")))),
    ("a OR -b", _bool((S, T("a")), (N, T("b")))),
    ("-a AND b", _bool((N, T("a")), (M, T("b")))),
    ("a AND NOT b", _bool((M, T("a")), (N, T("b")))),
    # a parenthesised group is one clause
    ("(a OR b) c", _bool((M, _or(T("a"), T("b"))), (M, T("c")))),
    ("a OR (b c)", _bool((S, T("a")), (S, _and(T("b"), T("c"))))),
    ("tags:(x OR y) OR z", _bool((S, _or(T("x", "tags"), T("y", "tags"))), (S, T("z")))),
])
def test_clauses_get_the_occurrence_solr_gives_them(query, expected):
    assert L.parse(query) == expected


def test_ckans_wrapped_fq_keeps_its_required_clauses_and_or_does_not_filter():
    # package_search glues "+capacity:public " before the caller's fq and
    # " +state:(active)" after it; Solr reads capacity MUST, a SHOULD, b SHOULD,
    # state MUST
    tree = L.parse("+capacity:public organization:a OR organization:b +state:(active)")
    assert tree == _bool((M, T("public", "capacity")), (S, T("a", "organization")),
                         (S, T("b", "organization")), (M, T("active", "state")))


@pytest.mark.parametrize("query, expected", [
    # Lucene would make both sides SHOULD here; a "+" clause stays MUST, so
    # an fq that starts or ends with OR cannot switch off CKAN's own clauses
    ("+a OR b", _bool((M, T("a")), (S, T("b")))),
    ("a OR +b", _bool((S, T("a")), (M, T("b")))),
    ("+capacity:public OR organization:b +state:(active)",
     _bool((M, T("public", "capacity")), (S, T("b", "organization")),
           (M, T("active", "state")))),
    ("+capacity:public organization:b OR +state:(active)",
     _bool((M, T("public", "capacity")), (S, T("b", "organization")),
           (M, T("active", "state")))),
    # a "+" clause is still made MUST by AND, and "+(a OR b)" is one MUST group
    ("+(a OR b) c", _bool((M, _or(T("a"), T("b"))), (M, T("c")))),
])
def test_a_plus_clause_stays_required_beside_or(query, expected):
    assert L.parse(query) == expected


def test_one_clause_is_the_clause_itself():
    assert L.parse("+a") == T("a")
    assert L.parse("(a)") == T("a")
    assert L.parse("-a") == _not(T("a"))


@pytest.mark.parametrize("query, message", [
    ("AND a", "AND without a clause before it at position 3 in query 'AND a'"),
    ("&& a", "AND without a clause before it at position 2 in query '&& a'"),
    ("a AND", "AND without a clause after it at position 5 in query 'a AND'"),
    ("a ||", "OR without a clause after it at position 4 in query 'a ||'"),
    ("(a OR)", "OR without a clause after it at position 5 in query '(a OR)'"),
    ("(OR a)", "OR without a clause before it at position 3 in query '(OR a)'"),
    ("a AND OR b", "Two operators in a row at position 6 in query 'a AND OR b'"),
    ("a || && b", "Two operators in a row at position 5 in query 'a || && b'"),
    ("a OR +-b", "Two operators in a row at position 6 in query 'a OR +-b'"),
])
def test_misplaced_conjunctions_are_errors_as_in_solr(query, message):
    with pytest.raises(L.QuerySyntaxError) as info:
        L.parse(query)
    assert str(info.value) == message
