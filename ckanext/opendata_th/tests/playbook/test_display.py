"""Which rows a dataset or resource page shows, and the numbers of the update
frequency phrase (playbook/display.py)."""
import pytest

from ckanext.opendata_th.playbook import display
from ckanext.opendata_th.playbook import national_schema as ns

RECORD, STATISTICAL, GEOSPATIAL = ns.DATA_TYPES[:3]


def test_a_statistical_resource_shows_no_map_fields_and_no_empty_ones():
    resource = {
        "url": "https://agency.example/data.csv", "name": "ข้อมูล", "format": "CSV", "description": "",
        "resource_first_year_of_data": "2560", "resource_unit_of_measure": "บาท",
        "resource_disaggregate": ["เพศ"], "resource_disaggregate_other": "  ",
        # left over from a harvested copy: map and record fields do not apply
        "resource_geographic_data_set": "ชั้นข้อมูลป่าไม้", "resource_equivalent_scale": "1:4,000",
        "resource_data_collect": "บุคคล", "resource_created_date": "2026-01-01",
        "resource_unit_of_multiplier": None,
    }
    assert display.shown_fields("resource", resource, STATISTICAL) == [
        "url", "name", "resource_first_year_of_data", "resource_disaggregate",
        "resource_unit_of_measure", "format"]
    shown = display.shown_fields("resource", resource, GEOSPATIAL)
    assert "resource_geographic_data_set" in shown and "resource_first_year_of_data" not in shown


def test_empty_values_in_every_stored_shape_are_left_out():
    for empty in (None, "", "   ", [], ["", " "], "[]", '[""]', {}):
        assert not display.has_value(empty), empty
    for value in ("x", ["เพศ"], '["เพศ"]', 0, "0", {"a": 1}):
        assert display.has_value(value), value


def test_before_a_data_type_is_known_every_field_with_a_value_shows():
    resource = {"resource_geographic_data_set": "ชั้นข้อมูลป่าไม้", "resource_first_year_of_data": "2560"}
    assert display.shown_fields("resource", resource, None) == [
        "resource_first_year_of_data", "resource_geographic_data_set"]
    assert display.shown_fields("resource", resource, "not a data type") == [
        "resource_first_year_of_data", "resource_geographic_data_set"]


def test_the_frequency_is_one_row_under_its_unit():
    dataset = {"data_type": RECORD, "title": "t", "update_frequency_unit": "เดือน",
               "update_frequency_interval": "1", "update_frequency_time": "09:00",
               "update_frequency_unit_other": "x"}
    shown = display.shown_fields("dataset", dataset, RECORD)
    assert "update_frequency_unit" in shown
    assert not {"update_frequency_interval", "update_frequency_time", "update_frequency_unit_other"} & set(shown)
    assert "update_frequency_unit" not in display.shown_fields("dataset", {"update_frequency_interval": "2"}, RECORD)


@pytest.mark.parametrize("values, expected", [
    ({"update_frequency_unit": "เดือน", "update_frequency_interval": "1"}, ("เดือน", 1, "", "")),
    ({"update_frequency_unit": " ปี ", "update_frequency_interval": "๓"}, ("ปี", 3, "", "")),
    ({"update_frequency_unit": "ไตรมาส"}, ("ไตรมาส", 1, "", "")),  # no interval: every 1
    ({"update_frequency_unit": "วัน", "update_frequency_interval": 2, "update_frequency_time": "09:30"},
     ("วัน", 2, "", "09:30")),
    ({"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": "6", "update_frequency_time": "9.00"},
     ("ชั่วโมง", 6, "", "9.00")),  # shown as harvested
    # a time of day only for daily and shorter units, not for real time
    ({"update_frequency_unit": "เดือน", "update_frequency_time": "09:00"}, ("เดือน", 1, "", "")),
    ({"update_frequency_unit": "ตามเวลาจริง", "update_frequency_time": "09:00"}, ("ตามเวลาจริง", None, "", "")),
    ({"update_frequency_unit": "ไม่ทราบ", "update_frequency_interval": "1"}, ("ไม่ทราบ", None, "", "")),
    ({"update_frequency_unit": "อื่นๆ", "update_frequency_unit_other": " ต้นปีงบประมาณ "},
     ("อื่นๆ", None, "ต้นปีงบประมาณ", "")),
    ({"update_frequency_unit": "เดือน", "update_frequency_interval": "sometimes"}, ("เดือน", None, "", "")),
    ({"update_frequency_unit": "รายเดือน"}, ("รายเดือน", None, "", "")),  # not a national unit
])
def test_frequency_of(values, expected):
    found = display.frequency_of(values)
    assert (found.unit, found.count, found.other, found.at) == expected
    assert found.as_dict() == dict(zip(("unit", "count", "other", "at"), expected))


def test_no_unit_no_frequency():
    assert display.frequency_of({}) is None
    assert display.frequency_of({"update_frequency_unit": "  ", "update_frequency_interval": "2"}) is None
