"""The readiness charts (charts.py) are well-formed SVG that say every value
in words, mark the required level, and escape the texts they are given.
Pure: no CKAN app."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ckanext.opendata_th import charts

SVG = "{http://www.w3.org/2000/svg}"
BARS = [charts.Bar("การจัดทำแผนการบริหารจัดการข้อมูลเปิด", 3, "3 – มีการกำหนดไว้ชัดเจน"),
        charts.Bar("งบประมาณ", 1, "1 – เริ่มต้น"),
        charts.Bar("ยุทธศาสตร์ <script>", None, "ยังไม่ประเมิน")]


def level_chart() -> ET.Element:
    return ET.fromstring(charts.level_chart(BARS, max_level=5, required_level=2,
                                            title="ระดับของแต่ละด้าน", required_text="เกณฑ์: ระดับ 2"))


def test_the_level_chart_is_an_accessible_image_with_every_value_in_words():
    svg = level_chart()
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "ระดับของแต่ละด้าน"
    description = svg.find(f"{SVG}desc").text
    for bar in BARS:
        assert f"{bar.label}: {bar.value_text}" in description
    assert "Thai" in svg.get("font-family") or "Sarabun" in svg.get("font-family")


def test_bars_meet_or_miss_the_required_level_and_the_line_marks_it():
    svg = level_chart()
    rects = svg.findall(f"{SVG}rect")
    assert [rect.get("fill") for rect in rects] == [charts.MEETS, charts.BELOW]  # none when not assessed
    widths = [float(rect.get("width")) for rect in rects]
    assert abs(widths[0] / widths[1] - 3) < 0.01  # bar lengths are proportional to the levels
    dashed = [line for line in svg.findall(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert abs(float(dashed[0].get("x1")) - (charts.LEFT + widths[1] * 2)) < 0.01


def test_texts_are_escaped():
    source = charts.level_chart(BARS, max_level=5, required_level=2, title="a & b",
                                required_text="<x>")
    assert "<script>" not in source and "&lt;script&gt;" in source
    assert "<x>" not in source
    ET.fromstring(source)  # still well-formed


def test_long_names_are_shortened_without_splitting_a_letter_from_its_marks():
    name = "การส่งเสริมการนำข้อมูลไปใช้ประโยชน์" * 4
    short = charts.shorten(name, 200)
    assert short.endswith("…") and len(short) < len(name)
    assert charts.text_width(short) <= 200
    cut = short[:-1]
    assert name.startswith(cut)
    assert not name[len(cut)] in "ิีึืุู่้๊๋ั็์"  # the next character is a letter, not a mark
    assert charts.shorten("งบประมาณ", 200) == "งบประมาณ"
    assert charts.text_width("ที่") == charts.text_width("ท")  # marks take no width


def test_the_comparison_chart_has_a_bar_per_year_and_activity():
    series = [charts.Series("2569", [1, None], ["1", "–"]), charts.Series("2570", [3, 2], ["3", "2"])]
    svg = ET.fromstring(charts.comparison_chart(["แผน", "งบประมาณ"], series, max_level=5,
                                                required_level=2, title="t", required_text="r"))
    bars = [rect for rect in svg.findall(f"{SVG}rect") if rect.get("height") != "14"]  # not legend
    assert len(bars) == 3  # the year not assessed has no bar
    assert "แผน: 2569 1, 2570 3" in svg.find(f"{SVG}desc").text
