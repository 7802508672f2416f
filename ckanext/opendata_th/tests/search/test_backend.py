"""package_search and everything built on it, answered from PostgreSQL.

These tests run with CKAN's default dataset schema (only the search plugin
enabled) so they exercise the backend the same way any CKAN site would.
"""
import datetime

import pytest

import ckan.lib.search as search
import ckan.model as model
import ckan.plugins as p
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.search.index import PostgresPackageSearchIndex
from ckanext.opendata_th.search.query import PostgresPackageSearchQuery

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def names(result):
    return [d["name"] for d in result["results"]]


@pytest.fixture
def org():
    return factories.Organization(name="trade-institute", title="สถาบันการค้า")


def dataset(org, **kwargs):
    return factories.Dataset(owner_org=org["id"], **kwargs)


def test_plugin_routes_ckan_search_to_postgres():
    assert isinstance(search.query_for(model.Package), PostgresPackageSearchQuery)
    assert isinstance(search.index_for(model.Package), PostgresPackageSearchIndex)
    assert search.PackageSearchQuery is PostgresPackageSearchQuery


def test_unloading_the_plugin_puts_solr_back():
    p.unload("opendata_th_search")
    try:
        for made in (search.query_for(model.Package), search.PackageSearchQuery()):
            assert type(made).__module__ == "ckan.lib.search.query"
        assert type(search.index_for(model.Package)).__module__ == "ckan.lib.search.index"
    finally:
        p.load("opendata_th_search")
    assert isinstance(search.PackageSearchQuery(), PostgresPackageSearchQuery)


def test_thai_word_inside_a_thai_sentence_is_found(org):
    dataset(org, name="intl-trade", title="ข้อมูลการค้าระหว่างประเทศ")
    dataset(org, name="tax", title="ข้อมูลภาษีอากร")
    assert names(call_action("package_search", q="การค้า")) == ["intl-trade"]
    assert names(call_action("package_search", q="ส่งออก")) == []


def test_word_inside_a_thai_compound_is_found(org):
    dataset(org, name="exports", title="มูลค่าการส่งออกรายเดือน")
    assert names(call_action("package_search", q="ส่งออก")) == ["exports"]
    assert names(call_action("package_search", q="การส่งออก")) == ["exports"]


def test_the_start_of_a_thai_word_finds_the_word(org):
    dataset(org, name="exporters", title="จำนวนผู้ส่งออกรายจังหวัด")
    dataset(org, name="exports", title="มูลค่าการส่งออกรายเดือน")
    dataset(org, name="tax", title="ข้อมูลภาษีอากร")
    assert names(call_action("package_search", q="ผู้ส่ง")) == ["exporters"]
    assert sorted(names(call_action("package_search", q="ส่ง"))) == ["exporters", "exports"]
    assert names(call_action("package_search", q="ภาษีอา")) == ["tax"]
    # explicit wildcards keep working
    assert sorted(names(call_action("package_search", q="ส่ง*"))) == ["exporters", "exports"]
    assert names(call_action("package_search", q="title:ผู้ส่งออก*")) == ["exporters"]


def test_whole_thai_words_rank_above_prefix_matches(org):
    dataset(org, name="prefix-only", title="จำนวนผู้ส่งออกรายจังหวัด")
    dataset(org, name="whole-word", title="รายชื่อผู้ส่งพัสดุ")
    assert names(call_action("package_search", q="ผู้ส่ง")) == ["whole-word", "prefix-only"]
    dataset(org, name="whole-send", title="ช่องทางส่งเอกสาร")
    assert names(call_action("package_search", q="ส่ง"))[0] in ("whole-send", "whole-word")
    assert names(call_action("package_search", q="ส่ง"))[-1] == "prefix-only"


def test_english_is_stemmed_and_phrases_need_adjacent_words(org):
    dataset(org, name="aa", title="Exported goods", notes="open data about trade")
    dataset(org, name="bb", title="Goods", notes="data that is open about trade")
    assert names(call_action("package_search", q="export")) == ["aa"]
    assert sorted(names(call_action("package_search", q="open data"))) == ["aa", "bb"]
    assert names(call_action("package_search", q='"open data"')) == ["aa"]


def test_title_matches_rank_above_description_matches(org):
    dataset(org, name="in-notes", title="Annual report", notes="ข้อมูลการค้า")
    dataset(org, name="in-title", title="ข้อมูลการค้า", notes="Annual figures")
    assert names(call_action("package_search", q="การค้า")) == ["in-title", "in-notes"]


def test_field_queries_and_boolean_operators(org):
    dataset(org, name="one", tags=[{"name": "trade"}, {"name": "exports"}])
    dataset(org, name="two", tags=[{"name": "trade"}])
    dataset(org, name="three", tags=[{"name": "tax"}])
    assert sorted(names(call_action("package_search", q="tags:trade"))) == ["one", "two"]
    assert names(call_action("package_search", q="tags:trade AND NOT tags:exports")) == ["two"]
    assert sorted(names(call_action("package_search", q="tags:tax OR tags:exports"))) == [
        "one", "three"]
    assert names(call_action("package_search", q="name:thr*")) == ["three"]


def test_fq_forms(org):
    dataset(org, name="csv-one", resources=[{"url": "http://x/a.csv", "format": "CSV"}])
    dataset(org, name="pdf-one", resources=[{"url": "http://x/a.pdf", "format": "PDF"}])
    dataset(org, name="none")
    search_ = lambda **kw: sorted(names(call_action("package_search", **kw)))
    assert search_(fq="res_format:CSV") == ["csv-one"]
    assert search_(fq='+res_format:"CSV"') == ["csv-one"]
    assert search_(fq="-res_format:CSV") == ["none", "pdf-one"]
    assert search_(fq="res_format:(CSV OR PDF)") == ["csv-one", "pdf-one"]
    assert search_(fq="res_format:*") == ["csv-one", "pdf-one"]
    assert search_(fq_list=["organization:trade-institute", "-name:none"]) == [
        "csv-one", "pdf-one"]
    assert search_(fq="metadata_modified:[NOW-1DAY TO NOW]") == ["csv-one", "none", "pdf-one"]
    assert search_(fq="metadata_modified:[* TO 2000-01-01T00:00:00Z]") == []


def test_extras_are_searchable_by_field_and_by_word(org):
    dataset(org, name="xx", extras=[{"key": "data_category", "value": "ข้อมูลสาธารณะ"}])
    assert names(call_action("package_search", fq='data_category:"ข้อมูลสาธารณะ"')) == ["xx"]
    assert names(call_action("package_search", q="สาธารณะ")) == ["xx"]
    result = call_action("package_search", q="name:xx", fl="name,extras_data_category")
    assert result["results"] == [{"name": "xx", "data_category": "ข้อมูลสาธารณะ"}]


def test_facets_with_limit_and_mincount(org):
    dataset(org, name="aa", tags=[{"name": "trade"}, {"name": "tax"}])
    dataset(org, name="bb", tags=[{"name": "trade"}])
    dataset(org, name="cc", tags=[{"name": "trade"}, {"name": "law"}])
    result = call_action("package_search", **{"facet.field": '["tags", "organization"]'})
    assert result["facets"]["tags"] == {"trade": 3, "law": 1, "tax": 1}
    assert result["facets"]["organization"] == {"trade-institute": 3}
    assert result["search_facets"]["organization"]["items"][0]["display_name"] == "สถาบันการค้า"
    limited = call_action("package_search", **{"facet.field": '["tags"]', "facet.limit": 1})
    assert limited["facets"]["tags"] == {"trade": 3}
    frequent = call_action("package_search", **{"facet.field": '["tags"]', "facet.mincount": 2})
    assert frequent["facets"]["tags"] == {"trade": 3}


def test_sorting_and_paging(org):
    for index, title in enumerate(["Charlie", "Alpha", "Bravo"]):
        dataset(org, name=f"d{index}", title=title)
    by_title = call_action("package_search", sort="title_string asc")
    assert [d["title"] for d in by_title["results"]] == ["Alpha", "Bravo", "Charlie"]
    newest = call_action("package_search", sort="metadata_modified desc")
    assert names(newest) == ["d2", "d1", "d0"]
    several = call_action("package_search", sort="name desc, metadata_modified asc")
    assert names(several) == ["d2", "d1", "d0"]
    page = call_action("package_search", sort="name asc", rows=1, start=1)
    assert names(page) == ["d1"] and page["count"] == 3


def test_private_datasets_follow_ckan_permission_labels(org):
    member = factories.User()
    outsider = factories.User()
    call_action("member_create", id=org["id"], object=member["id"], object_type="user",
                capacity="member")
    dataset(org, name="public-one")
    dataset(org, name="private-one", private=True)
    everything = {"include_private": True}
    as_member = call_action("package_search", context={"user": member["name"],
                                                       "ignore_auth": False}, **everything)
    as_outsider = call_action("package_search", context={"user": outsider["name"],
                                                         "ignore_auth": False}, **everything)
    assert sorted(names(as_member)) == ["private-one", "public-one"]
    assert names(as_outsider) == ["public-one"]
    assert names(call_action("package_search")) == ["public-one"]


def test_drafts_deleted_and_dataset_types(org):
    dataset(org, name="active-one")
    dataset(org, name="draft-one", state="draft")
    gone = dataset(org, name="deleted-one")
    call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=gone["id"])
    dataset(org, name="showcase-one", type="showcase")
    assert sorted(names(call_action("package_search", include_drafts=True))) == [
        "active-one", "draft-one", "showcase-one"]
    assert "deleted-one" not in names(call_action("package_search", include_deleted=True))
    assert names(call_action("package_search", fq="dataset_type:showcase")) == ["showcase-one"]


def test_updates_and_deletes_reach_the_index(org):
    created = dataset(org, name="moving", title="Old title")
    admin = {"user": factories.Sysadmin()["name"]}
    call_action("package_patch", dict(admin), id=created["id"], title="ข้อมูลการนำเข้า")
    assert names(call_action("package_search", q="นำเข้า")) == ["moving"]
    assert names(call_action("package_search", q="old")) == []
    call_action("package_delete", dict(admin), id=created["id"])
    assert call_action("package_search", q="นำเข้า")["count"] == 0


def test_rebuild_fills_an_empty_index(org):
    dataset(org, name="aa")
    dataset(org, name="bb")
    search.clear_all()
    assert call_action("package_search")["count"] == 0
    search.rebuild()
    search.commit()
    assert sorted(names(call_action("package_search"))) == ["aa", "bb"]


def test_package_show_can_be_served_from_the_index(org):
    created = dataset(org, name="cached", title="From the index")
    shown = call_action("package_show", id="cached", use_cache=True)
    assert shown["title"] == "From the index" and shown["id"] == created["id"]
    assert search.show("cached")["name"] == "cached"


def test_organization_and_group_listings_count_datasets(org):
    group = factories.Group(name="economy")
    dataset(org, name="aa", groups=[{"name": "economy"}])
    dataset(org, name="bb")
    orgs = call_action("organization_list", all_fields=True)
    assert orgs[0]["package_count"] == 2
    groups = call_action("group_list", all_fields=True)
    assert groups[0]["name"] == group["name"] and groups[0]["package_count"] == 1


def test_current_package_list_with_resources(org):
    dataset(org, name="aa", resources=[{"url": "http://x/a.csv"}])
    result = call_action("current_package_list_with_resources")
    assert [d["name"] for d in result] == ["aa"]
    assert result[0]["resources"][0]["url"] == "http://x/a.csv"


@pytest.mark.parametrize("params", [
    {"q": '"unclosed'},
    {"q": "{!lucene}x"},
    {"fq": "metadata_modified:[yesterday TO NOW]"},
    {"sort": "name sideways"},
])
def test_bad_queries_are_400_search_errors_not_500(app, params):
    response = app.get("/api/3/action/package_search", query_string=params)
    assert response.status_code == 400
    assert response.json["error"]["__type"] == "Search Query Error"


def test_web_pages_render_with_data(app, org):
    dataset(org, name="intl-trade", title="ข้อมูลการค้าระหว่างประเทศ")
    assert "สถาบันการค้า" in app.get("/organization/").body
    for url in ["/", "/dataset/", "/dataset/?q=การค้า",
                "/organization/trade-institute", "/dataset/intl-trade"]:
        response = app.get(url)
        assert response.status_code == 200, url
        assert "ข้อมูลการค้าระหว่างประเทศ" in response.body, url
    assert "ข้อมูลการค้าระหว่างประเทศ" not in app.get("/dataset/?q=ภาษี").body


def test_last_modified_timestamps_survive_in_results(org):
    created = dataset(org, name="aa")
    result = call_action("package_search", fl="name,metadata_modified")["results"][0]
    stored = datetime.datetime.fromisoformat(created["metadata_modified"])
    assert result["metadata_modified"].startswith(stored.isoformat()[:19])


def test_missing_tables_are_created_again(org):
    from ckanext.opendata_th.search import schema

    with model.meta.engine.begin() as connection:
        connection.exec_driver_sql(schema.DROP)
    assert call_action("package_search")["count"] == 0
    dataset(org, name="after-drop", title="ข้อมูลการค้า")
    assert names(call_action("package_search", q="การค้า")) == ["after-drop"]


# -- OR in fq: Solr's clause rules, and CKAN's access filter always holds ----------

OR_FILTERS = [
    "organization:agency-a OR organization:agency-b",
    "organization:agency-a || organization:agency-b",
    "organization:(agency-a OR agency-b)",
    "OR organization:agency-b",          # glued after "+capacity:public "
    "organization:agency-b OR",          # glued before " +state:(active)"
    "capacity:private OR organization:agency-b",
    "state:deleted OR state:draft OR organization:agency-b",
    "(capacity:private OR state:deleted)",
    "organization:agency-a OR NOT organization:agency-b",
]


@pytest.fixture
def three_agencies():
    """Agencies a and b each with a public, a private, a draft and a deleted
    dataset; agency c with a public and a private one, and an admin."""
    c_admin = factories.User()
    orgs = {"a": factories.Organization(name="agency-a"),
            "b": factories.Organization(name="agency-b"),
            "c": factories.Organization(name="agency-c",
                                        users=[{"name": c_admin["name"], "capacity": "admin"}])}
    sysadmin = {"user": factories.Sysadmin()["name"]}
    for key in ("a", "b"):
        dataset(orgs[key], name=f"{key}-public")
        dataset(orgs[key], name=f"{key}-private", private=True)
        dataset(orgs[key], name=f"{key}-draft", state="draft")
        gone = dataset(orgs[key], name=f"{key}-deleted")
        call_action("package_delete", dict(sysadmin), id=gone["id"])
    dataset(orgs["c"], name="c-public")
    dataset(orgs["c"], name="c-private", private=True)
    return c_admin


def _search_names(context, **params):
    """The names found, or None when the backend refuses the search (as Solr
    refuses a query it cannot parse)."""
    try:
        return set(names(call_action("package_search", context=context, rows=100, **params)))
    except search.SearchQueryError:
        return None


@pytest.mark.ckan_config("ckan.search.remove_deleted_packages", False)
def test_or_in_fq_never_reveals_private_draft_or_deleted_datasets(three_agencies):
    # the deleted datasets stay in the index (remove_deleted_packages off), so
    # only the query keeps them out
    assert "a-deleted" in _search_names({}, fq="+state:deleted")
    never = {"a-private", "b-private", "c-private", "a-draft", "b-draft",
             "a-deleted", "b-deleted"}
    anonymous = {"user": "", "ignore_auth": False}
    other_admin = {"user": three_agencies["name"], "ignore_auth": False}
    internal = {"ignore_auth": True}  # an extension's own search
    for fq in OR_FILTERS:
        for context, params in [(anonymous, {}), (anonymous, {"include_private": True}),
                                (other_admin, {}), (internal, {})]:
            found = _search_names(dict(context), fq=fq, **params)
            assert found is None or not found & never, (fq, context, params, found)
        # the admin of agency c sees its own private dataset, no one else's
        found = _search_names(dict(other_admin), fq=fq, include_private=True)
        assert found is None or not found & (never - {"c-private"}), (fq, found)
    # a search that starts with OR once CKAN has glued nothing in front is
    # refused, as Solr refuses it
    assert _search_names(dict(internal), fq="OR organization:agency-b",
                         include_private=True) is None


def test_or_beside_required_clauses_finds_what_solr_finds(three_agencies):
    internal = {"ignore_auth": True}
    every_public = {"a-public", "b-public", "c-public"}
    # package_search sends Solr "+capacity:public organization:agency-a OR
    # organization:agency-b +state:(active)". Solr's standard parser (q.op=AND)
    # makes capacity and state MUST and the two organizations SHOULD; beside
    # MUST clauses SHOULD clauses only score, so this fq filters on capacity
    # and state alone: every public active dataset, agency c's too.
    assert _search_names(internal, fq="organization:agency-a OR organization:agency-b") \
        == every_public
    # the ways to ask for "a or b": a field group, a required group, or an
    # fq_list item (its own fq, where only SHOULD clauses: one must match)
    a_or_b = {"a-public", "b-public"}
    assert _search_names(internal, fq="organization:(agency-a OR agency-b)") == a_or_b
    assert _search_names(
        internal, fq="+(organization:agency-a OR organization:agency-b)") == a_or_b
    assert _search_names(
        internal, fq_list=["organization:agency-a OR organization:agency-b"]) == a_or_b
    # OR then AND: agency-a SHOULD, agency-b and public MUST (Solr's reading)
    assert _search_names(internal, fq_list=[
        "organization:agency-a OR organization:agency-b AND capacity:public"]) == {"b-public"}
