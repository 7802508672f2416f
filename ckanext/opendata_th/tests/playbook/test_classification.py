"""The classification decision tree: the shipped schema file, the checks
that refuse a broken one (naming the file and the place), and every branch
of the tree — each path to each outcome, the details a yes-answer records,
partial paths, answers off the path, and bad input."""
from __future__ import annotations

import copy
import json

import pytest
import yaml

from ckanext.opendata_th.playbook import classification as c
from ckanext.opendata_th.playbook.disclosure import may_be_public
from ckanext.opendata_th.playbook.national_schema import check_classification
from ckanext.opendata_th.playbook.vocabulary import (
    CONFIDENTIAL,
    INTERNAL,
    INTERNAL_DISTRIBUTION,
    OPEN,
    PERSONAL,
    PUBLIC,
    SECRET,
    SECURITY,
    TOP_SECRET,
)
from ckanext.opendata_th.tests.playbook.catalog import B, shown

PERMISSION = {"permission_by": "เจ้าของข้อมูลให้ความยินยอมเป็นหนังสือ", "permission_reference": "ที่ มท 0100/123"}
LAW = {"law": "พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560"}


@pytest.fixture(scope="module")
def schema():
    return c.load_schema()


@pytest.fixture(scope="module")
def raw():
    with c.SCHEMA_FILE.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def errors_of(excinfo) -> dict[str, list[B]]:
    return {path: [shown(m) for m in messages] for path, messages in excinfo.value.errors.items()}


# --- the shipped schema -------------------------------------------------------

def test_the_shipped_schema_loads_with_the_contracts_tree(schema):
    assert schema.path == str(c.SCHEMA_FILE)
    assert schema.version == "2567.1"
    assert schema.start == "oia_disclosable"
    assert list(schema.questions) == ["oia_disclosable", "national_security", "personal_data",
                                      "permission_granted", "specific_law", "quality_acceptable", "open_licence"]
    branches = {key: (q.yes, q.no) for key, q in schema.questions.items()}
    assert branches == {
        "oia_disclosable": ("quality_acceptable", "national_security"),
        "national_security": ("outcome:security", "personal_data"),
        "personal_data": ("permission_granted", "specific_law"),
        "permission_granted": ("quality_acceptable", "outcome:personal"),
        "specific_law": ("quality_acceptable", "outcome:no_legal_basis"),
        "quality_acceptable": ("open_licence", "outcome:needs_preparation"),
        "open_licence": ("outcome:disclosable", "outcome:needs_preparation"),
    }
    assert schema.questions["permission_granted"].record == ("permission_by", "permission_reference")
    assert schema.questions["specific_law"].record == ("law",)
    assert list(schema.details) == ["permission_by", "permission_reference", "law"]


def test_the_shipped_outcomes(schema):
    assert {key: (o.disclosable, o.withhold, o.category, o.classification) for key, o in schema.outcomes.items()} == {
        "disclosable": (True, False, PUBLIC, OPEN),
        "security": (False, True, SECURITY, CONFIDENTIAL),
        "personal": (False, True, PERSONAL, CONFIDENTIAL),
        "no_legal_basis": (False, True, INTERNAL, INTERNAL_DISTRIBUTION),
        "needs_preparation": (False, False, PUBLIC, OPEN),
    }
    for outcome in schema.outcomes.values():
        check_classification(outcome.category, outcome.classification)  # the national catalog allows it


def test_the_shipped_texts_are_thai_and_english_and_cite_the_laws(schema):
    for question in schema.questions.values():
        for label in (question.text, question.help):
            assert any("\u0e00" <= ch <= "\u0e7f" for ch in label.th), question.key
            assert label.en.strip() and not any("\u0e00" <= ch <= "\u0e7f" for ch in label.en), question.key
    laws = {key: (q.law.th, q.law.en) for key, q in schema.questions.items() if q.law}
    assert "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540" in laws["oia_disclosable"][0]
    assert "มาตรา 14" in laws["oia_disclosable"][0] and "15" in laws["oia_disclosable"][0]
    assert "พระราชบัญญัติข่าวกรองแห่งชาติ พ.ศ. 2562" in laws["national_security"][0]
    assert "National Intelligence Act B.E. 2562" in laws["national_security"][1]
    assert "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562" in laws["personal_data"][0]
    assert "มาตรา 19" in laws["permission_granted"][0] and "มาตรา 24" in laws["permission_granted"][0]
    assert "Personal Data Protection Act B.E. 2562" in laws["permission_granted"][1]


def test_the_schema_for_the_api_in_each_language(schema):
    thai, english = schema.as_dict("th"), schema.as_dict("en")
    json.dumps(thai)
    assert thai["version"] == "2567.1" and thai["start"] == "oia_disclosable"
    assert [q["key"] for q in thai["questions"]] == list(schema.questions)
    assert thai["questions"][0]["text"].startswith("ข้อมูลชุดนี้เป็นข้อมูลข่าวสารของราชการ")
    assert english["questions"][0]["text"].startswith("Is this official information")
    assert thai["questions"][5]["law"] is None  # the quality gate cites no law
    assert [o["label"] for o in english["outcomes"]][0] == "Disclosable"
    assert thai["outcomes"][0]["label"] == "เปิดเผยได้"
    assert english["details"][2] == {"key": "law", "label": "The law requiring disclosure (name and section)",
                                     "max_length": 500}


# --- every path to every outcome ---------------------------------------------

PATHS = [
    # (answers on the path, details, outcome)
    ({"oia_disclosable": True, "quality_acceptable": True, "open_licence": True}, {}, "disclosable"),
    ({"oia_disclosable": True, "quality_acceptable": True, "open_licence": False}, {}, "needs_preparation"),
    ({"oia_disclosable": True, "quality_acceptable": False}, {}, "needs_preparation"),
    ({"oia_disclosable": False, "national_security": True}, {}, "security"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": True, "permission_granted": True,
      "quality_acceptable": True, "open_licence": True}, PERMISSION, "disclosable"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": True, "permission_granted": True,
      "quality_acceptable": False}, PERMISSION, "needs_preparation"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": True, "permission_granted": True,
      "quality_acceptable": True, "open_licence": False}, PERMISSION, "needs_preparation"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": True, "permission_granted": False},
     {}, "personal"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": False, "specific_law": True,
      "quality_acceptable": True, "open_licence": True}, LAW, "disclosable"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": False, "specific_law": True,
      "quality_acceptable": False}, LAW, "needs_preparation"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": False, "specific_law": False},
     {}, "no_legal_basis"),
]


def test_the_paths_cover_every_branch(schema):
    taken = {(key, answer) for answers, _details, _outcome in PATHS for key, answer in answers.items()}
    assert taken == {(key, answer) for key in schema.questions for answer in (True, False)}
    assert {outcome for _a, _d, outcome in PATHS} == set(schema.outcomes)


@pytest.mark.parametrize(("answers", "details", "outcome"), PATHS,
                         ids=[f"{o}:{'-'.join(k[:4] + ('y' if v else 'n') for k, v in a.items())}" for a, _d, o in PATHS])
def test_each_path_leads_to_its_outcome(schema, answers, details, outcome):
    decision = c.decide(schema, answers, details)
    expected = schema.outcomes[outcome]
    assert decision.answers == answers
    assert list(decision.answers) == list(answers)  # in the order asked
    assert decision.details == details
    assert decision.next_question is None
    assert decision.decided and decision.outcome == outcome
    assert decision.disclosable is expected.disclosable
    assert decision.withhold is expected.withhold
    assert (decision.category, decision.classification) == (expected.category, expected.classification)
    if decision.disclosable:
        assert may_be_public(decision.category, decision.classification)
    else:
        assert not decision.disclosable


def test_only_a_disclosable_outcome_may_be_public(schema):
    for answers, details, outcome in PATHS:
        decision = c.decide(schema, answers, details)
        assert decision.disclosable is (outcome == "disclosable")
        assert decision.withhold is (outcome in ("security", "personal", "no_legal_basis"))


@pytest.mark.parametrize(("answers", "details", "outcome"), PATHS[:1] + PATHS[3:5] + PATHS[7:9] + PATHS[10:])
def test_answers_as_words_or_numbers(schema, answers, details, outcome):
    words = {key: ("yes" if value else "no") for key, value in answers.items()}
    upper = {key: (" TRUE " if value else "False") for key, value in answers.items()}
    digits = {key: ("1" if value else "0") for key, value in answers.items()}
    numbers = {key: (1 if value else 0) for key, value in answers.items()}
    for given in (words, upper, digits, numbers):
        assert c.decide(schema, given, details).outcome == outcome


def test_the_decision_for_the_api_names_the_laws_on_the_path(schema):
    answers, details, _ = PATHS[4]
    decision = c.decide(schema, answers, details)
    thai = decision.as_dict(schema, "th")
    english = decision.as_dict(schema, "en")
    json.dumps(thai)
    assert thai["outcome"] == "disclosable" and thai["outcome_label"] == "เปิดเผยได้"
    assert english["explanation"].startswith("The law allows disclosure")
    assert [step["key"] for step in thai["path"]] == list(answers)
    assert [step["answer"] for step in thai["path"]] == list(answers.values())
    assert english["laws"] == [
        "Official Information Act B.E. 2540, sections 7, 9, 14 and 15",
        "Official Information Act B.E. 2540, section 14 and section 15 (1); National Intelligence Act B.E. 2562",
        "Personal Data Protection Act B.E. 2562, section 6; Official Information Act B.E. 2540, section 15 (5)",
        "Personal Data Protection Act B.E. 2562, sections 19, 24 and 26",
        "Copyright Act B.E. 2537",
    ]
    assert thai["details_labels"]["permission_reference"] == "เลขที่หนังสือหรือเอกสารอ้างอิง"
    assert thai["category"] == PUBLIC and thai["classification"] == OPEN
    assert thai["next_question"] is None and thai["next_question_text"] is None


# --- keeping the level within a category --------------------------------------

@pytest.mark.parametrize(("current", "expected"), [
    ((SECURITY, SECRET), (SECURITY, SECRET)),                  # ลับมาก stays ลับมาก
    ((SECURITY, TOP_SECRET), (SECURITY, TOP_SECRET)),
    ((SECURITY, CONFIDENTIAL), (SECURITY, CONFIDENTIAL)),
    ((SECURITY, OPEN), (SECURITY, CONFIDENTIAL)),              # a level the category does not allow
    ((PERSONAL, SECRET), (SECURITY, CONFIDENTIAL)),            # another category: the outcome's
    ((None, None), (SECURITY, CONFIDENTIAL)),
])
def test_a_level_already_set_in_the_same_category_is_kept(schema, current, expected):
    decision = c.decide(schema, {"oia_disclosable": "no", "national_security": "yes"}, {},
                        current_category=current[0], current_classification=current[1])
    assert (decision.category, decision.classification) == expected


def test_personal_data_kept_at_internal_distribution(schema):
    decision = c.decide(schema, {"oia_disclosable": False, "national_security": False, "personal_data": True,
                                 "permission_granted": False}, {},
                        current_category=PERSONAL, current_classification=INTERNAL_DISTRIBUTION)
    assert (decision.category, decision.classification) == (PERSONAL, INTERNAL_DISTRIBUTION)
    assert c.fields_for(schema.outcomes["disclosable"], PUBLIC, OPEN) == (PUBLIC, OPEN)


# --- partial paths and answers off the path -------------------------------------

def test_no_answer_asks_the_first_question(schema):
    decision = c.decide(schema, {}, {})
    assert decision == c.Decision({}, {}, "oia_disclosable", None, None, False, None, None)
    assert not decision.decided
    english = decision.as_dict(schema, "en")
    assert english["next_question_text"].startswith("Is this official information")
    assert english["outcome_label"] is None and english["laws"] == []


@pytest.mark.parametrize(("answers", "next_question"), [
    ({"oia_disclosable": True}, "quality_acceptable"),
    ({"oia_disclosable": False}, "national_security"),
    ({"oia_disclosable": False, "national_security": False}, "personal_data"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": True}, "permission_granted"),
    ({"oia_disclosable": False, "national_security": False, "personal_data": False}, "specific_law"),
    ({"oia_disclosable": True, "quality_acceptable": True}, "open_licence"),
    ({"oia_disclosable": True, "quality_acceptable": True, "open_licence": ""}, "open_licence"),  # blank
    ({"oia_disclosable": True, "quality_acceptable": None}, "quality_acceptable"),
])
def test_a_partial_path_says_which_question_comes_next(schema, answers, next_question):
    decision = c.decide(schema, answers, {})
    assert decision.next_question == next_question
    assert decision.outcome is None and decision.disclosable is None and decision.withhold is False
    assert decision.category is None and decision.classification is None
    assert list(decision.answers) == [key for key, value in answers.items() if value not in ("", None)]


def test_a_partial_path_stops_at_the_first_unanswered_question(schema):
    # open_licence is answered but quality_acceptable, before it, is not
    decision = c.decide(schema, {"oia_disclosable": True, "open_licence": True}, {})
    assert decision.next_question == "quality_acceptable"
    assert decision.answers == {"oia_disclosable": True}


def test_answers_and_details_off_the_path_are_dropped(schema):
    answers = {"oia_disclosable": True, "national_security": True, "personal_data": True,
               "permission_granted": True, "specific_law": True, "quality_acceptable": True, "open_licence": True}
    decision = c.decide(schema, answers, {**PERMISSION, **LAW})
    assert decision.answers == {"oia_disclosable": True, "quality_acceptable": True, "open_licence": True}
    assert decision.details == {}
    assert decision.outcome == "disclosable"


def test_details_of_a_no_answer_are_dropped(schema):
    decision = c.decide(schema, {"oia_disclosable": False, "national_security": False, "personal_data": False,
                                 "specific_law": False}, LAW)
    assert decision.details == {} and decision.outcome == "no_legal_basis"


def test_details_are_stripped(schema):
    decision = c.decide(schema, PATHS[8][0], {"law": "  พ.ร.บ. ก  "})
    assert decision.details == {"law": "พ.ร.บ. ก"}


# --- bad input ----------------------------------------------------------------------

PERMISSION_PATH = {"oia_disclosable": "no", "national_security": "no", "personal_data": "yes",
                   "permission_granted": "yes"}


@pytest.mark.parametrize("bad", ["maybe", "2", 2, -1, 0.5, [], {"a": 1}, "ใช่ไหม"])
def test_an_answer_that_is_not_yes_or_no(schema, bad):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, {"oia_disclosable": bad}, {})
    [error] = refused.value.errors["answers.oia_disclosable"]
    assert shown(error).en.startswith("The answer must be yes or no (you gave “")
    assert shown(error).th.startswith("คำตอบต้องเป็นใช่หรือไม่ใช่ (คุณระบุ “")


def test_thai_words_are_answers(schema):
    assert c.decide(schema, {"oia_disclosable": "ใช่", "quality_acceptable": "ไม่ใช่"}, {}).outcome == "needs_preparation"


def test_an_unknown_question(schema):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, {"oia_disclosable": True, "is_it_nice": True}, {})
    assert errors_of(refused) == {"answers.is_it_nice": [
        B("ไม่มีคำถาม “is_it_nice” ในการพิจารณาการเปิดเผย", "There is no question “is_it_nice” in the classification")]}


def test_an_unknown_detail(schema):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, {}, {"signed_by": "x"})
    assert errors_of(refused) == {"details.signed_by": [
        B("ไม่มีรายละเอียด “signed_by” ในการพิจารณาการเปิดเผย", "There is no detail “signed_by” in the classification")]}


def test_too_many_answers_cost_little(schema):
    answers = {f"q{n}": True for n in range(20_000)}
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, answers, {f"d{n}": "x" for n in range(20_000)})
    assert len(refused.value.errors) < 50
    assert "answers" in refused.value.errors and "details" in refused.value.errors


@pytest.mark.parametrize("missing", [{}, {"permission_by": "x"}, {"permission_reference": "x"},
                                     {"permission_by": "  ", "permission_reference": "x"},
                                     {"permission_by": None, "permission_reference": "x"}])
def test_permission_needs_who_and_the_reference(schema, missing):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, PERMISSION_PATH, missing)
    found = errors_of(refused)
    names = {"permission_by": ("Who consented, or the lawful basis used", "ผู้ให้ความยินยอม หรือฐานทางกฎหมายที่ใช้"),
             "permission_reference": ("Reference of the letter or document", "เลขที่หนังสือหรือเอกสารอ้างอิง")}
    expected = {f"details.{key}": [B(f"ต้องระบุ{th} เมื่อตอบว่าใช่", f"{en} is required when the answer is yes")]
                for key, (en, th) in names.items() if not (missing.get(key) or "").strip()}
    assert found == expected


def test_the_law_is_required_when_a_specific_law_requires_disclosure(schema):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, {"oia_disclosable": False, "national_security": False, "personal_data": False,
                          "specific_law": True}, {})
    assert errors_of(refused) == {"details.law": [
        B("ต้องระบุกฎหมายที่กำหนดให้เปิดเผย (ชื่อและมาตรา) เมื่อตอบว่าใช่",
          "The law requiring disclosure (name and section) is required when the answer is yes")]}


def test_a_detail_too_long_or_not_text(schema):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, PERMISSION_PATH, {"permission_by": "ก" * 501, "permission_reference": 12})
    assert errors_of(refused) == {
        "details.permission_by": [B("ผู้ให้ความยินยอม หรือฐานทางกฎหมายที่ใช้ ยาวได้ไม่เกิน 500 ตัวอักษร (ตอนนี้ยาว 501 ตัวอักษร)",
                                    "Who consented, or the lawful basis used can be at most 500 characters long (it is 501)")],
        "details.permission_reference": [B("เลขที่หนังสือหรือเอกสารอ้างอิง ต้องเป็นข้อความ",
                                           "Reference of the letter or document must be text")],
    }
    assert str(refused.value).startswith("Please correct these errors: ")
    decision = c.decide(schema, PERMISSION_PATH, {"permission_by": "ก" * 500, "permission_reference": "x"})
    assert decision.next_question == "quality_acceptable"


def test_every_error_at_once(schema):
    with pytest.raises(c.ClassificationInputError) as refused:
        c.decide(schema, {**PERMISSION_PATH, "national_security": "perhaps", "extra": True}, {})
    # national_security's bad answer stops the path there: the permission details are not asked for
    assert set(refused.value.errors) == {"answers.national_security", "answers.extra"}


def test_answers_and_details_that_are_not_mappings_count_as_none(schema):
    assert c.decide(schema, None, None).next_question == "oia_disclosable"  # type: ignore[arg-type]
    assert c.decide(schema, ["oia_disclosable"], "x").next_question == "oia_disclosable"  # type: ignore[arg-type]


# --- broken schema files -----------------------------------------------------------

def write(tmp_path, data, name="classification.yaml"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True), encoding="utf-8")
    return path


def broken(tmp_path, data) -> c.ClassificationSchemaError:
    path = write(tmp_path, data)
    with pytest.raises(c.ClassificationSchemaError) as refused:
        c.load_schema(path)
    assert refused.value.path == str(path)
    assert str(path) in str(refused.value)
    assert shown(refused.value.message).th.startswith(f"ไฟล์การพิจารณาการเปิดเผย {path} ไม่ถูกต้อง: ")
    return refused.value


def question(raw, key):
    return next(q for q in raw["questions"] if q["key"] == key)


def test_a_copy_of_the_shipped_file_loads(tmp_path, raw):
    schema = c.load_schema(write(tmp_path, raw))
    assert list(schema.questions) == list(c.load_schema().questions)


def test_the_shipped_file_writes_yes_and_no_unquoted_yaml_reads_them_as_booleans(raw):
    # YAML 1.1: the keys yes/no come as True/False; the loader takes them back as words
    assert True in raw["questions"][0] and "yes" not in raw["questions"][0]


def test_an_unknown_branch_target(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "personal_data")[True] = "consent_given"
    error = broken(tmp_path, data)
    assert error.place == "questions[3].yes"
    assert shown(error.problem).en == ("leads to “consent_given”, but there is no such question "
                                       "(write “outcome:<key>” for an outcome)")


def test_an_unknown_outcome(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "open_licence")[False] = "outcome:later"
    error = broken(tmp_path, data)
    assert error.place == "questions[7].no"
    assert shown(error.problem).en.startswith("leads to “outcome:later”, but there is no such outcome; the outcomes are disclosable, security")


def test_a_missing_start(tmp_path, raw):
    data = copy.deepcopy(raw)
    data["start"] = "first"
    error = broken(tmp_path, data)
    assert error.place == "start"
    assert shown(error.problem) == B("เป็น “first” แต่ไม่มีคำถามนี้", "is “first”, but there is no such question")


def test_a_cycle(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "open_licence")[False] = "quality_acceptable"
    question(data, "quality_acceptable")[False] = "outcome:needs_preparation"
    error = broken(tmp_path, data)
    assert error.place == "questions[7].no"
    assert shown(error.problem).en == ("leads back to “quality_acceptable”: the questions go round in a circle "
                                       "(quality_acceptable → open_licence → quality_acceptable)")


def test_a_question_pointing_to_itself(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "specific_law")[False] = "specific_law"
    del data["outcomes"][3]  # no_legal_basis: otherwise unreachable
    error = broken(tmp_path, data)
    assert error.place == "questions[5].no"
    assert "go round in a circle (specific_law → specific_law)" in shown(error.problem).en


def test_an_unreachable_question(tmp_path, raw):
    data = copy.deepcopy(raw)
    data["questions"].append({"key": "orphan", "text": {"th": "ก", "en": "a"}, "help": {"th": "ข", "en": "b"},
                              True: "outcome:disclosable", False: "outcome:security"})
    error = broken(tmp_path, data)
    assert error.place == "questions[8]"
    assert shown(error.problem) == B("ไปไม่ถึง “orphan” จากคำถามแรก", "“orphan” cannot be reached from the start question")


def test_an_unreachable_outcome(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "specific_law")[False] = "outcome:personal"
    error = broken(tmp_path, data)
    assert error.place == "outcomes[4]"
    assert shown(error.problem).en == "“no_legal_basis” cannot be reached from the start question"


@pytest.mark.parametrize(("where", "place"), [
    (lambda d: question(d, "personal_data")["text"].pop("th"), "questions[3].text.th"),
    (lambda d: question(d, "personal_data")["help"].update(en="  "), "questions[3].help.en"),
    (lambda d: question(d, "open_licence")["law"].update(th=""), "questions[7].law.th"),
    (lambda d: d["outcomes"][1]["label"].pop("th"), "outcomes[2].label.th"),
    (lambda d: d["outcomes"][1]["explanation"].update(en=None), "outcomes[2].explanation.en"),
    (lambda d: d["details"][0]["label"].update(th=""), "details[1].label.th"),
])
def test_a_missing_text(tmp_path, raw, where, place):
    data = copy.deepcopy(raw)
    where(data)
    error = broken(tmp_path, data)
    assert error.place == place
    assert shown(error.problem).en in ("is missing", "must be a non-empty text")


@pytest.mark.parametrize(("index", "change", "place", "en"), [
    (1, {"category": PUBLIC, "classification": CONFIDENTIAL}, "outcomes[2].classification",
     "The data category “ข้อมูลสาธารณะ” (Public) allows only the classification “เปิดเผย” (Open) (you chose “ลับ”)"),
    (2, {"classification": OPEN}, "outcomes[3].classification",
     "The data category “ข้อมูลส่วนบุคคล” (Personal) allows only the classification "),
    (0, {"category": PERSONAL, "classification": CONFIDENTIAL}, "outcomes[1].disclosable",
     "is true, but only public data classified as open may be disclosed"),
    (0, {"category": "ข้อมูลลับ"}, "outcomes[1].category", "is “ข้อมูลลับ”, but must be one of ข้อมูลสาธารณะ, "),
    (0, {"withhold": True}, "outcomes[1].withhold", "cannot be true for a disclosable outcome"),
    (1, {"disclosable": "no"}, "outcomes[2].disclosable", "must be true or false"),
], ids=["public-secret", "personal-open", "disclosable-personal", "unknown-category", "withheld-disclosable",
        "not-a-flag"])
def test_outcomes_must_be_allowed_by_the_national_schema(tmp_path, raw, index, change, place, en):
    data = copy.deepcopy(raw)
    data["outcomes"][index].update(change)
    error = broken(tmp_path, data)
    assert error.place == place
    assert shown(error.problem).en.startswith(en)
    assert shown(error.problem).th != shown(error.problem).en


def test_record_fields_must_be_declared_in_details(tmp_path, raw):
    data = copy.deepcopy(raw)
    question(data, "specific_law")["record"] = ["law", "section"]
    error = broken(tmp_path, data)
    assert error.place == "questions[5].record[2]"
    assert shown(error.problem).en == "is “section”, but must be one of permission_by, permission_reference, law"


@pytest.mark.parametrize(("change", "place", "en"), [
    (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "questions[8].key", "“oia_disclosable” is given twice"),
    (lambda d: d["outcomes"].append(copy.deepcopy(d["outcomes"][0])), "outcomes[6].key", "“disclosable” is given twice"),
    (lambda d: d["details"].append(copy.deepcopy(d["details"][0])), "details[4].key", "“permission_by” is given twice"),
    (lambda d: d.pop("version"), "version", "is missing"),
    (lambda d: d.pop("details"), "details", "is missing"),
    (lambda d: d.update(questions=[]), "questions", "must be a non-empty list"),
    (lambda d: question(d, "national_security").pop(True), "questions[2].yes", "is missing"),
    (lambda d: question(d, "national_security").update(colour="red"), "questions[2].colour", None),
    (lambda d: question(d, "national_security").update(key="National Security"), "questions[2].key", None),
    (lambda d: d["details"][0].update(max_length=0), "details[1].max_length", "is 0, but must be from 1 to 10000"),
    (lambda d: d["details"][0].update(max_length="long"), "details[1].max_length", "must be a whole number"),
    (lambda d: d["questions"].__setitem__(1, "national_security"), "questions[2]", "must be a mapping of keys to values"),
])
def test_structure(tmp_path, raw, change, place, en):
    data = copy.deepcopy(raw)
    change(data)
    error = broken(tmp_path, data)
    assert error.place == place
    if en:
        assert shown(error.problem).en == en


def test_bad_yaml_names_the_line(tmp_path):
    error = broken(tmp_path, "version: '1'\nstart: [oia\nquestions: {}\n")
    assert error.place == ""
    assert shown(error.message).en.startswith(f"The classification schema {error.path} is broken: the YAML is not valid at line")


def test_a_key_given_twice_in_one_mapping(tmp_path):
    text = c.SCHEMA_FILE.read_text(encoding="utf-8").replace("start: oia_disclosable", "start: oia_disclosable\nstart: x")
    error = broken(tmp_path, text)
    assert "twice" in shown(error.message).en


def test_a_missing_file(tmp_path):
    with pytest.raises(c.ClassificationSchemaError) as refused:
        c.load_schema(tmp_path / "nowhere.yaml")
    assert "the file cannot be read" in str(refused.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("version: 'é'\n".encode("latin-1"))
    with pytest.raises(c.ClassificationSchemaError) as refused:
        c.load_schema(path)
    assert "not UTF-8" in str(refused.value)


def test_quoted_yes_and_no_keys_work_too(tmp_path, raw):
    data = copy.deepcopy(raw)
    for item in data["questions"]:
        item["yes"], item["no"] = item.pop(True), item.pop(False)
    schema = c.load_schema(write(tmp_path, data))
    assert schema.questions["oia_disclosable"].yes == "quality_acceptable"


def test_current_schema_reads_the_file_again_only_when_it_changes(tmp_path, raw):
    path = write(tmp_path, raw)
    first = c.current_schema(path)
    assert c.current_schema(path) is first
    data = copy.deepcopy(raw)
    data["version"] = "2568.10"  # a change of size too: the check does not depend on the clock
    write(tmp_path, data)
    assert c.current_schema(path).version == "2568.10"
    write(tmp_path, "version: [")
    with pytest.raises(c.ClassificationSchemaError):
        c.current_schema(path)
    with pytest.raises(c.ClassificationSchemaError):
        c.current_schema(tmp_path / "gone.yaml")
    assert c.current_schema() is c.current_schema(c.SCHEMA_FILE)
