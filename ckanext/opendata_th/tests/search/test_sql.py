"""Compiling queries to SQL, and Solr date maths (no CKAN, no database)."""
import re
from datetime import datetime, timezone

import pytest

from ckanext.opendata_th.search import lucene, sql
from ckanext.opendata_th.search.limits import LimitExceeded, Limits

NOW = datetime(2026, 11, 24, 15, 30, 45, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, expected", [
    ("NOW", NOW),
    ("NOW-7DAYS", datetime(2026, 11, 17, 15, 30, 45, tzinfo=timezone.utc)),
    ("NOW/DAY", datetime(2026, 11, 24, tzinfo=timezone.utc)),
    ("NOW-1MONTH/DAY", datetime(2026, 10, 24, tzinfo=timezone.utc)),
    ("NOW+1YEAR", datetime(2027, 11, 24, 15, 30, 45, tzinfo=timezone.utc)),
    ("2020-02-29T12:00:00Z", datetime(2020, 2, 29, 12, tzinfo=timezone.utc)),
    ("2020-02-29", datetime(2020, 2, 29, tzinfo=timezone.utc)),
])
def test_solr_dates(value, expected):
    assert sql.parse_moment(value, NOW) == expected


@pytest.mark.parametrize("value", ["yesterday", "NOW-3FORTNIGHTS", "2020-13-45",
                                   "NOW+100000YEARS", "NOW+9999999DAYS",
                                   "NOW-99999999999999999999DAYS",
                                   "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-02:00"])
def test_bad_dates_are_errors(value):
    with pytest.raises(sql.QueryError):
        sql.parse_moment(value, NOW)


def compile_(query, **kwargs):
    compiler = sql.Compiler(now=NOW, **kwargs)
    return compiler.compile(lucene.parse(query)), compiler


def test_string_fields_match_exact_values():
    where, compiler = compile_("tags:Economy")
    assert where == ("doc_no IN (SELECT doc_no FROM opendata_th_search_term "
                     "WHERE field = :p1 AND value = :p0)")
    assert compiler.params == {"p0": "Economy", "p1": "tags"}


def test_single_valued_fields_use_their_columns():
    where, compiler = compile_("state:active AND organization:agency-1")
    assert where == "(state = :p0 AND organization = :p1)"


def test_text_fields_match_words():
    where, compiler = compile_("title:Exports")
    assert where == ("doc_no IN (SELECT doc_no FROM opendata_th_search_stored "
                     "WHERE lex @> CAST(:p0 AS jsonb))")
    assert compiler.params == {"p0": '{"title": ["export"]}'}


def test_free_text_goes_to_the_vector_and_counts_for_ranking():
    where, compiler = compile_("การค้า -ภาษี")
    assert "search_vector @@" in where and "NOT (" in where
    # the negated word does not rank; only the whole word scores (the
    # prefix finds, see the where clause)
    assert "'การค้า':*" in compiler.params.values()
    assert compiler.rank_queries == ["'การค้า'"]


def test_date_range_on_timestamp_column():
    where, compiler = compile_("metadata_modified:[NOW-1DAY TO *]")
    assert "metadata_modified >= :p0" in where
    assert compiler.params["p0"] == datetime(2026, 11, 23, 15, 30, 45, tzinfo=timezone.utc)


def test_numeric_range_compares_numbers():
    where, compiler = compile_("num_resources:[2 TO 10}")
    assert "CAST(value AS numeric) >= :p0" in where and "< :p1" in where


def test_custom_qf_searches_the_named_fields():
    where, _ = compile_("trade", qf="title^2 notes")
    assert where.count("lex @>") == 2 and "search_vector" not in where


def test_leading_wildcards_in_free_text_are_refused():
    with pytest.raises(sql.QueryError):
        compile_("*rade")


def test_order_by_several_keys_and_bad_sort():
    compiler = sql.Compiler(now=NOW)
    order = sql.order_by("score desc, metadata_modified asc", compiler, "RANK")
    assert order == "RANK DESC NULLS LAST, metadata_modified ASC NULLS LAST, index_id ASC"
    assert sql.order_by("score desc", compiler, None) == "index_id ASC"
    with pytest.raises(sql.QueryError):
        sql.order_by("name; DROP TABLE x", compiler, None)
    with pytest.raises(sql.QueryError):  # Solr needs the direction too
        sql.order_by("metadata_modified", compiler, None)


def test_dates_are_read_in_utc():
    assert sql.parse_moment("2020-01-01T00:00:00+07:00", NOW) == datetime(
        2019, 12, 31, 17, tzinfo=timezone.utc)


def test_qf_fields_share_one_term_lookup_per_word():
    where, compiler = compile_("export trade", qf="tags^2 res_format groups title^4")
    assert where.count("opendata_th_search_term") == 2  # one per word, not per field
    assert where.count("lex @>") == 2  # title is a text field: its own test
    assert ["tags", "res_format", "groups"] in compiler.params.values()


def test_lookups_past_the_first_few_are_not_joined():
    where, _ = compile_(" ".join(f'tags:"t{i}"' for i in range(sql.JOINED_LOOKUPS + 2)))
    assert where.count("doc_no IN (SELECT") == sql.JOINED_LOOKUPS + 2
    assert where.count(") IS TRUE") == 2


@pytest.mark.parametrize("query, terms", [
    ("a b c", 3),
    ('"open data portal"', 3),
    ("tags:a tags:b", 2),
    ("metadata_modified:[NOW-1DAY TO NOW]", 2),
    ("การค้าระหว่างประเทศ", 2),  # two Thai words in one run
])
def test_terms_are_counted(query, terms):
    assert compile_(query)[1].terms == terms
    with pytest.raises(LimitExceeded) as raised:
        compile_(query, limits=Limits(terms=terms - 1))
    assert raised.value.limit == "terms" and raised.value.allowed == terms - 1


def test_a_long_phrase_is_refused_before_reaching_the_database():
    with pytest.raises(LimitExceeded):
        compile_('"' + " ".join(["trade"] * 20_000) + '"')


@pytest.mark.parametrize("queries, expected", [
    (["*:*"], {}),
    (["*:*", "+capacity:public +dataset_type:dataset"],
     {"capacity": "public", "dataset_type": "dataset"}),
    (['+site_id:"abc"', "state:draft"], {"site_id": "abc", "state": "draft"}),
    (["(capacity:public)"], {"capacity": "public"}),
])
def test_whole_listings_are_recognised(queries, expected):
    from ckanext.opendata_th.search import lucene
    assert sql.listing_filter([lucene.parse(q) for q in queries]) == expected


@pytest.mark.parametrize("queries", [
    ["export"], ["tags:economy"], ["+state:(active OR draft)"], ["-capacity:private"],
    ["capacity:pub*"], ["capacity:public", "capacity:private"],
    ["metadata_modified:[NOW-1DAY TO *]"], ["*:*", "organization:agency"],
])
def test_anything_more_is_not_a_whole_listing(queries):
    from ckanext.opendata_th.search import lucene
    assert sql.listing_filter([lucene.parse(q) for q in queries]) is None


# --- boolean queries match as in Lucene ------------------------------------------

def _used_params_are_defined(where, compiler):
    used = set(re.findall(r":(p\d+)", where))
    return used == set(compiler.params)


def test_should_clauses_beside_a_must_clause_do_not_filter():
    # CKAN's package_search fq: capacity MUST, a SHOULD, b SHOULD, state MUST
    where, compiler = compile_(
        "+capacity:public organization:a OR organization:b +state:(active)")
    assert where == "(capacity = :p0 AND state = :p1)"
    assert compiler.params == {"p0": "public", "p1": "active"}


def test_only_should_clauses_need_one_to_match():
    where, compiler = compile_("organization:a OR organization:b")
    assert where == "((organization = :p0 OR organization = :p1))"
    assert compiler.params == {"p0": "a", "p1": "b"}


def test_should_and_must_not_clauses_need_one_should_and_no_must_not():
    where, compiler = compile_("organization:a OR organization:b -state:deleted")
    assert where == "((organization = :p0 OR organization = :p1) AND NOT (state = :p2))"


def test_a_group_of_should_clauses_under_must_filters():
    where, _ = compile_("+capacity:public +(organization:a OR organization:b)")
    assert where == "(capacity = :p0 AND ((organization = :p1 OR organization = :p2)))"


def test_a_pure_negative_group_excludes_from_everything_at_any_depth():
    assert compile_("-organization:x")[0] == "(NOT (organization = :p0))"
    assert compile_("+capacity:public +(-organization:x)")[0] == (
        "(capacity = :p0 AND (NOT (organization = :p1)))")


def test_should_words_beside_a_must_clause_still_rank():
    where, compiler = compile_("export OR import +tax")
    assert where.count("search_vector @@") == 1
    assert len(compiler.params) == 1
    assert len(compiler.rank_queries) == 3


def test_dropped_should_clauses_count_as_terms_but_leave_no_sql_behind():
    with pytest.raises(LimitExceeded):
        compile_("a OR b +c", limits=Limits(terms=2))
    should = " OR ".join(f"tags:s{i}" for i in range(sql.JOINED_LOOKUPS + 2))
    where, compiler = compile_(f"+tags:m {should} -tags:n")
    # the SHOULD clauses' look-ups are gone: the MUST_NOT one is the second
    assert where.count("doc_no IN (SELECT") == 2 and ") IS TRUE" not in where
    assert _used_params_are_defined(where, compiler)
    assert "s0" not in compiler.params.values()


@pytest.mark.parametrize("query", [
    # an OR beside required clauses: a whole listing of what is required
    # would do, but the recogniser stays on the safe side
    "+capacity:public organization:a OR organization:b +state:(active)",
    "organization:a OR organization:b",
])
def test_or_is_never_taken_for_a_whole_listing(query):
    assert sql.listing_filter([lucene.parse(query)]) is None
