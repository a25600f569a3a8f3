"""The analytics charts' geometry: pure functions, no database, no request."""

from webinars.analytics.geometry import (
    AXIS_ROOM,
    BAR_ROW,
    COLUMN_BOTTOM,
    COLUMN_HEIGHT,
    COLUMN_TOP,
    LABEL_WIDTH,
    LINE_BOTTOM,
    LINE_HEIGHT,
    LINE_LEFT,
    LINE_RIGHT,
    LINE_TOP,
    TICK_GAP,
    VALUE_ROOM,
    WIDTH,
    bar_layout,
    column_layout,
    line_layout,
    percent_text,
    text_width,
)


def test_percent_text_rounds_half_up_and_says_a_dash_for_none():
    assert percent_text(0.705) == "71%"
    assert percent_text(0.0) == "0%"
    assert percent_text(1) == "100%"
    assert percent_text(None) == "—"


def test_bars_scale_over_the_room_between_the_label_and_the_value():
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    layout = bar_layout(
        [("Full", 1.0, "100%"), ("Half", 0.5, "50%"), ("None yet", None, "—"), ("Zero", 0.0, "0%")]
    )
    full, half, none, zero = layout.bars
    assert (full.x, full.width) == (LABEL_WIDTH, span)
    assert half.width == span // 2
    assert none.width == zero.width == 0
    # the value follows its bar; the name ends just before the bars start
    assert full.value_x == LABEL_WIDTH + span + 6 and none.value_x == LABEL_WIDTH + 6
    assert full.label_x == LABEL_WIDTH - 6
    # one row each, top to bottom, the text on the bar's baseline
    assert [b.y for b in layout.bars] == [4, 4 + BAR_ROW, 4 + 2 * BAR_ROW, 4 + 3 * BAR_ROW]
    assert [b.text_y - b.y for b in layout.bars] == [12] * 4
    assert layout.height == 4 * BAR_ROW + 8
    assert full.value_x + 40 < WIDTH  # room for "100% of 123" inside the picture


def test_bars_shorten_long_names_to_their_room_and_keep_the_whole_name():
    name = "Ministry of Gender, Labour and Social Development"
    layout = bar_layout([(name, 0.3, "30%"), ("Kenya", 0.5, "50%")])
    long, short = layout.bars
    assert long.label == "Ministry of Gender, La…" and long.full_label == name
    assert long.shortened and not short.shortened and short.label == "Kenya"
    # written right-aligned at label_x, it starts inside the picture
    assert long.label_x - text_width(long.label) >= 0
    assert bar_layout([]).height == BAR_ROW + 8


def test_no_name_of_any_length_runs_past_the_left_edge():
    for length in range(0, 80):
        bar = bar_layout([("W" * length, 0.5, "50%")]).bars[0]
        assert bar.label_x - text_width(bar.label) >= 0
        assert bar.full_label == "W" * length


def test_a_line_spans_the_plot_and_skips_unknown_values():
    layout = line_layout([("Jan", 1.0), ("Feb", None), ("Mar", 0.0)])
    top, bottom = LINE_TOP, LINE_HEIGHT - LINE_BOTTOM
    assert [(d.x, d.y) for d in layout.dots] == [(LINE_LEFT, top), (WIDTH - LINE_RIGHT, bottom)]
    assert layout.points == "44.0,12.0 628.0,192.0"
    assert [d.title for d in layout.dots] == ["Jan: 100%", "Mar: 0%"]
    assert [(g.label, g.y) for g in layout.gridlines] == [
        ("0%", bottom),
        ("25%", 147.0),
        ("50%", 102.0),
        ("75%", 57.0),
        ("100%", top),
    ]
    assert (layout.axis_left, layout.axis_right) == (LINE_LEFT, WIDTH - LINE_RIGHT)


def test_a_long_lines_labels_are_thinned_and_the_last_is_kept():
    layout = line_layout([(f"{m} min", 0.5) for m in range(0, 91, 5)])  # 19 points
    labels = [t.label for t in layout.ticks]
    # "80 min" would touch "90 min", which ends at the picture's right edge
    assert labels == ["0 min", "10 min", "20 min", "30 min", "40 min", "50 min", "60 min",
                      "70 min", "90 min"]  # fmt: skip
    assert layout.ticks[-1].x == WIDTH - LINE_RIGHT and layout.ticks[-1].anchor == "end"
    one = line_layout([("Only", 0.4)])
    assert [(d.x, t.x) for d, t in zip(one.dots, one.ticks, strict=True)] == [
        (LINE_LEFT, LINE_LEFT)
    ]


def test_columns_stack_from_the_baseline_and_the_tallest_fills_the_height():
    usable = COLUMN_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    baseline = COLUMN_TOP + usable
    layout = column_layout(
        [("old", [2, 0, 2]), ("mid", [0, 0, 0]), ("new", [1, 1, 0]), ("day", [0, 2, 0])],
        tick_labels=["3", None, "1", None],
        palette=["a", "b", "c"],
    )
    old, mid, new, day = layout.columns
    assert [(s.color, s.count) for s in old.segments] == [("a", 2), ("c", 2)]
    assert old.segments[0].y + old.segments[0].height == baseline
    assert old.segments[-1].y == COLUMN_TOP  # 4 of 4: up to the top
    assert old.segments[0].height == old.segments[1].height == usable / 2
    assert mid.segments == [] and mid.title == "mid: 0"
    assert [s.height for s in new.segments] == [usable / 4, usable / 4]
    each = (WIDTH - 20) / 4
    assert [c.x for c in layout.columns] == [10, 10 + each, 10 + 2 * each, 10 + 3 * each]
    assert {c.width for c in layout.columns} == {each - 1}
    assert [(t.x, t.label) for t in layout.ticks] == [(10, "3"), (10 + 2 * each, "1")]
    assert layout.baseline_y == baseline


def test_sixty_one_narrow_columns_stay_at_least_one_unit_wide_and_empty_ones_draw_nothing():
    layout = column_layout([(str(d), [0]) for d in range(61)])
    assert all(c.width >= 1 and c.segments == [] for c in layout.columns)
    assert layout.columns[-1].x + layout.columns[-1].width <= WIDTH


def extent(tick) -> tuple[float, float]:
    """Where a tick's label reaches, left and right, by its anchor."""
    width = text_width(tick.label)
    left = {"start": tick.x, "middle": tick.x - width / 2, "end": tick.x - width}[tick.anchor]
    return left, left + width


def test_month_labels_stay_inside_the_picture_and_never_overlap_however_many():
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    months = [f"{name} {year}" for year in (2026, 2027, 2028) for name in names]
    minutes = [f"{m} min" for m in range(0, 200, 5)]
    for labels in (months, minutes):
        for count in range(1, len(labels) + 1):
            ticks = line_layout([(label, 0.5) for label in labels[:count]]).ticks
            spans = [extent(tick) for tick in ticks]
            assert spans[0][0] >= 0 and spans[-1][1] <= WIDTH, (count, spans)
            gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
            assert all(gap >= TICK_GAP - 0.1 for gap in gaps), (count, spans)
            assert ticks[-1].label == labels[count - 1]  # the latest is always written
            assert len(ticks) < 2 * 8  # about LINE_TICKS


def test_axes_have_titles_outside_the_plot():
    line = line_layout([("Jan", 0.5), ("Feb", 0.7)], x_title="Month", y_title="Attendance rate")
    assert line.view_box == f"0 {-AXIS_ROOM} {WIDTH} {LINE_HEIGHT + 2 * AXIS_ROOM}"
    y_title, x_title = line.titles
    assert (y_title.text, x_title.text) == ("Attendance rate", "Month")
    assert -AXIS_ROOM < y_title.y < 0  # above the plot
    assert LINE_HEIGHT < x_title.y < LINE_HEIGHT + AXIS_ROOM  # under the month labels
    assert line.dots[0].y == LINE_TOP + (LINE_HEIGHT - LINE_TOP - LINE_BOTTOM) * 0.5  # unmoved
    columns = column_layout([("a", [1])], x_title="Days before the start", y_title="Registrations")
    assert [t.text for t in columns.titles] == ["Registrations", "Days before the start"]
    assert columns.view_box == f"0 {-AXIS_ROOM} {WIDTH} {COLUMN_HEIGHT + 2 * AXIS_ROOM}"
    bars = bar_layout([("Kenya", 0.5, "50%")], label_title="Country", value_title="Rate")
    assert [(t.text, t.anchor) for t in bars.titles] == [("Country", "end"), ("Rate", "start")]
    assert bars.view_box == f"0 {-AXIS_ROOM} {WIDTH} {bars.height + AXIS_ROOM}"
    assert line_layout([("Jan", 0.5)]).view_box == f"0 0 {WIDTH} {LINE_HEIGHT}"
