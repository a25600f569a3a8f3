"""Where things go in the analytics pages' inline SVG charts: scales, bar and column
positions, tick and label placement.

Pure: numbers and strings in, positions out — no Django, no request, no query, no
translation (labels arrive already translated). `webinars.analytics.charts` puts report
rows through these; `webinars/analytics/_chart.html` draws what they return. Every chart
is WIDTH units wide; coordinates are rounded to 0.1 (bars: whole units).

Nothing written may run past the picture's edge (the SVG would cut it off): names are
shortened to the room they have (the full name then goes in a `<title>`), axis labels are
thinned so neighbours never overlap and the ones at the edges are anchored inwards. Text
widths are estimated at CHAR_WIDTH units a character (12px text, a little generously).
Axis titles sit outside the plot, in AXIS_ROOM units above it (the y axis') and below it
(the x axis'): the view box starts above 0, so the plot's own coordinates do not move.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
PALETTE = ("#0b5c8c", "#d9822b", "#1d6b32", "#8e44ad", "#a4161a", "#4a5563")


CHAR_WIDTH = 7.0  # an estimate of one character's width at the charts' 12px
TICK_GAP = 8  # at least this much between two axis labels
AXIS_ROOM = 18  # above the plot for the y axis' title, below it for the x axis'


@dataclass(frozen=True)
class AxisTitle:
    text: str
    x: float
    y: float
    anchor: str = "middle"  # SVG text-anchor: start, middle or end


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def fitted(text: str, room: float) -> str:
    """The text, or as much of it as fits in `room` units followed by '…'."""
    chars = int(room // CHAR_WIDTH)
    if len(text) <= chars:
        return text
    return text[: max(0, chars - 1)].rstrip() + "…"


def view_box(width: int, height: int, *, top: bool, bottom: bool) -> str:
    """The SVG viewBox: the plot (0..height) plus room for the axis titles it has."""
    above = AXIS_ROOM if top else 0
    below = AXIS_ROOM if bottom else 0
    return f"0 {-above} {width} {height + above + below}"


def percent_text(share: float | None) -> str:
    """0.705 → '71%' (half up); None → '—'."""
    return "—" if share is None else f"{int(share * 100 + 0.5)}%"


# --- horizontal bars -------------------------------------------------------------------

BAR_ROW = 22  # units per bar, gap included
BAR_HEIGHT = 16
LABEL_WIDTH = 170  # the group's name, right-aligned before the bar
VALUE_ROOM = 110  # the value's text, after the longest bar
LABEL_ROOM = LABEL_WIDTH - 6  # from the picture's left edge to where the name ends


@dataclass(frozen=True)
class Bar:
    label: str  # as written: shortened with '…' when the name does not fit
    value: str
    x: int
    y: int
    width: int
    label_x: int  # the name ends here (text-anchor end)
    text_y: int  # baseline of the name and the value
    value_x: int  # the value starts here, just after the bar
    height: int = BAR_HEIGHT
    full_label: str = ""  # the whole name

    @property
    def shortened(self) -> bool:
        return self.label != self.full_label


@dataclass(frozen=True)
class BarLayout:
    height: int
    bars: list[Bar]
    titles: list[AxisTitle] = field(default_factory=list)
    view_box: str = ""


def bar_layout(
    items: Sequence[tuple[str, float | None, str]],
    *,
    width: int = WIDTH,
    label_title: str = "",
    value_title: str = "",
) -> BarLayout:
    """One bar per (label, share 0–1 or None, value text), top to bottom; a share scales
    the bar over the room left by the label and the value; None or 0 draws none. A name
    longer than its room is shortened (`full_label` keeps it). The titles, when given,
    head the names' column and the bars'."""
    span = width - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, share, value) in enumerate(items):
        length = int(span * share) if share else 0
        bars.append(
            Bar(
                label=fitted(label, LABEL_ROOM),
                full_label=label,
                value=value,
                x=LABEL_WIDTH,
                y=index * BAR_ROW + 4,
                width=length,
                label_x=LABEL_WIDTH - 6,
                text_y=index * BAR_ROW + 16,
                value_x=LABEL_WIDTH + length + 6,
            )
        )
    height = max(1, len(items)) * BAR_ROW + 8
    titles = []
    if label_title:
        titles.append(AxisTitle(fitted(label_title, LABEL_ROOM), LABEL_WIDTH - 6, -6, "end"))
    if value_title:
        titles.append(AxisTitle(fitted(value_title, width - LABEL_WIDTH), LABEL_WIDTH, -6, "start"))
    return BarLayout(
        height=height,
        bars=bars,
        titles=titles,
        view_box=view_box(width, height, top=bool(titles), bottom=False),
    )


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
    anchor: str = "middle"  # SVG text-anchor; at the picture's edges it points inwards


def anchor_at(x: float, label: str, width: int) -> str:
    """Centred under its point unless that would run past an edge of the picture."""
    half = text_width(label) / 2
    if x + half > width:
        return "end"
    if x - half < 0:
        return "start"
    return "middle"


def thinned(labels: Sequence[str], xs: Sequence[float], *, width: int, most: int) -> list[int]:
    """Which of evenly spaced labels (written at `xs`, anchored by `anchor_at`) to write:
    every k-th, k the smallest that keeps neighbours TICK_GAP apart (by the longest label)
    and writes at most about `most`; the last always, and a neighbour of the first or
    the last dropped when the edge's anchoring brings them too close."""
    if not labels:
        return []
    step = xs[1] - xs[0] if len(xs) > 1 else width
    room = max(text_width(label) for label in labels) + TICK_GAP
    every = max(1, len(labels) // most, math.ceil(room / step))
    chosen = list(range(0, len(labels), every))
    if chosen[-1] != len(labels) - 1:
        chosen.append(len(labels) - 1)

    def span(index: int) -> tuple[float, float]:
        x, label = xs[index], labels[index]
        left = {"start": x, "middle": x - text_width(label) / 2, "end": x - text_width(label)}
        start = left[anchor_at(x, label, width)]
        return start, start + text_width(label)

    while len(chosen) > 2 and span(chosen[-2])[1] + TICK_GAP > span(chosen[-1])[0]:
        chosen.pop(-2)
    while len(chosen) > 2 and span(chosen[0])[1] + TICK_GAP > span(chosen[1])[0]:
        chosen.pop(1)
    return chosen


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
    titles: list[AxisTitle] = field(default_factory=list)
    view_box: str = ""

    @property
    def points(self) -> str:
        """The polyline through the known values ("x,y x,y …")."""
        return " ".join(f"{d.x},{d.y}" for d in self.dots)


def line_layout(
    points: Sequence[tuple[str, float | None]],
    *,
    width: int = WIDTH,
    x_title: str = "",
    y_title: str = "",
) -> LineLayout:
    """Shares (0–1) over evenly spaced, ordered labels; an unknown share (None) has no dot
    and the line skips it. Labels are thinned (`thinned`, about LINE_TICKS at most, the
    last always kept). `y_title` goes above the percentages, `x_title` under the labels."""
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
    labels = [label for label, _share in points]
    xs = [x_at(index) for index in range(len(points))]
    ticks = [
        Tick(x=xs[index], label=labels[index], anchor=anchor_at(xs[index], labels[index], width))
        for index in thinned(labels, xs, width=width, most=LINE_TICKS)
    ]
    gridlines = [Gridline(y=y_at(share), label=f"{int(share * 100)}%") for share in GRID_SHARES]
    titles = []
    if y_title:
        titles.append(AxisTitle(fitted(y_title, width), 0, -6, "start"))
    if x_title:
        titles.append(
            AxisTitle(fitted(x_title, usable_w), LINE_LEFT + usable_w / 2, LINE_HEIGHT + 10)
        )
    return LineLayout(
        height=LINE_HEIGHT,
        dots=dots,
        ticks=ticks,
        gridlines=gridlines,
        axis_right=width - LINE_RIGHT,
        titles=titles,
        view_box=view_box(width, LINE_HEIGHT, top=bool(y_title), bottom=bool(x_title)),
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
    titles: list[AxisTitle] = field(default_factory=list)
    view_box: str = ""


def column_layout(
    stacks: Sequence[tuple[str, Sequence[int]]],
    *,
    tick_labels: Sequence[str | None] = (),
    palette: Sequence[str] = PALETTE,
    width: int = WIDTH,
    x_title: str = "",
    y_title: str = "",
) -> ColumnLayout:
    """One column per (name, counts), left to right, each count a segment stacked from
    the baseline in palette order (zero counts draw nothing). The tallest column fills
    the height. `tick_labels[i]`, when given and not None, is written under column i.
    `y_title` goes above the plot, `x_title` under the labels."""
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
    # Written from the column's left edge on, unless that would run past the picture's.
    ticks = [
        Tick(
            x=x_at(position),
            label=label,
            anchor="end" if x_at(position) + text_width(label) > width else "start",
        )
        for position, label in enumerate(tick_labels)
        if label is not None
    ]
    titles = []
    if y_title:
        titles.append(AxisTitle(fitted(y_title, width), COLUMN_SIDE, -6, "start"))
    if x_title:
        titles.append(AxisTitle(fitted(x_title, width), width / 2, COLUMN_HEIGHT + 10))
    return ColumnLayout(
        height=COLUMN_HEIGHT,
        columns=columns,
        ticks=ticks,
        axis_right=width - COLUMN_SIDE,
        titles=titles,
        view_box=view_box(width, COLUMN_HEIGHT, top=bool(y_title), bottom=bool(x_title)),
    )
