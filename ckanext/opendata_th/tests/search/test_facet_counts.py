"""Facet counts of whole listings, kept ahead as datasets change.

Every count read from ``opendata_th_search_facet`` must equal the count of
the term table, for every kind of user, after every kind of change.
"""
import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.search import facet_counts, index, schema

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

FIELDS = ["tags", "organization", "res_format", "groups", "license_id"]
# a filter that changes nothing but is not a whole listing: counted from
# the term table
NOT_A_LISTING = "-name:no-such-dataset"


def facets(user=None, **kwargs):
    # (the test helper ignores auth by default, which shows everything)
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    result = call_action("package_search", context=context, include_private=True,
                         **{"facet.field": FIELDS, "facet.limit": -1}, **kwargs)
    return result["facets"]


def counted_both_ways(user=None):
    ahead = facets(user)
    counted = facets(user, fq=NOT_A_LISTING)
    assert ahead == counted
    return ahead


def stored_counts():
    with model.meta.engine.begin() as connection:
        return connection.execute(sa.text(
            f"SELECT field, value, sum(n) AS n FROM {schema.FACETS} "
            "GROUP BY field, value HAVING sum(n) <> 0")).fetchall()


@pytest.fixture
def counted_ahead(ckan_config):
    """The site's counts were recounted (as after a rebuild), so reads use them."""
    index.recount_facets()
    with model.meta.engine.begin() as connection:
        complete = facet_counts.complete_fields(connection, ckan_config["ckan.site_id"])
    assert {"tags", "organization", "res_format"} <= complete


def read_from_table_spy(monkeypatch):
    reads = []
    original = facet_counts.read

    def spy(*args, **kwargs):
        reads.append(args[4])
        return original(*args, **kwargs)
    monkeypatch.setattr(facet_counts, "read", spy)
    return reads


@pytest.mark.usefixtures("counted_ahead")
def test_counts_follow_every_change_for_every_user(monkeypatch):
    reads = read_from_table_spy(monkeypatch)
    member, outsider, sysadmin = factories.User(), factories.User(), factories.Sysadmin()
    trade = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    other = factories.Organization()
    group = factories.Group()
    public = factories.Dataset(owner_org=trade["id"], tags=[{"name": "export"}],
                               groups=[{"id": group["id"]}],
                               resources=[{"url": "http://x/a.csv", "format": "CSV"}])
    secret = factories.Dataset(owner_org=trade["id"], private=True,
                               tags=[{"name": "export"}, {"name": "secret-tag"}])
    factories.Dataset(owner_org=other["id"], tags=[{"name": "import"}])

    anonymous = counted_both_ways()
    assert anonymous["tags"] == {"export": 1, "import": 1}
    assert anonymous["organization"] == {trade["name"]: 1, other["name"]: 1}
    assert anonymous["res_format"] == {"CSV": 1}
    assert counted_both_ways(outsider) == anonymous
    assert counted_both_ways(member)["tags"] == {"export": 2, "import": 1, "secret-tag": 1}
    assert counted_both_ways(sysadmin)["tags"] == {"export": 2, "import": 1, "secret-tag": 1}
    assert reads, "whole listings read the counts kept ahead"

    # new tags and formats, a private dataset made public, a public one
    # made private, a deletion, a purge: the counts follow each
    def change(action, **data):
        call_action(action, context={"user": sysadmin["name"]}, **data)
    change("package_patch", id=public["id"], tags=[{"name": "trade"}],
           resources=[{"url": "http://x/a.json", "format": "JSON"}])
    change("package_patch", id=secret["id"], private=False)
    assert counted_both_ways()["tags"] == {"trade": 1, "export": 1, "import": 1,
                                           "secret-tag": 1}
    change("package_patch", id=secret["id"], private=True)
    assert counted_both_ways()["tags"] == {"trade": 1, "import": 1}
    change("package_delete", id=public["id"])
    assert counted_both_ways()["tags"] == {"import": 1}
    assert counted_both_ways(member)["tags"] == {"export": 1, "import": 1,
                                                "secret-tag": 1}
    change("dataset_purge", id=secret["id"])
    assert counted_both_ways(member)["tags"] == {"import": 1}
    assert counted_both_ways()["res_format"] == {}
    # nothing is left behind that a later listing could count
    assert {(row.field, row.value) for row in stored_counts()} >= {
        ("tags", "import")}
    assert ("tags", "secret-tag") not in {(row.field, row.value) for row in stored_counts()}


@pytest.mark.usefixtures("counted_ahead")
def test_drafts_and_other_types_are_not_in_the_listing():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], tags=[{"name": "live"}])
    factories.Dataset(owner_org=org["id"], tags=[{"name": "draft-tag"}], state="draft")
    assert counted_both_ways()["tags"] == {"live": 1}


@pytest.mark.usefixtures("counted_ahead")
def test_a_search_with_words_or_filters_counts_its_own_matches(monkeypatch):
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], title="export data", tags=[{"name": "aa"}])
    factories.Dataset(owner_org=org["id"], title="import data", tags=[{"name": "bb"}])
    reads = read_from_table_spy(monkeypatch)
    assert facets(q="export")["tags"] == {"aa": 1}
    assert facets(fq='tags:"bb"')["tags"] == {"bb": 1}
    assert reads == []


def test_fields_not_recounted_yet_are_counted_from_the_terms(monkeypatch, ckan_config):
    with model.meta.engine.begin() as connection:
        connection.execute(sa.text(f"DELETE FROM {schema.FACET_FIELDS}"))
    reads = read_from_table_spy(monkeypatch)
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], tags=[{"name": "aa"}])
    assert facets()["tags"] == {"aa": 1}
    assert reads == []
    index.recount_facets()
    assert facets()["tags"] == {"aa": 1}
    assert reads


def test_a_rebuild_recounts(ckan_config):
    import ckan.lib.search as search

    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], tags=[{"name": "aa"}])
    with model.meta.engine.begin() as connection:  # counts gone wrong
        connection.execute(sa.text(f"UPDATE {schema.FACETS} SET n = n + 5"))
    search.rebuild(defer_commit=True)
    search.commit()
    assert counted_both_ways()["tags"] == {"aa": 1}
