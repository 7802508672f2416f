"""No English left on Thai pages: a real browser walks every page the public,
a publisher (an organization's editor) and an approver (its admin) see on a
portal in Thai, and fails on any visible text (and title, placeholder,
aria-label, alt) that is the English of a message CKAN could translate:
CKAN's, ckanext-activity's, the JavaScript modules', ckanext-scheming's and
the extension's messages. Shown in English, such a message either has no
Thai translation (CKAN's Thai catalog with the extension's merged, as at
runtime) or was written into a template without gettext. Data (titles,
names, "CSV") is not a message and does not trip it."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from playwright.sync_api import expect

import ckan
import ckan.lib.i18n as ckan_i18n
import ckanext.activity
import ckanext.scheming
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import readiness
from ckanext.opendata_th.tests.browser.conftest import (
    PASSWORD, TRADE_DEPARTMENT, log_in, wait_for_modules)
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.test_glossary import effective_catalog

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

CKAN_POT = Path(ckan.__file__).parent / "i18n" / "ckan.pot"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
"""A word with a lower-case letter: "CSV", "API" and "{object_type}s" are no English words."""
ADDRESS = re.compile(r"\S+://\S+|\S+@\S+")
OUTER_MARKS = " \t:：*…."
PICTURES = re.compile(r"\.(png|jpe?g|gif|svg|ico|webp|woff2?|ttf|eot)(\?.*)?$")

COLLECT_TEXT = """() => {
    const texts = [document.title];
    for (const line of document.body.innerText.split('\\n')) texts.push(line);
    for (const el of document.querySelectorAll('[title], [placeholder], [aria-label], img[alt], input[type=submit], input[type=button], option')) {
        const box = el.tagName === 'OPTION' ? el.parentElement : el;
        if (!box || !box.getClientRects().length) continue;  // not shown
        for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
            if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
        }
        if (el.tagName === 'INPUT') texts.push(el.value);
        if (el.tagName === 'OPTION') texts.push(el.textContent);
    }
    return texts;
}"""


def extracted(package, *patterns) -> set[str | tuple[str, str]]:
    """The messages of a package's templates (and scripts), as babel finds them."""
    method_map = [(pattern, "javascript" if pattern.endswith(".js") else
                   "ckan.lib.extract:extract_ckan") for pattern in patterns]
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(Path(package.__file__).parent, method_map) if message}


def scheming_messages() -> set[str | tuple[str, str]]:
    """ckanext-scheming has no catalog of its own: its templates' messages
    are looked up in CKAN's and ours."""
    return extracted(ckanext.scheming, "**/templates/**.html")


@lru_cache(maxsize=1)
def catalog_messages() -> frozenset[str | tuple[str, str]]:
    """Every message of the catalogs CKAN loads: a msgid, or a (singular,
    plural) pair (read once: babel reads every template of CKAN)."""
    found = scheming_messages()
    # CKAN's templates and scripts have messages its catalog template lacks
    found |= extracted(ckan, "templates/**.html", "public/base/javascript/**.js")
    found |= extracted(ckanext.activity, "templates/**.html", "assets/**.js")
    for path in (CKAN_POT, Path(__file__).parents[2] / "i18n" / "th" / "LC_MESSAGES"
                 / "ckanext-opendata_th.po"):
        with path.open("rb") as stream:
            found.update(message.id for message in read_po(stream) if message.id)
    return frozenset(found)


class Untranslated:
    """The messages shown in English on a Thai page, as patterns that find
    them in a page's text: a one-word message when it is all of a text (a
    button, a heading, "1 Member"), a longer one wherever it occurs as a
    whole phrase; placeholders match any text. Any message counts, not only
    those the Thai catalogs lack: a translated message shown in English was
    written into a template without gettext ("Follow")."""

    def __init__(self, messages, catalog: dict[str, tuple[str, ...]]):
        self.translated = set()
        self.patterns = []
        for message in sorted(messages, key=str):
            forms = (message,) if isinstance(message, str) else message
            if forms[0] in catalog:
                self.translated.update(forms)
            for msgid in forms:
                pattern = self.pattern(msgid) if msgid else None
                if pattern:
                    self.patterns.append((msgid, pattern))

    @staticmethod
    def pattern(msgid: str):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", msgid)).split())
        words = [word for word in ENGLISH_WORD.findall(ADDRESS.sub(" ", PLACEHOLDER.sub(" ", text)))
                 if len(word) > 1]
        if not words:
            return None  # no English word: a symbol, a number, an acronym, an example address
        parts = [re.escape(part) for part in PLACEHOLDER.split(text.strip(OUTER_MARKS))]
        body = r"\s+".join(".+?".join(parts).split(r"\ "))
        if len(words) == 1:
            return re.compile(rf"^{body}$")
        return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")

    def found_in(self, texts) -> set[str]:
        found = set()
        for text in {" ".join(t.split()).strip(OUTER_MARKS) for t in texts if t}:
            if not ENGLISH_WORD.search(text):
                continue
            for msgid, pattern in self.patterns:
                if pattern.search(text):
                    why = ("a template writes it without gettext" if msgid in self.translated
                           else "no Thai translation")
                    found.add(f"{msgid!r} (in {text[:80]!r}: {why})")
        return found


@lru_cache(maxsize=1)
def untranslated() -> Untranslated:
    return Untranslated(catalog_messages(), effective_catalog())


def test_the_check_finds_english_and_leaves_data_alone():
    messages = {("{num} Member", "{num} Members"), "{actor} updated the {dataset_type} {dataset}",
                "Username or Email:", "Follow", "Data API", "CSV", "{object_type}s",
                "<strong>Powered by</strong> <a href=\"http://ckan.org\">CKAN</a>",
                "Are you sure you want to delete this dataset?"}
    check = Untranslated(messages, {"Follow": ("ติดตาม",), "Data API": ("Data API",),
                                    "Are you sure you want to delete this dataset?": ("",)})
    shown = check.found_in(["2 Members", "admin updated the ชุดข้อมูล น้ำ", "Username or Email:",
                            "ติดตาม", "Data API", "Powered by CKAN", "Follow me", "Follow"])
    assert {line.split(" (in")[0] for line in shown} == {
        "'{num} Members'", "'{actor} updated the {dataset_type} {dataset}'",
        "'Username or Email:'", "'Data API'", "'Follow'",
        "'<strong>Powered by</strong> <a href=\"http://ckan.org\">CKAN</a>'"}
    assert not check.found_in(["CSV", "ชุดข้อมูล 2568", "somchai_1", "สมชาย ใจดี", "Members",
                               "data.go.th", "APIs", "Open Data Common", "Follow the data"])


def test_the_catalogs_ckan_loads_are_read():
    messages = catalog_messages()
    assert {"Follow", ("{num} Member", "{num} Members"), "Update schedule",
            "Manage resource: {name}", "Searching..."} <= messages
    assert "No organization" in scheming_messages()  # ckanext-scheming's own


def portal():
    """An agency with an approver (admin) and a publisher (editor), a group,
    a public dataset with a resource, changed once (for its activity)."""
    # their "about" is theirs to write, not a message: fixed, since the factory's random
    # English sentence can start like a message ("Field …") and be taken for one
    approver = factories.User(password=PASSWORD, fullname="สมหญิง รักงาน", about="ผู้อนุมัติข้อมูลของสถาบัน")
    publisher = factories.User(password=PASSWORD, fullname="สมชาย ใจดี", about="เจ้าหน้าที่เผยแพร่ข้อมูล")
    sysadmin = factories.Sysadmin(password=PASSWORD, fullname="วิชัย ดูแลระบบ", about="ผู้ดูแลระบบของพอร์ทัล")
    org = factories.Organization(title=TRADE_DEPARTMENT, description="หน่วยงานตัวอย่าง", users=[
        {"name": approver["name"], "capacity": "admin"},
        {"name": publisher["name"], "capacity": "editor"}])
    group = factories.Group(title="เศรษฐกิจ", description="กลุ่มตัวอย่าง",
                            users=[{"name": approver["name"], "capacity": "admin"}])
    as_publisher = {"user": publisher["name"], "ignore_auth": True}
    dataset = create_dataset( {"user": sysadmin["name"]}, **national_dataset(
        owner_org=org["id"], title="จำนวนผู้ส่งออกรายจังหวัด", groups=[{"name": group["name"]}],
        resources=[national_resource()]))
    call_action("package_patch", as_publisher, id=dataset["id"], notes="ข้อมูลปรับปรุงใหม่")
    as_sysadmin = {"user": sysadmin["name"]}
    call_action("organization_patch", as_sysadmin, id=org["id"], description="หน่วยงานของรัฐ")
    call_action("group_patch", as_sysadmin, id=group["id"], description="กลุ่มเศรษฐกิจ")
    call_action("opendata_th_readiness_update", {"user": approver["name"]}, organization=org["id"],
                fiscal_year=readiness.current_fiscal_year(), published=True,
                activities={"management_plan": {"level": 3, "evidence": "แผนปฏิบัติการข้อมูลเปิด",
                                                "links": ["https://agency.example/plan.pdf"]},
                            "budget": {"level": 1}},
                actions=[{"activity": "budget", "description": "เสนองบประมาณ", "owner": publisher["name"],
                          "due_date": "2026-01-31"}])
    newest = lambda action, id: call_action(action, id=id)[0]["id"]  # noqa: E731
    return {"approver": approver, "publisher": publisher, "sysadmin": sysadmin,
            "org": org, "group": group,
            "dataset": call_action("package_show", id=dataset["id"]),
            "change": newest("package_activity_list", dataset["id"]),
            "org_change": newest("organization_activity_list", org["id"]),
            "group_change": newest("group_activity_list", group["id"])}


def test_no_untranslated_english_on_the_pages_people_see_in_thai(page, base_url, ckan_config,
                                                                 tmp_path):
    ckan_config["ckan.storage_path"] = str(tmp_path)  # this test's own JS catalogs
    ckan_i18n.build_js_translations()  # as `ckan run` / `ckan translation js` do
    data = portal()
    dataset, org, group = data["dataset"], data["org"]["name"], data["group"]["name"]
    resource = dataset["resources"][0]["id"]
    seen: dict[str, set[str]] = {}
    page.route(PICTURES, lambda route: route.abort())  # text is all this test reads

    def visit(path, who):
        # CKAN's JavaScript modules start once the JS catalog has come
        with page.expect_response(lambda response: "/api/i18n/th" in response.url):
            page.goto(base_url + path, wait_until="domcontentloaded")
        expect(page.locator("html")).to_have_attribute("lang", "th")
        wait_for_modules(page)  # what CKAN's modules show
        english = untranslated().found_in(page.evaluate(COLLECT_TEXT))
        if english:
            seen[f"{path} ({who})"] = english

    public = [
        "/", "/dataset/?tags=การค้า", "/dataset/?q=ไม่มีผลลัพธ์ใดเลย",
        f"/dataset/{dataset['name']}", f"/dataset/{dataset['name']}/resource/{resource}",
        f"/dataset/activity/{dataset['name']}", f"/dataset/groups/{dataset['name']}",
        "/organization/", f"/organization/{org}", f"/organization/about/{org}",
        f"/organization/activity/{org}", "/group/", f"/group/{group}", f"/group/about/{group}",
        f"/group/activity/{group}", "/about", "/user/login", "/user/register",
        "/user/reset", f"/user/{data['publisher']['name']}",
        f"/user/activity/{data['publisher']['name']}", "/dataset/no-such-dataset",
        f"/organization/readiness/{org}",
    ]
    for path in public:
        visit(path, "anonymous")
        if path.startswith("/dataset/activity/"):  # types named in Thai, not "New Package"
            types = page.locator("#activity_types_filter_select option").all_inner_texts()
            assert len(types) > 5 and not [t for t in types if ENGLISH_WORD.search(t)], types
        if path == "/dataset/no-such-dataset":  # not CKAN's "404 Not Found"
            assert page.locator("article h1").inner_text() == "404 ไม่พบหน้าที่ต้องการ"

    log_in(page, base_url, data["publisher"])
    name = data["publisher"]["name"]
    for path in [
        "/dashboard/", "/dashboard/datasets", "/dashboard/organizations", "/dashboard/groups",
        f"/user/{name}", f"/user/edit/{name}", f"/user/{name}/api-tokens",
        "/dataset/new", f"/dataset/edit/{dataset['name']}", f"/dataset/resources/{dataset['name']}",
        f"/dataset/{dataset['name']}/resource/new",
        f"/dataset/{dataset['name']}/resource/{resource}/edit",
        f"/dataset/{dataset['name']}", f"/dataset/changes/{data['change']}",
        f"/organization/{org}", f"/organization/readiness/{org}", f"/organization/dashboard/{org}",
    ]:
        visit(path, "publisher")

    page.context.clear_cookies()
    log_in(page, base_url, data["approver"])
    for path in [
        f"/organization/edit/{org}", f"/organization/members/{org}",
        f"/organization/member_new/{org}", f"/organization/bulk_process/{org}",
        f"/group/edit/{group}", f"/group/members/{group}", f"/group/manage_members/{group}",
        "/user/", f"/organization/changes/{data['org_change']}",
        f"/organization/readiness/{org}", f"/organization/readiness/{org}/edit",
        f"/organization/dashboard/{org}", f"/organization/targets/{org}",
    ]:
        visit(path, "approver")
        # counts and headings CKAN writes in English, or translates after formatting
        if "/bulk_process/" in path or "/manage_members/" in path:
            heading = page.locator("h3.page-heading").first.inner_text()
            assert not ENGLISH_WORD.search(heading), (path, heading)
        if "/changes/" in path:  # only sysadmins may compare versions: an error page
            assert page.locator("article h1").inner_text() == "403 ไม่มีสิทธิ์เข้าถึง"

    page.context.clear_cookies()
    log_in(page, base_url, data["sysadmin"])
    for path in [f"/organization/changes/{data['org_change']}", f"/group/changes/{data['group_change']}"]:
        visit(path, "sysadmin")
        assert page.locator("label[for=changes-from]").inner_text() == "ดูความเปลี่ยนแปลงตั้งแต่"
    visit("/ckan-admin/readiness", "sysadmin")
    visit("/ckan-admin/opendata-dashboard", "sysadmin")

    report = "\n".join(f"{where}:\n  " + "\n  ".join(sorted(found))
                       for where, found in seen.items())
    assert not seen, f"English shown on Thai pages (untranslated messages):\n{report}"
