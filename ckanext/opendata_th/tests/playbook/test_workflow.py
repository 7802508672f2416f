"""The disclosure workflow's state machine: every transition from every
stage, every role, every precondition on its own, comments, the buttons a
user gets, and the mandatory metadata an approval needs — with the messages
in Thai and English."""
from __future__ import annotations

import dataclasses

import pytest

from ckanext.opendata_th.playbook import workflow as w
from ckanext.opendata_th.playbook.messages import Message
from ckanext.opendata_th.playbook.vocabulary import CONFIDENTIAL, INTERNAL, INTERNAL_DISTRIBUTION, OPEN, PERSONAL, PUBLIC
from ckanext.opendata_th.tests.playbook.catalog import B, shown

ALL_ROLES = frozenset({w.EDITOR, w.APPROVER, w.SYSTEM})
READY = w.Facts(category=PUBLIC, classification=OPEN, disclosable=True,
                selection_reasons=("transparency",), licence_open=True,
                metadata_gaps=(), readiness_refusal=None)
"""Facts that meet every precondition."""

# where each transition may start, as the contract has it
SOURCES = {
    "select": {w.CANDIDATE},
    "deselect": {w.SELECTED},
    "withhold": {w.CANDIDATE, w.SELECTED, w.PREPARED, w.RETURNED},
    "reopen": {w.WITHHELD},
    "prepare": {w.SELECTED, w.RETURNED},
    "submit": {w.PREPARED, w.RETURNED},
    "approve": {w.PENDING},
    "return": {w.PENDING},
    "withdraw": {w.PUBLISHED},
    "recall": {w.PUBLISHED},
}
TARGETS = {"select": w.SELECTED, "deselect": w.CANDIDATE, "withhold": w.WITHHELD, "reopen": w.CANDIDATE,
           "prepare": w.PREPARED, "submit": w.PENDING, "approve": w.PUBLISHED, "return": w.RETURNED,
           "withdraw": w.RETURNED, "recall": w.PENDING}
ROLES = {"select": {w.EDITOR}, "deselect": {w.EDITOR}, "withhold": {w.EDITOR, w.SYSTEM}, "reopen": {w.EDITOR},
         "prepare": {w.EDITOR}, "submit": {w.EDITOR}, "approve": {w.APPROVER}, "return": {w.APPROVER},
         "withdraw": {w.APPROVER, w.EDITOR}, "recall": {w.SYSTEM}}
COMMENTED = {"deselect", "withhold", "reopen", "return", "withdraw", "recall"}
BUTTONS = {  # (English, Thai) texts of the buttons and the stages
    "select": ("Select for disclosure", "คัดเลือก"), "deselect": ("Deselect", "ยกเลิกการคัดเลือก"),
    "withhold": ("Withhold", "ไม่เปิดเผย"), "reopen": ("Reopen", "พิจารณาใหม่"),
    "prepare": ("Mark as prepared", "จัดเตรียมเสร็จแล้ว"), "submit": ("Send for approval", "ส่งขออนุมัติ"),
    "approve": ("Approve", "อนุมัติ"), "return": ("Return for changes", "ส่งกลับแก้ไข"),
    "withdraw": ("Withdraw", "ถอนการเผยแพร่"), "recall": ("Recall for approval", "เรียกกลับเพื่อขออนุมัติใหม่"),
}
STAGE_TEXTS = {w.CANDIDATE: ("Candidate", "สำรวจแล้ว"), w.SELECTED: ("Selected", "คัดเลือกแล้ว"),
               w.PREPARED: ("Prepared", "จัดเตรียมแล้ว"), w.PENDING: ("Pending approval", "รออนุมัติ"),
               w.PUBLISHED: ("Published", "เผยแพร่แล้ว"), w.WITHHELD: ("Withheld", "ไม่เปิดเผย"),
               w.RETURNED: ("Returned", "ส่งกลับแก้ไข")}
PAIRS = [(name, stage) for name in SOURCES for stage in w.STAGES]


def texts(messages: list[Message]) -> list[B]:
    return [shown(message) for message in messages]


# --- the tables -------------------------------------------------------------

def test_the_stages_in_pipeline_order_then_the_side_stages():
    assert w.STAGES == ("candidate", "selected", "prepared", "pending_approval", "published",
                        "withheld", "returned")
    assert {stage: (shown(label).en, shown(label).th) for stage, label in w.STAGE_LABELS.items()} == STAGE_TEXTS


def test_the_transitions_are_exactly_the_contract():
    assert set(w.TRANSITIONS) == set(SOURCES)
    for name, transition in w.TRANSITIONS.items():
        assert transition.name == name
        assert set(transition.sources) == SOURCES[name], name
        assert transition.target == TARGETS[name], name
        assert transition.roles == ROLES[name], name
        assert transition.comment_required == (name in COMMENTED), name
        assert (shown(transition.label).en, shown(transition.label).th) == BUTTONS[name]
        assert transition.publishes == (name == "approve"), name
        assert transition.unpublishes == (name in ("withdraw", "recall")), name


def test_a_transition_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.TRANSITIONS["approve"].target = w.PENDING  # type: ignore[misc]


# --- every transition from every stage --------------------------------------

@pytest.mark.parametrize(("name", "stage"), [p for p in PAIRS if p[1] in SOURCES[p[0]]])
def test_allowed_where_the_transition_starts(name, stage):
    assert w.refusals(name, stage, ROLES[name], READY, "because") == []
    assert w.apply(name, stage, ROLES[name], READY, "because") == TARGETS[name]


@pytest.mark.parametrize(("name", "stage"), [p for p in PAIRS if p[1] not in SOURCES[p[0]]])
def test_refused_at_every_other_stage_with_the_step_and_the_stage_named(name, stage):
    button_en, button_th = BUTTONS[name]
    stage_en, stage_th = STAGE_TEXTS[stage]
    expected = B(f"ทำ “{button_th}” ไม่ได้ในขั้นตอน “{stage_th}”",
                 f"“{button_en}” is not possible at the stage “{stage_en}”")
    # the stage is the only reason given, whatever else is wrong
    assert texts(w.refusals(name, stage, ALL_ROLES, w.Facts(), "")) == [expected]
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply(name, stage, ALL_ROLES, READY, "because")
    assert texts(refused.value.messages) == [expected]
    assert refused.value.forbidden is False
    assert str(refused.value) == expected.en


def test_the_example_of_the_contract():
    assert [m.render() for m in w.refusals("approve", w.CANDIDATE, {w.APPROVER}, READY, "")] == [
        "“Approve” is not possible at the stage “Candidate”"]


def test_an_unknown_transition_or_stage():
    assert texts(w.refusals("publish", w.PENDING, ALL_ROLES, READY, "x")) == [
        B("ไม่มีการดำเนินการ “publish” ในขั้นตอนการเปิดเผยข้อมูล",
          "“publish” is not a step of the disclosure workflow")]
    assert texts(w.refusals("approve", "draft", ALL_ROLES, READY, "x")) == [
        B("ไม่มีขั้นตอน “draft” ในขั้นตอนการเปิดเผยข้อมูล", "“draft” is not a stage of the disclosure workflow")]
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply("publish", w.PENDING, ALL_ROLES, READY, "x")
    assert refused.value.forbidden is False
    assert w.available("draft", ALL_ROLES) == []


# --- roles ------------------------------------------------------------------

ROLE_SETS = [frozenset(), frozenset({w.EDITOR}), frozenset({w.APPROVER}), frozenset({w.SYSTEM}),
             frozenset({w.EDITOR, w.APPROVER}), frozenset({w.EDITOR, w.SYSTEM})]
ROLE_TEXTS = {
    "editor": ("Only an editor of the dataset can do “{en}”", "เฉพาะผู้แก้ไขชุดข้อมูลนี้เท่านั้นที่ทำ “{th}” ได้"),
    "approver": ("Only an approver of the organization can do “{en}”",
                 "เฉพาะผู้อนุมัติของหน่วยงานเท่านั้นที่ทำ “{th}” ได้"),
    "system": ("“{en}” is done only by the portal itself, when a published dataset's classification "
               "or licence changes",
               "ระบบทำ “{th}” เองเท่านั้น เมื่อผลการพิจารณาการเปิดเผยหรือสัญญาอนุญาตของชุดข้อมูลที่เผยแพร่แล้วเปลี่ยนไป"),
}


def _role_message(name: str) -> B:
    kind = "editor" if w.EDITOR in ROLES[name] else "approver" if w.APPROVER in ROLES[name] else "system"
    en, th = ROLE_TEXTS[kind]
    return B(th.format(th=BUTTONS[name][1]), en.format(en=BUTTONS[name][0]))


@pytest.mark.parametrize("name", list(SOURCES))
@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda roles: "+".join(sorted(roles)) or "nobody")
def test_every_role_that_lacks_the_right_is_refused(name, roles):
    stage = sorted(SOURCES[name])[0]
    if roles & ROLES[name]:
        assert w.refusals(name, stage, roles, READY, "because") == []
        return
    expected = _role_message(name)
    # the missing role is the only reason given
    assert texts(w.refusals(name, stage, roles, w.Facts(), "")) == [expected]
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply(name, stage, roles, READY, "because")
    assert refused.value.forbidden is True
    assert texts(refused.value.messages) == [expected]


def test_only_an_approver_approves_or_returns_an_editor_cannot():
    assert w.refusals("approve", w.PENDING, {w.EDITOR}, READY, "")[0].render() == (
        "Only an approver of the organization can do “Approve”")
    assert w.refusals("return", w.PENDING, {w.EDITOR}, READY, "fix")[0].render() == (
        "Only an approver of the organization can do “Return for changes”")
    assert w.apply("approve", w.PENDING, {w.EDITOR, w.APPROVER}, READY, "") == w.PUBLISHED


def test_recall_is_the_systems_only_even_a_sysadmin_approver_cannot():
    assert w.apply("recall", w.PUBLISHED, {w.SYSTEM}, READY, "licence changed") == w.PENDING
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply("recall", w.PUBLISHED, {w.EDITOR, w.APPROVER}, READY, "x")
    assert refused.value.forbidden


def test_the_system_may_withhold_but_not_select():
    assert w.apply("withhold", w.SELECTED, {w.SYSTEM}, READY, "personal data") == w.WITHHELD
    assert w.role_refusal("select", {w.SYSTEM}) is not None
    assert w.role_refusal("select", {w.EDITOR}) is None


def test_roles_may_be_any_iterable():
    assert w.apply("select", w.CANDIDATE, [w.EDITOR], READY, "") == w.SELECTED
    assert w.apply("select", w.CANDIDATE, (w.EDITOR,), READY, "") == w.SELECTED


# --- comments ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COMMENTED))
@pytest.mark.parametrize("comment", ["", "   ", "\n\t", None])
def test_a_comment_is_required_to(name, comment):
    stage = sorted(SOURCES[name])[0]
    button_en, button_th = BUTTONS[name]
    expected = B(f"กรุณาระบุความเห็น: “{button_th}” ต้องระบุเหตุผล",
                 f"Give a comment: “{button_en}” needs the reason")
    assert texts(w.refusals(name, stage, ROLES[name], READY, comment)) == [expected]
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply(name, stage, ROLES[name], READY, comment)
    assert refused.value.forbidden is False


@pytest.mark.parametrize("name", sorted(set(SOURCES) - COMMENTED))
def test_no_comment_needed_to(name):
    stage = sorted(SOURCES[name])[0]
    assert w.refusals(name, stage, ROLES[name], READY, "") == []


# --- preconditions, each one alone ------------------------------------------

NOT_CLASSIFIED = B("กรุณาพิจารณาการเปิดเผยก่อน: การพิจารณาการเปิดเผยยังไม่ได้ตัดสินว่าชุดข้อมูลนี้เปิดเผยได้หรือไม่",
                   "Classify the dataset first: the classification has not decided whether it can be disclosed")
NOT_DISCLOSABLE = B("ผลการพิจารณาการเปิดเผยคือชุดข้อมูลนี้เปิดเผยไม่ได้",
                    "The classification decided that the dataset cannot be disclosed")
NOT_OPEN_LICENCE = B("สัญญาอนุญาตของชุดข้อมูลไม่ใช่สัญญาอนุญาตแบบเปิด: กรุณาเลือกสัญญาอนุญาตแบบเปิด",
                     "The licence is not an open licence: choose an open licence")
NO_REASON = B("กรุณาระบุเหตุผลที่คัดเลือกอย่างน้อยหนึ่งข้อ", "Give at least one selection reason")
GAP = Message("{field} is required", field="Tags")
NOT_READY = Message("The organization is not ready")
PERSONAL_DATA_IN_FILE = Message("The file of “{resource}” holds personal data, which must never be published "
                                "(PDPA B.E. 2562): remove it from the file", resource="รายชื่อ")


def test_select_needs_a_reason():
    facts = dataclasses.replace(READY, selection_reasons=())
    assert texts(w.refusals("select", w.CANDIDATE, {w.EDITOR}, facts, "")) == [NO_REASON]


@pytest.mark.parametrize("category", [PERSONAL, INTERNAL, None, "", "  "])
def test_select_needs_public_data(category):
    facts = dataclasses.replace(READY, category=category)
    [refusal] = texts(w.refusals("select", w.CANDIDATE, {w.EDITOR}, facts, ""))
    if category and category.strip():
        assert refusal.en == ("Only public data (ข้อมูลสาธารณะ) can be selected; the dataset's data category "
                              f"is “{category}” ({'Personal' if category == PERSONAL else 'Internal use'})")
        assert refusal.th == f"คัดเลือกได้เฉพาะข้อมูลสาธารณะ (ข้อมูลสาธารณะ) เท่านั้น หมวดหมู่ข้อมูลของชุดข้อมูลนี้คือ “{category}”"
    else:
        assert refusal == B("คัดเลือกได้เฉพาะข้อมูลสาธารณะ (ข้อมูลสาธารณะ) เท่านั้น หมวดหมู่ข้อมูลของชุดข้อมูลนี้คือ ไม่ได้ระบุ",
                            "Only public data (ข้อมูลสาธารณะ) can be selected; the dataset's data category is not given")


def test_select_lists_both_reasons_at_once():
    facts = dataclasses.replace(READY, selection_reasons=(), category=PERSONAL)
    assert len(w.refusals("select", w.CANDIDATE, {w.EDITOR}, facts, "")) == 2


def test_select_ignores_what_only_approval_needs():
    facts = dataclasses.replace(READY, disclosable=None, licence_open=False, metadata_gaps=(GAP,),
                                readiness_refusal=NOT_READY, classification=None,
                                quality_problems=(PERSONAL_DATA_IN_FILE,))
    assert w.refusals("select", w.CANDIDATE, {w.EDITOR}, facts, "") == []


@pytest.mark.parametrize(("disclosable", "expected"), [(None, NOT_CLASSIFIED), (False, NOT_DISCLOSABLE)])
@pytest.mark.parametrize("stage", [w.SELECTED, w.RETURNED])
def test_prepare_needs_a_disclosable_classification(disclosable, expected, stage):
    facts = dataclasses.replace(READY, disclosable=disclosable)
    assert texts(w.refusals("prepare", stage, {w.EDITOR}, facts, "")) == [expected]


def test_prepare_needs_nothing_else():
    facts = w.Facts(disclosable=True)
    assert w.refusals("prepare", w.SELECTED, {w.EDITOR}, facts, "") == []


APPROVAL_CASES = {
    "not classified": ({"disclosable": None}, [NOT_CLASSIFIED]),
    "not disclosable": ({"disclosable": False}, [NOT_DISCLOSABLE]),
    "personal category": ({"category": PERSONAL, "classification": CONFIDENTIAL}, None),
    "internal classification": ({"classification": INTERNAL_DISTRIBUTION}, None),
    "no category": ({"category": None}, None),
    "licence not open": ({"licence_open": False}, [NOT_OPEN_LICENCE]),
    "metadata gap": ({"metadata_gaps": (GAP,)}, [shown(GAP)]),
    "not ready": ({"readiness_refusal": NOT_READY}, [shown(NOT_READY)]),
    "personal data in a file": ({"quality_problems": (PERSONAL_DATA_IN_FILE,)}, [shown(PERSONAL_DATA_IN_FILE)]),
}


@pytest.mark.parametrize("name", ["submit", "approve"])
@pytest.mark.parametrize("case", list(APPROVAL_CASES))
def test_approval_needs_each_precondition_alone(name, case):
    change, expected = APPROVAL_CASES[case]
    facts = dataclasses.replace(READY, **change)
    stage = w.PREPARED if name == "submit" else w.PENDING
    roles = {w.EDITOR, w.APPROVER}
    found = texts(w.refusals(name, stage, roles, facts, ""))
    if expected is None:  # the governance fields: the rule of playbook.disclosure
        [refusal] = found
        assert "cannot be public: only public data (ข้อมูลสาธารณะ) classified as “เปิดเผย” may be public" in refusal.en
        assert refusal.th and refusal.th != refusal.en
    else:
        assert found == expected
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply(name, stage, roles, facts, "")
    assert refused.value.forbidden is False


def test_submit_from_returned_needs_the_same():
    facts = dataclasses.replace(READY, licence_open=False)
    assert texts(w.refusals("submit", w.RETURNED, {w.EDITOR}, facts, "")) == [NOT_OPEN_LICENCE]


def test_every_missing_precondition_is_listed_with_the_comment():
    facts = w.Facts(category=PERSONAL, classification=CONFIDENTIAL, disclosable=False, licence_open=False,
                    metadata_gaps=(GAP, Message("The dataset has no resource: add the data file or its link")),
                    readiness_refusal=NOT_READY)
    found = w.refusals("approve", w.PENDING, {w.APPROVER}, facts, "")
    assert [m.msgid for m in found][0] == NOT_DISCLOSABLE.en
    assert len(found) == 6  # disclosable, governance, licence, two gaps, readiness
    with pytest.raises(w.TransitionRefused) as refused:
        w.apply("approve", w.PENDING, {w.APPROVER}, facts, "")
    assert len(refused.value.messages) == 6
    assert str(refused.value).startswith("Please correct these errors: The classification decided")


@pytest.mark.parametrize("name", ["deselect", "withhold", "reopen", "return", "withdraw", "recall"])
def test_the_other_transitions_need_no_precondition(name):
    stage = sorted(SOURCES[name])[0]
    assert w.refusals(name, stage, ROLES[name], w.Facts(), "why") == []


def test_withdrawing_a_published_dataset_that_is_no_longer_disclosable_is_allowed():
    facts = w.Facts(category=PERSONAL, classification=CONFIDENTIAL, disclosable=False)
    assert w.apply("withdraw", w.PUBLISHED, {w.EDITOR}, facts, "personal data found") == w.RETURNED
    assert w.apply("recall", w.PUBLISHED, {w.SYSTEM}, facts, "reclassified") == w.PENDING


# --- the buttons --------------------------------------------------------------

@pytest.mark.parametrize("stage", w.STAGES)
@pytest.mark.parametrize("roles", ROLE_SETS + [ALL_ROLES], ids=lambda roles: "+".join(sorted(roles)) or "nobody")
def test_available_lists_the_transitions_whose_stage_and_role_fit(stage, roles):
    expected = [name for name in w.TRANSITIONS if stage in SOURCES[name] and roles & ROLES[name]]
    assert [t.name for t in w.available(stage, roles)] == expected


def test_available_examples():
    assert [t.name for t in w.available(w.PENDING, {w.EDITOR})] == []
    assert [t.name for t in w.available(w.PENDING, {w.EDITOR, w.APPROVER})] == ["approve", "return"]
    assert [t.name for t in w.available(w.RETURNED, {w.EDITOR})] == ["withhold", "prepare", "submit"]
    assert [t.name for t in w.available(w.PUBLISHED, {w.EDITOR})] == ["withdraw"]
    assert [t.name for t in w.available(w.PUBLISHED, {w.SYSTEM})] == ["recall"]
    assert w.available(w.CANDIDATE, set()) == []


# --- mandatory metadata -------------------------------------------------------

def complete_dataset(**changes):
    """A record dataset with every national field the schema requires."""
    dataset = {
        "data_type": "ข้อมูลระเบียน", "title": "งบประมาณรายจ่าย", "name": "budget",
        "maintainer": "กองคลัง", "maintainer_email": "finance@agency.go.th",
        "tags": [{"name": "งบประมาณ"}], "notes": "งบประมาณรายจ่ายประจำปี",
        "objective": '["ยุทธศาสตร์ชาติ"]', "update_frequency_unit": "ปี", "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ", "data_source": "กองคลัง", "data_format": '["CSV"]',
        "data_category": PUBLIC, "data_classification": OPEN, "license_id": "Open Data Common",
        "resources": [{"id": "r1", "url": "http://example.go.th/budget.csv", "format": "CSV"}],
    }
    dataset.update(changes)
    return dataset


def gaps(dataset) -> list[str]:
    return [m.render() for m in w.metadata_gaps(dataset)]


def test_a_complete_dataset_has_no_gap():
    assert w.metadata_gaps(complete_dataset()) == []


def test_tags_count_from_the_tag_list_or_the_tag_string():
    assert gaps(complete_dataset(tags=[], tag_string="budget")) == []
    assert gaps(complete_dataset(tags=[])) == ["Tags is required"]
    assert gaps(complete_dataset(tags=[{"name": " "}])) == ["Tags is required"]


@pytest.mark.parametrize("field", ["title", "maintainer", "maintainer_email", "notes", "objective",
                                   "update_frequency_unit", "geo_coverage", "data_source", "data_format",
                                   "data_category", "license_id"])
@pytest.mark.parametrize("empty", [None, "", "  ", "[]"])
def test_each_required_field_alone(field, empty):
    dataset = complete_dataset(**{field: empty})
    if empty == "[]" and field not in ("objective", "data_format"):
        dataset[field] = []
    [gap] = w.metadata_gaps(dataset)
    assert gap.msgid == "{field} is required"
    assert shown(gap).th.endswith("จำเป็นต้องระบุ") or shown(gap).th != shown(gap).en


def test_other_text_is_required_with_other():
    assert gaps(complete_dataset(objective='["อื่นๆ"]')) == [
        "Other objective (please specify) is required when Objective is “อื่นๆ” (other)"]
    assert gaps(complete_dataset(objective='["อื่นๆ"]', objective_other="แผนของจังหวัด")) == []


def test_a_daily_dataset_needs_its_update_time():
    [gap] = gaps(complete_dataset(update_frequency_unit="วัน"))
    assert gap.startswith("Expected update time (HH:MM) is required")
    assert gaps(complete_dataset(update_frequency_unit="วัน", update_frequency_time="09:00")) == []


@pytest.mark.parametrize("resources", [None, [], ()])
def test_a_dataset_without_resource(resources):
    dataset = complete_dataset(resources=resources)
    if resources is None:
        del dataset["resources"]
    assert texts(w.metadata_gaps(dataset)) == [
        B("ชุดข้อมูลยังไม่มีทรัพยากร: กรุณาเพิ่มไฟล์ข้อมูลหรือลิงก์ของข้อมูล",
          "The dataset has no resource: add the data file or its link")]


def test_an_empty_dataset_lacks_every_required_field_and_a_resource():
    found = gaps({})
    assert "Data Type is required" in found
    assert "License is required" in found
    assert found[-1] == "The dataset has no resource: add the data file or its link"
