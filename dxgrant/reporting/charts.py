"""Charts drawn on the server as inline SVG: pure functions of their numbers, no database, no
JavaScript. Every chart is `role="img"` with a <title> and an aria-label; the page follows each
with its numbers in a <table> (screen readers read the table, not the shapes).

A horizontal bar chart is all the dashboard needs: the funnel is one (bars centred), the budget is
one (three bars), the awards by prefecture and by industry are one each. Bar lengths are
proportional to the values, the longest bar filling the plot; labels are escaped; a chart with
nothing to draw (no rows, or every value zero) is an empty frame with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 110
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
EMPTY_HEIGHT = 60
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
COLOURS = ("#0031d8", "#3460fb", "#7096f8", "#9db7f9", "#c5d7fb")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (what the length is proportional to) and the value as shown."""

    label: str
    value: int
    shown: str


def bar_length(value: int, largest: int, width: int = PLOT_WIDTH) -> float:
    """The length of a bar of `value` when the largest value fills `width` (0 for nothing)."""
    if largest <= 0 or value <= 0:
        return 0.0
    return round(width * value / largest, 2)


def bar_chart(
    bars: Sequence[Bar], *, title: str, empty_message: str, centred: bool = False, key: str = "chart"
) -> SafeString:
    """Horizontal bars, one row each, label on the left and the value on the right. `centred`
    draws each bar about the plot's middle (a funnel). `key` makes the ids of the chart unique
    on the page. Every text is escaped (format_html)."""
    largest = max((bar.value for bar in bars), default=0)
    if largest <= 0:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--empty" role="img" '
            'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-title" aria-label="{}: {}">'
            '<title id="{}-title">{}</title>'
            '<rect x="0.5" y="0.5" width="{}" height="{}" fill="none" stroke="#b3b3b3" '
            'stroke-dasharray="4 4"/>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#4d4d4d">{}</text></svg>',
            WIDTH,
            EMPTY_HEIGHT,
            key,
            title,
            empty_message,
            key,
            title,
            WIDTH - 1,
            EMPTY_HEIGHT - 1,
            WIDTH // 2,
            EMPTY_HEIGHT // 2 + 5,
            empty_message,
        )
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    summary = "; ".join(f"{bar.label} {bar.shown}" for bar in bars)
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + ROW_HEIGHT * index
        length = bar_length(bar.value, largest)
        x = LABEL_WIDTH + (PLOT_WIDTH - length) / 2 if centred else LABEL_WIDTH
        colour = COLOURS[min(index, len(COLOURS) - 1)] if centred else COLOURS[0]
        middle = y + BAR_HEIGHT / 2 + 5
        rows.append(
            (
                LABEL_WIDTH - 8,
                f"{middle:g}",
                bar.label,
                f"{x:g}",
                y,
                f"{length:g}",
                BAR_HEIGHT,
                colour,
                bar.label,
                bar.shown,
                WIDTH - VALUE_WIDTH + 8,
                f"{middle:g}",
                bar.shown,
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1a1a1a">{}</text>'
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#1a1a1a">{}</text>',
        rows,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {} {}" '
        'width="100%" aria-labelledby="{}-title" aria-label="{}: {}"><title id="{}-title">{}</title>{}</svg>',
        WIDTH,
        height,
        key,
        title,
        summary,
        key,
        title,
        body,
    )


def yen_compact(amount: int, language: str = "ja") -> str:
    """Yen as a chart labels it: 1億2,000万円 is "1.2億円", 34,500,000 is "3,450万円", below
    10,000 yen the amount itself. English: "¥1.2 billion", "¥34.5 million", "¥9,999"."""
    if language[:2] == "en":
        if amount >= 1_000_000_000:
            return f"¥{amount / 1_000_000_000:,.1f} billion"
        if amount >= 1_000_000:
            return f"¥{amount / 1_000_000:,.1f} million"
        return f"¥{amount:,}"
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:,.1f}億円"
    if amount >= 10_000:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"


# --- Line chart (a company's KPI trend) --------------------------------------------------------

LINE_HEIGHT = 240
LINE_LEFT = 90
LINE_RIGHT = 20
LINE_TOP = 30
LINE_BOTTOM = 30
SERIES_COLOURS = ("#0031d8", "#e25100", "#197a4b")
SERIES_DASHES = ("", "6 4", "2 3")


@dataclass(frozen=True)
class Series:
    """One line: its name (the legend) and a value per x label (None: no point that year)."""

    name: str
    values: tuple[int | None, ...]


def line_y(value: int, lowest: int, highest: int, height: int = LINE_HEIGHT) -> float:
    """The y of `value` on a plot from `lowest` (bottom) to `highest` (top)."""
    plot = height - LINE_TOP - LINE_BOTTOM
    if highest == lowest:
        return round(LINE_TOP + plot / 2, 2)
    return round(LINE_TOP + plot * (highest - value) / (highest - lowest), 2)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    empty_message: str,
    shown: Callable[[int], str] = str,
    key: str = "chart",
) -> SafeString:
    """Lines over the x `labels`, one per series, a point and its value per known value; the y
    axis runs from the lowest value (or 0 when all are positive) to the highest. Every text is
    escaped. With no value at all, an empty frame with the message."""
    known = [v for s in series for v in s.values if v is not None]
    if not known or not labels:
        return bar_chart([], title=title, empty_message=empty_message, key=key)
    lowest, highest = min(0, *known), max(known)
    step = (WIDTH - LINE_LEFT - LINE_RIGHT) / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return round(LINE_LEFT + step * index if len(labels) > 1 else (WIDTH + LINE_LEFT) / 2, 2)

    axis = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1a1a1a">{}</text>',
        ((f"{x(i):g}", LINE_HEIGHT - 8, label) for i, label in enumerate(labels)),
    )
    zero_y = line_y(0, lowest, highest)
    grid = format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b3b3b3"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#4d4d4d">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#4d4d4d">{}</text>',
        LINE_LEFT,
        WIDTH - LINE_RIGHT,
        f"{zero_y:g}",
        f"{zero_y:g}",
        LINE_LEFT - 6,
        f"{zero_y + 4:g}",
        shown(0),
        LINE_LEFT - 6,
        f"{line_y(highest, lowest, highest) + 4:g}",
        shown(highest),
    )
    lines = []
    summary = []
    for number, line in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[number % len(SERIES_DASHES)]
        points = [
            (f"{x(i):g}", f"{line_y(v, lowest, highest):g}", v)
            for i, v in enumerate(line.values)
            if v is not None
        ]
        path = " ".join(f"{px},{py}" for px, py, _v in points)
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
            ((px, py, colour, line.name, shown(v)) for px, py, v in points),
        )
        legend_x = LINE_LEFT + 170 * number
        lines.append(
            format_html(
                '<polyline class="line" points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>{}'
                '<line x1="{}" x2="{}" y1="12" y2="12" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
                '<text x="{}" y="16" font-size="12" fill="#1a1a1a">{}</text>',
                path,
                colour,
                dash,
                dots,
                legend_x,
                legend_x + 24,
                colour,
                dash,
                legend_x + 30,
                line.name,
            )
        )
        summary.append(
            f"{line.name} "
            + ", ".join(f"{labels[i]} {shown(v)}" for i, v in enumerate(line.values) if v is not None)
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--line" role="img" viewBox="0 0 {} {}" '
        'width="100%" aria-labelledby="{}-title" aria-label="{}: {}"><title id="{}-title">{}</title>{}{}{}</svg>',
        WIDTH,
        LINE_HEIGHT,
        key,
        title,
        "; ".join(summary),
        key,
        title,
        grid,
        axis,
        format_html_join("", "{}", ((line,) for line in lines)),
    )
