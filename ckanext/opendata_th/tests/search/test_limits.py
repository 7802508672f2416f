"""Limits on one search and the values no search can use (no CKAN)."""
import pytest

from ckanext.opendata_th.search import lucene
from ckanext.opendata_th.search.limits import (BadInput, LimitExceeded, Limits,
                                               check_request, check_values)


def test_limits_come_from_options_and_keep_defaults_otherwise():
    options = {"ckanext.opendata_th.search.max_terms": "50",
               "ckanext.opendata_th.search.max_sort_keys": "0",
               "ckanext.opendata_th.search.max_depth": "deep"}
    limits = Limits.from_options(options.get)
    assert limits.terms == 50
    assert limits.sort_keys == 1  # never below one
    assert limits.depth == Limits().depth == 20
    assert limits.query_length == 4_000


@pytest.mark.parametrize("query, limit, found", [
    ({"q": "x" * 101}, "query_length", 101),
    ({"q": "x" * 60, "fq": "y" * 30, "fq_list": ["z" * 11]}, "query_length", 101),
    ({"qf": " ".join(f"f{i}^1" for i in range(6))}, "qf_fields", 6),
    ({"sort": ", ".join(f"k{i} asc" for i in range(6))}, "sort_keys", 6),
    ({"facet.field": [f"f{i}" for i in range(6)]}, "facet_fields", 6),
])
def test_requests_over_a_limit_are_refused_naming_it(query, limit, found):
    limits = Limits(query_length=100, qf_fields=5, sort_keys=5, facet_fields=5)
    with pytest.raises(LimitExceeded) as raised:
        check_request(query, limits)
    assert (raised.value.limit, raised.value.found, raised.value.allowed) == (
        limit, found, getattr(limits, limit))
    assert raised.value.option == f"ckanext.opendata_th.search.max_{limit}"


def test_requests_at_the_limits_pass():
    check_request({"q": "x" * 100, "qf": "a b c d e", "sort": "a asc, b desc, , ",
                   "facet.field": ["a", "b", "c", "d", "e", "e"]},
                  Limits(query_length=100, qf_fields=5, sort_keys=2, facet_fields=5))


def test_what_ckan_itself_sends_is_far_below_the_defaults():
    check_request({"q": "การค้า export", "fq": '+capacity:public +state:(active OR draft)',
                   "qf": "name^4 title^4 tags^2 groups^2 text",
                   "sort": "score desc, metadata_modified desc",
                   "facet.field": ["organization", "groups", "tags", "res_format",
                                   "license_id", "opendata_schedule"]}, Limits())


@pytest.mark.parametrize("query, reason, parameter", [
    ({"q": "a\x00b"}, "nul", "q"),
    ({"fq": "tags:\x00"}, "nul", "fq"),
    ({"facet.field": ["tags", "x\x00"]}, "nul", "facet.field"),
    ({"fq_list": ["ok", "x\x00"]}, "nul", "fq_list"),
    ({"q": "\ud800"}, "encoding", "q"),
    ({"sort": "name asc\udfff"}, "encoding", "sort"),
    ({"fq_list": "tags:x"}, "shape", "fq_list"),
    ({"fq_list": ["tags:x", 5]}, "shape", "fq_list"),
    ({"fq_list": {"a": "b"}}, "shape", "fq_list"),
    ({"fq": 5}, "shape", "fq"),
])
def test_values_no_search_can_use_are_refused(query, reason, parameter):
    with pytest.raises(BadInput) as raised:
        check_values(query)
    assert (raised.value.reason, raised.value.parameter) == (reason, parameter)


def test_good_values_pass():
    check_values({"q": "การค้า", "fq": "", "fq_list": ["a", "b"], "rows": 10,
                  "facet.field": ["tags"], "extras": {"ext_a": "b"}})
    check_values({"fq_list": [], "fq": ["a", "b"]})


def test_parentheses_nest_only_as_deep_as_allowed():
    assert lucene.parse("(" * 3 + "a" + ")" * 3, max_depth=3) == lucene.Term(None, "a")
    with pytest.raises(LimitExceeded) as raised:
        lucene.parse("(" * 4 + "a" + ")" * 4, max_depth=3)
    assert raised.value.limit == "depth"
    # siblings do not add up
    lucene.parse("(a) (b) (c) (d)", max_depth=1)


def test_deep_nesting_is_refused_not_a_recursion_error():
    with pytest.raises(LimitExceeded):
        lucene.parse("(" * 400 + "a" + ")" * 400)
    with pytest.raises(LimitExceeded):
        lucene.parse("tags:" + "(" * 5000)
