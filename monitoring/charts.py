"""The dashboard's charts, drawn like the webinar analytics (webinars.analytics): each a
server-drawn SVG with its table beside it and a CSV of the same rows."""

from __future__ import annotations

from django.utils import dateformat
from django.utils.translation import gettext as _

from monitoring.selectors import MonitoringDashboard, Ranked
from webinars.analytics.charts import Cell, Chart, drawn_chart
from webinars.analytics.geometry import bar_layout, column_layout, percent_text

TOP = 15  # rows a top list shows in the page; its CSV has them all


def ranked_chart(
    chart_id: str,
    title: str,
    rows: list[Ranked],
    *,
    what: str,
    visitors: bool,
    table: tuple[list[str], list[list[Cell]]] | None = None,
) -> Chart:
    """Bars of the first TOP rows by count. Its table: each row's label and count (and
    visitors), or `table` (header, rows): the same rows with columns of their own."""
    biggest = max((row.count for row in rows), default=0) or 1
    layout = bar_layout(
        [(row.label, row.count / biggest, str(row.count)) for row in rows[:TOP]],
        label_title=what,
        value_title=_("Count"),
    )
    if table is None:
        header = [what, _("Count")] + ([_("Daily visitors, summed")] if visitors else [])
        cells: list[list[Cell]] = [
            [row.label, row.count] + ([row.visitors] if visitors else []) for row in rows
        ]
        table = (header, cells)
    return drawn_chart(chart_id, title, layout, header=table[0], rows=table[1], limit=TOP)


def trend_chart(dashboard: MonitoringDashboard) -> Chart:
    days = dashboard.trend
    every = max(1, len(days) // 8)
    layout = column_layout(
        [(day.isoformat(), [views]) for day, views, _people in days],
        tick_labels=[
            dateformat.format(day, "j M") if index % every == 0 else None
            for index, (day, _views, _people) in enumerate(days)
        ],
        y_title=_("Page views"),
        x_title=_("Day (UTC)"),
    )
    return drawn_chart(
        "trend",
        _("Page views per day"),
        layout,
        header=[_("Day (UTC)"), _("Page views"), _("Unique visitors")],
        rows=[[day.isoformat(), views, people] for day, views, people in days],
    )


def members_chart(dashboard: MonitoringDashboard) -> Chart:
    header = [
        _("Country"),
        _("Organization kind"),
        _("Members"),
        _("New in the period"),
        _("Active, 7 days"),
        _("Active, 30 days"),
        _("Active, 90 days"),
    ]
    rows: list[list[Cell]] = [
        [r.country, r.kind, r.members, r.new, r.active_7, r.active_30, r.active_90]
        for r in [*dashboard.members, dashboard.member_totals]
    ]
    return Chart(
        id="members",
        title=_("Members by country and organization kind"),
        kind="table",
        header=header,
        rows=rows,
        description=_("Active: signed in within the last 7, 30 or 90 days."),
    )


def figures_chart(
    chart_id: str, title: str, figures: list[tuple[str, Cell]], *, description: str = ""
) -> Chart:
    """A one-row table: each figure's name heads its column."""
    return Chart(
        id=chart_id,
        title=title,
        kind="table",
        header=[name for name, _value in figures],
        rows=[[value for _name, value in figures]],
        description=description,
    )


def webinars_chart(dashboard: MonitoringDashboard) -> Chart:
    tally = dashboard.webinars
    return figures_chart(
        "webinars",
        _("Webinars (sessions starting in the period)"),
        [
            (_("Registered"), tally.registered),
            (_("Confirmed, session over"), tally.expected),
            (_("Attended"), tally.attended),
            (_("Rate"), percent_text(tally.rate)),
        ],
    )


def communities_chart(dashboard: MonitoringDashboard) -> Chart:
    figures = dashboard.communities
    return figures_chart(
        "communities",
        _("Communities"),
        [
            (_("Active (a post in 30 days)"), figures["active"]),
            (_("Dormant"), figures["dormant"]),
            (_("Unanswered discussions"), figures["unanswered"]),
            (_("Posts in the period"), figures["posts"]),
            (_("Chat messages in the period"), figures["chat_messages"]),
        ],
    )


def surveys_chart(dashboard: MonitoringDashboard) -> Chart:
    surveys = dashboard.surveys
    return ranked_chart(
        "surveys",
        _("Survey responses submitted in the period"),
        [Ranked(row.title, row.responses) for row in surveys],
        what=_("Survey"),
        visitors=False,
        table=(
            [_("Survey"), _("Status"), _("Anonymous"), _("Responses")],
            [
                [r.title, r.status, _("yes") if r.anonymous else _("no"), r.responses]
                for r in surveys
            ],
        ),
    )


def events_chart(dashboard: MonitoringDashboard) -> Chart:
    return Chart(
        id="events",
        title=_("External events added in the period, by kind"),
        kind="table",
        header=[
            _("Kind"),
            _("Submitted"),
            _("Imported from feeds"),
            _("On the calendar now"),
            _("Waiting for review"),
            _("Rejected"),
        ],
        rows=[
            [r.kind, r.submitted, r.imported, r.published, r.pending, r.rejected]
            for r in [*dashboard.events, dashboard.events_total]
        ],
        description=_(
            "Events outside Baraza's own webinars; a repeating event counts once. "
            "On the calendar: approved by the organization's reviewers."
        ),
    )


def library_chart(dashboard: MonitoringDashboard) -> Chart:
    figures = dashboard.library
    return figures_chart(
        "library",
        _("Library submissions and review decisions in the period"),
        [
            (_("Submitted"), figures.get("submitted", 0)),
            (_("Published"), figures.get("published", 0)),
            (_("Changes requested"), figures.get("changes_requested", 0)),
            (_("Rejected"), figures.get("rejected", 0)),
        ],
        description=_(
            "From the publications' review log: a resubmission or an import counts as a submission."
        ),
    )


def library_downloads_chart(dashboard: MonitoringDashboard) -> Chart:
    downloads = dashboard.library_downloads
    return ranked_chart(
        "library_downloads",
        _("Most downloaded publications (calendar months the period touches)"),
        [Ranked(row.title, row.downloads) for row in downloads],
        what=_("Publication"),
        visitors=False,
        table=(
            [_("Publication"), _("Status"), _("Downloads")],
            [[row.title, row.status, row.downloads] for row in downloads],
        ),
    )


def dashboard_charts(dashboard: MonitoringDashboard) -> dict[str, Chart]:
    platform = dashboard.scope.organization is None
    charts = {
        "trend": trend_chart(dashboard),
        "pages": ranked_chart(
            "pages", _("Top pages"), dashboard.pages, what=_("Page"), visitors=True
        ),
        "downloads": ranked_chart(
            "downloads", _("Top downloads"), dashboard.downloads, what=_("Item"), visitors=True
        ),
        "joins": ranked_chart(
            "joins", _("Webinar join clicks"), dashboard.joins, what=_("Webinar"), visitors=True
        ),
        "members": members_chart(dashboard),
        "webinars": webinars_chart(dashboard),
        "communities": communities_chart(dashboard),
        "surveys": surveys_chart(dashboard),
        "events": events_chart(dashboard),
        "library": library_chart(dashboard),
        "library_downloads": library_downloads_chart(dashboard),
    }
    charts |= {
        "referrers": ranked_chart(
            "referrers", _("Referrers"), dashboard.referrers, what=_("Site"), visitors=True
        ),
        "countries": ranked_chart(
            "countries", _("Countries"), dashboard.countries, what=_("Country"), visitors=True
        ),
        "regions": ranked_chart(
            "regions", _("Regions"), dashboard.regions, what=_("Region"), visitors=True
        ),
        "languages": ranked_chart(
            "languages", _("Languages"), dashboard.languages, what=_("Language"), visitors=True
        ),
        "devices": ranked_chart(
            "devices", _("Devices"), dashboard.devices, what=_("Device"), visitors=True
        ),
    }
    if platform:  # searches are not anyone's content
        charts |= {
            "searches": ranked_chart(
                "searches", _("Top searches"), dashboard.searches, what=_("Search"), visitors=False
            ),
            "no_results": ranked_chart(
                "no_results",
                _("Searches without results"),
                dashboard.no_results,
                what=_("Search"),
                visitors=False,
            ),
        }
    return charts
