"""Thai segmentation and English stemming for the search index (no CKAN)."""
from ckanext.opendata_th.search import text


def test_thai_words_are_segmented_inside_a_sentence():
    assert "การค้า" in text.lexemes("ข้อมูลการค้าระหว่างประเทศ")
    assert "ระหว่างประเทศ" in text.lexemes("ข้อมูลการค้าระหว่างประเทศ")


def test_thai_compounds_are_also_indexed_by_their_parts():
    found = text.lexemes("มูลค่าการส่งออกรายเดือน")
    assert "การส่งออก" in found
    assert "ส่งออก" in found


def test_compound_parts_share_the_compound_position():
    positions = text.words("การส่งออกรายเดือน")
    assert positions[0][0] == "การส่งออก"
    assert "ส่งออก" in positions[0][1:]
    assert positions[1][0] == "รายเดือน"


def test_english_is_lowercased_and_stemmed():
    assert text.lexemes("Exports EXPORTING exported") == ["export", "export", "export"]


def test_thai_digits_read_as_arabic_digits():
    assert text.lexemes("ปี ๒๕๖๘") == ["ปี", "2568"]


def test_mixed_text_and_punctuation():
    assert text.lexemes("e-commerce: การค้าออนไลน์!") [:2] == ["e", "commerc"]


def test_tsvector_literal_numbers_positions_and_weights_per_field():
    literal = text.tsvector_literal([("Trade statistics", "A"), ("trade body", "C")])
    # fields are 10 positions apart, so a phrase never spans two fields
    assert literal == "'trade':1A,13C 'statist':2A 'bodi':14C"


def test_quote_escapes_quotes_and_backslashes():
    assert text.quote("it's") == "'it''s'"
    assert text.quote("a\\b") == "'a\\\\b'"


def test_tsquery_for_thai_term_requires_every_word():
    assert text.tsquery_for_term("การค้าระหว่างประเทศ") == "'การค้า' & 'ระหว่างประเทศ'"


def test_tsquery_prefix_uses_the_unstemmed_word():
    assert text.tsquery_for_term("export", prefix=True) == "'export':*"
    assert text.tsquery_for_term("statist", prefix=True) == "'statist':*"


def test_tsquery_phrase_and_empty_input():
    assert text.tsquery_for_phrase("open data") == "'open' <-> 'data'"
    assert text.tsquery_for_term("!!!") is None
    assert text.any_of(["'a'", None, "'b'"]) == "('a') | ('b')"


def test_a_thai_query_word_also_matches_the_start_of_longer_words():
    assert text.tsquery_for_term("ผู้ส่ง", thai_prefix=True) == "'ผู้ส่ง':*"
    # a run of several words: the whole run starts a word, or its words
    # follow one another with the last one a prefix
    assert (text.tsquery_for_term("ข้อมูลผู้ส่ง", thai_prefix=True)
            == "('ข้อมูลผู้ส่ง':* | 'ข้อมูล' & 'ผู้ส่ง':*)")
    assert text.tsquery_for_term("ข้อมูลexport", thai_prefix=True) == "'ข้อมูล':* & 'export'"


def test_thai_prefixes_leave_english_and_single_letters_exact():
    assert text.tsquery_for_term("exports", thai_prefix=True) == "'export'"
    assert text.tsquery_for_term("ก", thai_prefix=True) == "'ก'"
    assert text.tsquery_for_term("ผู้ส่ง") == "'ผู้ส่ง'"  # exact, for ranking
