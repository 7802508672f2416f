"""Which encoding a Thai data file is read with (the DataStore previews)."""
import pytest

from ckanext.opendata_th.playbook.text_encoding import thai_encoding

THAI_TABLE = "ปี,จังหวัด,จำนวน\n2567,เชียงใหม่,10\n2568,น่าน,12\n"


@pytest.mark.parametrize("detected", ["TIS-620", "ISO-8859-11", "windows-874", "tis620"])
def test_a_thai_single_byte_answer_becomes_cp874_its_superset(detected):
    assert thai_encoding(detected, THAI_TABLE.encode("cp874")) == "cp874"


def test_cp874_reads_the_curly_quotes_and_dash_that_tis_620_turns_into_controls():
    sample = "ชื่อ,หมายเหตุ\n“น่าน”,ปี 2566–2568\n".encode("cp874")
    assert "\x93น่าน\x94" in sample.decode("tis-620")
    assert sample.decode(thai_encoding("TIS-620", sample)) == "ชื่อ,หมายเหตุ\n“น่าน”,ปี 2566–2568\n"


def test_a_long_file_with_one_thai_name_taken_for_koi8_r_is_cp874():
    rows = "\n".join(f"{i},x{i},{i * 3}" for i in range(200))
    sample = f"code,name,value\n{rows}\n999,ลำปาง,1\n".encode("cp874")
    assert thai_encoding("KOI8-R", sample) == "cp874"


@pytest.mark.parametrize("text,detected", [
    ("Straße,Größe\nMünchen,ä\n", "ISO-8859-9"),
    ("café,résumé\nnaïve,1\n", "ISO-8859-1"),
    ("Ελλάδα,Αθήνα\n", "ISO-8859-7"),
])
def test_latin_and_other_single_byte_text_keeps_the_detected_encoding(text, detected):
    sample = text.encode("cp1252" if detected != "ISO-8859-7" else "iso-8859-7")
    assert thai_encoding(detected, sample) == detected


@pytest.mark.parametrize("detected", ["utf-8", "UTF-8-SIG", None])
def test_utf8_text_keeps_the_detected_encoding(detected):
    assert thai_encoding(detected, THAI_TABLE.encode("utf-8")) == detected


def test_a_utf8_sample_cut_inside_a_thai_letter_is_still_utf8():
    sample = THAI_TABLE.encode("utf-8")[:-2]  # the last letter's 3 bytes, cut
    assert thai_encoding("Windows-1252", sample) == "Windows-1252"


def test_ascii_only_text_keeps_the_detected_encoding():
    assert thai_encoding("ascii", b"a,b\n1,2\n") == "ascii"
