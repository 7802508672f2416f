"""Which datasets may be public: public data classified as open, only."""
import itertools
import re

import pytest

from ckanext.opendata_th.playbook import disclosure
from ckanext.opendata_th.playbook.messages import Message
from ckanext.opendata_th.playbook.national_schema import FIELDS
from ckanext.opendata_th.playbook.vocabulary import CONFIDENTIAL, OPEN, PERSONAL, PUBLIC
from ckanext.opendata_th.tests.playbook.catalog import shown

CATEGORIES = FIELDS["dataset"]["data_category"].choices
CLASSIFICATIONS = FIELDS["dataset"]["data_classification"].choices
CATEGORY_EN = FIELDS["dataset"]["data_category"].choice_labels_en
CLASSIFICATION_EN = FIELDS["dataset"]["data_classification"].choice_labels_en


def assert_refusal(message, category, classification):
    assert isinstance(message, Message)
    assert message.msgid.startswith("A dataset with {category} and {classification} cannot be public")
    reason = shown(message)
    assert re.search("[\u0e00-\u0e7f]", reason.th) and re.search("[A-Za-z]{3}", reason.en)
    assert " / " not in reason.th and not re.search("[\u0e00-\u0e7f]{3}", reason.en.split("“")[0])
    assert "เผยแพร่เป็นสาธารณะไม่ได้" in reason.th and "cannot be public" in reason.en
    # names the category and the classification, in both languages
    assert f"หมวดหมู่ข้อมูล “{category}”" in reason.th
    assert f"data category “{category}” ({CATEGORY_EN[category]})" in reason.en
    assert f"ระดับชั้นข้อมูล “{classification}”" in reason.th
    assert f"data classification “{classification}” ({CLASSIFICATION_EN[classification]})" in reason.en
    # says what may be public and to keep the dataset private
    assert f"“{OPEN}”" in reason.th and PUBLIC in reason.th and OPEN in reason.en and PUBLIC in reason.en
    assert "ไม่เผยแพร่" in reason.th and "Keep the dataset private" in reason.en


def test_the_schema_has_the_choices_the_rule_names():
    assert PUBLIC in CATEGORIES and OPEN in CLASSIFICATIONS
    assert len(CATEGORIES) == 5 and len(CLASSIFICATIONS) == 5


@pytest.mark.parametrize("category, classification", list(itertools.product(CATEGORIES, CLASSIFICATIONS)))
def test_every_category_and_classification(category, classification):
    """All 25 pairs, the ones the schema refuses too: only public + open may be public."""
    reason = disclosure.public_refusal(category, classification)
    if (category, classification) == (PUBLIC, OPEN):
        assert reason is None
        assert disclosure.may_be_public(category, classification)
    else:
        assert_refusal(reason, category, classification)
        assert not disclosure.may_be_public(category, classification)


@pytest.mark.parametrize("category", CATEGORIES)
def test_no_classification_may_not_be_public(category):
    for missing in (None, "", "  "):
        reason = shown(disclosure.public_refusal(category, missing))
        assert "ไม่ได้ระบุระดับชั้นข้อมูล" in reason.th and "no data classification" in reason.en
        assert f"“{category}”" in reason.th and f"“{category}” ({CATEGORY_EN[category]})" in reason.en


@pytest.mark.parametrize("classification", CLASSIFICATIONS)
def test_no_category_may_not_be_public(classification):
    for missing in (None, "", 0):
        reason = shown(disclosure.public_refusal(missing, classification))
        assert "ไม่ได้ระบุหมวดหมู่ข้อมูล" in reason.th and "no data category" in reason.en


def test_unknown_values_are_not_public_and_are_quoted():
    reason = shown(disclosure.public_refusal("public", "open"))
    assert "“public”" in reason.th and "data category “public”" in reason.en
    assert disclosure.public_refusal(PUBLIC.upper() + "x", OPEN) is not None
    assert disclosure.public_refusal([PUBLIC], OPEN) is not None


def test_surrounding_spaces_are_ignored():
    assert disclosure.public_refusal(f" {PUBLIC} ", f"{OPEN}\n") is None


def test_the_reason_reads_as_one_message_in_each_language():
    reason = shown(disclosure.public_refusal(PERSONAL, CONFIDENTIAL))
    assert reason.en == (
        "A dataset with the data category “ข้อมูลส่วนบุคคล” (Personal) and the data classification “ลับ” "
        "(Confidential) cannot be public: only public data (ข้อมูลสาธารณะ) classified as “เปิดเผย” "
        "may be public. Keep the dataset private.")
    assert reason.th == (
        "ชุดข้อมูลที่มีหมวดหมู่ข้อมูล “ข้อมูลส่วนบุคคล” และมีระดับชั้นข้อมูล “ลับ” เผยแพร่เป็นสาธารณะไม่ได้ "
        "เฉพาะข้อมูลสาธารณะที่มีระดับชั้นข้อมูล “เปิดเผย” เท่านั้นที่เผยแพร่เป็นสาธารณะได้ "
        "กรุณาตั้งชุดข้อมูลนี้เป็นไม่เผยแพร่")
