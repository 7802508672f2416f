"""Bilingual texts: Thai first, then English."""
import pytest

from ckanext.opendata_th.playbook.messages import Bilingual, BilingualError, bilingual


def test_a_bilingual_text_shows_thai_then_english():
    text = Bilingual("ชุดข้อมูล", "Dataset")
    assert str(text) == "ชุดข้อมูล / Dataset"
    assert text.as_dict() == {"th": "ชุดข้อมูล", "en": "Dataset"}
    assert bilingual("ชุดข้อมูล", "Dataset") == "ชุดข้อมูล / Dataset"


@pytest.mark.parametrize("lang, expected", [("th", "ชุดข้อมูล"), ("en", "Dataset"), ("fr", "Dataset"),
                                            ("TH", "Dataset"), ("", "Dataset")])
def test_in_language_is_thai_only_for_th(lang, expected):
    assert Bilingual("ชุดข้อมูล", "Dataset").in_language(lang) == expected


def test_a_bilingual_error_carries_both_messages():
    error = BilingualError("ผิดพลาด", "Wrong")
    assert isinstance(error, ValueError)
    assert (error.message_th, error.message_en) == ("ผิดพลาด", "Wrong")
    assert error.message == Bilingual("ผิดพลาด", "Wrong")
    assert str(error) == "ผิดพลาด / Wrong"
    assert error.args == ("ผิดพลาด / Wrong",)
