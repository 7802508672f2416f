"""Tags of datasets a user cannot see stay hidden from that user.

CKAN core lists the tags of every dataset in ``tag_list``,
``tag_autocomplete`` (and the ``/api/util/tag/autocomplete`` endpoint) and
``tag_search``, private ones included, confirms any tag with ``tag_show``,
and lists every vocabulary term in ``vocabulary_show`` / ``vocabulary_list``.
With the extension a tag appears only to callers who can see (by CKAN's
permission labels) an active dataset that has it: the owning organization's
members, collaborators, sysadmins, but not anonymous visitors nor another
organization's admin. Vocabulary terms never put on a dataset stay listed.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Optional

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, publish

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

OPEN_TAG = "การค้า"         # only on the public dataset
SHARED_TAG = "ส่งออก"       # on both datasets
SECRET_TAG = "โครงการลับ"   # only on the private dataset

# who may see the private dataset of the organization (and so its tags)
SEES_PRIVATE = {"anonymous": False, "other_admin": False, "member": True,
                "owner_admin": True, "sysadmin": True}


def as_user(user: Optional[dict[str, Any]]) -> dict[str, Any]:
    """An action context for ``user`` (None: an anonymous visitor), with the
    authorization CKAN applies to web requests (``call_action`` skips it
    unless told otherwise)."""
    return {"user": user["name"] if user else "", "ignore_auth": False}


def dataset(creator: dict[str, Any], org: dict[str, Any], tags: list[Any], **fields: Any) -> dict[str, Any]:
    """A dataset valid under the national schema, created by ``creator``."""
    tag_dicts = [tag if isinstance(tag, dict) else {"name": tag} for tag in tags]
    return create_dataset( as_user(creator),
                       **national_dataset(owner_org=org["id"], tags=tag_dicts, **fields))


@pytest.fixture
def portal():
    """An organization with a public and a private dataset, its admin and a
    plain member; another organization with its admin; a sysadmin."""
    owner_admin, member, other_admin = (factories.UserWithToken() for _ in range(3))
    org = factories.Organization(users=[{"name": owner_admin["name"], "capacity": "admin"},
                                        {"name": member["name"], "capacity": "member"}])
    other_org = factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    public = dataset(owner_admin, org, [OPEN_TAG, SHARED_TAG])
    private = dataset(owner_admin, org, [SECRET_TAG, SHARED_TAG], private=True)
    return SimpleNamespace(org=org, other_org=other_org, public=public, private=private,
                           owner_admin=owner_admin, member=member, other_admin=other_admin,
                           sysadmin=factories.SysadminWithToken(), anonymous=None)


def api(app, action: str, user: Optional[dict[str, Any]] = None, status: int = 200,
        **params: Any) -> Any:
    """GET /api/3/action/<action> as ``user`` (anonymous when None)."""
    headers = {"Authorization": user["token"]} if user else {}
    response = app.get(f"/api/3/action/{action}", query_string=params, headers=headers)
    assert response.status_code == status, response.body
    return response.json["result"] if status == 200 else response.json


# --- anonymous visitors ------------------------------------------------------------

def test_anonymous_api_lists_only_tags_of_public_datasets(app, portal):
    assert sorted(api(app, "tag_list")) == sorted([OPEN_TAG, SHARED_TAG])
    assert api(app, "tag_list", query="ลับ") == []
    assert api(app, "tag_list", q="โครงการ") == []
    assert api(app, "tag_list", query="ส่ง") == [SHARED_TAG]
    all_fields = api(app, "tag_list", all_fields="true")
    assert sorted(tag["name"] for tag in all_fields) == sorted([OPEN_TAG, SHARED_TAG])
    assert all(tag["vocabulary_id"] is None and tag["display_name"] == tag["name"]
               for tag in all_fields)
    assert api(app, "tag_autocomplete", q="ลับ") == []
    assert api(app, "tag_autocomplete", q="ส่ง") == [SHARED_TAG]
    assert api(app, "tag_search", query="ลับ") == {"count": 0, "results": []}


@pytest.mark.parametrize("path", ["/api/2/util/tag/autocomplete", "/api/util/tag/autocomplete"])
def test_anonymous_autocomplete_endpoint_hides_private_tags(app, portal, path):
    def names(incomplete: str) -> list[str]:
        response = app.get(path, query_string={"incomplete": incomplete})
        assert response.status_code == 200
        return [item["Name"] for item in response.json["ResultSet"]["Result"]]

    assert names("ลับ") == []
    assert names("โครงการ") == []
    assert names("ส่ง") == [SHARED_TAG]


def test_anonymous_action_calls_list_only_tags_of_public_datasets(portal):
    anonymous = as_user(None)
    assert sorted(call_action("tag_list", dict(anonymous))) == sorted([OPEN_TAG, SHARED_TAG])
    assert call_action("tag_list", dict(anonymous), query="ลับ") == []
    assert sorted(tag["name"] for tag in call_action("tag_list", dict(anonymous), all_fields=True)) \
        == sorted([OPEN_TAG, SHARED_TAG])
    assert call_action("tag_autocomplete", dict(anonymous), q="ลับ") == []
    assert call_action("tag_search", dict(anonymous), query=["โครงการ"])["count"] == 0


# --- who sees the private dataset's tags ----------------------------------------------

def test_only_those_who_see_the_private_dataset_see_its_tags(portal):
    seen = {}
    for role in SEES_PRIVATE:
        context = as_user(getattr(portal, role))
        listed = call_action("tag_list", dict(context))
        answers = {
            "tag_list": SECRET_TAG in listed,
            "query": call_action("tag_list", dict(context), query="ลับ") == [SECRET_TAG],
            "all_fields": SECRET_TAG in [t["name"] for t in call_action(
                "tag_list", dict(context), all_fields=True)],
            "autocomplete": call_action("tag_autocomplete", dict(context), q="ลับ") == [SECRET_TAG],
            "search": call_action("tag_search", dict(context), query="ลับ")["count"] == 1,
        }
        # the public dataset's tags, for everyone
        assert {OPEN_TAG, SHARED_TAG} <= set(listed), role
        seen[role] = answers
    assert seen == {role: dict.fromkeys(seen[role], sees) for role, sees in SEES_PRIVATE.items()}


def test_logged_in_api_users_see_the_tags_of_the_datasets_they_may_see(app, portal):
    for role in ("member", "owner_admin", "sysadmin", "other_admin"):
        user = getattr(portal, role)
        expected = [SECRET_TAG] if SEES_PRIVATE[role] else []
        assert api(app, "tag_autocomplete", user, q="ลับ") == expected, role
        assert (SECRET_TAG in api(app, "tag_list", user)) is SEES_PRIVATE[role], role


@pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", True)
def test_a_collaborator_sees_the_tags_of_the_dataset(portal):
    collaborator, stranger = factories.User(), factories.User()
    call_action("package_collaborator_create", as_user(portal.owner_admin),
                id=portal.private["id"], user_id=collaborator["id"], capacity="member")
    assert call_action("tag_autocomplete", as_user(collaborator), q="ลับ") == [SECRET_TAG]
    assert call_action("tag_autocomplete", as_user(stranger), q="ลับ") == []
    assert SECRET_TAG not in call_action("tag_list", as_user(stranger))


def test_tags_of_a_deleted_dataset_are_hidden(portal):
    retired = dataset(portal.owner_admin, portal.org, ["retired-tag"])
    call_action("package_delete", as_user(portal.owner_admin), id=retired["id"])
    assert "retired-tag" not in call_action("tag_list", as_user(None))
    assert call_action("tag_autocomplete", as_user(portal.member), q="retired") == []


def test_a_dataset_made_public_shows_its_tags(portal):
    assert SECRET_TAG not in call_action("tag_list", as_user(None))
    publish(portal.private["id"])  # approved and made public
    assert SECRET_TAG in call_action("tag_list", as_user(None))
    call_action("package_patch", as_user(portal.owner_admin), id=portal.private["id"], private=True)
    assert SECRET_TAG not in call_action("tag_list", as_user(None))


# --- limits ------------------------------------------------------------------------------

def test_autocomplete_limit_counts_visible_tags_only(app, portal):
    hidden = [f"code-a{n:02d}" for n in range(12)]
    visible = [f"code-b{n}" for n in range(6)]
    dataset(portal.owner_admin, portal.org, hidden, private=True)
    dataset(portal.owner_admin, portal.org, visible)

    anonymous = as_user(None)
    assert call_action("tag_autocomplete", dict(anonymous), q="code", limit=5) == visible[:5]
    assert call_action("tag_autocomplete", dict(anonymous), q="code", limit=5, offset=5) == visible[5:]
    assert call_action("tag_search", dict(anonymous), query="code", limit=5) == {
        "count": 6, "results": call_action("tag_search", dict(anonymous), query="code")["results"][:5]}
    response = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": "code", "limit": 5})
    assert [item["Name"] for item in response.json["ResultSet"]["Result"]] == visible[:5]
    assert api(app, "tag_autocomplete", q="code") == visible  # the default limit is 10

    # the organization's member sees both kinds, still limited
    assert call_action("tag_autocomplete", as_user(portal.member), q="code", limit=5) == hidden[:5]
    assert call_action("tag_search", as_user(portal.member), query="code")["count"] == 18


# --- tag_show -----------------------------------------------------------------------------

def test_tag_show_does_not_confirm_a_hidden_tag(app, portal):
    for role, sees in SEES_PRIVATE.items():
        context = as_user(getattr(portal, role))
        if sees:
            assert call_action("tag_show", context, id=SECRET_TAG)["name"] == SECRET_TAG, role
        else:
            with pytest.raises(tk.ObjectNotFound):
                call_action("tag_show", context, id=SECRET_TAG)
    secret_id = call_action("tag_show", as_user(portal.sysadmin), id=SECRET_TAG)["id"]
    with pytest.raises(tk.ObjectNotFound):
        call_action("tag_show", as_user(None), id=secret_id)
    api(app, "tag_show", status=404, id=SECRET_TAG)
    assert api(app, "tag_show", portal.member, id=SECRET_TAG)["name"] == SECRET_TAG

    # a visible tag lists the public datasets only, for everyone (as in CKAN)
    shared = api(app, "tag_show", id=SHARED_TAG, include_datasets="true")
    assert [p["name"] for p in shared["packages"]] == [portal.public["name"]]


# --- vocabularies ---------------------------------------------------------------------------

@pytest.fixture
def topics(portal):
    """A vocabulary with a term never used, a term on the public dataset, and
    a term that the organization's admin brought in on a private dataset."""
    vocabulary = call_action("vocabulary_create", as_user(portal.sysadmin), name="topics",
                             tags=[{"name": "unused-term"}, {"name": "published-term"}])
    dataset(portal.owner_admin, portal.org,
            ["vocab-public", {"name": "published-term", "vocabulary_id": vocabulary["id"]}])
    dataset(portal.owner_admin, portal.org,
            ["vocab-private", {"name": "secret-term", "vocabulary_id": vocabulary["id"]}],
            private=True)
    return vocabulary


def test_vocabulary_terms_of_private_datasets_are_hidden(app, portal, topics):
    everyone = ["published-term", "unused-term"]
    for role, sees in SEES_PRIVATE.items():
        context = as_user(getattr(portal, role))
        expected = sorted(everyone + ["secret-term"]) if sees else everyone
        assert sorted(call_action("tag_list", dict(context), vocabulary_id="topics")) == expected, role
        assert sorted(t["name"] for t in call_action(
            "tag_list", dict(context), vocabulary_id=topics["id"], all_fields=True)) == expected, role
        assert sorted(call_action("tag_autocomplete", dict(context), q="term",
                                  vocabulary_id="topics")) == expected, role
        assert call_action("tag_list", dict(context), vocabulary_id="topics",
                           query="secret") == (["secret-term"] if sees else []), role
        assert sorted(t["name"] for t in call_action(
            "vocabulary_show", dict(context), id="topics")["tags"]) == expected, role
        listed = {v["name"]: sorted(t["name"] for t in v["tags"])
                  for v in call_action("vocabulary_list", dict(context))}
        assert listed == {"topics": expected}, role
        if not sees:
            with pytest.raises(tk.ObjectNotFound):
                call_action("tag_show", dict(context), id="secret-term", vocabulary_id="topics")
    # free tags are not mixed in
    assert "published-term" not in call_action("tag_list", as_user(None))

    response = app.get("/api/2/util/tag/autocomplete",
                       query_string={"incomplete": "term", "vocabulary_id": "topics"})
    assert [item["Name"] for item in response.json["ResultSet"]["Result"]] == everyone
    assert sorted(t["name"] for t in api(app, "vocabulary_show", id="topics")["tags"]) == everyone


def test_vocabulary_list_hides_the_private_terms_of_many_vocabularies(portal):
    vocabularies = [call_action("vocabulary_create", as_user(portal.sysadmin), name=f"vocab-{n:02d}",
                                tags=[{"name": f"defined-{n:02d}"}]) for n in range(25)]
    dataset(portal.owner_admin, portal.org, ["many-vocabularies"] + [
        {"name": f"secret-{n:02d}", "vocabulary_id": v["id"]} for n, v in enumerate(vocabularies)],
        private=True)
    for role in ("anonymous", "member"):
        listed = {v["name"]: sorted(t["name"] for t in v["tags"])
                  for v in call_action("vocabulary_list", as_user(getattr(portal, role)))}
        assert listed == {f"vocab-{n:02d}": [f"defined-{n:02d}"] + (
            [f"secret-{n:02d}"] if SEES_PRIVATE[role] else []) for n in range(25)}, role
