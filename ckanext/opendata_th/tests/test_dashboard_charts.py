"""The dashboard's charts (charts.py: the workflow funnel, the distribution of
the ten-property scores, the targets against the actuals) are well-formed
SVG that say every value in words, draw bars in proportion, mark targets,
and escape the texts they are given. Pure: no CKAN app."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ckanext.opendata_th import charts

SVG = "{http://www.w3.org/2000/svg}"
LONG = "ร้อยละของชุดข้อมูลที่ปรับปรุงตามกำหนดเวลาของหน่วยงานในสังกัดทั้งหมด" * 3
STEPS = [charts.Step("บัญชีรายการ", 40, "40 ชุด"),
         charts.Step("คัดเลือกแล้ว", 20, "20 ชุด"),
         charts.Step("รอการอนุมัติ", 0, "0 ชุด"),
         charts.Step("เผยแพร่แล้ว", 10, "10 ชุด"),
         charts.Step("ส่งกลับให้แก้ไข", 5, "5 ชุด", muted=True)]
COLUMNS = [charts.Column(str(score), count, f"{count} ชุด")
           for score, count in enumerate([0, 1, 0, 2, 4, 8, 2, 0, 0, 1, 3])]
ROWS = [charts.Progress("ชุดข้อมูลที่เผยแพร่", 20, 10, 20, "10 จาก 20 ชุด", False),
        charts.Progress("ชุดข้อมูลที่มีคุณค่าสูง", 4, 6, 6, "6 จาก 4 ชุด", True),
        charts.Progress("ร้อยละที่ปรับปรุงตามกำหนด", None, 50.0, 100, "50%", None)]


def funnel(steps=STEPS, title="ชุดข้อมูลแยกตามขั้นตอน") -> ET.Element:
    return ET.fromstring(charts.funnel_chart(steps, title=title))


def distribution(columns=COLUMNS, axis_label="คะแนน (จาก 10 ด้าน)") -> ET.Element:
    return ET.fromstring(charts.distribution_chart(columns, title="การกระจายของคะแนน",
                                                   axis_label=axis_label))


def progress(rows=ROWS) -> ET.Element:
    return ET.fromstring(charts.progress_chart(rows, title="เป้าหมายเทียบกับผล"))


def bars(svg: ET.Element) -> list[ET.Element]:
    """The drawn bars: rects with a tooltip (not the progress chart's track)."""
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def shown(text: ET.Element) -> str:
    """What a text element writes (not its tooltip)."""
    title = text.find(f"{SVG}title")
    return (text.text or "") + (title.tail or "" if title is not None else "")


def texts(svg: ET.Element) -> list[str]:
    """Every written text."""
    return [shown(text) for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("make, css_class", [(funnel, "dashboard-funnel-chart"),
                                             (distribution, "dashboard-distribution-chart"),
                                             (progress, "dashboard-progress-chart")])
def test_each_chart_is_an_accessible_image_with_its_own_ids(make, css_class):
    svg = make()
    assert svg.get("class") == css_class and svg.get("role") == "img"
    assert svg.find(f"{SVG}title").get("id") == f"{css_class}-title"
    assert svg.find(f"{SVG}desc").get("id") == f"{css_class}-desc"
    assert svg.get("aria-labelledby") == f"{css_class}-title {css_class}-desc"
    assert svg.get("font-family") == charts.FONT_FAMILY
    assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")


@pytest.mark.parametrize("make", [funnel, distribution, progress])
def test_everything_drawn_stays_within_the_width_and_height(make):
    svg = make()
    height = float(svg.get("viewBox").split()[3])
    for rect in svg.iter(f"{SVG}rect"):
        assert float(rect.get("x")) >= 0
        assert float(rect.get("x")) + float(rect.get("width")) <= charts.WIDTH
        assert float(rect.get("y")) + float(rect.get("height")) <= height
    for text in svg.iter(f"{SVG}text"):
        assert 0 < float(text.get("y")) <= height
        assert 0 <= float(text.get("x")) <= charts.WIDTH


def test_the_funnel_says_every_stage_and_draws_bars_in_proportion():
    svg = funnel()
    assert svg.find(f"{SVG}title").text == "ชุดข้อมูลแยกตามขั้นตอน"
    description = svg.find(f"{SVG}desc").text
    for step in STEPS:
        assert f"{step.label}: {step.value_text}" in description
    drawn = bars(svg)
    assert len(drawn) == 4  # the stage with no dataset has no bar ...
    assert "0 ชุด" in texts(svg)  # ... but still its value
    widths = [float(rect.get("width")) for rect in drawn]
    assert widths[0] / widths[1] == pytest.approx(2, abs=0.01)
    assert widths[0] / widths[2] == pytest.approx(4, abs=0.01)
    assert widths[0] / widths[3] == pytest.approx(8, abs=0.02)
    assert all(float(rect.get("x")) == charts.LEFT for rect in drawn)  # left aligned


def test_the_values_are_written_at_the_bars_ends_and_the_labels_above_them():
    svg = funnel()
    drawn = bars(svg)
    written = {"".join(text.itertext()): text for text in svg.iter(f"{SVG}text")}
    for rect, step in zip(drawn, [step for step in STEPS if step.count]):
        end = float(rect.get("x")) + float(rect.get("width"))
        value = written[step.value_text]
        assert end < float(value.get("x")) <= end + 8  # right of the bar, never on it
        label = next(text for text in svg.iter(f"{SVG}text")
                     if text.find(f"{SVG}title") is not None
                     and text.find(f"{SVG}title").text == step.label)
        assert float(label.get("y")) < float(rect.get("y"))  # its own line above the bar


def test_muted_steps_are_grey_and_set_apart():
    svg = funnel()
    colours = [rect.get("fill") for rect in bars(svg)]
    assert colours == [charts.STEP_COLOUR] * 3 + [charts.MUTED]
    assert len(svg.findall(f"{SVG}line")) == 1  # the separator before the muted steps
    assert len(funnel(STEPS[:4]).findall(f"{SVG}line")) == 0


def test_the_distribution_has_a_column_per_score_with_its_count_above_and_label_under():
    svg = distribution()
    description = svg.find(f"{SVG}desc").text
    assert description.startswith("คะแนน (จาก 10 ด้าน)")
    for column in COLUMNS:
        assert f"{column.label}: {column.value_text}" in description
    drawn = bars(svg)
    assert len(drawn) == 7  # four scores have no dataset
    heights = [float(rect.get("height")) for rect in drawn]
    assert heights[3] / heights[0] == pytest.approx(8, abs=0.01)  # 8 datasets against 1
    assert heights[2] / heights[1] == pytest.approx(2, abs=0.01)
    written = texts(svg)
    for column in COLUMNS:
        assert column.value_text in written and column.label in written
    assert "คะแนน (จาก 10 ด้าน)" in written
    # the count above its column, the label under it
    value = next(text for text in svg.iter(f"{SVG}text") if text.text == "8 ชุด")
    label = next(text for text in svg.iter(f"{SVG}text") if text.text == "5")
    column = drawn[3]
    assert float(value.get("y")) < float(column.get("y"))
    assert float(label.get("y")) > float(column.get("y")) + float(column.get("height"))
    assert float(value.get("x")) == pytest.approx(float(column.get("x"))
                                                  + float(column.get("width")) / 2, abs=0.1)


def test_the_progress_bars_are_green_when_met_orange_when_not_grey_without_target():
    svg = progress()
    assert [rect.get("fill") for rect in bars(svg)] == [charts.BELOW, charts.MEETS, charts.MUTED]
    description = svg.find(f"{SVG}desc").text
    for row in ROWS:
        assert f"{row.label}: {row.value_text}" in description


def test_the_progress_bars_and_target_markers_sit_on_each_rows_scale():
    svg = progress()
    tracks = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") == charts.TARGET_TRACK]
    assert len(tracks) == 3
    scale = float(tracks[0].get("width"))
    widths = [float(rect.get("width")) for rect in bars(svg)]
    assert widths[0] == pytest.approx(scale / 2, abs=0.1)  # 10 of 20
    assert widths[1] == pytest.approx(scale, abs=0.1)  # 6 on a scale to 6
    assert widths[2] == pytest.approx(scale / 2, abs=0.1)  # 50 of 100
    markers = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(markers) == 2  # none for the row without a target
    assert float(markers[0].get("x1")) == pytest.approx(charts.LEFT + scale, abs=0.1)  # 20 of 20
    assert float(markers[1].get("x1")) == pytest.approx(charts.LEFT + scale * 4 / 6, abs=0.1)


def test_a_value_the_target_marker_would_cross_is_written_after_it():
    row = charts.Progress("ร้อยละที่ปรับปรุงตามกำหนด", 80, 79, 100, "79% จากเป้าหมาย 80%", False)
    svg = progress([row])
    marker = next(line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray"))
    value = next(text for text in svg.iter(f"{SVG}text") if text.text == row.value_text)
    assert float(value.get("x")) > float(marker.get("x1"))
    # a marker far from the bar's end leaves the value at the end
    row = charts.Progress("ชุดข้อมูลที่เผยแพร่", 20, 2, 20, "2 จาก 20 ชุด", False)
    svg = progress([row])
    bar = bars(svg)[0]
    value = next(text for text in svg.iter(f"{SVG}text") if text.text == row.value_text)
    assert float(value.get("x")) == pytest.approx(charts.LEFT + float(bar.get("width")) + 6,
                                                  abs=0.1)


def test_values_beyond_the_scale_stop_at_its_ends_and_unmeasured_ones_draw_nothing():
    rows = [charts.Progress("เกิน", 5, 9, 5, "9 จาก 5", True),
            charts.Progress("วัดไม่ได้", 5, None, 5, "ไม่มีข้อมูล", None)]
    svg = progress(rows)
    tracks = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") == charts.TARGET_TRACK]
    drawn = bars(svg)
    assert len(drawn) == 1
    assert float(drawn[0].get("width")) == pytest.approx(float(tracks[0].get("width")), abs=0.1)
    assert "ไม่มีข้อมูล" in texts(svg)


def test_all_zero_data_draws_no_bars_and_divides_by_nothing():
    steps = [charts.Step("บัญชีรายการ", 0, "0 ชุด"), charts.Step("เผยแพร่แล้ว", 0, "0 ชุด")]
    columns = [charts.Column(str(score), 0, "0") for score in range(11)]
    rows = [charts.Progress("ชุดข้อมูลที่เผยแพร่", 0, 0, 0, "0 จาก 0 ชุด", True),
            charts.Progress("ร้อยละที่ปรับปรุงตามกำหนด", None, None, 0, "–", None)]
    assert bars(funnel(steps)) == [] and texts(funnel(steps)).count("0 ชุด") == 2
    assert bars(distribution(columns)) == [] and texts(distribution(columns)).count("0") == 12
    assert bars(progress(rows)) == []
    assert "0 จาก 0 ชุด" in texts(progress(rows))
    for svg in (funnel([]), distribution([]), progress([])):  # nothing at all still draws
        assert svg.get("role") == "img"


def test_texts_are_escaped():
    attack = "<script>alert(1)</script> & \""
    sources = [
        charts.funnel_chart([charts.Step(attack, 1, attack)], title=attack),
        charts.distribution_chart([charts.Column(attack, 1, attack)], title=attack,
                                  axis_label=attack),
        charts.progress_chart([charts.Progress(attack, 1, 1, 1, attack, True)], title=attack),
    ]
    for source in sources:
        assert "<script>" not in source and "&lt;script&gt;" in source
        svg = ET.fromstring(source)  # still well-formed
        assert svg.find(f"{SVG}title").text == attack
        assert attack in svg.find(f"{SVG}desc").text


def test_long_thai_labels_are_shortened_with_the_whole_text_in_a_tooltip():
    sources = [
        funnel([charts.Step(LONG, 3, "3 ชุด")]),
        progress([charts.Progress(LONG, 1, 1, 1, "1 จาก 1", True)]),
        distribution([charts.Column(LONG, 2, "2 ชุด")], axis_label=LONG),
    ]
    for svg in sources:
        shortened = [text for text in svg.iter(f"{SVG}text")
                     if (text.find(f"{SVG}title") is not None
                         and text.find(f"{SVG}title").text == LONG)]
        assert shortened
        for text in shortened:
            written = text.find(f"{SVG}title").tail
            assert written.endswith("…") and LONG.startswith(written[:-1])
            assert charts.text_width(written) <= charts.WIDTH - charts.LEFT * 2
        assert LONG in svg.find(f"{SVG}desc").text


def test_long_values_keep_within_the_chart():
    value = "เผยแพร่แล้ว 1,234 ชุด จากทั้งหมด 5,678 ชุดในบัญชีรายการของหน่วยงาน" * 2
    svg = funnel([charts.Step("เผยแพร่แล้ว", 5, value), charts.Step("คัดเลือกแล้ว", 10, "10 ชุด")])
    written = next(text for text in svg.iter(f"{SVG}text")
                   if text.find(f"{SVG}title") is not None
                   and text.find(f"{SVG}title").text == value)
    shown = written.find(f"{SVG}title").tail
    assert shown.endswith("…")
    assert float(written.get("x")) + charts.text_width(shown) <= charts.WIDTH
    widest = max(float(rect.get("width")) for rect in bars(svg))
    assert widest >= charts.WIDTH / 2 - charts.LEFT * 2  # the value takes at most half the chart
