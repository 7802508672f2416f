"""A dataset is indexed once per version and transaction: CKAN notifies a
new dataset twice at commit (as new, and as changed through its resources,
extras and tags), and the second notification would store the very same
document again."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.opendata_th.search import document, index
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search opendata_th scheming_datasets"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


@pytest.fixture
def built(monkeypatch):
    """The names of the datasets whose search document is built, in order."""
    names = []
    original = document.build_row

    def counting(doc):
        names.append(doc["name"])
        return original(doc)
    monkeypatch.setattr(document, "build_row", counting)
    return names


def _found(name):
    return tk.get_action("package_search")({"ignore_auth": True}, {"q": f"name:{name}",
                                                                    "include_private": True})["count"]


def test_a_new_dataset_is_indexed_once_and_found(built):
    org = factories.Organization()
    dataset = create_dataset(**national_dataset(owner_org=org["id"], name="indexed-once", private=True))
    assert built.count("indexed-once") == 1
    assert _found("indexed-once") == 1
    # a later change, in a transaction of its own, is indexed again
    tk.get_action("package_patch")({"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]},
                                   {"id": dataset["id"], "title": "ชื่อใหม่"})
    assert built.count("indexed-once") == 2
    shown = tk.get_action("package_search")({"ignore_auth": True}, {
        "q": "name:indexed-once", "include_private": True})["results"][0]
    assert shown["title"] == "ชื่อใหม่"


def test_a_dataset_changed_twice_in_one_transaction_is_indexed_as_it_ends(built):
    """Only an identical dict is skipped: a second, different version
    written in the same transaction replaces the first document."""
    org = factories.Organization()
    dataset = create_dataset(**national_dataset(owner_org=org["id"], name="changed-twice", private=True))
    built.clear()
    context = {"ignore_auth": True, "defer_commit": True,
               "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    tk.get_action("package_patch")(dict(context), {"id": dataset["id"], "title": "ครั้งแรก"})
    model.Session.flush()
    index.PostgresPackageSearchIndex().index_package(
        tk.get_action("package_show")({"ignore_auth": True, "validate": False, "use_cache": False},
                                      {"id": dataset["id"]}))
    tk.get_action("package_patch")(dict(context), {"id": dataset["id"], "title": "ครั้งที่สอง"})
    model.Session.commit()
    assert built.count("changed-twice") == 2
    shown = tk.get_action("package_search")({"ignore_auth": True}, {
        "q": "name:changed-twice", "include_private": True})["results"][0]
    assert shown["title"] == "ครั้งที่สอง"


def test_a_removed_document_is_stored_again_in_the_same_transaction(built):
    """``ckan search-index rebuild DATASET`` removes the document, then
    indexes the same dict: it must be stored, not skipped."""
    org = factories.Organization()
    dataset = create_dataset(**national_dataset(owner_org=org["id"], name="removed-then-stored", private=True))
    shown = tk.get_action("package_show")({"ignore_auth": True, "validate": False, "use_cache": False},
                                          {"id": dataset["id"]})
    search_index = index.PostgresPackageSearchIndex()
    search_index.index_package(dict(shown))
    search_index.remove_dict(dict(shown))
    assert _found("removed-then-stored") == 0
    search_index.index_package(dict(shown))
    assert _found("removed-then-stored") == 1
