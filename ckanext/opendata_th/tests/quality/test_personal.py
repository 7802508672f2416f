"""Personal data (PDPA B.E. 2562): citizen IDs with their check digit, phone
numbers, e-mail addresses, names with a title; one error per kind naming the
column and the count, never the values; the false alarms that matter. Pure."""
from __future__ import annotations

import json
import random
from pathlib import Path

import polars as pl
import pytest

from ckanext.opendata_th.quality import personal
from ckanext.opendata_th.quality.findings import ERROR, MAX_EXAMPLES
from ckanext.opendata_th.quality.personal import (
    KINDS,
    PersonalDataColumn,
    find_personal,
    valid_citizen_ids,
    valid_id_numbers,
)

SAMPLE = Path("/work/shared/samples/tambon_latlong_first300.csv")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def check_digit(first12: str) -> str:
    """The reference rule, digit by digit."""
    total = sum(int(digit) * (13 - i) for i, digit in enumerate(first12))
    return str((11 - total % 11) % 10)


def citizen_id(first12: str) -> str:
    return first12 + check_digit(first12)


GOOD_ID = citizen_id("110170012345")
BAD_ID = GOOD_ID[:-1] + str((int(GOOD_ID[-1]) + 1) % 10)
DASHED_ID = f"{GOOD_ID[0]}-{GOOD_ID[1:5]}-{GOOD_ID[5:10]}-{GOOD_ID[10:12]}-{GOOD_ID[12]}"
COMPANY_ID = citizen_id("010553600123")  # a juristic person's number, check digit valid


def kinds_of(cell: str, letters: bool = True) -> set[str]:
    found = find_personal(pl.Series([cell], dtype=pl.String), letters=letters)
    return {kind for kind, positions in found.items() if positions.len()}


def column(cells, header="ข้อมูล", first_row=2) -> PersonalDataColumn:
    check = PersonalDataColumn(header)
    check.update(pl.Series(header, cells, dtype=pl.String), first_row)
    return check


def test_the_check_digit_agrees_with_the_rule_on_many_numbers():
    rng = random.Random(13)
    firsts = ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(2000)]
    cells = [f + str(rng.randrange(10)) for f in firsts]
    expected = [c[12] == check_digit(c[:12]) for c in cells]
    assert valid_citizen_ids(pl.Series(cells)).to_list() == expected
    assert 0 < sum(expected) < len(cells)  # both answers were tested


def test_the_check_digit_of_known_shapes():
    assert valid_citizen_ids(pl.Series([GOOD_ID, BAD_ID, "123", None, "x" * 13,
                                        GOOD_ID + "0"])).to_list() == [
        True, False, False, False, False, False]
    assert valid_id_numbers(pl.Series([int(GOOD_ID), None, -1, 10**13])).to_list() == [
        True, False, False, False]


@pytest.mark.parametrize("cell, kinds", [
    # citizen IDs
    (GOOD_ID, {"citizen_id"}),
    (DASHED_ID, {"citizen_id"}),
    (DASHED_ID.replace("-", " "), {"citizen_id"}),
    (GOOD_ID.translate(THAI), {"citizen_id"}),
    (DASHED_ID.translate(THAI), {"citizen_id"}),
    (BAD_ID, set()),                       # check digit fails
    (COMPANY_ID, set()),                   # starts with 0: a company's number
    (GOOD_ID + "1", set()),                # 14 digits
    ("1-1017-0012345-6", set()),           # wrong grouping
    # phones
    ("081-234-5678", {"phone"}), ("0812345678", {"phone"}), ("091 234 5678", {"phone"}),
    ("061-234-5678", {"phone"}), ("02-123-4567", {"phone"}), ("021234567", {"phone"}),
    ("053-123456", {"phone"}), ("(02) 123-4567", {"phone"}), ("+66 81 234 5678", {"phone"}),
    ("+66812345678", {"phone"}), ("+66 2 123 4567", {"phone"}), ("+66 (0) 81 234 5678", {"phone"}),
    ("โทร. 02-123-4567 ต่อ 12", {"phone"}), ("โทรศัพท์ 081-234-5678", {"phone"}),
    ("Tel: 081 234 5678, 02 123 4567", {"phone"}), ("มือถือ 0812345678", {"phone"}),
    ("02-123-4567-8", {"phone"}), ("081-234-5678 หรือ 089-999-9999", {"phone"}),
    ("๐๘๑-๒๓๔-๕๖๗๘", {"phone"}),
    ("12345678", set()), ("123456789", set()), ("1234567890", set()),  # measurements
    ("0.81234567", set()), ("012345678", set()), ("08123456789", set()), ("081234567", set()),
    ("1,081,234,567", set()), ("0812345678.5", set()),
    ("ติดต่อคุณสมชาย 081-234-5678", set()),  # inside free text: not searched
    # e-mail addresses
    ("somchai@example.co.th", {"email"}), ("ติดต่อ somchai.j@moph.go.th", {"email"}),
    ("a.b+c@sub.domain.org", {"email"}),
    ("a@b", set()), ("@somchai", set()), ("user@localhost", set()), ("100 @ 5", set()),
    # names with a title
    ("นายสมชาย ใจดี", {"person_name"}), ("นางสาวสมหญิง ใจงาม", {"person_name"}),
    ("นาง สมศรี มีสุข", {"person_name"}), ("น.ส. สมหญิง ใจงาม", {"person_name"}),
    ("น.ส.สมหญิง ใจงาม", {"person_name"}), ("ด.ช.ก้อง ดีมาก", {"person_name"}),
    ("ด.ญ. ฟ้า ใส", {"person_name"}), ("เด็กชายกล้า หาญ", {"person_name"}),
    ("นายกมล สุขดี", {"person_name"}),  # กมล is a given name: "นายก" + "มล" is not an office
    ("นายสมชาย ณ อยุธยา", {"person_name"}),
    ("Mr John Smith", {"person_name"}), ("Mrs. Jane Doe", {"person_name"}),
    ("MISS SOMYING JAIDEE", {"person_name"}),
    ("นายก", set()), ("นายทะเบียน", set()), ("นายกเทศมนตรี", set()), ("นายกรัฐมนตรี", set()),
    ("นายอำเภอ เมืองตรัง", set()), ("นายอำเภอเมือง ตรัง", set()), ("นายก อบต.บ้านนา", set()),
    ("นายกเทศมนตรี นครเชียงใหม่", set()), ("นางพยาบาล วิชาชีพ", set()),
    ("ต. เกาะสาหร่าย", set()), ("อ. นางรอง", set()), ("นางรอง", set()), ("นายายอาม", set()),
    ("นายสมชาย", set()),  # no family name: could be a word
    ("นายสมชาย ใจดี 2567", set()), ("MS Excel", set()), ("Mr Smith", set()),
    ("สมชาย ใจดี", set()),  # no title
    ("นายสมชาย ใจดี" + " ใจดี" * 40, set()),  # too long for a name cell
])
def test_what_is_personal_data(cell, kinds):
    assert kinds_of(cell) == kinds


def test_a_letter_free_column_is_searched_for_ids_and_phones_only():
    assert kinds_of(GOOD_ID, letters=False) == {"citizen_id"}
    assert kinds_of("081-234-5678", letters=False) == {"phone"}
    assert kinds_of("+66812345678", letters=False) == {"phone"}
    assert kinds_of("(02) 123-4567", letters=False) == {"phone"}
    assert kinds_of("somchai@example.co.th", letters=False) == set()


def test_one_error_per_kind_with_counts_rows_and_never_the_values():
    cells = [GOOD_ID, "081-234-5678", None, "นายสมชาย ใจดี", "somchai@example.co.th",
             DASHED_ID, "ข้อความ", BAD_ID]
    check = column(cells, header="ผู้ติดต่อ", first_row=10)
    found = {f.code: f for f in check.findings("ผู้ติดต่อ")}
    assert set(found) == {"personal.citizen_id", "personal.phone", "personal.email",
                          "personal.person_name"}
    assert check.profile() == {"personal_data": list(KINDS)}
    assert found["personal.citizen_id"].count == 2
    assert [e.row for e in found["personal.citizen_id"].examples] == [10, 15]
    assert [e.row for e in found["personal.phone"].examples] == [11]
    assert [e.row for e in found["personal.person_name"].examples] == [13]
    assert [e.row for e in found["personal.email"].examples] == [14]
    secrets = [GOOD_ID, DASHED_ID, "081-234-5678", "สมชาย", "somchai@example.co.th"]
    for finding in found.values():
        assert finding.severity == ERROR
        assert finding.values == ()
        assert finding.column == "ผู้ติดต่อ"
        assert set(finding.message.params) == {"column", "count"}
        assert finding.message.fields() == {"column", "count"}
        dumped = json.dumps(finding.as_dict(), ensure_ascii=False) + finding.message.render()
        assert "ผู้ติดต่อ" in finding.message.render()
        assert not any(secret in dumped for secret in secrets)


def test_a_column_without_personal_data():
    check = column(["กรุงเทพมหานคร", "เชียงใหม่", None, BAD_ID, "12345678"])
    assert check.profile() == {}
    assert check.findings("x") == []


def test_the_sample_file_has_no_personal_data():
    frame = pl.read_csv(SAMPLE, infer_schema=False)
    for name in frame.columns:  # TAMBON_T has "ต. …" and "แขวง …"; LAT/LONG are decimals
        check = column(frame[name].to_list(), header=name)
        assert check.profile() == {}, name
        assert check.findings(name) == [], name


def test_batches_add_up_and_examples_stay_bounded():
    check = PersonalDataColumn("tel")
    check.update(pl.Series(["081-234-5678"] * 4 + [None]), 2)
    check.update(pl.Series(["02-123-4567"] * 10), 7)
    (finding,) = check.findings("tel")
    assert finding.code == "personal.phone"
    assert finding.count == 14
    assert [e.row for e in finding.examples] == [2, 3, 4, 5, 7]
    assert len(finding.examples) == MAX_EXAMPLES


def test_the_letter_decision_is_taken_on_the_first_non_blank_cells():
    numbers = PersonalDataColumn("n")
    numbers.update(pl.Series([None, None], dtype=pl.String), 2)
    numbers.update(pl.Series(["12", "0812345678"]), 4)
    numbers.update(pl.Series(["somchai@example.co.th", "0812345678"]), 6)
    # decided on its first cells, a number column is not searched for e-mail addresses
    assert numbers.profile() == {"personal_data": ["phone"]}
    assert numbers.counts["phone"] == 2
    text = PersonalDataColumn("t")
    text.update(pl.Series(["หมายเหตุ", "somchai@example.co.th", "0812345678"]), 2)
    assert text.profile() == {"personal_data": ["phone", "email"]}


def test_blank_and_short_cells():
    check = PersonalDataColumn()
    check.update(pl.Series([None, None]), 2)
    check.update(pl.Series(["1", "22", "", None]), 4)
    assert check.profile() == {} and check.findings("x") == []


def test_many_distinct_ids_in_one_batch():
    rng = random.Random(5)
    ids = [citizen_id(str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(11)))
           for _ in range(5000)]
    broken = [i[:-1] + str((int(i[-1]) + 1) % 10) for i in ids[:1000]]
    check = column(ids + broken)
    assert check.counts["citizen_id"] == 5000
    assert check.profile() == {"personal_data": ["citizen_id"]}


def test_the_rules_are_documented_where_they_are_defined():
    doc = personal.__doc__
    for words in ("check digit", "juristic", "+66", "นายก", "นายทะเบียน", "ต. เกาะสาหร่าย",
                  "measurement"):
        assert words in doc


def test_a_column_read_value_by_value_counts_what_a_search_of_every_cell_finds():
    # a column that repeats its values is searched once per distinct value,
    # which it then knows by a hash across batches: old values found again,
    # new ones searched, clean ones skipped, the counts those of every cell
    rng = random.Random(11)
    clean = ["สินค้าเกษตร", "ยางพารา", "2567-01-05", "ข้าวหอมมะลิ"]
    personal = ["นายสมชาย ใจดี", "somchai@example.co.th", "081-234-5678"]
    batches = [[rng.choice(clean) for _ in range(300)] for _ in range(3)]
    batches[0][7] = personal[0]
    batches[1][50] = personal[0]  # seen before: found by its hash
    batches[2][3], batches[2][4] = personal[1], personal[2]  # new in a later batch
    batches[2][5] = None
    check = PersonalDataColumn("รายการ")
    first_row = 2
    for cells in batches:
        check.update(pl.Series(cells, dtype=pl.String), first_row)
        first_row += len(cells)
    assert check._by_value is True
    every_cell = find_personal(pl.Series([cell for cells in batches for cell in cells], dtype=pl.String))
    assert check.counts == {kind: every_cell[kind].len() for kind in KINDS}
    assert check.counts == {"citizen_id": 0, "phone": 1, "email": 1, "person_name": 2}
    (name,) = [f for f in check.findings("รายการ") if f.code == "personal.person_name"]
    assert [e.row for e in name.examples] == [2 + 7, 2 + 300 + 50]
