"""Where things go in the analytics pages' inline SVG charts: scales, bar and column
positions, tick and label placement.

Pure: numbers and strings in, positions out — no Django, no request, no query, no
translation (labels arrive already translated). `webinars.analytics.charts` puts report
rows through these; `webinars/analytics/_chart.html` draws what they return. Every chart
is WIDTH units wide; coordinates are rounded to 0.1 (bars: whole units).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
PALETTE = ("#0b5c8c", "#d9822b", "#1d6b32", "#8e44ad", "#a4161a", "#4a5563")


def percent_text(share: float | None) -> str:
    """0.705 → '71%' (half up); None → '—'."""
    return "—" if share is None else f"{int(share * 100 + 0.5)}%"


# --- horizontal bars -------------------------------------------------------------------

BAR_ROW = 22  # units per bar, gap included
BAR_HEIGHT = 16
LABEL_WIDTH = 170  # the group's name, right-aligned before the bar
VALUE_ROOM = 110  # the value's text, after the longest bar
LABEL_CHARS = 28


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: int
    y: int
    width: int
    label_x: int  # the name ends here (text-anchor end)
    text_y: int  # baseline of the name and the value
    value_x: int  # the value starts here, just after the bar
    height: int = BAR_HEIGHT


@dataclass(frozen=True)
class BarLayout:
    height: int
    bars: list[Bar]


def bar_layout(items: Sequence[tuple[str, float | None, str]], *, width: int = WIDTH) -> BarLayout:
    """One bar per (label, share 0–1 or None, value text), top to bottom; a share scales
    the bar over the room left by the label and the value; None or 0 draws none."""
    span = width - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, share, value) in enumerate(items):
        length = int(span * share) if share else 0
        bars.append(
            Bar(
                label=label[:LABEL_CHARS],
                value=value,
                x=LABEL_WIDTH,
                y=index * BAR_ROW + 4,
                width=length,
                label_x=LABEL_WIDTH - 6,
                text_y=index * BAR_ROW + 16,
                value_x=LABEL_WIDTH + length + 6,
            )
        )
    return BarLayout(height=max(1, len(items)) * BAR_ROW + 8, bars=bars)


# --- a line of shares ------------------------------------------------------------------

LINE_HEIGHT = 220
LINE_TOP, LINE_BOTTOM, LINE_LEFT, LINE_RIGHT = 12, 28, 44, 12
LINE_TICKS = 8  # at most about this many labels under the line
GRID_SHARES = (0, 0.25, 0.5, 0.75, 1)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class LineLayout:
    height: int
    dots: list[Dot]
    ticks: list[Tick]
    gridlines: list[Gridline]
    axis_left: int = LINE_LEFT
    axis_right: int = WIDTH - LINE_RIGHT
    axis_label_x: int = LINE_LEFT - 6
    tick_y: int = LINE_HEIGHT - 8

    @property
    def points(self) -> str:
        """The polyline through the known values ("x,y x,y …")."""
        return " ".join(f"{d.x},{d.y}" for d in self.dots)


def line_layout(points: Sequence[tuple[str, float | None]], *, width: int = WIDTH) -> LineLayout:
    """Shares (0–1) over evenly spaced, ordered labels; an unknown share (None) has no dot
    and the line skips it. Labels are thinned to about LINE_TICKS, the last always kept."""
    usable_w = width - LINE_LEFT - LINE_RIGHT
    usable_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    step = usable_w / max(1, len(points) - 1)

    def x_at(index: int) -> float:
        return round(LINE_LEFT + index * step, 1)

    def y_at(share: float) -> float:
        return round(LINE_TOP + usable_h * (1 - share), 1)

    dots = [
        Dot(x=x_at(index), y=y_at(share), title=f"{label}: {percent_text(share)}")
        for index, (label, share) in enumerate(points)
        if share is not None
    ]
    every = max(1, len(points) // LINE_TICKS)
    ticks = [
        Tick(x=x_at(index), label=label)
        for index, (label, _share) in enumerate(points)
        if index % every == 0 or index == len(points) - 1
    ]
    gridlines = [Gridline(y=y_at(share), label=f"{int(share * 100)}%") for share in GRID_SHARES]
    return LineLayout(
        height=LINE_HEIGHT,
        dots=dots,
        ticks=ticks,
        gridlines=gridlines,
        axis_right=width - LINE_RIGHT,
    )


# --- stacked columns -------------------------------------------------------------------

COLUMN_HEIGHT = 200
COLUMN_TOP, COLUMN_BOTTOM, COLUMN_SIDE = 10, 28, 10


@dataclass(frozen=True)
class Segment:
    y: float
    height: float
    color: str
    count: int


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    title: str
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnLayout:
    height: int
    columns: list[Column]
    ticks: list[Tick]
    baseline_y: int = COLUMN_HEIGHT - COLUMN_BOTTOM
    tick_y: int = COLUMN_HEIGHT - 10
    axis_left: int = COLUMN_SIDE
    axis_right: int = WIDTH - COLUMN_SIDE


def column_layout(
    stacks: Sequence[tuple[str, Sequence[int]]],
    *,
    tick_labels: Sequence[str | None] = (),
    palette: Sequence[str] = PALETTE,
    width: int = WIDTH,
) -> ColumnLayout:
    """One column per (name, counts), left to right, each count a segment stacked from
    the baseline in palette order (zero counts draw nothing). The tallest column fills
    the height. `tick_labels[i]`, when given and not None, is written under column i."""
    usable_h = COLUMN_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    biggest = max((sum(counts) for _name, counts in stacks), default=0) or 1
    each = (width - 2 * COLUMN_SIDE) / max(1, len(stacks))

    def x_at(position: int) -> float:
        return round(COLUMN_SIDE + position * each, 1)

    columns = []
    for position, (name, counts) in enumerate(stacks):
        y = float(COLUMN_TOP + usable_h)
        segments = []
        for index, count in enumerate(counts):
            if not count:
                continue
            height = usable_h * count / biggest
            y -= height
            segments.append(
                Segment(y=round(y, 1), height=round(height, 1), color=palette[index], count=count)
            )
        columns.append(
            Column(
                x=x_at(position),
                width=round(max(1.0, each - 1), 1),
                title=f"{name}: {sum(counts)}",
                segments=segments,
            )
        )
    ticks = [
        Tick(x=x_at(position), label=label)
        for position, label in enumerate(tick_labels)
        if label is not None
    ]
    return ColumnLayout(
        height=COLUMN_HEIGHT, columns=columns, ticks=ticks, axis_right=width - COLUMN_SIDE
    )
