"""The analytics pages' charts: each one a picture and the table it is drawn from (the
same rows; every chart has a CSV of its table). Built from the reports of
`webinar_report` and `dashboard_report`, laid out by `webinars.analytics.geometry`,
drawn as inline SVG by `webinars/analytics/_chart.html` (no script, no CDN).

No request and no query here: the views pass reports in and set each chart's CSV link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from webinars.analytics.dashboard import Dashboard
from webinars.analytics.geometry import (
    PALETTE,
    WIDTH,
    AxisTitle,
    Bar,
    BarLayout,
    Column,
    ColumnLayout,
    Dot,
    Gridline,
    LineLayout,
    Tick,
    bar_layout,
    column_layout,
    line_layout,
    percent_text,
)
from webinars.analytics.tally import Row, Tally
from webinars.analytics.webinar_report import TIMELINE_DAYS, WebinarReport

ChartKind = Literal["bars", "line", "columns", "table"]
Cell = Any  # what a CSV cell may hold: text, a number, or empty


@dataclass(frozen=True)
class LegendItem:
    color: str
    name: str


@dataclass
class Chart:
    """One picture and its table: `kind` is bars, line, columns or table."""

    id: str
    title: str
    kind: ChartKind
    header: list[str]
    rows: list[list[Cell]]
    csv_url: str = ""
    description: str = ""
    width: int = WIDTH
    height: int = 0
    bars: list[Bar] = field(default_factory=list)
    line: LineLayout | None = None
    columns: ColumnLayout | None = None
    legend: list[LegendItem] = field(default_factory=list)
    bars_layout: BarLayout | None = None
    limit: int | None = None  # rows shown in the page; the CSV has them all

    @property
    def shown_rows(self) -> list[list[Cell]]:
        return self.rows[: self.limit] if self.limit else self.rows

    # What the template reads, whichever the layout.
    @property
    def points(self) -> str:
        return self.line.points if self.line else ""

    @property
    def dots(self) -> list[Dot]:
        return self.line.dots if self.line else []

    @property
    def gridlines(self) -> list[Gridline]:
        return self.line.gridlines if self.line else []

    @property
    def ticks(self) -> list[Tick]:
        if self.line:
            return self.line.ticks
        return self.columns.ticks if self.columns else []

    @property
    def column_list(self) -> list[Column]:
        return self.columns.columns if self.columns else []

    @property
    def view_box(self) -> str:
        layout = self.line or self.columns or self.bars_layout
        return layout.view_box if layout else f"0 0 {self.width} {self.height}"

    @property
    def axis_titles(self) -> list[AxisTitle]:
        layout = self.line or self.columns or self.bars_layout
        return layout.titles if layout else []


def drawn_chart(
    chart_id: str,
    title: str,
    layout: BarLayout | ColumnLayout | LineLayout,
    *,
    header: list[str],
    rows: list[list[Cell]],
    description: str = "",
    limit: int | None = None,
    legend: list[LegendItem] | None = None,
) -> Chart:
    """The picture `layout` draws (bars from `bar_layout`, columns from `column_layout`,
    a line from `line_layout`) beside the table it is drawn from."""
    chart = Chart(
        id=chart_id,
        title=title,
        kind="bars",
        header=header,
        rows=rows,
        height=layout.height,
        description=description,
        limit=limit,
        legend=legend or [],
    )
    if isinstance(layout, BarLayout):
        chart.bars, chart.bars_layout = layout.bars, layout
    elif isinstance(layout, ColumnLayout):
        chart.kind, chart.columns = "columns", layout
    else:
        chart.kind, chart.line = "line", layout
    return chart


def rate_chart(chart_id: str, title: str, rows: list[Row], *, what: str) -> Chart:
    """Horizontal bars of the attendance rate per group, with the counts beside them."""
    header = [what, _("Registered"), _("Confirmed, session over"), _("Attended"), _("Rate")]
    table: list[list[Cell]] = [
        [
            r.label,
            r.tally.registered,
            r.tally.expected,
            r.tally.attended,
            percent_text(r.tally.rate),
        ]
        for r in rows
    ]
    layout = bar_layout(
        [(row.label, row.tally.rate, _bar_value(row.tally)) for row in rows],
        label_title=what,
        value_title=_("Attendance rate"),
    )
    return drawn_chart(
        chart_id,
        title,
        layout,
        header=header,
        rows=table,
        description=_(
            "Attendance rate (attended ÷ confirmed registrants of sessions that are over) "
            "per group; “—” where there are none yet."
        ),
    )


def _bar_value(tally: Tally) -> str:
    rate = tally.rate
    if rate is None:
        return "—"
    return _("%(rate)s of %(count)d") % {"rate": percent_text(rate), "count": tally.expected}


def line_chart(
    chart_id: str,
    title: str,
    points: list[tuple[str, float | None]],
    *,
    header: list[str],
    rows: list[list[Cell]],
    description: str,
    x_title: str,
    y_title: str,
) -> Chart:
    """A line of shares (0–100%) over ordered labels (minutes, months)."""
    layout = line_layout(points, x_title=x_title, y_title=y_title)
    return drawn_chart(chart_id, title, layout, header=header, rows=rows, description=description)


def timeline_chart(report: WebinarReport) -> Chart:
    """Registrations per day before the event, stacked by where they came from."""
    sources = report.sources[: len(PALETTE) - 1]
    other = len(report.sources) > len(sources)
    names = [name or _("direct") for name in sources] + ([_("other")] if other else [])
    days = dict(report.timeline)
    span = TIMELINE_DAYS
    stacks: list[tuple[str, list[int]]] = []
    rows: list[list[Cell]] = []
    for day in range(span, -1, -1):  # oldest first
        counts = days.get(day, {})
        by_name = [counts.get(name, 0) for name in sources]
        if other:
            by_name.append(sum(v for k, v in counts.items() if k not in sources))
        label = _("%(days)d+ days before") % {"days": day} if day == span else str(day)
        stacks.append((label, by_name))
        if sum(by_name):
            rows.append([label, sum(by_name), *by_name])
    layout = column_layout(
        stacks,
        tick_labels=[str(day) if day % 10 == 0 else None for day in range(span, -1, -1)],
        x_title=_("Days before the start"),
        y_title=_("Registrations per day"),
    )
    return drawn_chart(
        "timeline",
        _("Registrations per day before the start, by source"),
        layout,
        header=[_("Days before the start"), _("Registrations"), *names],
        rows=rows,
        legend=[LegendItem(PALETTE[i], name) for i, name in enumerate(names)],
        description=_(
            "Oldest on the left, the day of the session on the right; "
            "“direct” is a registration without a ?src= source."
        ),
    )


def retention_chart(retention: list[tuple[int, float]]) -> Chart:
    return line_chart(
        "retention",
        _("Share of attendees present over the session"),
        [(_("%(minutes)d min") % {"minutes": m}, share) for m, share in retention],
        header=[_("Minutes after the start"), _("Present")],
        rows=[[m, percent_text(share)] for m, share in retention],
        description=_("From the imported platform reports; rejoins merged."),
        x_title=_("Minutes after the start"),
        y_title=_("Share of attendees present"),
    )


BREAKDOWNS: dict[str, tuple[Promise, Promise]] = {
    "country": (gettext_lazy("Attendance by country"), gettext_lazy("Country")),
    "region": (gettext_lazy("Attendance by region"), gettext_lazy("Region")),
    "kind": (gettext_lazy("Attendance by kind of organization"), gettext_lazy("Organization kind")),
    "language": (gettext_lazy("Attendance by preferred language"), gettext_lazy("Language")),
    "zone": (gettext_lazy("Attendance by time zone"), gettext_lazy("Time zone")),
    "hour": (
        gettext_lazy("Attendance by local start hour"),
        gettext_lazy("Local start hour"),
    ),
}


def webinar_charts(report: WebinarReport) -> dict[str, Chart]:
    charts = {"retention": retention_chart(report.retention), "timeline": timeline_chart(report)}
    for key, (title, what) in BREAKDOWNS.items():
        charts[key] = rate_chart(key, str(title), report.breakdowns[key], what=str(what))
    charts["sessions"] = Chart(
        id="sessions",
        title=_("Sessions"),
        kind="table",
        header=tally_header(_("Session")),
        rows=[tally_cells(s.session.label, s.tally, s.median_minutes) for s in report.sessions],
    )
    charts["no_shows"] = Chart(
        id="no_shows",
        title=_("No-shows"),
        kind="table",
        header=[_("Name"), _("Email"), _("Organization"), _("Country"), _("Session")],
        rows=[
            [
                n["full_name"],
                n["email"],
                n["organization_name"],
                n["country"],
                n["session"].label,
            ]
            for n in report.no_shows
        ],
        limit=500,
    )
    return charts


def tally_header(first: str) -> list[str]:
    return [
        first,
        _("Registered"),
        _("Confirmed"),
        _("Waitlisted"),
        _("Pending"),
        _("Cancelled"),
        _("Attended"),
        _("Came without a seat"),
        _("Walk-ins"),
        _("Attendance rate"),
        _("Average minutes"),
        _("Median minutes"),
    ]


def tally_cells(label: str, tally: Tally, median: int | None = None) -> list[Cell]:
    return [
        label,
        tally.registered,
        tally.confirmed,
        tally.waitlisted,
        tally.pending,
        tally.cancelled,
        tally.attended,
        tally.came_anyway,
        tally.walk_ins,
        percent_text(tally.rate),
        "" if tally.average_minutes is None else tally.average_minutes,
        "" if median is None else median,
    ]


def month_label(key: str) -> str:
    """'2027-03' → 'Mar 2027' in the active language (the axis; the CSV keeps the key)."""
    try:
        first = date.fromisoformat(f"{key}-01")
    except ValueError:
        return key
    return dateformat.format(first, "M Y")


def dashboard_charts(dashboard: Dashboard) -> dict[str, Chart]:
    months = dashboard.by_month
    charts = {
        "months": line_chart(
            "months",
            _("Attendance rate per month"),
            [(month_label(row.label), row.tally.rate) for row in months],
            header=tally_header(_("Month"))[:-1],
            rows=[tally_cells(row.label, row.tally)[:-1] for row in months],
            description=_("Sessions by the month they started (UTC)."),
            x_title=_("Month (UTC)"),
            y_title=_("Attendance rate"),
        ),
        "countries": rate_chart(
            "countries", _("Top countries"), dashboard.top_countries, what=_("Country")
        ),
        "regions": rate_chart("regions", _("Regions"), dashboard.by_region, what=_("Region")),
        "hours": rate_chart(
            "hours",
            _("Attendance rate by the attendee's local start hour"),
            dashboard.by_hour,
            what=_("Local start hour"),
        ),
        "weekdays": rate_chart(
            "weekdays",
            _("Attendance rate by the attendee's local weekday"),
            dashboard.by_weekday,
            what=_("Local weekday"),
        ),
        "partners": rate_chart(
            "partners", _("Per partner"), dashboard.by_partner, what=_("Partner")
        ),
        "series": rate_chart("series", _("Per series"), dashboard.by_series, what=_("Series")),
        "topics": rate_chart("topics", _("Per topic"), dashboard.by_topic, what=_("Topic")),
    }
    charts["webinars"] = Chart(
        id="webinars",
        title=_("Webinars"),
        kind="table",
        header=[_("First session (UTC)"), *tally_header(_("Webinar"))[:-1]],
        rows=[
            [
                w.first_start.date().isoformat() if w.first_start else "",
                *tally_cells(w.title, w.tally)[:-1],
            ]
            for w in dashboard.webinars
        ],
    )
    return charts
