"""Server-side SVG bar charts for the public statistics page (/thong-ke/).

The charts are plain inline SVG so that they work without JavaScript and under a strict Content
Security Policy: no scripts, no event handlers, no `style` attributes or elements, no external
references. Colours and sizes are presentation attributes only.

The drawing is sized in user units and scaled to the container by `viewBox`, so font sizes are chosen
for the narrowest case: a 390 px phone leaves about 358 px of content width, which maps the
`VIEW_WIDTH` user units so that the smallest text (14 units) still renders at about 13 px. On wide
screens the whole drawing grows; the page stylesheet may cap it through the `bar-chart` class.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from html import escape

from generator.portal.quotas import STATUS_LABELS, quota_label, quota_status

__all__ = [
    "Bar",
    "bar_chart",
    "status_of",
    "COLOR_UNDER",
    "COLOR_WITHIN",
    "COLOR_OVER",
    "COLOR_NEUTRAL",
    "COLOR_TEXT",
    "COLOR_MUTED_TEXT",
    "COLOR_LINK",
    "COLOR_QUOTA_BAND",
    "COLOR_QUOTA_EDGE",
    "COLOR_GRID",
    "COLOR_BACKGROUND",
    "STATUS_COLORS",
    "STATUS_MARKERS",
    "EMPTY_MESSAGE",
]

# Bar fills. Each has at least 3:1 contrast against white (WCAG 1.4.11); they also differ in
# lightness and hue family (vermillion / dark green / purple, after Okabe–Ito) so that they stay
# apart for red–green colour-blind readers. The text marker after each value carries the same
# information, so colour is never the only cue (WCAG 1.4.1).
COLOR_UNDER = "#D55E00"  # 3.9:1
COLOR_WITHIN = "#065F46"  # 7.7:1
COLOR_OVER = "#5B3A9E"  # 8.3:1
COLOR_NEUTRAL = "#35618F"  # 6.5:1, bars without a quota
# Text is at least 4.5:1 (WCAG 1.4.3) even where it sits on the quota band.
COLOR_TEXT = "#1F2937"  # 14.7:1 on white, 12:1 on the band
COLOR_MUTED_TEXT = "#55606E"  # 6.4:1 on white, axis numbers
COLOR_LINK = "#1A4F8B"  # 8.3:1 on white, underlined as well
# The band fill is deliberately faint so the bar stays the focus; its dashed edges carry the
# quota limits with 3:1 contrast.
COLOR_QUOTA_BAND = "#E3E8EF"
COLOR_QUOTA_EDGE = "#55606E"
COLOR_GRID = "#E5E7EB"  # decorative only
# Painted behind everything so the contrast ratios above hold even on a tinted page.
COLOR_BACKGROUND = "#FFFFFF"

STATUS_COLORS: dict[str, str] = {"thieu": COLOR_UNDER, "dat": COLOR_WITHIN, "vuot": COLOR_OVER}
STATUS_MARKERS: dict[str, str] = {status: label.lower() for status, label in STATUS_LABELS.items()}

EMPTY_MESSAGE = "Chưa có dữ liệu."

# Geometry, in user units. See the module docstring for why the width is so small.
VIEW_WIDTH = 380
_MARGIN = 4
_LABEL_SIZE = 15
_VALUE_SIZE = 14
_SMALL_SIZE = 14
_LINE_HEIGHT = 19
_BAR_HEIGHT = 18
_BAND_PAD = 4
_ROW_GAP = 10
_LABEL_GAP = 8
_VALUE_GAP = 6
_LEGEND_SWATCH = 12
_LEGEND_ITEM_GAP = 14
_LEGEND_LINE = 20
# Labels go on the left only while the longest fits in this share of the width on one line;
# otherwise they go above their bars and wrap across the full width.
_LEFT_LABEL_SHARE = 0.34
# Room left of the plot so the centred "0" tick in the stacked layout is not clipped.
_STACKED_INDENT = 8

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Characters XML 1.0 does not allow at all; a stray one would make the whole page's SVG invalid.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    quota_min: int | None = None
    quota_max: int | None = None
    """None with quota_min set means "at least quota_min"."""
    href: str | None = None
    """Relative URL for the label."""

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError(f"Bar {self.label!r}: value must be >= 0, got {self.value}")
        if self.quota_min is None:
            if self.quota_max is not None:
                raise ValueError(f"Bar {self.label!r}: quota_max given without quota_min")
        else:
            if self.quota_min < 0:
                raise ValueError(f"Bar {self.label!r}: quota_min must be >= 0")
            if self.quota_max is not None and self.quota_max < self.quota_min:
                raise ValueError(f"Bar {self.label!r}: quota_max is below quota_min")
        if self.href is not None and (
            _URL_SCHEME.match(self.href) or self.href.startswith("//") or self.href.startswith("\\")
        ):
            # A scheme would allow javascript: URLs and external hosts; the page links only inside the site.
            raise ValueError(f"Bar {self.label!r}: href must be a relative URL, got {self.href!r}")


def status_of(bar: Bar) -> str | None:
    """"thieu" (under the quota), "dat" (within), "vuot" (over) or None when the bar has no quota."""
    return quota_status(bar.value, bar.quota_min, bar.quota_max) if bar.quota_min is not None else None


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, description: str | None = None) -> str:
    """Horizontal bar chart as an inline <svg> string."""
    if not _CHART_ID.match(chart_id):
        # The id ends up in an IDREF list (aria-labelledby), where spaces or odd characters break it.
        raise ValueError(f"chart_id must be a letter followed by letters, digits, '-' or '_': {chart_id!r}")
    title = _clean(title)
    if not bars:
        return _empty_chart(chart_id, title, description)
    return _Chart(chart_id, title, bars, description).render()


# --- text helpers -----------------------------------------------------------------------------


def _clean(text: str) -> str:
    """NFC, no XML-invalid characters, whitespace collapsed (an SVG <text> never wraps by itself)."""
    text = _XML_INVALID.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _num(x: float) -> str:
    """A coordinate with at most one decimal, so the output is short and identical on every run."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _count(n: int) -> str:
    """Vietnamese thousands separator is the dot: 12.345."""
    return f"{n:,}".replace(",", ".")


# Advance widths in em, close to the widest of the fonts the page is likely to inherit (Noto Sans,
# DejaVu Sans; Arial, Roboto and San Francisco are narrower). Overestimating only costs some
# whitespace, underestimating clips text, so the values err on the wide side.
_NARROW = set(" ,.:;'!|ilj")
_SEMI_NARROW = set("fIrt()[]-/\"")
_WIDE = set("mwMW")
_DIGITS = set("0123456789")
_WIDTH_SAFETY = 1.08


def _char_width(ch: str) -> float:
    base = unicodedata.normalize("NFD", ch)[0] if ch else ch
    if base in _NARROW:
        return 0.29
    if base in _SEMI_NARROW:
        return 0.38
    if base in _WIDE:
        return 0.92
    if base in _DIGITS:
        return 0.58
    if base == "Đ" or base == "đ":
        base = "D" if ch == "Đ" else "d"
    if base.isupper():
        return 0.70
    if base.isalpha():
        return 0.58
    if base in "<>=+~&%@#":
        return 0.78
    return 0.6


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(ch) for ch in text) * size * _WIDTH_SAFETY


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy word wrap by estimated width; a word longer than a line is split by characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while _text_width(word, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _join_vi(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _quota_text(bar: Bar) -> str:
    assert bar.quota_min is not None
    return quota_label(bar.quota_min, bar.quota_max)


# --- scale ------------------------------------------------------------------------------------


def _nice_axis(maximum: int) -> tuple[int, int]:
    """(axis max, tick step): a 1-2-5 step giving at most five intervals, the max a multiple of it."""
    if maximum <= 0:
        return 1, 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return math.ceil(maximum / step) * step, step


# --- drawing ----------------------------------------------------------------------------------


def _svg_open(chart_id: str, height: float, role: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="{role}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' viewBox="0 0 {VIEW_WIDTH} {_num(height)}" width="100%" preserveAspectRatio="xMinYMin meet"'
        f' font-family="inherit" font-size="{_SMALL_SIZE}" fill="{COLOR_TEXT}">'
    )


def _title_and_desc(chart_id: str, title: str, desc: str) -> list[str]:
    return [
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>',
    ]


def _background(height: float) -> str:
    return f'<rect width="{VIEW_WIDTH}" height="{_num(height)}" fill="{COLOR_BACKGROUND}"/>'


def _empty_chart(chart_id: str, title: str, description: str | None) -> str:
    height = 32
    parts = [_svg_open(chart_id, height, "img")]
    parts += _title_and_desc(chart_id, title, _clean(description) if description else EMPTY_MESSAGE)
    parts.append(_background(height))
    parts.append(
        f'<text x="{_MARGIN}" y="{_num(height / 2 + 0.35 * _LABEL_SIZE)}" font-size="{_LABEL_SIZE}"'
        f' fill="{COLOR_TEXT}">{_esc(EMPTY_MESSAGE)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class _Row:
    bar: Bar
    label: str
    status: str | None
    value_text: str
    marker: str


class _Chart:
    def __init__(self, chart_id: str, title: str, bars: list[Bar], description: str | None) -> None:
        self.chart_id = chart_id
        self.title = title
        self.rows: list[_Row] = []
        for bar in bars:
            status = status_of(bar)
            self.rows.append(
                _Row(
                    bar=bar,
                    label=_clean(bar.label),
                    status=status,
                    value_text=_count(bar.value),
                    marker=f" ({STATUS_MARKERS[status]})" if status else "",
                )
            )
        self.description = _clean(description) if description else self._summary()
        self.has_quota = any(row.status for row in self.rows)

        limits = [row.bar.value for row in self.rows]
        for row in self.rows:
            limits += [q for q in (row.bar.quota_min, row.bar.quota_max) if q is not None]
        self.axis_max, self.step = _nice_axis(max(limits))

        label_widths = [_text_width(row.label, _LABEL_SIZE) for row in self.rows]
        self.labels_left = max(label_widths) <= VIEW_WIDTH * _LEFT_LABEL_SHARE
        if self.labels_left:
            self.plot_x = _MARGIN + max(label_widths) + _LABEL_GAP
        else:
            self.plot_x = _MARGIN + _STACKED_INDENT
        # The value and its marker sit after the bar end, so the widest one decides how much room the
        # plot leaves on the right; the last tick number (centred on the plot end) needs less.
        reserve = max(_text_width(row.value_text + row.marker, _VALUE_SIZE) for row in self.rows)
        reserve = max(reserve, _text_width(_count(self.axis_max), _SMALL_SIZE) / 2)
        self.plot_right = VIEW_WIDTH - _MARGIN - _VALUE_GAP - reserve
        self.plot_width = self.plot_right - self.plot_x

    def _x(self, value: float) -> float:
        return self.plot_x + value / self.axis_max * self.plot_width

    def _summary(self) -> str:
        """A Vietnamese sentence for <desc>: what a screen reader announces instead of the drawing."""
        count = len(self.rows)
        top = max(row.bar.value for row in self.rows)
        if top == 0:
            sentence = f"Biểu đồ thanh: {count} mục, tất cả bằng 0."
        else:
            leaders = [row.label for row in self.rows if row.bar.value == top]
            named = leaders[:3]
            if len(leaders) > 3:
                named.append(f"{len(leaders) - 3} mục khác")
            sentence = f"Biểu đồ thanh: {count} mục, lớn nhất {_join_vi(named)} ({_count(top)})."
        with_quota = [row for row in self.rows if row.status]
        if with_quota:
            quotas = {_quota_text(row.bar) for row in with_quota}
            scope = f"So với chỉ tiêu {quotas.pop()}" if len(quotas) == 1 else "So với chỉ tiêu"
            tally = [
                f"{sum(1 for row in with_quota if row.status == status)} mục {STATUS_MARKERS[status]}"
                for status in ("thieu", "dat", "vuot")
            ]
            sentence += f" {scope}: {', '.join(tally)}."
        return sentence

    def _legend(self, top: float) -> tuple[list[str], float]:
        """Legend lines from `top`; returns the elements and the y just below them."""
        if not self.has_quota:
            return [], top
        quotas = {_quota_text(row.bar) for row in self.rows if row.status}
        band_label = f"Khoảng chỉ tiêu ({quotas.pop()})" if len(quotas) == 1 else "Khoảng chỉ tiêu"
        items = [("band", band_label)] + [(status, STATUS_LABELS[status]) for status in ("thieu", "dat", "vuot")]

        parts = ['<g class="legend">']
        # Aligned with the labels, which start at the zero line when they sit above the bars.
        start = float(_MARGIN if self.labels_left else self.plot_x)
        x, line = start, 0
        for kind, text in items:
            width = _LEGEND_SWATCH + 5 + _text_width(text, _SMALL_SIZE)
            if x > start and x + width > VIEW_WIDTH - _MARGIN:
                x, line = start, line + 1
            y = top + line * _LEGEND_LINE
            sy = y + (_LEGEND_LINE - _LEGEND_SWATCH) / 2
            if kind == "band":
                parts.append(
                    f'<rect x="{_num(x)}" y="{_num(sy)}" width="{_LEGEND_SWATCH}" height="{_LEGEND_SWATCH}"'
                    f' fill="{COLOR_QUOTA_BAND}" stroke="{COLOR_QUOTA_EDGE}" stroke-dasharray="3 2"/>'
                )
            else:
                parts.append(
                    f'<rect x="{_num(x)}" y="{_num(sy)}" width="{_LEGEND_SWATCH}" height="{_LEGEND_SWATCH}"'
                    f' fill="{STATUS_COLORS[kind]}"/>'
                )
            parts.append(
                f'<text x="{_num(x + _LEGEND_SWATCH + 5)}" y="{_num(y + _LEGEND_LINE / 2 + 0.35 * _SMALL_SIZE)}"'
                f' font-size="{_SMALL_SIZE}">{_esc(text)}</text>'
            )
            x += width + _LEGEND_ITEM_GAP
        parts.append("</g>")
        return parts, top + (line + 1) * _LEGEND_LINE + 6

    def _label(self, row: _Row, lines: list[str], x: float, first_baseline: float) -> str:
        if len(lines) == 1:
            content = _esc(lines[0])
        else:
            content = "".join(
                f'<tspan x="{_num(x)}" dy="{0 if i == 0 else _LINE_HEIGHT}">{_esc(line)}</tspan>'
                for i, line in enumerate(lines)
            )
        if row.bar.href is None:
            return f'<text x="{_num(x)}" y="{_num(first_baseline)}" font-size="{_LABEL_SIZE}">{content}</text>'
        return (
            f'<a href="{_esc(_XML_INVALID.sub("", row.bar.href))}">'
            f'<text x="{_num(x)}" y="{_num(first_baseline)}" font-size="{_LABEL_SIZE}" fill="{COLOR_LINK}"'
            f' text-decoration="underline">{content}</text></a>'
        )

    def _row(self, row: _Row, top: float) -> tuple[str, float, float]:
        """One row's <g> from `top`; returns it, the top of its bar area and where the next row starts."""
        bar = row.bar
        if self.labels_left:
            lines = [row.label]
            bar_y = top + _BAND_PAD
            label = self._label(row, lines, _MARGIN, bar_y + _BAR_HEIGHT / 2 + 0.35 * _LABEL_SIZE)
        else:
            lines = _wrap(row.label, _LABEL_SIZE, VIEW_WIDTH - _MARGIN - self.plot_x)
            label = self._label(row, lines, self.plot_x, top + _LABEL_SIZE)
            bar_y = top + len(lines) * _LINE_HEIGHT + _BAND_PAD
        bottom = bar_y + _BAR_HEIGHT + _BAND_PAD

        status_attr = f' data-status="{row.status}"' if row.status else ""
        parts = [f'<g class="bar-row"{status_attr}>']
        if bar.quota_min is not None:
            left = self._x(bar.quota_min)
            right = self._x(bar.quota_max) if bar.quota_max is not None else self.plot_right
            band_top, band_bottom = bar_y - _BAND_PAD, bottom
            parts.append(
                f'<rect class="quota-band" x="{_num(left)}" y="{_num(band_top)}" width="{_num(right - left)}"'
                f' height="{_num(band_bottom - band_top)}" fill="{COLOR_QUOTA_BAND}"/>'
            )
            edges = [left] if bar.quota_max in (None, bar.quota_min) else [left, right]
            for edge in edges:
                parts.append(
                    f'<line x1="{_num(edge)}" y1="{_num(band_top)}" x2="{_num(edge)}" y2="{_num(band_bottom)}"'
                    f' stroke="{COLOR_QUOTA_EDGE}" stroke-width="1.5" stroke-dasharray="3 2"/>'
                )
        parts.append(label)
        fill = STATUS_COLORS[row.status] if row.status else COLOR_NEUTRAL
        bar_end = self._x(bar.value)
        if bar.value > 0:
            parts.append(
                f'<rect class="bar" x="{_num(self.plot_x)}" y="{_num(bar_y)}" width="{_num(bar_end - self.plot_x)}"'
                f' height="{_BAR_HEIGHT}" fill="{fill}"/>'
            )
        # A white halo keeps the number readable where it crosses a dashed quota edge.
        marker = f'<tspan class="status">{_esc(row.marker)}</tspan>' if row.marker else ""
        parts.append(
            f'<text class="value" x="{_num(bar_end + _VALUE_GAP)}"'
            f' y="{_num(bar_y + _BAR_HEIGHT / 2 + 0.35 * _VALUE_SIZE)}" font-size="{_VALUE_SIZE}"'
            f' stroke="{COLOR_BACKGROUND}" stroke-width="5" stroke-linejoin="round" paint-order="stroke">'
            f"{_esc(row.value_text)}{marker}</text>"
        )
        parts.append("</g>")
        return "".join(parts), bar_y - _BAND_PAD, bottom + _ROW_GAP

    def _axis(self, spans: list[tuple[float, float]], bottom: float) -> tuple[list[str], list[str]]:
        """Grid lines over `spans` (drawn first, behind the rows) and tick numbers below `bottom`."""
        grid = [f'<g class="grid" aria-hidden="true" stroke="{COLOR_GRID}" stroke-width="1">']
        ticks = [f'<g class="axis" aria-hidden="true" fill="{COLOR_MUTED_TEXT}" text-anchor="middle">']
        for value in range(0, self.axis_max + 1, self.step):
            x = _num(self._x(value))
            for top, end in spans:
                grid.append(f'<line x1="{x}" y1="{_num(top)}" x2="{x}" y2="{_num(end)}"/>')
            ticks.append(
                f'<text x="{x}" y="{_num(bottom + 4 + _SMALL_SIZE)}" font-size="{_SMALL_SIZE}">{_count(value)}</text>'
            )
        # The zero line doubles as the bars' baseline, so it is drawn darker than the grid.
        zero = _num(self.plot_x)
        for top, end in spans:
            grid.append(f'<line x1="{zero}" y1="{_num(top)}" x2="{zero}" y2="{_num(end)}" '
                        f'stroke="{COLOR_MUTED_TEXT}"/>')
        grid.append("</g>")
        ticks.append("</g>")
        return grid, ticks

    def render(self) -> str:
        legend, y = self._legend(_MARGIN)
        rows_top = y
        rows = []
        spans = []
        for row in self.rows:
            markup, bar_top, y = self._row(row, y)
            rows.append(markup)
            spans.append((bar_top, y))
        rows_bottom = y - _ROW_GAP
        if self.labels_left:
            spans = [(rows_top, rows_bottom)]
        else:
            # Above-bar labels start at the zero line; grid lines through them would cross the letters.
            spans = [(top, end - _ROW_GAP) for top, end in spans]
        grid, ticks = self._axis(spans, rows_bottom)
        height = rows_bottom + 4 + _SMALL_SIZE + 6

        # Links inside role="img" would be hidden from screen readers yet still take keyboard focus,
        # so a chart with links is exposed as a labelled group whose texts and links are read.
        role = "group" if any(row.bar.href for row in self.rows) else "img"
        parts = [_svg_open(self.chart_id, height, role)]
        parts += _title_and_desc(self.chart_id, self.title, self.description)
        parts.append(_background(height))
        parts += legend
        parts += grid
        parts += rows
        parts += ticks
        parts.append("</svg>")
        return "".join(parts)
