"""Code columns: the code lists, header hints, recognition, invalid codes and
codes that lost their leading zeros, batches and blanks. Pure (polars,
pycountry and the packaged lists)."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pycountry
import pytest

from ckanext.opendata_th.quality import codes
from ckanext.opendata_th.quality.codes import CodeColumn, code_list, header_words, hinted_lists
from ckanext.opendata_th.quality.findings import ERROR, MAX_EXAMPLES

SAMPLE = Path("/work/shared/samples/tambon_latlong_first300.csv")
ALPHA2 = sorted(code_list("iso3166-alpha2"))


def column(cells, header="", first_row=2) -> CodeColumn:
    check = CodeColumn(header)
    check.update(pl.Series(header, cells, dtype=pl.String), first_row)
    return check


def findings(check: CodeColumn, header="c") -> dict:
    found = {finding.code: finding for finding in check.findings(header)}
    for finding in found.values():
        assert finding.severity == ERROR
        assert finding.message.fields() <= set(finding.message.params)
        assert all(location.column == header for location in finding.examples)
    return found


def test_the_lists_come_from_pycountry_and_the_packaged_files():
    assert code_list("iso3166-alpha2") == {c.alpha_2 for c in pycountry.countries}
    assert {"TH", "US", "JP"} <= code_list("iso3166-alpha2")
    assert "THA" in code_list("iso3166-alpha3")
    assert {"764", "004"} <= code_list("iso3166-numeric")
    assert {"THB", "USD", "EUR"} <= code_list("iso4217")
    assert {"THBKK", "THLCH", "THSGK", "THMAT"} <= code_list("unlocode")
    assert len(code_list("unlocode")) > 100_000
    provinces = code_list("th-province")
    assert len(provinces) == 77 and {"10", "96"} <= provinces and "1" not in provinces
    assert len(code_list("th-district")) == 929 and "1001" in code_list("th-district")
    assert len(code_list("th-subdistrict")) == 7451 and "100101" in code_list("th-subdistrict")
    with pytest.raises(KeyError):
        code_list("iso639")


def test_the_packaged_data_is_there_and_loads_fast():
    assert codes.UNLOCODE_FILE.is_file() and codes.THAI_ADMIN_FILE.is_file()
    assert (codes.DATA / "README.md").is_file()
    assert codes.load_time("unlocode") < 1.0
    assert codes.load_unlocode() == code_list("unlocode")


@pytest.mark.parametrize("header, words", [
    ("PROV_ID", ["prov", "id"]), ("provinceCode", ["province", "code"]),
    ("UN/LOCODE", ["un", "locode"]), ("รหัสจังหวัด", []), ("Port of loading", ["port", "of", "loading"]),
])
def test_header_words(header, words):
    assert header_words(header) == words


@pytest.mark.parametrize("header, lists", [
    ("PROV_ID", ["th-province"]), ("CH_ID", ["th-province"]), ("รหัสจังหวัด", ["th-province"]),
    ("AM_ID", ["th-district"]), ("อำเภอ", ["th-district"]), ("amphoe_code", ["th-district"]),
    ("TA_ID", ["th-subdistrict"]), ("sub_district", ["th-subdistrict"]), ("ตำบล", ["th-subdistrict"]),
    ("currency", ["iso4217"]), ("สกุลเงิน", ["iso4217"]),
    ("port_code", ["unlocode"]), ("UN/LOCODE", ["unlocode"]), ("ท่าเรือต้นทาง", ["unlocode"]),
    ("country", ["iso3166-alpha2", "iso3166-alpha3", "iso3166-numeric"]),
    ("ประเทศ", ["iso3166-alpha2", "iso3166-alpha3", "iso3166-numeric"]),
    # words that merely contain a hint
    ("report", []), ("Import value", []), ("transport", []), ("passport_no", []),
    ("approval", []), ("", []), ("LAT", []),
])
def test_header_hints(header, lists):
    assert [c.id for c in hinted_lists(header)] == lists


def test_the_sample_file_admin_codes_are_recognised_and_checked():
    frame = pl.read_csv(SAMPLE, infer_schema=False)
    profiles = {}
    for name in frame.columns:
        check = CodeColumn(name)
        check.update(frame[name], 2)
        profiles[name] = (check.profile(), check)
    assert profiles["CH_ID"][0] == {"code_list": "th-province", "invalid": 0}
    assert profiles["AM_ID"][0] == {"code_list": "th-district", "invalid": 0}
    # three islands listed as tambons have codes the Department of Provincial
    # Administration does not (Kantang's tambons end at 920214, Palian's at 920413)
    assert profiles["TA_ID"][0] == {"code_list": "th-subdistrict", "invalid": 3}
    invalid = findings(profiles["TA_ID"][1], "TA_ID")["codes.invalid"]
    assert set(invalid.values) == {"920221", "920222", "920414"}
    rows = {row: cells for row, cells in enumerate(frame.iter_rows(named=True), start=2)}
    assert all(rows[e.row]["TA_ID"] in invalid.values for e in invalid.examples)
    assert invalid.message.params["code_list"].msgid == "Thai sub-district codes"
    for name in ("AD_LEVEL", "TAMBON_T", "TAMBON_E", "AMPHOE_T", "AMPHOE_E", "CHANGWAT_T",
                 "CHANGWAT_E", "LAT", "LONG"):
        assert profiles[name][0] == {}, name
        assert profiles[name][1].findings(name) == []


def test_country_codes_without_a_hint_and_an_invalid_one():
    cells = ALPHA2[:30] * 3 + ["XX", "TH", None]
    check = column(cells, first_row=10)
    assert check.profile() == {"code_list": "iso3166-alpha2", "invalid": 1}
    invalid = findings(check)["codes.invalid"]
    assert invalid.count == 1
    assert invalid.values == ("XX",)
    assert [e.row for e in invalid.examples] == [100]
    text = invalid.message.render()
    assert "XX" in text and "ISO 3166-1 alpha-2 country codes" in text


def test_alpha3_and_currency_are_told_apart_by_their_values():
    assert column(["THA", "USA", "JPN", "FRA"]).profile()["code_list"] == "iso3166-alpha3"
    assert column(["THB", "USD", "JPY", "EUR"]).profile()["code_list"] == "iso4217"


def test_currency_column_with_a_hint():
    check = column(["THB", "USD", "BAHT", "thb", "THB"], header="currency")
    assert check.profile() == {"code_list": "iso4217", "invalid": 1}  # lower case is accepted
    assert findings(check)["codes.invalid"].values == ("BAHT",)


def test_unlocode_written_with_a_space_is_valid():
    check = column(["THBKK", "TH BKK", "THLCH", "THXQX", "thsgk"], header="port")
    assert check.profile() == {"code_list": "unlocode", "invalid": 1}
    assert findings(check)["codes.invalid"].values == ("THXQX",)


def test_unlocode_without_a_hint():
    cells = ["THBKK", "THLCH", "THSGK", "THMAT", "SGSIN", "CNSHA", "NLRTM"]
    assert column(cells).profile() == {"code_list": "unlocode", "invalid": 0}


def test_short_numbers_are_not_province_codes_without_a_hint():
    cells = [str(n) for n in range(10, 60)]
    assert column(cells, header="score").profile() == {}
    assert column(cells, header="จังหวัด").profile()["code_list"] == "th-province"


def test_a_province_column_with_invalid_codes_and_lost_zeros_is_not_guessed():
    check = column(["10", "11", "50", "1", "99", "10.0"], header="PROV_ID")
    assert check.profile() == {"code_list": "th-province", "invalid": 3}
    found = findings(check, "PROV_ID")
    assert found["codes.invalid"].values == ("1", "99", "10.0")
    assert "codes.lost_leading_zeros" not in found  # province codes have no leading zeros


def test_years_are_not_district_codes():
    years = [str(y) for y in range(2001, 2012)]  # 2001-2011 are Chon Buri's districts
    assert column(years * 10, header="year").profile() == {}


def test_district_and_subdistrict_codes_without_a_hint_need_many_values():
    districts = sorted(code_list("th-district"))[:25]
    assert column(districts, header="code").profile() == {"code_list": "th-district", "invalid": 0}
    assert column(districts[:10], header="code").profile() == {}


def test_subdistrict_codes_of_the_wrong_length_are_invalid():
    check = column(["100101", "100102", "10101", "1001010"], header="TA_ID")
    assert check.profile() == {"code_list": "th-subdistrict", "invalid": 2}
    assert findings(check)["codes.invalid"].values == ("10101", "1001010")


def test_iso_numeric_codes_that_lost_their_leading_zeros():
    check = column(["764", "4", "004", "8", "840", "999"], header="country_code")
    assert check.profile() == {"code_list": "iso3166-numeric", "invalid": 3}
    found = findings(check)
    lost = found["codes.lost_leading_zeros"]
    assert lost.count == 2 and lost.values == ("4", "8")
    assert [e.row for e in lost.examples] == [3, 5]
    assert lost.message.params["values"] == ("4 (004)", "8 (008)")
    assert found["codes.invalid"].values == ("999",)


def test_iso_numeric_codes_need_a_hint():
    assert column(["764", "840", "392", "250"] * 3, header="amount").profile() == {}


def test_hinted_columns_of_names_are_not_code_columns():
    assert column(["กรุงเทพมหานคร", "เชียงใหม่", "ตรัง"], header="จังหวัด").profile() == {}
    assert column(["Thailand", "Japan"], header="country").profile() == {}
    assert column(["ไทย", "ญี่ปุ่น"], header="ประเทศ").findings("ประเทศ") == []


def test_thai_digit_codes_are_valid():
    assert column(["๑๐", "๕๐", "10"], header="จังหวัด").profile() == {
        "code_list": "th-province", "invalid": 0}


def test_words_that_look_like_codes_are_not_taken_for_them():
    assert column(["yes", "no", "yes"]).profile() == {}
    assert column(["AM", "PM"]).profile() == {}  # too few values without a hint
    assert column(["ABC", "XYZ", "QQQ", "THB"]).profile() == {}


def test_batches_add_up_and_the_decision_is_taken_on_the_first_one():
    check = CodeColumn("currency")
    check.update(pl.Series(["THB", "USD", "BAHT"]), 2)
    check.update(pl.Series([None, "BAHT", "YEN", "EUR"]), 5)
    assert check.profile() == {"code_list": "iso4217", "invalid": 3}
    invalid = findings(check, "currency")["codes.invalid"]
    assert invalid.count == 3
    assert invalid.values == ("BAHT", "YEN")
    assert [e.row for e in invalid.examples] == [4, 6, 7]


def test_a_column_that_is_not_a_code_column_is_not_read_again():
    check = CodeColumn("x")
    check.update(pl.Series(["สมชาย", "สมหญิง"]), 2)
    check.update(pl.Series(["TH", "US", "JP", "XX"]), 4)
    assert check.profile() == {} and check.checked == 0


def test_blank_batches_do_not_decide():
    check = CodeColumn("currency")
    check.update(pl.Series([None, None], dtype=pl.String), 2)
    check.update(pl.Series(["THB", "XXX1"]), 4)
    assert check.profile() == {"code_list": "iso4217", "invalid": 1}


def test_the_header_may_come_from_the_series_name():
    check = CodeColumn()
    check.update(pl.Series("PROV_ID", ["10", "11", "12"]), 2)
    assert check.profile()["code_list"] == "th-province"


def test_memory_stays_bounded_with_many_invalid_values():
    cells = ALPHA2 + [f"Q{i:04d}" for i in range(200)]
    check = column(cells, header="country")
    assert check.profile() == {"code_list": "iso3166-alpha2", "invalid": 200}
    assert len(check.invalid_values) == codes.MAX_INVALID_VALUES
    finding = findings(check)["codes.invalid"]
    assert len(finding.values) == len(finding.examples) == MAX_EXAMPLES


def test_no_column_no_findings():
    check = CodeColumn("country")
    assert check.profile() == {} and check.findings("country") == []
