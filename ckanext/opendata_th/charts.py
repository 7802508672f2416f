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
