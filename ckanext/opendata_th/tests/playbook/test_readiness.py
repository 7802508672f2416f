"""The readiness assessment's pure rules: the schema file and its loader,
fiscal years, validating and merging what an admin fills in, the history of
changes, and the readiness verdict, with its messages in Thai and English."""
from __future__ import annotations

import copy
import datetime as dt
import itertools
import re

import pytest
import yaml

from ckanext.opendata_th.playbook import readiness as r
from ckanext.opendata_th.playbook.messages import Label, Message
from ckanext.opendata_th.tests.playbook.catalog import B, shown, th

KEYS = ("management_plan", "capacity_building", "promoting_reuse", "budget", "strategy")
BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def schema():
    return r.load_schema()


def ids():
    counter = itertools.count(1)
    return lambda: f"new-{next(counter)}"


def errors_of(excinfo) -> dict[str, list[str]]:
    """A ReadinessInputError's errors as English texts, by path."""
    return {path: [m.render() for m in messages] for path, messages in excinfo.value.errors.items()}


# --- the shipped schema -------------------------------------------------------

def test_the_shipped_file_has_five_activities_on_five_levels_in_both_languages(schema):
    assert schema.path == str(r.SCHEMA_FILE)
    assert schema.keys == KEYS
    assert schema.max_level == 5 and schema.required_level == 2
    assert [name.en for name in schema.level_names] == [
        "Initial", "Repeatable", "Defined", "Managed", "Optimising"]
    assert [a.odi_theme for a in schema.activities] == [
        "Data management processes", "Knowledge and skills", "Customer support and engagement",
        "Investment and financial performance", "Strategic oversight"]
    assert schema.activity("budget").name == Label("งบประมาณ", "Budget")
    assert schema.activity("management_plan").name.th == "การจัดทำแผนการบริหารจัดการข้อมูลเปิด"
    for activity in schema.activities:
        assert [level.number for level in activity.levels] == [1, 2, 3, 4, 5]
        texts = [activity.name, activity.question] + [
            text for level in activity.levels for text in (level.description, level.evidence)]
        for label in texts:
            assert re.search("[\u0e00-\u0e7f]", label.th), label  # Thai is Thai
            assert not re.search("[\u0e00-\u0e7f]", label.en), label  # English has no Thai
        # every level says something of its own
        assert len({level.description.th for level in activity.levels}) == 5
        assert len({level.evidence.en for level in activity.levels}) == 5
    assert activity.level(3).name == Label("มีการกำหนดไว้ชัดเจน", "Defined")


def test_the_shipped_texts_follow_the_glossary(schema):
    from ckanext.opendata_th.tests.test_glossary import load_glossary
    raw = r.SCHEMA_FILE.read_text(encoding="utf-8")
    for term in load_glossary():
        if term["scope"] != "everywhere":
            continue
        text = raw
        for phrase in term["except"]:
            text = text.replace(phrase, "")
        assert not [word for word in term["avoid"] if word in text], term["concept"]
    assert "กิจกรรม" not in "".join(a.name.th + a.question.th for a in schema.activities)


def test_lookups_refuse_what_is_not_there(schema):
    with pytest.raises(KeyError):
        schema.activity("marketing")
    with pytest.raises(KeyError):
        schema.activity("budget").level(6)
    assert schema.level_name(5) == Label("ปรับปรุงอย่างต่อเนื่อง", "Optimising")
    with pytest.raises(KeyError):
        schema.level_name(0)


def test_as_dict_gives_the_texts_in_one_language(schema):
    thai, english = schema.as_dict("th"), schema.as_dict("en")
    assert thai["version"] == english["version"] == schema.version
    assert thai["required_level"] == 2
    assert thai["levels"][0] == {"number": 1, "name": "เริ่มต้น"}
    assert english["levels"][4] == {"number": 5, "name": "Optimising"}
    budget = english["activities"][3]
    assert (budget["key"], budget["name"], budget["odi_theme"]) == (
        "budget", "Budget", "Investment and financial performance")
    assert budget["levels"][2]["name"] == "Defined"
    assert budget["levels"][2]["description"] == schema.activity("budget").level(3).description.en
    assert thai["activities"][3]["levels"][0]["evidence"] == schema.activity("budget").level(1).evidence.th
    assert schema.as_dict("fr") == english  # any other language reads English


# --- broken schema files ------------------------------------------------------

def small_schema() -> dict:
    """A valid two-activity, three-level schema of a sysadmin's own."""
    def text(word):
        return {"th": f"ข้อความ {word}", "en": f"text {word}"}

    return {
        "version": "2570-test",
        "rule": {"required_level": 3},
        "levels": [{"number": n, "name": {"th": f"ระดับที่ {n}", "en": f"Step {n}"}} for n in (1, 2, 3)],
        "activities": [{
            "key": key, "name": text(key), "question": text("q"),
            "levels": [{"number": n, "description": text(f"d{n}"), "evidence": text(f"e{n}")}
                       for n in (1, 2, 3)],
        } for key in ("open_data_officer", "data_catalog")],
    }


def write(tmp_path, data, name="readiness.yaml"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_a_sysadmins_own_schema_with_other_activities_works(tmp_path):
    schema = r.load_schema(write(tmp_path, small_schema()))
    assert schema.keys == ("open_data_officer", "data_catalog")
    assert (schema.max_level, schema.required_level, schema.version) == (3, 3, "2570-test")
    assert schema.activity("data_catalog").odi_theme == ""  # optional
    assert schema.activity("data_catalog").level(2).description == Label("ข้อความ d2", "text d2")
    assert schema.level_names[2] == Label("ระดับที่ 3", "Step 3")
    document = r.empty_document(schema)
    assert set(document["activities"]) == {"open_data_officer", "data_catalog"}
    document = r.merge_update(schema, document, {"activities": {
        "open_data_officer": {"level": 3}, "data_catalog": {"level": 3}}}, new_id=ids())
    assert r.evaluate(schema, document).ready
    with pytest.raises(r.ReadinessInputError) as excinfo:
        r.merge_update(schema, document, {"activities": {"budget": {"level": 4}}}, new_id=ids())
    assert errors_of(excinfo) == {"activities.budget": [
        "Unknown activity “budget”: the activities are “open_data_officer”, “data_catalog”"]}


def broken(change):
    data = small_schema()
    change(data)
    return data


@pytest.mark.parametrize("data, place, problem", [
    (broken(lambda d: d["activities"][1]["levels"][2]["description"].pop("th")),
     "activities[2].levels[3].description.th", "is missing"),
    (broken(lambda d: d["activities"][0]["levels"][1]["evidence"].update(en="  ")),
     "activities[1].levels[2].evidence.en", "must be a non-empty text"),
    (broken(lambda d: d["activities"][1].update(key="open_data_officer")),
     "activities[2].key", "“open_data_officer” is given to two activities"),
    (broken(lambda d: d["activities"][0]["levels"][2].update(number=4)),
     "activities[1].levels[3].number", "is 4, expected 3"),
    (broken(lambda d: d["levels"].pop(1)),
     "levels[2].number", "is 3, expected 2"),
    (broken(lambda d: d["activities"][1]["levels"].pop()),
     "activities[2].levels", "has 2 levels, but the schema has 3"),
    (broken(lambda d: d["rule"].update(required_level=4)),
     "rule.required_level", "is 4, but must be a level from 1 to 3"),
    (broken(lambda d: d["rule"].update(required_level=0)),
     "rule.required_level", "is 0, but must be a level from 1 to 3"),
    (broken(lambda d: d["rule"].update(required_level="2")),
     "rule.required_level", "must be a whole number"),
    (broken(lambda d: d.pop("version")), "version", "is missing"),
    (broken(lambda d: d.update(activities=[])), "activities", "must be a non-empty list"),
    (broken(lambda d: d["activities"][0].update(key="Data Catalog")),
     "activities[1].key", "must be lower-case letters"),
    (broken(lambda d: d["activities"][0].update(desciption="typo")),
     "activities[1].desciption", "is not a known key"),
    (broken(lambda d: d["activities"][0].update(name="just one language")),
     "activities[1].name", "must be a mapping"),
    (["a", "list"], "", "must be a mapping"),
])
def test_a_broken_file_names_the_file_the_place_and_the_problem(tmp_path, data, place, problem):
    path = write(tmp_path, data)
    with pytest.raises(r.ReadinessSchemaError) as excinfo:
        r.load_schema(path)
    error = excinfo.value
    assert error.path == str(path) and error.place == place
    assert str(path) in str(error) and place in str(error) and problem in str(error)
    assert str(error).startswith(f"The readiness schema {path} is broken: ")
    assert th(error).startswith(f"ไฟล์แบบประเมินความพร้อม {path} ไม่ถูกต้อง")


def test_a_key_given_twice_in_the_yaml_is_an_error_with_its_line(tmp_path):
    text = yaml.safe_dump(small_schema(), allow_unicode=True, sort_keys=False)
    text = text.replace("version: 2570-test\n", "version: 2570-test\nversion: again\n")
    with pytest.raises(r.ReadinessSchemaError) as excinfo:
        r.load_schema(write(tmp_path, text))
    assert "the YAML is not valid at line 2, column 1: found the key 'version' twice" in str(excinfo.value)


def test_bad_yaml_gives_its_line_and_column(tmp_path):
    path = write(tmp_path, "version: 1\nrule: [unclosed\n")
    with pytest.raises(r.ReadinessSchemaError) as excinfo:
        r.load_schema(path)
    assert str(path) in str(excinfo.value)
    assert re.search(r"the YAML is not valid at line \d+, column \d+: ", str(excinfo.value))
    assert "รูปแบบ YAML ไม่ถูกต้องที่บรรทัด" in th(excinfo.value)


def test_a_missing_or_unreadable_file_is_a_schema_error(tmp_path):
    with pytest.raises(r.ReadinessSchemaError) as excinfo:
        r.load_schema(tmp_path / "nowhere.yaml")
    assert str(excinfo.value) == (f"The readiness schema {tmp_path / 'nowhere.yaml'} is broken: "
                                  "the file cannot be read (No such file or directory)")
    (tmp_path / "latin1.yaml").write_bytes("version: caf\xe9\n".encode("latin-1"))
    with pytest.raises(r.ReadinessSchemaError, match="not UTF-8"):
        r.load_schema(tmp_path / "latin1.yaml")
    with pytest.raises(r.ReadinessSchemaError, match="is broken: must be a mapping"):
        r.load_schema(write(tmp_path, ""))


# --- fiscal years ---------------------------------------------------------------

@pytest.mark.parametrize("moment, year", [
    (dt.datetime(2026, 9, 30, 23, 59), 2569),                          # naive: Bangkok time
    (dt.datetime(2026, 9, 30, 23, 59, tzinfo=BANGKOK), 2569),
    (dt.datetime(2026, 10, 1, 0, 0, tzinfo=BANGKOK), 2570),
    (dt.datetime(2026, 10, 1, 0, 0), 2570),
    (dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.timezone.utc), 2570),  # = 1 Oct 00:00 in Bangkok
    (dt.datetime(2026, 9, 30, 16, 59, tzinfo=dt.timezone.utc), 2569),
    (dt.date(2026, 9, 30), 2569),
    (dt.date(2026, 10, 1), 2570),
    (dt.date(2027, 9, 30), 2570),
])
def test_the_fiscal_year_turns_on_1_october_in_bangkok(moment, year):
    assert r.fiscal_year_of(moment) == year


def test_fiscal_year_bounds_and_label():
    assert r.fiscal_year_bounds(2570) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert r.fiscal_year_bounds(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    start, end = r.fiscal_year_bounds(2570)
    assert r.fiscal_year_of(start) == r.fiscal_year_of(end) == 2570
    assert r.fiscal_year_of(start - dt.timedelta(days=1)) == 2569
    assert shown(r.fiscal_year_label(2570)) == B(
        "ปีงบประมาณ 2570 (1 ต.ค. 2569 – 30 ก.ย. 2570)", "fiscal year 2570 (1 Oct 2026 – 30 Sep 2027)")


@pytest.mark.parametrize("value, year", [
    ("2569", 2569), (2569, 2569), (" 2570 ", 2570), ("๒๕๖๙", 2569), (2550, 2550),
])
def test_a_fiscal_year_is_read_from_a_number_or_digits(value, year):
    assert r.parse_fiscal_year(value, current=2569) == year


@pytest.mark.parametrize("value, expected", [
    (2026, B("2026 ดูเหมือนเป็นปีคริสต์ศักราช แต่ปีงบประมาณต้องเป็นปีพุทธศักราช หมายถึง 2569 ใช่หรือไม่",
             "2026 looks like a year of the Common Era; fiscal years are in the Buddhist Era: "
             "did you mean 2569?")),
    ("2027", B("2027 ดูเหมือนเป็นปีคริสต์ศักราช แต่ปีงบประมาณต้องเป็นปีพุทธศักราช หมายถึง 2570 ใช่หรือไม่",
               "2027 looks like a year of the Common Era; fiscal years are in the Buddhist Era: "
               "did you mean 2570?")),
    ("abc", B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
              "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    ("", B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
           "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    ("2569.5", B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
                 "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    (None, B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
             "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    (True, B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
             "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    ("9" * 400, B("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น 2569",
                  "The fiscal year must be a whole number, a year of the Buddhist Era such as 2569")),
    (2549, B("ปีงบประมาณต้องอยู่ระหว่าง 2550 ถึง 2570", "The fiscal year must be from 2550 to 2570")),
    (2571, B("ปีงบประมาณต้องอยู่ระหว่าง 2550 ถึง 2570", "The fiscal year must be from 2550 to 2570")),
    (69, B("ปีงบประมาณต้องอยู่ระหว่าง 2550 ถึง 2570", "The fiscal year must be from 2550 to 2570")),
])
def test_a_wrong_fiscal_year_says_why_in_both_languages(value, expected):
    with pytest.raises(r.ReadinessInputError) as excinfo:
        r.parse_fiscal_year(value, current=2569)
    assert list(excinfo.value.errors) == ["fiscal_year"]
    [message] = excinfo.value.errors["fiscal_year"]
    assert shown(message) == expected
    assert shown(excinfo.value.message) == expected  # one error: the error's own message


def test_next_fiscal_year_may_be_prepared_but_not_the_one_after():
    assert r.parse_fiscal_year(2570, current=2569) == 2570
    with pytest.raises(r.ReadinessInputError):
        r.parse_fiscal_year(2571, current=2569)


# --- merging what an admin fills in --------------------------------------------

def test_the_empty_document_has_every_activity_not_assessed(schema):
    document = r.empty_document(schema)
    assert list(document["activities"]) == list(KEYS)
    assert document["activities"]["budget"] == {"level": None, "evidence": "", "links": [], "responsible": ""}
    assert document["actions"] == []
    assert r.empty_document(schema) is not document


def test_answers_merge_per_activity_and_field(schema):
    first = r.merge_update(schema, None, {"activities": {
        "budget": {"level": 2, "evidence": "งบประมาณจากโครงการระบบสารสนเทศ", "responsible": "กองคลัง"},
        "strategy": {"level": 1},
    }}, new_id=ids())
    assert first["activities"]["budget"] == {"level": 2, "evidence": "งบประมาณจากโครงการระบบสารสนเทศ",
                                             "links": [], "responsible": "กองคลัง"}
    second = r.merge_update(schema, first, {"activities": {"budget": {"level": 3}}}, new_id=ids())
    assert second["activities"]["budget"] == dict(first["activities"]["budget"], level=3)
    assert second["activities"]["strategy"]["level"] == 1
    assert first["activities"]["budget"]["level"] == 2  # not mutated
    assert second["actions"] == []


def test_form_input_is_accepted(schema):
    document = r.merge_update(schema, None, {
        "activities": {
            "budget": {"level": "3", "evidence": "  ข้อความ  ",
                       "links": "https://example.go.th/plan.pdf\r\n\r\n  http://example.go.th/a  \n"},
            "strategy": {"level": ""},
            "management_plan": {"level": "๔", "links": ["https://example.go.th/x"]},
            "promoting_reuse": {"level": None, "responsible": None},
        },
        "actions": [
            {"activity": "budget", "description": "ขอตั้งงบประมาณปี 2570", "owner": "somchai",
             "due_date": "2026-12-31", "done": "on"},
            {"activity": "strategy", "description": "เสนอผู้บริหาร", "due_date": "", "done": ""},
            {"activity": "strategy", "description": "แต่งตั้งคณะทำงาน", "due_date": dt.date(2027, 1, 15),
             "done": "false"},
            {"activity": "strategy", "description": "ร่างแผน", "done": True},
        ],
    }, new_id=ids())
    answers = document["activities"]
    assert answers["budget"]["level"] == 3 and answers["budget"]["evidence"] == "ข้อความ"
    assert answers["budget"]["links"] == ["https://example.go.th/plan.pdf", "http://example.go.th/a"]
    assert answers["strategy"]["level"] is None
    assert answers["management_plan"]["level"] == 4
    assert answers["promoting_reuse"] == {"level": None, "evidence": "", "links": [], "responsible": ""}
    assert document["actions"] == [
        {"id": "new-1", "activity": "budget", "description": "ขอตั้งงบประมาณปี 2570", "owner": "somchai",
         "due_date": "2026-12-31", "done": True},
        {"id": "new-2", "activity": "strategy", "description": "เสนอผู้บริหาร", "owner": "",
         "due_date": None, "done": False},
        {"id": "new-3", "activity": "strategy", "description": "แต่งตั้งคณะทำงาน", "owner": "",
         "due_date": "2027-01-15", "done": False},
        {"id": "new-4", "activity": "strategy", "description": "ร่างแผน", "owner": "",
         "due_date": None, "done": True},
    ]


def test_actions_replace_the_list_keeping_given_ids(schema):
    first = r.merge_update(schema, None, {"actions": [
        {"activity": "budget", "description": "a"}, {"activity": "budget", "description": "b"}]},
        new_id=ids())
    assert [a["id"] for a in first["actions"]] == ["new-1", "new-2"]
    kept = dict(first["actions"][1], done="true", overdue=True)  # the show action's "overdue" is ignored
    second = r.merge_update(schema, first, {"actions": [kept, {"activity": "strategy", "description": "c"}]},
                            new_id=lambda: "fresh")
    assert second["actions"] == [
        {"id": "new-2", "activity": "budget", "description": "b", "owner": "", "due_date": None, "done": True},
        {"id": "fresh", "activity": "strategy", "description": "c", "owner": "", "due_date": None,
         "done": False}]
    assert [a["id"] for a in first["actions"]] == ["new-1", "new-2"]
    assert r.merge_update(schema, second, {"actions": []}, new_id=ids())["actions"] == []
    # numbered form fields come in order
    numbered = r.merge_update(schema, None, {"actions": {
        "1": {"activity": "budget", "description": "second"},
        "0": {"activity": "budget", "description": "first"}}}, new_id=ids())
    assert [a["description"] for a in numbered["actions"]] == ["first", "second"]


def test_activities_no_longer_in_the_schema_are_kept(schema):
    stored = r.empty_document(schema)
    stored["activities"]["old_theme"] = {"level": 4, "evidence": "x", "links": [], "responsible": ""}
    merged = r.merge_update(schema, stored, {"activities": {"budget": {"level": 2}}}, new_id=ids())
    assert merged["activities"]["old_theme"]["level"] == 4


def test_every_error_is_reported_at_once_and_nothing_changes(schema):
    current = r.merge_update(schema, None, {
        "activities": {"budget": {"level": 2}},
        "actions": [{"activity": "budget", "description": "keep"}]}, new_id=ids())
    before = copy.deepcopy(current)
    with pytest.raises(r.ReadinessInputError) as excinfo:
        r.merge_update(schema, current, {
            "activities": {
                "marketing": {"level": 2},
                "budget": {"level": 6, "evidence": "x" * 10001, "colour": "red"},
                "strategy": {"level": "two", "responsible": "ก" * 201,
                             "links": ["ftp://example.go.th/a", "https://ok.go.th", "h" * 1001]},
                "management_plan": {"links": [f"https://example.go.th/{n}" for n in range(21)]},
                "capacity_building": "level 3",
            },
            "actions": [
                {"activity": "budget", "description": ""},
                {"activity": "nowhere", "description": "d" * 2001, "owner": "o" * 101,
                 "due_date": "31/12/2026", "done": "maybe"},
                {"activity": "budget", "description": "ok", "due_date": "2026-02-30"},
                "not an action",
                {"id": "same", "activity": "budget", "description": "a"},
                {"id": "same", "activity": "budget", "description": "b", "priority": 1},
            ],
            "published": True,
        }, new_id=ids())
    assert current == before
    errors = errors_of(excinfo)
    assert errors == {
        "activities.marketing": [
            "Unknown activity “marketing”: the activities are “management_plan”, “capacity_building”, "
            "“promoting_reuse”, “budget”, “strategy”"],
        "activities.budget.colour": [
            "Unknown field “colour”: the fields are “level”, “evidence”, “links”, “responsible”"],
        "activities.budget.level": ["The level must be a whole number from 1 to 5, or empty when not assessed"],
        "activities.budget.evidence": ["Must be at most 10000 characters long (it is 10001)"],
        "activities.strategy.level": ["The level must be a whole number from 1 to 5, or empty when not assessed"],
        "activities.strategy.links": [
            "“ftp://example.go.th/a” is not a web address starting with http:// or https://",
            "The link “" + "h" * 59 + "…” is longer than 1000 characters"],
        "activities.strategy.responsible": ["Must be at most 200 characters long (it is 201)"],
        "activities.management_plan.links": ["Give at most 20 links"],
        "activities.capacity_building": [
            "Must be a mapping of fields (level, evidence, links, responsible)"],
        "actions.0.description": ["Describe the improvement action"],
        "actions.1.activity": [
            "Unknown activity “nowhere”: the activities are “management_plan”, “capacity_building”, "
            "“promoting_reuse”, “budget”, “strategy”"],
        "actions.1.description": ["Must be at most 2000 characters long (it is 2001)"],
        "actions.1.owner": ["Must be at most 100 characters long (it is 101)"],
        "actions.1.due_date": ["The due date must be a date written YYYY-MM-DD (Common Era), e.g. 2026-12-31"],
        "actions.1.done": ["“Done” must be true or false"],
        "actions.2.due_date": ["The due date must be a date written YYYY-MM-DD (Common Era), e.g. 2026-12-31"],
        "actions.3": ["An improvement action must be a mapping of fields"],
        "actions.5.priority": [
            "Unknown field “priority”: the fields are “id”, “activity”, “description”, “owner”, "
            "“due_date”, “done”"],
        "actions.5.id": ["Two improvement actions have the id “same”"],
        "published": ["Unknown field “published”: the fields are “activities”, “actions”"],
    }
    message = shown(excinfo.value.message)
    assert message.en.startswith("Please correct these errors: Unknown field “published”: the fields are "
                                 "“activities”, “actions”, Unknown activity “marketing”")
    assert message.th.startswith("กรุณาแก้ไขข้อผิดพลาดต่อไปนี้: ไม่รู้จักช่อง “published” ช่องที่ใช้ได้คือ "
                                 "“activities”, “actions”, ไม่รู้จักด้าน “marketing” ด้านที่มีคือ")


@pytest.mark.parametrize("changes, path", [
    ({"activities": ["budget"]}, "activities"),
    ({"actions": "do something"}, "actions"),
    ({"actions": [{"activity": "budget", "description": "x"}] * 101}, "actions"),
    ({"actions": [{"description": "x"}]}, "actions.0.activity"),
    ({"actions": [{"activity": "budget", "description": "x", "id": "i" * 101}]}, "actions.0.id"),
    ({"actions": [{"activity": "budget", "description": 5}]}, "actions.0.description"),
    ({"actions": [{"activity": "budget", "description": "x", "due_date": dt.datetime(2026, 1, 1)}]},
     "actions.0.due_date"),
    ({"activities": {"budget": {"level": 0}}}, "activities.budget.level"),
    ({"activities": {"budget": {"level": True}}}, "activities.budget.level"),
    ({"activities": {"budget": {"level": 2.5}}}, "activities.budget.level"),
    ({"activities": {"budget": {"links": 5}}}, "activities.budget.links"),
    ({"activities": {"budget": {"links": ["https://a.go.th", 5]}}}, "activities.budget.links"),
    ({"activities": {"budget": {"links": "https://"}}}, "activities.budget.links"),
    ({"activities": {"budget": {"evidence": ["x"]}}}, "activities.budget.evidence"),
])
def test_each_kind_of_bad_input_is_refused_at_its_path(schema, changes, path):
    with pytest.raises(r.ReadinessInputError) as excinfo:
        r.merge_update(schema, None, changes, new_id=ids())
    assert list(excinfo.value.errors) == [path]
    for message in excinfo.value.errors[path]:
        assert message.render() and re.search("[\u0e00-\u0e7f]", th(message))


def test_changes_that_are_not_a_mapping_are_refused(schema):
    with pytest.raises(r.ReadinessInputError):
        r.merge_update(schema, None, ["budget"], new_id=ids())


def test_input_errors_render_in_thai(schema):
    with pytest.raises(r.ReadinessInputError) as excinfo:
        r.merge_update(schema, None, {"activities": {"budget": {"level": 9}}}, new_id=ids())
    assert shown(excinfo.value.message) == B(
        "ระดับต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 5 หรือเว้นว่างไว้หากยังไม่ได้ประเมิน",
        "The level must be a whole number from 1 to 5, or empty when not assessed")


# --- history ---------------------------------------------------------------------

def test_changes_lists_what_differs(schema):
    first = r.merge_update(schema, None, {
        "activities": {"budget": {"level": 1, "links": ["https://a.go.th"]}},
        "actions": [{"activity": "budget", "description": "a"}, {"activity": "budget", "description": "b"}]},
        new_id=ids())
    assert r.changes(first, copy.deepcopy(first)) == []
    assert r.changes(None, first) == [
        {"field": "activities.budget.level", "old": None, "new": 1},
        {"field": "activities.budget.links", "old": [], "new": ["https://a.go.th"]},
        {"field": "actions.new-1", "old": None, "new": first["actions"][0]},
        {"field": "actions.new-2", "old": None, "new": first["actions"][1]},
    ]
    second = r.merge_update(schema, first, {
        "activities": {"budget": {"level": 2}, "strategy": {"responsible": "ผอ."}},
        "actions": [dict(first["actions"][1], done=True)]}, new_id=ids())
    assert r.changes(first, second) == [
        {"field": "activities.budget.level", "old": 1, "new": 2},
        {"field": "activities.strategy.responsible", "old": "", "new": "ผอ."},
        {"field": "actions.new-2", "old": first["actions"][1], "new": second["actions"][0]},
        {"field": "actions.new-1", "old": first["actions"][0], "new": None},
    ]


def test_field_labels_name_the_activity_and_field(schema):
    assert shown(r.field_label(schema, "activities.budget.level")) == B("งบประมาณ: ระดับ", "Budget: level")
    assert shown(r.field_label(schema, "activities.strategy.responsible")) == B(
        "ยุทธศาสตร์: ผู้รับผิดชอบ", "Strategy: person responsible")
    assert shown(r.field_label(schema, "activities.budget.links")) == B("งบประมาณ: ลิงก์", "Budget: links")
    assert shown(r.field_label(schema, "activities.budget.evidence")) == B(
        "งบประมาณ: หลักฐาน", "Budget: evidence")
    assert shown(r.field_label(schema, "activities.old_theme.level")) == B("old_theme: ระดับ", "old_theme: level")
    assert shown(r.field_label(schema, "actions.abc")) == B("การดำเนินการปรับปรุง", "Improvement action")
    assert shown(r.field_label(schema, "published")) == B("ช่อง published", "Field published")


# --- the readiness rule ------------------------------------------------------------

def levels(schema, **given):
    return r.merge_update(schema, None, {"activities": {key: {"level": level} for key, level in given.items()}},
                          new_id=ids())


def test_ready_when_every_activity_reaches_the_required_level(schema):
    verdict = r.evaluate(schema, levels(schema, management_plan=2, capacity_building=3, promoting_reuse=5,
                                        budget=2, strategy=4))
    assert verdict == r.Verdict(ready=True, required_level=2, gaps=())
    assert shown(verdict.message()) == B("พร้อม: ทุกด้านอยู่ที่ระดับ 2 ขึ้นไป",
                                         "Ready: every activity is at level 2 or above")
    assert verdict.as_dict() == {"ready": True, "required_level": 2, "gaps": [],
                                 "message": {"id": "Ready: every activity is at level {level} or above",
                                             "params": {"level": 2}}}


def test_not_ready_says_what_is_missing(schema):
    verdict = r.evaluate(schema, levels(schema, management_plan=2, capacity_building=3, promoting_reuse=2,
                                        budget=1))
    assert not verdict.ready
    assert verdict.gaps == (
        r.Gap("budget", Label("งบประมาณ", "Budget"), 1, 2),
        r.Gap("strategy", Label("ยุทธศาสตร์", "Strategy"), None, 2))
    assert shown(verdict.message()) == B(
        "ยังไม่พร้อม: งบประมาณ อยู่ที่ระดับ 1, ยุทธศาสตร์ ยังไม่ได้ประเมิน ทั้งนี้ทุกด้านต้องอยู่ที่ระดับ 2 ขึ้นไป",
        "Not ready: Budget is at level 1, Strategy is not assessed; every activity must be at level 2 or above")
    as_dict = verdict.as_dict()
    assert as_dict["gaps"][0] == {"activity": "budget", "level": 1, "required": 2, "message": {
        "id": "{activity} is at level {level}", "params": {"activity": {"th": "งบประมาณ", "en": "Budget"},
                                                           "level": 1}}}
    assert as_dict["gaps"][1]["level"] is None and as_dict["ready"] is False


def test_nothing_assessed_is_not_ready(schema):
    for document in (None, {}, r.empty_document(schema), {"activities": "broken"}):
        verdict = r.evaluate(schema, document)
        assert not verdict.ready and [gap.activity for gap in verdict.gaps] == list(KEYS)
        assert all(gap.level is None for gap in verdict.gaps)


def test_a_configured_level_overrides_the_schemas_rule(schema):
    document = levels(schema, management_plan=3, capacity_building=3, promoting_reuse=3, budget=3, strategy=2)
    assert r.evaluate(schema, document).ready
    strict = r.evaluate(schema, document, required_level=3)
    assert not strict.ready and strict.required_level == 3
    assert [(gap.activity, gap.level, gap.required) for gap in strict.gaps] == [("strategy", 2, 3)]
    assert r.evaluate(schema, levels(schema, budget=1), required_level=1).gaps[0].activity == "management_plan"
    assert r.evaluate(schema, levels(schema, management_plan=1, capacity_building=1, promoting_reuse=1,
                                     budget=1, strategy=1), required_level=1).ready


def test_a_stored_level_that_is_not_a_number_counts_as_not_assessed(schema):
    document = levels(schema, management_plan=2, capacity_building=2, promoting_reuse=2, budget=2, strategy=2)
    document["activities"]["budget"]["level"] = "2"
    assert [gap.activity for gap in r.evaluate(schema, document).gaps] == ["budget"]
    document["activities"]["budget"]["level"] = True
    assert [gap.level for gap in r.evaluate(schema, document).gaps] == [None]


# --- next year, overdue actions, the gate's message ----------------------------------

def test_carry_forward_keeps_answers_and_open_actions(schema):
    document = r.merge_update(schema, None, {
        "activities": {"budget": {"level": 2, "evidence": "e", "links": ["https://a.go.th"]}},
        "actions": [{"activity": "budget", "description": "done", "done": True},
                    {"activity": "budget", "description": "open", "due_date": "2026-03-01"}]}, new_id=ids())
    before = copy.deepcopy(document)
    forward = r.carry_forward(document)
    assert forward["activities"] == document["activities"]
    assert forward["actions"] == [document["actions"][1]]
    forward["activities"]["budget"]["links"].append("https://b.go.th")
    assert document == before  # a copy, not the same objects
    assert r.carry_forward({}) == {"activities": {}, "actions": []}


def test_overdue_actions_are_open_and_due_before_today(schema):
    document = r.merge_update(schema, None, {"actions": [
        {"activity": "budget", "description": "late", "due_date": "2026-11-28"},
        {"activity": "budget", "description": "due today", "due_date": "2026-11-29"},
        {"activity": "budget", "description": "late but done", "due_date": "2026-01-01", "done": True},
        {"activity": "budget", "description": "no date"},
    ]}, new_id=ids())
    overdue = r.overdue_actions(document, dt.date(2026, 11, 29))
    assert [action["description"] for action in overdue] == ["late"]
    assert overdue[0] == document["actions"][0] and overdue[0] is not document["actions"][0]
    assert r.overdue_actions(document, dt.date(2026, 11, 28)) == []
    assert r.overdue_actions(None, dt.date(2026, 11, 29)) == []
    assert r.overdue_actions({"actions": [{"due_date": "garbage"}, "x"]}, dt.date(2030, 1, 1)) == []


def test_the_gates_message_says_why_and_where(schema):
    verdict = r.evaluate(schema, levels(schema, management_plan=2, capacity_building=2, promoting_reuse=2,
                                        budget=1))
    url = "https://data.example.go.th/organization/readiness/moph?year=2570"
    message = r.not_ready_message("กรมตัวอย่าง", 2570, verdict, url)
    assert shown(message) == B(
        "“กรมตัวอย่าง” ยังไม่พร้อมเผยแพร่ข้อมูลในปีงบประมาณ 2570 (1 ต.ค. 2569 – 30 ก.ย. 2570): "
        "งบประมาณ อยู่ที่ระดับ 1, ยุทธศาสตร์ ยังไม่ได้ประเมิน ทุกด้านต้องอยู่ที่ระดับ 2 ขึ้นไป "
        f"กรุณาทำแบบประเมินความพร้อมให้ครบถ้วน: {url}",
        "“กรมตัวอย่าง” is not ready to publish data in fiscal year 2570 (1 Oct 2026 – 30 Sep 2027): "
        "Budget is at level 1, Strategy is not assessed; every activity must be at level 2 or above. "
        f"Complete its readiness assessment: {url}")


def test_every_message_id_of_the_module_has_the_same_fields_in_thai():
    from babel.messages.extract import extract_from_file

    from ckanext.opendata_th.tests.playbook.catalog import thai_catalog
    catalog = thai_catalog()
    for _line, msgid, _comments, _context in extract_from_file("python", r.__file__):
        assert msgid in catalog, msgid
        assert Message(msgid).fields() == Message(catalog[msgid]).fields(), msgid
