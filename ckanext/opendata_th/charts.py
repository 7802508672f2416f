"""Bar charts of the readiness assessment as inline SVG, drawn on the server.

No JavaScript and no charting library: the page shows the chart as soon as it
loads, in any browser, and prints as it is. The texts are given already
translated (this module imports nothing from CKAN); every text is escaped.

Activity names go on a line of their own above their bars, so long Thai names
need no wrapping (Thai has no spaces to break at); a name longer than the line
is shortened with an ellipsis and kept whole in the bar's tooltip. Each chart
has ``role="img"``, a ``<title>`` and a ``<desc>`` that says every value in
words, for screen readers.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT_FAMILY = ("'Sarabun', 'Noto Sans Thai', 'Noto Sans Thai UI', 'Leelawadee UI', "
               "'Thonburi', 'Loma', 'Tahoma', sans-serif")
WIDTH = 720
LEFT = 12
VALUE_ROOM = 190
"""Room right of the longest bar for its value ("5 – Optimising")."""
FONT_SIZE = 14
CHAR_WIDTH = 0.62 * FONT_SIZE
"""An estimate of one letter's width (Thai vowel and tone marks above and
below a letter take none)."""
MEETS = "#1f7a3d"
BELOW = "#c2410c"
HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round"'
"""A white outline behind texts that cross the grid and the required line."""
YEAR_COLOURS = ("#9ca3af", "#60a5fa", "#2563eb", "#1e3a8a", "#0f766e", "#7c3aed")


@dataclass(frozen=True)
class Bar:
    """One activity's level: ``value`` None when it is not assessed;
    ``value_text`` what is written at the bar's end."""

    label: str
    value: int | None
    value_text: str


@dataclass(frozen=True)
class Series:
    """One year's levels in the comparison, in the order of the activities."""

    name: str
    values: Sequence[int | None]
    value_texts: Sequence[str]


def text_width(text: str) -> float:
    """The estimated width of ``text`` in pixels at :data:`FONT_SIZE`."""
    return sum(CHAR_WIDTH for char in text if not unicodedata.combining(char)
               and unicodedata.category(char) not in ("Mn", "Me"))


def shorten(text: str, width: float) -> str:
    """``text`` cut to fit ``width`` pixels, with an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    kept, used = [], CHAR_WIDTH  # room for the ellipsis
    for char in text:
        used += text_width(char)
        if used > width:
            break
        kept.append(char)
    # the cut falls before a letter, so its vowel and tone marks go with it
    return "".join(kept).rstrip() + "…"


def _x(value: float, maximum: int) -> float:
    return LEFT + (WIDTH - LEFT - VALUE_ROOM) * value / maximum


def _axis(maximum: int, top: float, bottom: float, required: int | None,
          required_text: str) -> list[str]:
    parts = []
    for tick in range(maximum + 1):
        x = _x(tick, maximum)
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                     'stroke="#e5e7eb" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle" '
                     f'font-size="12" fill="#4b5563">{tick}</text>')
    if required is not None:
        x = _x(required, maximum)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                     'stroke="#111827" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{top - 8:.1f}" font-size="12" '
                     f'fill="#111827">{escape(required_text)}</text>')
    return parts


def _svg(height: float, title: str, description: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'width="100%" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{css_class}-title {css_class}-desc" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}">'
        f'<title id="{css_class}-title">{escape(title)}</title>'
        f'<desc id="{css_class}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>")


def level_chart(bars: Sequence[Bar], *, max_level: int, required_level: int, title: str,
                required_text: str) -> str:
    """A horizontal bar per activity on a 0..``max_level`` scale, with a dashed
    line at the required level; bars at or above it are green, below it
    orange (the value is written too: colour is never the only sign)."""
    top, label_height, bar_height, gap = 28.0, 20.0, 20.0, 14.0
    body: list[str] = []
    y = top
    for bar in bars:
        body.append(f'<text x="{LEFT}" y="{y + 14:.1f}" fill="#111827" font-weight="600" {HALO}>'
                    f'<title>{escape(bar.label)}</title>'
                    f'{escape(shorten(bar.label, WIDTH - LEFT * 2))}</text>')
        y += label_height
        end = _x(bar.value or 0, max_level)
        if bar.value:
            colour = MEETS if bar.value >= required_level else BELOW
            body.append(f'<rect x="{LEFT}" y="{y:.1f}" width="{end - LEFT:.1f}" '
                        f'height="{bar_height}" rx="2" fill="{colour}">'
                        f'<title>{escape(bar.label)}: {escape(bar.value_text)}</title></rect>')
        body.append(f'<text x="{end + 6:.1f}" y="{y + 15:.1f}" fill="#374151">'
                    f'{escape(bar.value_text)}</text>')
        y += bar_height + gap
    bottom = y - gap + 6
    body = _axis(max_level, top, bottom, required_level, required_text) + body
    description = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    return _svg(bottom + 24, title, description, body, "readiness-level-chart")


def comparison_chart(labels: Sequence[str], series: Sequence[Series], *, max_level: int,
                     required_level: int, title: str, required_text: str) -> str:
    """The activities' levels across years: per activity one thin bar per year
    (oldest first), each year in its own colour, named at the bar's start."""
    top, label_height, bar_height, gap = 28.0 + 22.0, 20.0, 12.0, 3.0
    body: list[str] = []
    # the legend: one swatch per year
    x = float(LEFT)
    for index, item in enumerate(series):
        colour = YEAR_COLOURS[index % len(YEAR_COLOURS)]
        body.append(f'<rect x="{x:.1f}" y="6" width="14" height="14" fill="{colour}"/>'
                    f'<text x="{x + 19:.1f}" y="18" font-size="13" fill="#111827">'
                    f'{escape(item.name)}</text>')
        x += 19 + text_width(item.name) + 18
    y = top
    for row, label in enumerate(labels):
        body.append(f'<text x="{LEFT}" y="{y + 14:.1f}" fill="#111827" font-weight="600" {HALO}>'
                    f'<title>{escape(label)}</title>'
                    f'{escape(shorten(label, WIDTH - LEFT * 2))}</text>')
        y += label_height
        for index, item in enumerate(series):
            value = item.values[row]
            end = _x(value or 0, max_level)
            colour = YEAR_COLOURS[index % len(YEAR_COLOURS)]
            if value:
                body.append(f'<rect x="{LEFT}" y="{y:.1f}" width="{end - LEFT:.1f}" '
                            f'height="{bar_height}" fill="{colour}">'
                            f'<title>{escape(item.name)}, {escape(label)}: '
                            f'{escape(item.value_texts[row])}</title></rect>')
            body.append(f'<text x="{end + 6:.1f}" y="{y + 10:.1f}" font-size="11" '
                        f'fill="#374151">{escape(item.name)}: {escape(item.value_texts[row])}</text>')
            y += bar_height + gap
        y += 12
    bottom = y - 12 + 4
    body = _axis(max_level, top, bottom, required_level, required_text) + body
    description = "; ".join(
        f"{label}: " + ", ".join(f"{item.name} {item.value_texts[row]}" for item in series)
        for row, label in enumerate(labels))
    return _svg(bottom + 24, title, description, body, "readiness-comparison-chart")


# The organization dashboard's charts: the datasets per workflow stage, the
# published datasets' ten-property scores and the year's targets.

STEP_COLOUR = "#2563eb"
MUTED = "#6b7280"
"""Steps after the funnel (withheld, returned) and rows without a target."""
COLUMN_COLOUR = "#2563eb"
TARGET_TRACK = "#f3f4f6"
"""The 0..maximum scale behind a target's bar."""


@dataclass(frozen=True)
class Step:
    """One workflow stage's datasets; ``muted`` for the steps after the funnel."""

    label: str
    count: int
    value_text: str
    muted: bool = False


@dataclass(frozen=True)
class Column:
    """One column of a distribution (the datasets with one score)."""

    label: str
    count: int
    value_text: str


@dataclass(frozen=True)
class Progress:
    """One target: ``target`` None when none is set (``met`` None then);
    ``actual`` None when it cannot be measured."""

    label: str
    target: float | None
    actual: float | None
    maximum: float
    value_text: str
    met: bool | None


def _value_room(texts: Sequence[str]) -> float:
    """Room right of the longest bar for the longest of ``texts``, at most half
    the chart."""
    return min(max((text_width(text) for text in texts), default=0.0) + 14, WIDTH / 2)


def _label_line(label: str, y: float, fill: str = "#111827") -> str:
    """A bar's label on its own line above it, shortened to the chart's width
    and kept whole in its tooltip."""
    return (f'<text x="{LEFT}" y="{y + 14:.1f}" fill="{fill}" font-weight="600" {HALO}>'
            f'<title>{escape(label)}</title>'
            f'{escape(shorten(label, WIDTH - LEFT * 2))}</text>')


def _value_text(text: str, x: float, y: float, room: float, anchor: str = "start",
                size: int = FONT_SIZE) -> str:
    """A value written at a bar's end (outlined, so a line it crosses stays
    behind it), shortened to ``room`` with the whole text in its tooltip."""
    short = shorten(text, room * FONT_SIZE / size)
    tooltip = f"<title>{escape(text)}</title>" if short != text else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="#374151" {HALO}>{tooltip}{escape(short)}</text>')


def funnel_chart(steps: Sequence[Step], *, title: str) -> str:
    """A horizontal bar per workflow stage, left aligned, its length
    proportional to the largest count; the label on its own line above the
    bar and the value at its end (a stage with no dataset has no bar but
    still its value). Muted steps (after the funnel) are grey and set apart
    by a thin line."""
    top, label_height, bar_height, gap = 8.0, 20.0, 20.0, 12.0
    room = _value_room([step.value_text for step in steps])
    scale = WIDTH - LEFT * 2 - room
    largest = max((step.count for step in steps), default=0)
    body: list[str] = []
    y = top
    for index, step in enumerate(steps):
        if step.muted and index and not steps[index - 1].muted:
            body.append(f'<line x1="{LEFT}" y1="{y + 2:.1f}" x2="{WIDTH - LEFT}" y2="{y + 2:.1f}" '
                        'stroke="#d1d5db" stroke-width="1"/>')
            y += 10
        body.append(_label_line(step.label, y, "#4b5563" if step.muted else "#111827"))
        y += label_height
        width = scale * step.count / largest if largest > 0 and step.count > 0 else 0.0
        if width:
            colour = MUTED if step.muted else STEP_COLOUR
            body.append(f'<rect x="{LEFT}" y="{y:.1f}" width="{width:.1f}" '
                        f'height="{bar_height}" rx="2" fill="{colour}">'
                        f'<title>{escape(step.label)}: {escape(step.value_text)}</title></rect>')
        body.append(_value_text(step.value_text, LEFT + width + 6, y + 15, room - 6))
        y += bar_height + gap
    description = "; ".join(f"{step.label}: {step.value_text}" for step in steps)
    return _svg(y - gap + 10, title, description, body, "dashboard-funnel-chart")


def distribution_chart(columns: Sequence[Column], *, title: str, axis_label: str) -> str:
    """A vertical column per value (the scores 0..10), its height proportional
    to the largest count, the count written above it and its label under it;
    ``axis_label`` says under the labels what they are."""
    top, plot_height, value_height = 8.0, 160.0, 22.0
    slot = (WIDTH - LEFT * 2) / max(len(columns), 1)
    column_width = min(slot * 0.7, 72.0)
    largest = max((column.count for column in columns), default=0)
    baseline = top + value_height + plot_height
    body: list[str] = [f'<line x1="{LEFT}" y1="{baseline:.1f}" x2="{WIDTH - LEFT}" '
                       f'y2="{baseline:.1f}" stroke="#9ca3af" stroke-width="1"/>']
    for index, column in enumerate(columns):
        centre = LEFT + slot * (index + 0.5)
        height = (plot_height * column.count / largest
                  if largest > 0 and column.count > 0 else 0.0)
        if height:
            body.append(f'<rect x="{centre - column_width / 2:.1f}" y="{baseline - height:.1f}" '
                        f'width="{column_width:.1f}" height="{height:.1f}" rx="2" '
                        f'fill="{COLUMN_COLOUR}"><title>{escape(axis_label)} '
                        f'{escape(column.label)}: {escape(column.value_text)}</title></rect>')
        # above the column, clear of the vowels written below the line
        body.append(_value_text(column.value_text, centre, baseline - height - 9, slot - 4,
                                anchor="middle", size=13))
        label = shorten(column.label, slot - 4)
        tooltip = f"<title>{escape(column.label)}</title>" if label != column.label else ""
        body.append(f'<text x="{centre:.1f}" y="{baseline + 18:.1f}" text-anchor="middle" '
                    f'fill="#111827">{tooltip}{escape(label)}</text>')
    axis = shorten(axis_label, WIDTH - LEFT * 2)
    tooltip = f"<title>{escape(axis_label)}</title>" if axis != axis_label else ""
    body.append(f'<text x="{WIDTH / 2:.1f}" y="{baseline + 42:.1f}" text-anchor="middle" '
                f'fill="#4b5563">{tooltip}{escape(axis)}</text>')
    description = f"{axis_label} – " + "; ".join(
        f"{column.label}: {column.value_text}" for column in columns)
    return _svg(baseline + 52, title, description, body, "dashboard-distribution-chart")


def _scaled(value: float, maximum: float, scale: float) -> float:
    """The x of ``value`` on a 0..``maximum`` scale ``scale`` pixels long
    (values outside it at its ends; a scale with no maximum is all 0)."""
    if maximum <= 0:
        return float(LEFT)
    return LEFT + scale * min(max(value, 0.0), maximum) / maximum


def progress_chart(rows: Sequence[Progress], *, title: str) -> str:
    """Per target its label on its own line and a bar of the actual on a
    0..maximum scale (drawn as a pale track), a dashed marker at the target;
    the bar is green when the target is met, orange when not, grey when no
    target is set. The value is written at the bar's end, or just after the
    marker when the marker would cross it."""
    top, label_height, bar_height, gap = 8.0, 20.0, 20.0, 14.0
    room = _value_room([row.value_text for row in rows])
    scale = WIDTH - LEFT * 2 - room
    body: list[str] = []
    y = top
    for row in rows:
        body.append(_label_line(row.label, y))
        y += label_height
        body.append(f'<rect x="{LEFT}" y="{y:.1f}" width="{scale:.1f}" height="{bar_height}" '
                    f'rx="2" fill="{TARGET_TRACK}"/>')
        end = _scaled(row.actual or 0.0, row.maximum, scale)
        if end > LEFT:
            colour = MUTED if row.met is None else MEETS if row.met else BELOW
            body.append(f'<rect x="{LEFT}" y="{y:.1f}" width="{end - LEFT:.1f}" '
                        f'height="{bar_height}" rx="2" fill="{colour}">'
                        f'<title>{escape(row.label)}: {escape(row.value_text)}</title></rect>')
        start = end + 6
        if row.target is not None:
            mark = _scaled(row.target, row.maximum, scale)
            top_end, bottom_end = y - 5, y + bar_height + 5
            # a white line under the dashes keeps them visible on a dark bar
            body.append(f'<line x1="{mark:.1f}" y1="{top_end:.1f}" x2="{mark:.1f}" '
                        f'y2="{bottom_end:.1f}" stroke="#ffffff" stroke-width="4"/>'
                        f'<line x1="{mark:.1f}" y1="{top_end:.1f}" x2="{mark:.1f}" '
                        f'y2="{bottom_end:.1f}" stroke="#111827" stroke-width="2" '
                        f'stroke-dasharray="4 3"><title>{escape(row.label)}: '
                        f'{escape(row.value_text)}</title></line>')
            if end <= mark <= start + text_width(row.value_text) + 2:
                start = mark + 7
        body.append(_value_text(row.value_text, start, y + 15, WIDTH - LEFT - start))
        y += bar_height + gap
    description = "; ".join(f"{row.label}: {row.value_text}" for row in rows)
    return _svg(y - gap + 10, title, description, body, "dashboard-progress-chart")
