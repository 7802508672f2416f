"""The agency's home page, About page, header and footer, through the Flask
test client: names, links and texts come from configuration (or CKAN's
sysadmin config page), in the page's language; counts and lists show what
the visitor may see and nothing private of other organizations.

The rule for private datasets: the home page shows what the visitor's own
dataset search (/dataset) shows them. Anonymous visitors and members of
other organizations see public datasets only; members of the owning
organization (and sysadmins) also see its private datasets, marked private,
and count them."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

NAME_TH = "กรมส่งเสริมการค้าระหว่างประเทศ"
NAME_EN = "Department of International Trade Promotion"
AGENCY_URL = "https://www.ditp.example"
agency_config = [
    pytest.mark.ckan_config("ckanext.opendata_th.agency.name_th", NAME_TH),
    pytest.mark.ckan_config("ckanext.opendata_th.agency.name_en", NAME_EN),
    pytest.mark.ckan_config("ckanext.opendata_th.agency.url", AGENCY_URL),
]
PERSONAL_DATA = {"data_category": "ข้อมูลส่วนบุคคล", "data_classification": "ชั้นเผยแพร่ภายในองค์กร"}
CKAN_SAMPLE_TEXT = ["Welcome to CKAN", "ยินดีต้อนรับสู่ CKAN", "placeholder-420x220", "420 x 220",
                    "world’s leading open-source data portal", "Powered by"]


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def texts(page, selector):
    return [" ".join(node.get_text(" ").split()) for node in page.select(selector)]


def assert_no_ckan_sample(page):
    html = str(page)
    for sample in CKAN_SAMPLE_TEXT:
        assert sample not in html, sample


def apply(marks):
    def decorate(test):
        for mark in marks:
            test = mark(test)
        return test
    return decorate


@apply(agency_config)
def test_the_thai_home_page_names_the_agency_and_links_to_it_and_to_data_go_th(app):
    page = soup(app.get("/"))

    assert page.html["lang"] == "th"
    assert texts(page, ".opendata-th-agency-name") == [NAME_TH]
    assert texts(page, ".opendata-th-agency-other-name") == [NAME_EN]
    assert page.select_one("#home-agency-link")["href"] == AGENCY_URL
    assert "เว็บไซต์ของหน่วยงาน" in texts(page, "#home-agency-link")[0]
    assert page.select_one("#home-national-portal-link")["href"] == "https://data.go.th"
    # the neutral logo stands in for CKAN's, in the header and on the page
    logos = [img["src"] for img in page.select(".masthead .logo img, .opendata-th-agency-logo")]
    assert logos == ["/opendata_th/logo.svg"] * 2
    assert "ckan-logo" not in str(page)
    # the search box sends its words to the dataset search
    form = page.select_one("form:has(#field-main-search)")
    assert form["action"] == "/dataset/" and form["method"] == "get"
    assert page.select_one("#field-main-search")["name"] == "q"
    assert texts(page, "label[for=field-main-search]") == ["ค้นหาข้อมูล"]
    # the footer is the agency's, with a translated credit to CKAN
    assert NAME_TH in texts(page, ".opendata-th-footer-agency")[0]
    assert texts(page, ".opendata-th-credit") == ["พัฒนาด้วย CKAN ซอฟต์แวร์โอเพนซอร์ส"]
    assert_no_ckan_sample(page)


@apply(agency_config)
def test_the_english_home_page_names_the_agency_in_english_first(app):
    page = soup(app.get("/en/"))

    assert page.html["lang"] == "en"
    assert texts(page, ".opendata-th-agency-name") == [NAME_EN]
    assert texts(page, ".opendata-th-agency-other-name") == [NAME_TH]
    assert "The agency's web site" in texts(page, "#home-agency-link")[0]
    assert texts(page, "#home-newest h2") == ["Newest datasets"]
    assert_no_ckan_sample(page)


@pytest.mark.ckan_config("ckanext.opendata_th.agency.name_th", NAME_TH)
@pytest.mark.ckan_config("ckanext.opendata_th.national_portal.url", "")
def test_a_name_in_one_language_serves_both_and_empty_links_are_left_out(app):
    english = soup(app.get("/en/"))

    assert texts(english, ".opendata-th-agency-name") == [NAME_TH]
    assert english.select(".opendata-th-agency-other-name") == []
    assert english.select("#home-agency-link, #home-national-portal-link") == []


@pytest.mark.ckan_config("ckan.site_title", "พอร์ทัลข้อมูลเปิด")
def test_an_empty_portal_renders_with_zero_counts_and_says_nothing_is_published(app):
    page = soup(app.get("/"))

    assert texts(page, ".opendata-th-agency-name") == ["พอร์ทัลข้อมูลเปิด"]  # no agency name: the title
    assert [texts(page, f"#home-{kind}-count .number")[0] for kind in ("dataset", "organization", "group")] \
        == ["0", "0", "0"]
    assert texts(page, "#home-newest .empty") == ["ยังไม่มีชุดข้อมูลที่เผยแพร่"]
    assert texts(page, "#home-high-value .empty") == ["ยังไม่มีชุดข้อมูลที่ระบุว่ามีคุณค่าสูง"]
    assert_no_ckan_sample(page)


@pytest.fixture
def catalog():
    """Two organizations. The trade one has a public and a private high-value
    dataset and an ordinary public one; the other has an admin of its own."""
    editor = factories.UserWithToken()
    other_admin = factories.UserWithToken()
    sysadmin = factories.Sysadmin()
    trade = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    other = factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    factories.Group()

    def create(**fields):
        return create_dataset( {"user": sysadmin["name"]}, **national_dataset(
            owner_org=trade["id"], resources=[national_resource()], **fields))

    ordinary = create(title="ผู้ส่งออกรายจังหวัด")
    public = create(title="มูลค่าการส่งออกรายตลาด", high_value_dataset="True")
    private = create(title="รายชื่อผู้ประกอบการส่งออก", high_value_dataset="True", private=True,
                     **PERSONAL_DATA)
    not_high_value = create(title="หลักสูตรอบรม", high_value_dataset="False")
    return {"editor": editor, "other_admin": other_admin, "trade": trade, "other": other,
            "public": public, "private": private, "ordinary": ordinary,
            "not_high_value": not_high_value}


def home_of(app, user=None):
    return soup(Browser(app, user).get("/"))


def listed(page, section):
    return [" ".join(a.get_text(" ").split()) for a in page.select(f"#home-{section} .opendata-th-dataset h3 a")]


@pytest.mark.parametrize("visitor", [None, "other_admin"])
def test_visitors_who_may_not_see_private_datasets_neither_see_nor_count_them(app, catalog, visitor):
    page = home_of(app, catalog[visitor] if visitor else None)

    assert texts(page, "#home-dataset-count .number") == ["3"]
    assert texts(page, "#home-organization-count .number") == ["2"]
    assert texts(page, "#home-group-count .number") == ["1"]
    # the newest first; only the high-value public one is high-value
    assert listed(page, "newest") == ["หลักสูตรอบรม", "มูลค่าการส่งออกรายตลาด", "ผู้ส่งออกรายจังหวัด"]
    assert listed(page, "high-value") == ["มูลค่าการส่งออกรายตลาด"]
    assert "รายชื่อผู้ประกอบการส่งออก" not in str(page)
    assert catalog["private"]["name"] not in str(page)
    assert "(1)" in texts(page, "#home-high-value .btn")[0]


def test_the_organizations_own_member_sees_and_counts_its_private_dataset_marked_private(app, catalog):
    page = home_of(app, catalog["editor"])

    assert texts(page, "#home-dataset-count .number") == ["4"]
    assert listed(page, "newest") == ["หลักสูตรอบรม", "รายชื่อผู้ประกอบการส่งออก", "มูลค่าการส่งออกรายตลาด",
                                      "ผู้ส่งออกรายจังหวัด"]
    assert listed(page, "high-value") == ["รายชื่อผู้ประกอบการส่งออก", "มูลค่าการส่งออกรายตลาด"]
    [private_item] = [item for item in page.select("#home-newest .opendata-th-dataset")
                      if "รายชื่อผู้ประกอบการส่งออก" in item.get_text()]
    assert private_item.select_one(".badge .fa-lock") is not None  # marked private
    assert len(page.select("#home-newest .badge .fa-lock")) == 1


def test_the_lists_link_to_the_full_searches_they_are_cut_from(app, catalog):
    page = home_of(app)

    [all_high_value] = page.select("#home-high-value a.btn")
    assert all_high_value["href"] == "/dataset/?high_value_dataset=True"
    search = soup(app.get(all_high_value["href"]))
    assert [a.get_text(strip=True) for a in search.select(".dataset-heading a")] == ["มูลค่าการส่งออกรายตลาด"]


def test_the_home_page_reads_no_dataset_one_by_one(app, catalog, monkeypatch):
    """The lists come from the search results: no package_show per dataset."""
    import ckan.logic as logic

    shown = []
    original = logic.get_action

    def spy(name):
        action = original(name)
        if name != "package_show":
            return action
        return lambda context, data_dict: shown.append(data_dict) or action(context, data_dict)

    monkeypatch.setattr(logic, "get_action", spy)
    assert listed(home_of(app), "newest")
    assert shown == []


@pytest.mark.ckan_config("ckan.site_logo", "https://agency.example/emblem.png")
def test_the_sites_own_logo_replaces_the_neutral_one(app):
    page = soup(app.get("/"))

    assert [img["src"] for img in page.select(".masthead .logo img")] == ["https://agency.example/emblem.png"]


@pytest.mark.parametrize("configured, used", [
    (None, "/opendata_th/logo.svg"), ("", "/opendata_th/logo.svg"),
    ("/base/images/ckan-logo.png", "/opendata_th/logo.svg"),
    ("https://agency.example/emblem.png", "https://agency.example/emblem.png")])
def test_the_neutral_logo_is_the_default_and_a_configured_logo_is_kept(configured, used):
    from ckanext.opendata_th.home import use_neutral_logo

    config = {} if configured is None else {"ckan.site_logo": configured}
    use_neutral_logo(config)
    assert config["ckan.site_logo"] == used


def test_the_neutral_logo_is_served(app):
    response = app.get("/opendata_th/logo.svg")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.data


@apply(agency_config)
@pytest.mark.ckan_config("ckanext.opendata_th.about.th", "เกี่ยวกับ**พอร์ทัลของกรม**")
@pytest.mark.ckan_config("ckanext.opendata_th.about.en", "About **the department's portal**")
def test_the_about_page_is_the_agencys_text_in_the_pages_language(app):
    thai = soup(app.get("/about"))
    english = soup(app.get("/en/about"))

    assert texts(thai, "article strong") == ["พอร์ทัลของกรม"]
    assert texts(english, "article strong") == ["the department's portal"]
    assert_no_ckan_sample(thai)
    assert_no_ckan_sample(english)


@pytest.mark.ckan_config("ckanext.opendata_th.about.th", "ข้อความเกี่ยวกับหน่วยงาน")
@pytest.mark.ckan_config("ckan.site_about", "CKAN's single about text")
def test_an_about_text_in_one_language_serves_the_other(app):
    english = soup(app.get("/en/about"))

    assert "ข้อความเกี่ยวกับหน่วยงาน" in english.select_one("article").get_text()
    assert "CKAN's single about text" not in str(english)


@apply(agency_config)
def test_without_about_texts_the_about_page_describes_the_portal_not_ckan(app):
    thai = soup(app.get("/about"))

    article = thai.select_one("article").get_text()
    assert f"เผยแพร่ข้อมูลเปิดของ{NAME_TH}" in article
    assert [a["href"] for a in thai.select("article li a")] == [AGENCY_URL, "https://data.go.th"]
    assert_no_ckan_sample(thai)


def config_page(app, sysadmin):
    browser = Browser(app, sysadmin)
    return browser, browser.get("/ckan-admin/config")


def test_a_sysadmin_sets_the_agency_on_ckans_config_page(app):
    sysadmin = factories.SysadminWithToken()
    browser, page = config_page(app, sysadmin)
    form = soup(page)
    for name in ("ckanext.opendata_th.agency.name_th", "ckanext.opendata_th.agency.name_en",
                 "ckanext.opendata_th.agency.url", "ckanext.opendata_th.about.th",
                 "ckanext.opendata_th.about.en", "ckanext.opendata_th.intro.th"):
        assert form.select_one(f"#admin-config-form [name='{name}']") is not None, name
    assert "ชื่อหน่วยงานภาษาไทย" in texts(form, "#opendata-th-agency-config label")
    # the logo the site shows, not CKAN's
    assert form.select_one("#admin-config-form [name='ckan.site_logo']")["value"] == "/opendata_th/logo.svg"

    response = browser.submit(page, "/ckan-admin/config", {
        "ckan.site_title": "พอร์ทัลข้อมูลเปิด", "save": "",
        "ckanext.opendata_th.agency.name_th": "  สำนักงานสถิติจังหวัด ",
        "ckanext.opendata_th.agency.name_en": "Provincial Statistics Office",
        "ckanext.opendata_th.agency.url": "https://province.example",
        "ckanext.opendata_th.intro.th": "ข้อมูลสถิติของจังหวัด",
        "ckanext.opendata_th.about.th": "สำนักงานสถิติจังหวัด **เผยแพร่ข้อมูล**",
    }, follow_redirects=True)
    assert response.status_code == 200

    shown = call_action("config_option_show", key="ckanext.opendata_th.agency.name_th")
    assert shown == "สำนักงานสถิติจังหวัด"
    home = soup(app.get("/"))
    assert texts(home, ".opendata-th-agency-name") == ["สำนักงานสถิติจังหวัด"]
    assert texts(home, ".opendata-th-intro") == ["ข้อมูลสถิติของจังหวัด"]
    assert home.select_one("#home-agency-link")["href"] == "https://province.example"
    assert texts(soup(app.get("/about")), "article strong") == ["เผยแพร่ข้อมูล"]


def test_a_bad_agency_url_is_refused_in_thai_and_nothing_is_saved(app):
    sysadmin = factories.SysadminWithToken()
    browser, page = config_page(app, sysadmin)

    response = browser.submit(page, "/ckan-admin/config", {
        "ckan.site_title": "พอร์ทัลข้อมูลเปิด", "save": "",
        "ckanext.opendata_th.agency.name_th": "ชื่อที่ไม่ควรถูกบันทึก",
        "ckanext.opendata_th.agency.url": "javascript:alert(1)",
    })

    page = soup(response)
    assert texts(page, ".error-explanation li") == ["เว็บไซต์ของหน่วยงาน: กรุณากรอก URL ที่ถูกต้อง"]
    assert "กรุณากรอก URL ที่ถูกต้อง" in texts(page, "#opendata-th-agency-config .form-group.error")[0]
    assert model.Session.query(model.SystemInfo).filter_by(
        key="ckanext.opendata_th.agency.name_th").count() == 0
    assert "ชื่อที่ไม่ควรถูกบันทึก" not in str(soup(app.get("/")).select_one(".opendata-th-hero"))


def test_the_agency_options_are_for_sysadmins_only(app, catalog):
    with pytest.raises(Exception) as refused:
        call_action("config_option_update", {"user": catalog["editor"]["name"], "ignore_auth": False},
                    **{"ckanext.opendata_th.agency.name_th": "ไม่ใช่ผู้ดูแลระบบ"})
    assert type(refused.value).__name__ == "NotAuthorized"
    assert Browser(app, catalog["editor"]).get("/ckan-admin/config").status_code == 403


@pytest.mark.parametrize("url", ["/", "/en/", "/about"])
def test_hostile_query_strings_do_not_break_the_home_page(app, url):
    response = app.get(url + "?q=" + "(" * 200 + "&sort=" + "x" * 5000)
    assert response.status_code == 200
