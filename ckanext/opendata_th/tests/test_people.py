"""Who a user is to an organization (``people.py``): the one set of answers
every auth function asks. Member, editor and admin by CKAN's roles;
sysadmins everything; a deleted account nothing, whatever memberships it
kept; an unknown or empty name nothing. Against the real PostgreSQL."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.opendata_th import people

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def team():
    users = {role: factories.User() for role in ("member", "editor", "admin", "gone")}
    sysadmin = factories.Sysadmin()
    org = factories.Organization(users=[
        {"name": users["member"]["name"], "capacity": "member"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": users["gone"]["name"], "capacity": "admin"}])
    other = factories.Organization(users=[{"name": users["member"]["name"], "capacity": "admin"}])
    gone = model.User.get(users["gone"]["name"])
    gone.state = "deleted"  # its membership stays
    model.Session.commit()
    return {"org": org, "other": other, "sysadmin": sysadmin, **users}


def answers(user, organization_id):
    return (people.is_member(user, organization_id), people.is_editor(user, organization_id),
            people.is_admin(user, organization_id))


def test_each_role_is_what_ckan_makes_it(team):
    org = team["org"]["id"]
    assert answers(team["member"]["name"], org) == (True, False, False)
    assert answers(team["editor"]["name"], org) == (True, True, False)
    assert answers(team["admin"]["name"], org) == (True, True, True)
    # by id or by account as well as by name
    assert answers(team["admin"]["id"], org) == (True, True, True)
    assert answers(model.User.get(team["editor"]["name"]), org) == (True, True, False)


def test_a_role_holds_in_its_own_organization_only(team):
    # the member of "org" is the admin of "other"
    assert answers(team["member"]["name"], team["other"]["id"]) == (True, True, True)
    assert answers(team["editor"]["name"], team["other"]["id"]) == (False, False, False)


def test_sysadmins_are_everything_everywhere(team):
    assert answers(team["sysadmin"]["name"], team["org"]["id"]) == (True, True, True)
    assert answers(team["sysadmin"]["name"], team["other"]["id"]) == (True, True, True)
    # an organization not given: only a sysadmin may act for the portal
    assert answers(team["sysadmin"]["name"], None) == (True, True, True)
    assert answers(team["admin"]["name"], None) == (False, False, False)


def test_a_deleted_account_is_nothing_though_its_membership_stays(team):
    assert answers(team["gone"]["name"], team["org"]["id"]) == (False, False, False)
    assert people.active_user(team["gone"]["name"]) is None
    assert people.user_object(team["gone"]["name"]).name == team["gone"]["name"]  # who did it


@pytest.mark.parametrize("nobody", [None, "", "no-such-user", 42])
def test_no_one_is_nothing(team, nobody):
    assert answers(nobody, team["org"]["id"]) == (False, False, False)
    assert people.active_user(nobody) is None


def test_the_signed_in_user_is_the_account_already_loaded(app, team):
    import flask_login
    import sqlalchemy as sa

    statements = []

    def count(*_args):
        statements.append(1)

    admin = model.User.get(team["admin"]["name"])
    with app.flask_app.test_request_context():
        flask_login.login_user(admin)
        sa.event.listen(model.meta.engine, "before_cursor_execute", count)
        try:
            # asked by name or by id: the request's own account, no query, never a proxy
            assert people.user_object(admin.name) is admin
            assert people.user_object(admin.id) is admin
            assert not statements
            assert people.user_object(team["editor"]["name"]).name == team["editor"]["name"]
            assert statements  # another user is looked up
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", count)
        assert answers(admin.name, team["org"]["id"]) == (True, True, True)
        assert answers(team["member"]["name"], team["org"]["id"]) == (True, False, False)
