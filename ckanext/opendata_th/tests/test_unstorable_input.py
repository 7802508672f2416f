"""Text no database can store (a NUL character, a lone surrogate) gets a 400
that says so, on every page and API action, never a 500."""
import pytest

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search opendata_th scheming_datasets"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

# pages and actions that pass the text to SQL (500 without the check)
GETS = [
    "/group/?q=a%00",
    "/organization/?q=%00",
    "/dataset/?q=%00",
    "/dataset/?tags=%00",
    "/api/3/action/group_list?q=a%00",
    "/api/3/action/organization_list?q=%00",
    "/api/3/action/tag_list?query=%00",
    "/api/3/action/package_autocomplete?q=%00",
    "/api/3/action/format_autocomplete?q=%00",
    "/api/3/action/package_show?id=%00",
]


@pytest.mark.parametrize("url", GETS)
def test_a_nul_character_is_a_400_with_a_reason(app, url):
    response = app.get(url)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert response.json["success"] is False
        assert response.json["error"]["__type"] == "Bad Request"


def test_a_lone_surrogate_in_a_json_body_is_a_400(app):
    response = app.post("/api/3/action/group_list", data='{"q": "a\\udc00"}',
                        content_type="application/json")
    assert response.status_code == 400
    assert "ยูนิโคด" in response.json["error"]["message"]  # Thai by default


def test_a_form_post_with_a_nul_character_is_a_400(app):
    response = app.post("/user/login", data={"login": "admin\x00", "password": "x"})
    assert response.status_code == 400


def test_package_search_keeps_its_own_search_query_error(app):
    response = app.get("/api/3/action/package_search?q=%00")
    assert response.status_code == 400
    assert response.json["error"]["__type"] == "Search Query Error"
    assert '"q"' in response.json["error"]["message"]


def test_ordinary_requests_pass(app):
    assert app.get("/group/?q=การค้า").status_code == 200
    assert app.get("/api/3/action/group_list?q=trade").status_code == 200
    assert app.post("/api/3/action/group_list", json={"q": "การค้า"}).status_code == 200
