"""Selection reasons and prioritisation: the weights option, the reasons and
scores a publisher gives (with errors in Thai and English), the priority
score and the ranked list."""
from __future__ import annotations

import pytest

from ckanext.opendata_th.playbook import priority as p
from ckanext.opendata_th.tests.playbook.catalog import B, shown


def errors_of(excinfo) -> dict[str, list[B]]:
    return {field: [shown(m) for m in messages] for field, messages in excinfo.value.errors.items()}


# --- reasons ----------------------------------------------------------------

def test_the_five_reasons_of_the_playbook_in_both_languages():
    assert p.REASONS == ("required_by_law", "agency_mission", "useful_to_developers",
                         "useful_to_user_groups", "transparency")
    assert {key: shown(label) for key, label in p.REASON_LABELS.items()} == {
        "required_by_law": B("กฎหมายกำหนดให้เปิดเผย", "Required by law"),
        "agency_mission": B("ตรงกับภารกิจของหน่วยงาน", "The agency's mission"),
        "useful_to_developers": B("เป็นประโยชน์ต่อนักพัฒนา", "Useful to developers"),
        "useful_to_user_groups": B("เป็นประโยชน์ต่อกลุ่มผู้ใช้", "Useful to user groups"),
        "transparency": B("ความโปร่งใส", "Transparency"),
    }


@pytest.mark.parametrize(("given", "expected"), [
    (["transparency"], ("transparency",)),
    (["transparency", "required_by_law"], ("required_by_law", "transparency")),
    ("transparency, required_by_law", ("required_by_law", "transparency")),
    (" agency_mission ,", ("agency_mission",)),
    (("useful_to_developers", "useful_to_developers"), ("useful_to_developers",)),
    (list(p.REASONS), p.REASONS),
])
def test_reasons_as_a_list_or_a_comma_string_in_the_playbook_order(given, expected):
    assert p.check_reasons(given, None) == (expected, "")


def test_the_note_is_stripped_and_may_be_as_long_as_the_limit():
    assert p.check_reasons(["transparency"], "  ใช้ติดตามงบประมาณ \n") == (("transparency",), "ใช้ติดตามงบประมาณ")
    note = "ก" * p.MAX_NOTE
    assert p.check_reasons(["transparency"], note)[1] == note


@pytest.mark.parametrize("given", [None, [], "", " , ", ["", None]])
def test_at_least_one_reason(given):
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_reasons(given, "")
    assert errors_of(refused) == {"reasons": [B("กรุณาระบุเหตุผลที่คัดเลือกอย่างน้อยหนึ่งข้อ",
                                                "Give at least one selection reason")]}


def test_an_unknown_reason_lists_the_known_ones():
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_reasons(["transparency", "popular", 7], "")
    known = ", ".join(p.REASONS)
    assert errors_of(refused) == {"reasons": [B(f"ไม่รู้จักเหตุผลที่คัดเลือก “popular”, “7”: เลือกจาก {known}",
                                                f"Unknown selection reason “popular”, “7”: choose from {known}")]}


def test_an_unknown_reason_is_quoted_short_whatever_is_sent():
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_reasons(["x" * 100_000] * 1000, "")
    assert len(refused.value.errors["reasons"][0].render()) < 500


def test_a_note_too_long_or_not_text_and_every_error_at_once():
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_reasons([], "ก" * (p.MAX_NOTE + 1))
    assert errors_of(refused) == {
        "reasons": [B("กรุณาระบุเหตุผลที่คัดเลือกอย่างน้อยหนึ่งข้อ", "Give at least one selection reason")],
        "note": [B("หมายเหตุยาวได้ไม่เกิน 2000 ตัวอักษร (ตอนนี้ยาว 2001 ตัวอักษร)",
                   "The note can be at most 2000 characters long (it is 2001)")],
    }
    assert str(refused.value).startswith("Please correct these errors: ")
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_reasons(["transparency"], {"a": 1})
    assert errors_of(refused) == {"note": [B("หมายเหตุต้องเป็นข้อความ", "The note must be text")]}


# --- scores -----------------------------------------------------------------

@pytest.mark.parametrize(("given", "expected"), [
    ((1, 3, 5), (1, 3, 5)),
    (("1", " 3 ", "5"), (1, 3, 5)),
    (("๑", "๓", "๕"), (1, 3, 5)),
    ((2.0, 4, "๔"), (2, 4, 4)),
])
def test_scores_are_whole_numbers_from_1_to_5(given, expected):
    assert p.check_scores(*given) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, "0", "6", "๖", "3.5", 2.5, "three", "", None, True, False, [3],
                                 "10000000000000000000000000", "٣"])
def test_a_bad_score(bad):
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_scores(3, bad, 3)
    [message] = refused.value.errors["quality"]
    assert list(refused.value.errors) == ["quality"]
    assert shown(message).en.startswith("Quality must be a whole number from 1 to 5 (you gave “")
    assert shown(message).th.startswith("คุณภาพ ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 5 (คุณระบุ “")


def test_every_bad_score_is_named():
    with pytest.raises(p.PriorityInputError) as refused:
        p.check_scores(9, "x", None)
    assert errors_of(refused) == {
        "value": [B("คุณค่า ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 5 (คุณระบุ “9”)",
                    "Value of the data must be a whole number from 1 to 5 (you gave “9”)")],
        "quality": [B("คุณภาพ ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 5 (คุณระบุ “x”)",
                      "Quality must be a whole number from 1 to 5 (you gave “x”)")],
        "manageability": [B("ความพร้อมในการจัดการ ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 5 (คุณระบุ “None”)",
                            "Manageability must be a whole number from 1 to 5 (you gave “None”)")],
    }


# --- weights ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("value:2 quality:1 manageability:1", p.Weights(2, 1, 1)),
    ("manageability:1, value:3, quality:0.5", p.Weights(3, 0.5, 1)),
    ("  value=1  quality=1  manageability=1 ", p.Weights(1, 1, 1)),
    ("value:0 quality:1 manageability:0", p.Weights(0, 1, 0)),
])
def test_weights(text, expected):
    assert p.parse_weights(text) == expected


def test_the_default_weights_count_value_twice():
    assert p.DEFAULT_WEIGHTS == p.Weights(2, 1, 1)
    assert p.DEFAULT_WEIGHTS.as_dict() == {"value": 2, "quality": 1, "manageability": 1}


EXAMPLE = "value:2 quality:1 manageability:1"


@pytest.mark.parametrize(("text", "en"), [
    ("value:2 quality:1", "The priority weights “value:2 quality:1” lack manageability: write each of value, "
                          f"quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("", "The priority weights “” lack value, quality, manageability: write each of value, "
         f"quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("value:two quality:1 manageability:1",
     "The priority weights “value:two quality:1 manageability:1” cannot be read at “value:two”: write each "
     f"of value, quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("value:2 quality:1 manageability:1 popularity:3",
     "The priority weights “value:2 quality:1 manageability:1 popularity:3” cannot be read at “popularity:3”: "
     f"write each of value, quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("value:2 value:1 quality:1 manageability:1",
     "The priority weights “value:2 value:1 quality:1 manageability:1” cannot be read at “value:1”: write "
     f"each of value, quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("value:-1 quality:1 manageability:1",
     "The priority weights “value:-1 quality:1 manageability:1” cannot be read at “value:-1”: write each "
     f"of value, quality and manageability once with its weight, like “{EXAMPLE}”"),
    ("value:101 quality:1 manageability:1", "The priority weight of value must be between 0 and 100 (it is 101)"),
    ("value:0 quality:0 manageability:0",
     "The priority weights “value:0 quality:0 manageability:0” are all 0: at least one must count"),
])
def test_bad_weights_say_what_to_write(text, en):
    with pytest.raises(p.PriorityConfigError) as refused:
        p.parse_weights(text)
    assert shown(refused.value.message).en == en
    assert shown(refused.value.message).th != en


def test_weights_that_are_not_text():
    with pytest.raises(p.PriorityConfigError) as refused:
        p.parse_weights(None)  # type: ignore[arg-type]
    assert shown(refused.value.message) == B(f"น้ำหนักของลำดับความสำคัญต้องเขียนเป็นข้อความ เช่น “{EXAMPLE}”",
                                             f"The priority weights must be text like “{EXAMPLE}”")


# --- the score ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "reasons", "expected"), [
    (3, ["transparency"], 3.0),
    (3, ["transparency", "required_by_law"], 3.5),
    (3, ["transparency", "required_by_law", "agency_mission"], 4.0),
    (4, list(p.REASONS), 5.0),  # capped at 5
    (5, ["transparency", "required_by_law"], 5.0),
    (2, [], 2.0),
    (2, ["transparency", "transparency"], 2.0),  # a reason counts once
])
def test_effective_value_counts_the_reasons_beyond_the_first(value, reasons, expected):
    assert p.effective_value(value, reasons) == expected


@pytest.mark.parametrize("weights", [p.DEFAULT_WEIGHTS, p.Weights(1, 1, 1), p.Weights(0, 1, 0), p.Weights(5, 0, 2)])
def test_the_score_runs_from_0_to_100(weights):
    assert p.score(1, 1, 1, ["transparency"], weights) == 0.0
    assert p.score(5, 5, 5, ["transparency"], weights) == 100.0
    assert p.score(5, 5, 5, list(p.REASONS), weights) == 100.0
    assert p.score(3, 3, 3, ["transparency"], weights) == 50.0


def test_the_score_is_the_weighted_mean():
    # default weights 2:1:1; value 3 + one extra reason = 3.5 -> (7 + 2 + 4) / 4 = 3.25 -> 56.25%
    assert p.score(3, 2, 4, ["transparency", "required_by_law"]) == pytest.approx(56.2, abs=0.051)
    assert p.score(5, 1, 1, ["transparency"]) == 50.0          # value counts twice
    assert p.score(5, 1, 1, ["transparency"], p.Weights(1, 1, 1)) == pytest.approx(33.3)
    assert p.score(1, 5, 1, ["transparency"], p.Weights(0, 1, 0)) == 100.0


def test_more_reasons_raise_the_priority():
    one = p.score(3, 3, 3, ["transparency"])
    two = p.score(3, 3, 3, ["transparency", "required_by_law"])
    assert two > one


# --- the ranked list ------------------------------------------------------------

def test_rank_highest_first_ties_by_title_unscored_last():
    items = [("a", 50.0, "ข้อมูลข"), ("b", None, "ก่อน"), ("c", 50.0, "ข้อมูลก"), ("d", 90.0, "ฮ"),
             ("e", 0.0, "ก"), ("f", None, "Alpha")]
    assert p.rank(items) == [(1, "d", 90.0), (2, "c", 50.0), (3, "a", 50.0), (4, "e", 0.0),
                             (0, "f", None), (0, "b", None)]


def test_rank_of_nothing_and_of_titles_missing():
    assert p.rank([]) == []
    assert p.rank([("x", 10.0, None), ("y", 10.0, "")]) in ([(1, "x", 10.0), (2, "y", 10.0)],)
    assert p.rank(iter([("z", None, None)])) == [(0, "z", None)]


def test_rank_is_stable_for_equal_titles():
    assert p.rank([("b", 1.0, "same"), ("a", 1.0, "same")]) == [(1, "a", 1.0), (2, "b", 1.0)]
