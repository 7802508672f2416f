"""The dataset and resource forms as the server renders them (no browser):
sections from the schema, the rules the form script gets (taken from the
playbook, never typed in the script), Thai labels of the option lists with
the national values kept, calendar hints, and an error summary whose items
link to their fields. Posting the form is checked by the server whatever the
script did or did not do."""
import html
import json
import re
from pathlib import Path

import pytest

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.opendata_th import form_guide
from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

SECTION_KEYS = ["about", "responsible", "governance", "frequency", "data_type_fields"]


@pytest.fixture
def editor():
    """A publisher: an editor of an organization (``org``), with an API token header."""
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org,
            "headers": {"Authorization": factories.APIToken(user=user["name"])["token"]}}


@pytest.fixture
def org(editor):
    return editor["org"]


def new_form(app, editor, path="/dataset/new"):
    return app.get(path, headers=editor["headers"]).get_data(as_text=True)


def module_rules(body, module="opendata-th-form-guide"):
    match = re.search(rf'data-module="{module}"\s+data-module-rules="([^"]*)"', body)
    assert match, f"no {module} module on the page"
    return json.loads(html.unescape(match.group(1)))


# --- the sections ------------------------------------------------------------------------

def test_every_form_field_is_in_exactly_one_section():
    schema = scheming_get_dataset_schema("dataset")
    sections = form_guide.opendata_th_form_sections(schema)
    assert [section["key"] for section in sections] == SECTION_KEYS
    placed = [field["field_name"] for section in sections for field in section["fields"]]
    assert sorted(placed) == sorted(field["field_name"] for field in schema["dataset_fields"])
    # the schema's own order (the dataset page, the API) is untouched: the rules
    # module reads the same fields in the same order
    assert [f["field_name"] for f in schema["dataset_fields"]] == list(ns.FIELDS["dataset"])


def test_a_field_no_section_names_is_still_on_the_form():
    schema = {"dataset_fields": [{"field_name": "a"}, {"field_name": "b"}, {"field_name": "c"}],
              "form_sections": [{"key": "one", "fields": ["b"]}, {"key": "two", "fields": ["a", "gone"]}]}
    sections = form_guide.opendata_th_form_sections(schema)
    assert [[f["field_name"] for f in s["fields"]] for s in sections] == [["b"], ["a", "c"]]
    assert form_guide.opendata_th_form_sections({"dataset_fields": [{"field_name": "a"}]})[0]["fields"] == [
        {"field_name": "a"}]


def test_the_form_shows_the_sections_in_order_in_thai(app, editor):
    body = new_form(app, editor)
    positions = [body.index(f'id="section-{key}"') for key in SECTION_KEYS]
    assert positions == sorted(positions)
    for heading in ("ข้อมูลนี้คืออะไร", "ใครรับผิดชอบ", "ธรรมาภิบาลข้อมูลและสัญญาอนุญาต",
                    "การปรับปรุงข้อมูล", "รายละเอียดตามประเภทชุดข้อมูล"):
        assert heading in body
    # the fields of a section are inside it
    about = body[positions[0]:positions[1]]
    assert 'name="title"' in about and 'name="maintainer"' not in about
    governance = body[positions[2]:positions[3]]
    assert 'name="data_category"' in governance and 'name="license_id"' in governance


def test_the_form_in_english(app, editor):
    body = new_form(app, editor, "/en/dataset/new")
    for text in ("What the data is", "Who is responsible", "Governance and licence", "Update frequency",
                 "Fields of the data type", "Buddhist Era year, e.g. 2568", "Gregorian calendar (year CE)"):
        assert text in body


# --- the rules the script gets -----------------------------------------------------------

def test_the_script_gets_its_rules_from_the_playbook(app, editor):
    rules = module_rules(new_form(app, editor))
    assert rules["classification"]["allowed"] == {k: list(v) for k, v in ns.CLASSIFICATIONS.items()}
    assert set(rules["time"]["units"]) == frequency.DAILY_OR_SHORTER
    assert rules["other"]["data_type_other"] == ["data_type", "ข้อมูลประเภทอื่นๆ"]
    # every "<field>_other" of a choice field, and nothing else
    expected = {name for name in ns.FIELDS["dataset"]
                if name.endswith("_other") and ns.FIELDS["dataset"].get(name[:-6]) is not None
                and ns.FIELDS["dataset"][name[:-6]].choices}
    assert set(rules["other"]) == expected
    assert {parent for parent, other in rules["other"].values()} <= set(ns.FIELDS["dataset"])
    # the script itself holds no rule of its own
    script = (Path(form_guide.__file__).parent / "assets" / "form-guide.js").read_text(encoding="utf-8")
    assert not re.search("[\u0e00-\u0e7f]", script)


def test_the_resource_form_gets_its_other_boxes(app, editor, org):
    dataset = create_dataset( {"user": editor["user"]["name"]},
                          **national_dataset(owner_org=org["id"], data_type="ข้อมูลสถิติ",
                                             resources=[national_resource()]))
    body = new_form(app, editor, f"/dataset/{dataset['name']}/resource/new")
    rules = module_rules(body)
    assert set(rules["other"]) == {"resource_data_collect_other", "resource_disaggregate_other",
                                   "resource_unit_of_multiplier_other", "resource_equivalent_scale_other"}
    assert "classification" not in rules and "time" not in rules
    assert "ปี พ.ศ. เช่น 2568" in body and "ปฏิทินสากล (ปี ค.ศ.)" in body
    assert 'class="checkboxes opendata-th-choices" id="field-resource_disaggregate"' in body


# --- option lists in Thai, national values kept -------------------------------------------

def test_option_lists_have_thai_labels_and_keep_the_national_values(app, editor):
    body = new_form(app, editor)
    for value, thai in (("Database", "ฐานข้อมูล"), ("Image", "รูปภาพ"), ("Video", "วิดีโอ"),
                        ("Audio", "เสียง"), ("Text", "ข้อความ")):
        assert re.search(rf'value="{value}"\s*/>\s*{thai}\s*</label>', body), value
    assert re.search(r'value="Creative Commons Attributions">ครีเอทีฟคอมมอนส์ แสดงที่มา \(CC BY\)</option>', body)
    english = new_form(app, editor, "/en/dataset/new")
    assert re.search(r'value="Video"\s*/>\s*Video\s*</label>', english)


FORMAT_NAMES = {"CSV", "XML", "JSON", "HTML", "DOC/DOCX", "XLS/XLSX", "PDF", "RDF", "NoSQL",
                "Arc/Info Coverage", "Shapefile", "GeoTiff", "GML"}


def test_every_choice_label_of_the_schema_has_thai_unless_it_is_a_name():
    """A label given as one plain string is shown as it is in Thai: only file
    format names and map scales may be; everything else has a Thai label."""
    schema = scheming_get_dataset_schema("dataset")
    plain = set()
    for field in schema["dataset_fields"] + schema["resource_fields"]:
        for choice in field.get("choices", []):
            label = choice["label"]
            if isinstance(label, dict):
                assert label["th"] and label["en"], (field["field_name"], choice)
            elif not re.fullmatch(r"1:[0-9,]+", label):
                plain.add(label)
    assert plain <= FORMAT_NAMES, plain - FORMAT_NAMES


# --- the error summary ---------------------------------------------------------------------

def test_error_summary_items_link_to_their_fields_in_the_form_order(app, editor, org):
    form = {"data_type": "ข้อมูลสถิติ", "title": "ข้อมูลทดสอบ", "name": "form-errors",
            "owner_org": org["id"], "geo_coverage": "อื่นๆ", "first_year_of_data": "2023",
            "update_frequency_unit": "วัน", "save": ""}
    body = app.post("/dataset/new", headers=editor["headers"], data=form).get_data(as_text=True)
    summary = body[body.index('class="error-explanation'):]
    summary = summary[:summary.index("</ul>")]
    links = re.findall(r'<li data-field-label="([^"]+)"><a href="#([^"]+)">', summary)
    assert links, summary
    for name, anchor in links:
        assert f'id="{anchor}"' in body, anchor  # the link's target is on the page
        assert anchor in (f"field-{name}", "field-organizations")
    names = [name for name, _ in links]
    assert {"geo_coverage_other", "first_year_of_data", "update_frequency_time", "maintainer"} <= set(names)
    # the form's order (sections), not the schema's
    assert names.index("notes") < names.index("maintainer") < names.index("update_frequency_time") \
        < names.index("first_year_of_data")
    assert model.Session.query(model.Package).filter_by(name="form-errors").count() == 0


def test_a_classification_the_category_does_not_allow_is_refused_when_posted(app, editor, org):
    """What the form script would not offer is refused by the server."""
    form = {**national_dataset(owner_org=org["id"], name="refused-level"), "save": ""}
    form.update(data_classification="ลับ", tag_string="การค้า")
    del form["tags"]
    body = app.post("/dataset/new", headers=editor["headers"], data=form).get_data(as_text=True)
    assert 'data-field-label="data_classification"><a href="#field-data_classification">' in body
    assert model.Session.query(model.Package).filter_by(name="refused-level").count() == 0


def test_checked_boxes_are_kept_when_the_form_comes_back(app, editor, org):
    form = {"data_type": "ข้อมูลระเบียน", "owner_org": org["id"], "data_format": ["CSV", "XLS"],
            "objective": "อื่นๆ", "save": ""}
    body = app.post("/dataset/new", headers=editor["headers"], data=form).get_data(as_text=True)
    checked = re.findall(r'name="(\w+)" value="([^"]+)" checked', body)
    assert sorted(checked) == [("data_format", "CSV"), ("data_format", "XLS"), ("objective", "อื่นๆ")]


def test_resource_error_summary_links_to_the_resource_fields(app, editor, org):
    dataset = create_dataset( {"user": editor["user"]["name"]},
                          **national_dataset(owner_org=org["id"], data_type="ข้อมูลสถิติ",
                                             resources=[national_resource()]))
    form = {"id": "", "url": "", "name": "", "resource_first_year_of_data": "2023", "save": "go-metadata"}
    body = app.post(f"/dataset/{dataset['name']}/resource/new", headers=editor["headers"],
                    data=form).get_data(as_text=True)
    links = dict(re.findall(r'<li data-field-label="([^"]+)"><a href="#([^"]+)">', body))
    assert links.get("url") == "field-resource-url"
    assert links.get("resource_first_year_of_data") == "field-resource_first_year_of_data"
    for anchor in links.values():
        assert f'id="{anchor}"' in body
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1
