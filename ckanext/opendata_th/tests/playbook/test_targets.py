"""The yearly targets' rules (playbook/targets.py): what a target may be,
and when an actual figure meets it. Pure: no CKAN."""
from __future__ import annotations

import pytest

from ckanext.opendata_th.playbook import targets
from ckanext.opendata_th.playbook.messages import untranslated


def test_the_three_targets_in_order():
    assert targets.TARGET_KEYS == ("datasets_published", "high_value_published", "up_to_date_percent")
    assert [t.unit for t in targets.TARGETS] == ["count", "count", "percent"]


@pytest.mark.parametrize("given, expected", [
    ({"datasets_published": 12, "high_value_published": "3", "up_to_date_percent": "80"},
     {"datasets_published": 12, "high_value_published": 3, "up_to_date_percent": 80}),
    ({"datasets_published": "๑๒", "up_to_date_percent": "๙๐%"},
     {"datasets_published": 12, "high_value_published": None, "up_to_date_percent": 90}),
    ({"datasets_published": "1,200", "high_value_published": "  ", "up_to_date_percent": None},
     {"datasets_published": 1200, "high_value_published": None, "up_to_date_percent": None}),
    ({"datasets_published": 0, "up_to_date_percent": 100, "high_value_published": 5.0},
     {"datasets_published": 0, "high_value_published": 5, "up_to_date_percent": 100}),
    ({}, {"datasets_published": None, "high_value_published": None, "up_to_date_percent": None}),
])
def test_targets_are_read_as_people_type_them(given, expected):
    assert targets.parse_targets(given) == expected


@pytest.mark.parametrize("key, value", [
    ("datasets_published", -1), ("datasets_published", 100_001), ("datasets_published", "สิบ"),
    ("datasets_published", 2.5), ("datasets_published", True), ("datasets_published", [1]),
    ("datasets_published", "1" * 12), ("high_value_published", "-3"),
    ("up_to_date_percent", 101), ("up_to_date_percent", "๑๐๑"), ("up_to_date_percent", "50.5"),
])
def test_a_bad_target_is_refused_by_name(key, value):
    with pytest.raises(targets.TargetInputError) as raised:
        targets.parse_targets({key: value})
    assert set(raised.value.errors) == {key}
    text = raised.value.errors[key][0].render(untranslated)
    assert "whole number" in text
    assert ("0 to 100,000" in text) == (key != "up_to_date_percent")


def test_every_error_is_reported_at_once():
    with pytest.raises(targets.TargetInputError) as raised:
        targets.parse_targets({"datasets_published": "x", "high_value_published": -1,
                               "up_to_date_percent": 200})
    assert set(raised.value.errors) == set(targets.TARGET_KEYS)


def test_a_target_is_met_when_the_actual_figure_reaches_it():
    rows = targets.compare({"datasets_published": 10, "high_value_published": 2, "up_to_date_percent": None},
                           {"datasets_published": 10, "high_value_published": 1, "up_to_date_percent": 95.0})
    assert [(row.target.key, row.goal, row.actual, row.met) for row in rows] == [
        ("datasets_published", 10, 10, True),
        ("high_value_published", 2, 1, False),
        ("up_to_date_percent", None, 95.0, None),  # no target: nothing to meet
    ]


def test_no_actual_figure_meets_nothing():
    rows = targets.compare({"up_to_date_percent": 80}, {"up_to_date_percent": None})
    assert rows[2].met is None


@pytest.mark.parametrize("part, whole, expected", [(3, 4, 75.0), (1, 3, 33.3), (0, 5, 0.0), (0, 0, None)])
def test_share(part, whole, expected):
    assert targets.share(part, whole) == expected
