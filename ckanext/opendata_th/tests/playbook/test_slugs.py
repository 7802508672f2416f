"""Web addresses from titles: Thai transcribed in RTGS (royin, syllable by
syllable, with the spelling rules royin lacks), Latin kept, CKAN's name rules
always met, a number added when a name is taken."""
import time

import pytest

from ckanext.opendata_th.playbook import slugs
from ckanext.opendata_th.playbook.slugs import is_valid_name, name_from_title, unique_name


@pytest.mark.parametrize("title, name", [
    # the words of agencies' titles, in RTGS
    ("ข้อมูล", "khomun"),
    ("ส่งออก", "songok"),
    ("สินค้า", "sinkha"),
    ("การค้า", "kankha"),
    ("จังหวัด", "changwat"),
    ("กรุงเทพมหานคร", "krungthepmahanakhon"),
    ("ราคา", "rakha"),
    ("การส่งออก", "kansongok"),  # royin on the whole word: kantngok
    ("ผู้ส่งออก", "phusongok"),  # royin on the whole word: phutngok
    ("มูลค่า", "munlakha"),  # pronunciation, from the table of known words
    ("ประชากร", "prachakon"),
    ("งบประมาณ", "ngoppraman"),
    ("นักท่องเที่ยว", "nakthongthiao"),
    ("อากาศ", "akat"),  # final ศ is t (royin's public romanize splits กา|ศ: akas)
    ("ไฟฟ้า", "faifa"),
    # spelling rules royin lacks
    ("ใหม่", "mai"),  # silent leading ห
    ("แหล่ง", "laeng"),
    ("เหนือ", "nuea"),
    ("ห้อง", "hong"),  # ห sounded
    ("ทรัพย์", "sap"),  # ทร read as s
    ("สร้าง", "sang"),  # silent ร after ส
    ("จริง", "ching"),
    ("จักร", "chak"),  # silent final ร
    ("เปลี่ยนแปลง", "plianplaeng"),  # cluster after a leading vowel
    ("เพลง", "phleng"),
    ("ใคร", "khrai"),
    ("แขวง", "khwaeng"),
])
def test_thai_words_are_transcribed_in_rtgs(title, name):
    assert name_from_title(title) == name


@pytest.mark.parametrize("title, name", [
    ("ข้อมูล (ux)", "khomun-ux"),
    ("มูลค่าการส่งออกสินค้ารายตลาด", "munlakha-kansongok-sinkha-rai-talat"),
    ("จำนวนผู้ส่งออกรายจังหวัด", "chamnuan-phusongok-rai-changwat"),
    ("สถิติอุบัติเหตุทางถนนรายจังหวัด", "sathiti-ubattihet-thang-thanon-rai-changwat"),
    ("รายชื่อโรงพยาบาลในกรุงเทพมหานคร", "raichue-rongphayaban-nai-krungthepmahanakhon"),
    ("กรมส่งเสริมการค้าระหว่างประเทศ", "krom-songsoem-kankha-rawangprathet"),
    # mixed Thai and English, digits, punctuation
    ("COVID-19 ผู้ป่วยรายวัน", "covid-19-phupuai-raiwan"),
    ("คุณภาพอากาศ PM2.5 เชียงใหม่", "khunnaphap-akat-pm2-5-chiangmai"),
    ("Export Value — มูลค่าการส่งออก!", "export-value-munlakha-kansongok"),
    # Thai digits become Arabic digits; abbreviations are read letter by letter
    ("ข้อมูลประชากร พ.ศ. ๒๕๖๘", "khomun-prachakon-phoso-2568"),
    ("งบประมาณ ปี ๒๕๖๗", "ngoppraman-pi-2567"),
    # ไม้ยมก repeats the word
    ("ข้อมูลอื่นๆ", "khomun-uen-uen"),
    # accents off Latin letters, upper case lowered
    ("Données ÉCONOMIQUES", "donnees-economiques"),
])
def test_titles_give_hyphenated_names(title, name):
    assert name_from_title(title) == name


@pytest.mark.parametrize("title", ["", "   ", "!!!", "🎉🎉", "…", "(—)", "ๆ", None])
def test_a_title_without_letters_or_digits_gives_the_fallback(title):
    assert name_from_title(title) == "dataset"
    assert name_from_title(title, fallback="organization") == "organization"


def test_names_ckan_refuses_are_never_given():
    assert name_from_title("new") == "dataset-new"
    assert name_from_title("Edit") == "dataset-edit"
    assert name_from_title("x", fallback="group") == "group-x"  # CKAN wants two characters


def test_a_long_title_is_cut_at_a_word_boundary():
    title = "ข้อมูลการส่งออกสินค้าเกษตรแปรรูปรายจังหวัด " * 20
    name = name_from_title(title)
    assert is_valid_name(name)
    assert 90 <= len(name) <= 100
    assert name.startswith("khomun-kansongok-sinkha-kaset-praerup-rai-changwat-khomun-")
    # every part is a whole word: the cut never falls inside one
    words = set(slugs.words_of_title("ข้อมูลการส่งออกสินค้าเกษตรแปรรูปรายจังหวัด"))
    assert set(name.split("-")) <= words
    dataset_name = name_from_title(title, max_length=70)
    assert len(dataset_name) <= 70 and name.startswith(dataset_name)


def test_a_title_cut_before_reading_loses_only_its_last_word():
    # 4 characters of title are read per character of name: the cut falls
    # inside a run of Thai without spaces, and only the word it splits is lost
    assert name_from_title("ข้อมูล" * 166, max_length=70) == "-".join(["khomun"] * 10)
    assert name_from_title("ab " * 100, max_length=10) == "ab-ab-ab"
    # a title of one huge word keeps its beginning
    assert name_from_title("abcdefgh" * 100, max_length=10) == "abcdefghab"


def test_a_single_word_longer_than_the_limit_is_cut():
    assert name_from_title("a" * 150) == "a" * 100


def test_a_huge_title_costs_no_more_than_a_long_one():
    huge = "ข้อมูลการส่งออกสินค้า" * 50_000  # a megabyte of Thai
    name_from_title("ข้อมูล")  # PyThaiNLP loads its dictionaries on first use
    start = time.perf_counter()
    name = name_from_title(huge)
    assert time.perf_counter() - start < 0.5
    assert is_valid_name(name)


def test_transcription_is_fast_and_deterministic():
    titles = ["มูลค่าการส่งออกสินค้ารายตลาด", "สถิติอุบัติเหตุทางถนนรายจังหวัด",
              "คุณภาพอากาศ PM2.5 เชียงใหม่", "ข้อมูลประชากร พ.ศ. ๒๕๖๘"] * 25
    first = [name_from_title(title) for title in titles]
    start = time.perf_counter()
    again = [name_from_title(title) for title in titles]
    assert (time.perf_counter() - start) / len(titles) < 0.02  # about 2 ms each
    assert again == first


@pytest.mark.parametrize("title", [
    "ข้อมูล (ux)", "ก", "ๆๆ", "-ข้อมูล-", "a-b", "๑", "a", "ผู้ใช้บริการขนส่งมวลชน", "ฤดูฝน", "ฯลฯ",
    "อบต.", "ก.ข.ค.ง.", "😀 ข้อมูล 😀", "\u0e33\u0e33", "เ", "์", "ทร", "ใ ห ม่",
])
def test_every_name_is_one_ckan_accepts(title):
    assert is_valid_name(name_from_title(title))
    assert is_valid_name(name_from_title(title, max_length=70), max_length=70)


def test_known_words_are_transcribed_in_lower_case_latin():
    for thai, rtgs in slugs.KNOWN_WORDS.items():
        assert rtgs.isascii() and rtgs.isalpha() and rtgs.islower(), thai


def test_a_taken_name_gets_the_first_free_number():
    assert unique_name("khomun", set().__contains__) == "khomun"
    assert unique_name("khomun", {"khomun"}.__contains__) == "khomun-2"
    assert unique_name("khomun", {"khomun", "khomun-2", "khomun-3"}.__contains__) == "khomun-4"
    # a number freed in between is used again
    assert unique_name("khomun", {"khomun", "khomun-3"}.__contains__) == "khomun-2"


def test_a_number_never_pushes_a_name_past_the_limit():
    base = name_from_title("ข้อมูล " * 15 + "สินค้า")
    assert base == "khomun-" * 13 + "khomun"  # 97 characters: sinkha did not fit
    name = unique_name(base, {base}.__contains__)
    assert name == base + "-2"  # 99 characters: fits
    base = name_from_title("ข้อมูลสินค้าราคา", max_length=19)
    assert base == "khomun-sinkha-rakha"
    name = unique_name(base, {base}.__contains__, max_length=19)
    assert name == "khomun-sinkha-2"  # shortened at a hyphen
    long_word = "a" * 100
    assert unique_name(long_word, {long_word}.__contains__) == "a" * 98 + "-2"
    assert unique_name("khomun-sinkha", {"khomun-sinkha"}.__contains__, max_length=14) == "khomun-2"
