"""Organizer pages for attendance and analytics: report uploads with a preview, the
webinar's analytics, the partner and platform dashboards, follow-up emails, CSV exports.

Charts are drawn here as inline SVG from the same rows as the table beside each one
(served with the page: no script, no CDN); every chart has a CSV of its table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.clock import now
from core.csv_export import csv_response
from members.forms import TimeZoneField, zone_choices
from members.models import Organization
from webinars import analytics
from webinars.attendance import ReportError
from webinars.attendance.followup import followup_pending, webinar_publish_followup
from webinars.attendance.reading import MAX_BYTES
from webinars.attendance.services import (
    ImportBlocked,
    attendance_import_apply,
    attendance_import_preview,
    attendance_import_rezone,
    preview_report,
)
from webinars.models import Attendance, AttendanceImport, Registration, Series, Session, Webinar
from webinars.permissions import managed_webinar

# --- charts ------------------------------------------------------------------------------

WIDTH = 640
LABEL_WIDTH = 170
BAR_ROW = 22
PALETTE = ["#0b5c8c", "#d9822b", "#1d6b32", "#8e44ad", "#a4161a", "#4a5563"]


@dataclass
class Chart:
    """One picture and its table: `kind` is bars, line or columns."""

    id: str
    title: str
    kind: str
    header: list[str]
    rows: list[list]
    csv_url: str = ""
    description: str = ""
    height: int = 0
    bars: list[dict] = field(default_factory=list)
    points: str = ""
    dots: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    gridlines: list[dict] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    limit: int | None = None  # rows shown in the page; the CSV has them all

    @property
    def shown_rows(self) -> list[list]:
        return self.rows[: self.limit] if self.limit else self.rows


def _percent(rate) -> str:
    return "—" if rate is None else f"{int(rate * 100 + 0.5)}%"


def rate_chart(chart_id: str, title: str, rows: list[analytics.Row], *, what: str) -> Chart:
    """Horizontal bars of the attendance rate per group, with the counts beside them."""
    header = [what, _("Registered"), _("Confirmed, session over"), _("Attended"), _("Rate")]
    table = [
        [r.label, r.tally.registered, r.tally.expected, r.tally.attended, _percent(r.tally.rate)]
        for r in rows
    ]
    span = WIDTH - LABEL_WIDTH - 110
    bars = []
    for index, row in enumerate(rows):
        rate = row.tally.rate
        bars.append(
            {
                "x": LABEL_WIDTH,
                "label_x": LABEL_WIDTH - 6,
                "y": index * BAR_ROW + 4,
                "text_y": index * BAR_ROW + 16,
                "label": row.label[:28],
                "width": int(span * rate) if rate else 0,
                "value": _("%(rate)s of %(count)d")
                % {"rate": _percent(rate), "count": row.tally.expected}
                if rate is not None
                else "—",
                "value_x": LABEL_WIDTH + (int(span * rate) if rate else 0) + 6,
            }
        )
    return Chart(
        id=chart_id,
        title=title,
        kind="bars",
        header=header,
        rows=table,
        height=max(1, len(rows)) * BAR_ROW + 8,
        bars=bars,
        description=_(
            "Attendance rate (attended ÷ confirmed registrants of sessions that are over) "
            "per group; “—” where there are none yet."
        ),
    )


def line_chart(
    chart_id: str,
    title: str,
    points: list[tuple[str, float | None]],
    *,
    header: list[str],
    rows: list[list],
    description: str,
) -> Chart:
    """A line of shares (0–100%) over ordered labels (minutes, months)."""
    height, top, bottom, left, right = 220, 12, 28, 44, 12
    usable_w, usable_h = WIDTH - left - right, height - top - bottom
    known = [(i, label, value) for i, (label, value) in enumerate(points) if value is not None]
    step = usable_w / max(1, len(points) - 1)

    def xy(index, value):
        return round(left + index * step, 1), round(top + usable_h * (1 - value), 1)

    dots = []
    for index, label, value in known:
        x, y = xy(index, value)
        dots.append({"x": x, "y": y, "title": f"{label}: {_percent(value)}"})
    every = max(1, len(points) // 8)
    ticks = [
        {"x": round(left + i * step, 1), "label": label}
        for i, (label, _v) in enumerate(points)
        if i % every == 0 or i == len(points) - 1
    ]
    gridlines = [
        {"y": round(top + usable_h * (1 - share), 1), "label": f"{int(share * 100)}%"}
        for share in (0, 0.25, 0.5, 0.75, 1)
    ]
    return Chart(
        id=chart_id,
        title=title,
        kind="line",
        header=header,
        rows=rows,
        height=height,
        points=" ".join(f"{d['x']},{d['y']}" for d in dots),
        dots=dots,
        ticks=ticks,
        gridlines=gridlines,
        description=description,
    )


def timeline_chart(report: analytics.WebinarReport) -> Chart:
    """Registrations per day before the event, stacked by where they came from."""
    sources = report.sources[: len(PALETTE) - 1]
    other = len(report.sources) > len(sources)
    names = [name or _("direct") for name in sources] + ([_("other")] if other else [])
    days = dict(report.timeline)
    span = analytics.TIMELINE_DAYS
    height, top, bottom, left = 200, 10, 28, 10
    usable_h = height - top - bottom
    biggest = max((sum(c.values()) for c in days.values()), default=0) or 1
    width_each = (WIDTH - 2 * left) / (span + 1)
    columns, rows = [], []
    for position, day in enumerate(range(span, -1, -1)):
        counts = days.get(day, {})
        by_name = [counts.get(name, 0) for name in sources]
        if other:
            by_name.append(sum(v for k, v in counts.items() if k not in sources))
        y = top + usable_h
        segments = []
        for index, count in enumerate(by_name):
            if not count:
                continue
            h = usable_h * count / biggest
            y -= h
            segments.append(
                {"y": round(y, 1), "height": round(h, 1), "color": PALETTE[index], "count": count}
            )
        label = _("%(days)d+ days before") % {"days": day} if day == span else str(day)
        columns.append(
            {
                "x": round(left + position * width_each, 1),
                "width": round(max(1.0, width_each - 1), 1),
                "segments": segments,
                "title": f"{label}: {sum(by_name)}",
            }
        )
        if sum(by_name):
            rows.append([label, sum(by_name), *by_name])
    return Chart(
        id="timeline",
        title=_("Registrations per day before the start, by source"),
        kind="columns",
        header=[_("Days before the start"), _("Registrations"), *names],
        rows=rows,
        height=height,
        columns=columns,
        legend=[{"color": PALETTE[i], "name": name} for i, name in enumerate(names)],
        ticks=[
            {"x": round(left + p * width_each, 1), "label": str(d)}
            for p, d in enumerate(range(span, -1, -1))
            if d % 10 == 0
        ],
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
        rows=[[m, _percent(share)] for m, share in retention],
        description=_("From the imported platform reports; rejoins merged."),
    )


BREAKDOWNS = {
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


def webinar_charts(report: analytics.WebinarReport) -> dict[str, Chart]:
    charts = {"retention": retention_chart(report.retention), "timeline": timeline_chart(report)}
    for key, (title, what) in BREAKDOWNS.items():
        charts[key] = rate_chart(key, str(title), report.breakdowns[key], what=str(what))
    charts["sessions"] = Chart(
        id="sessions",
        title=_("Sessions"),
        kind="table",
        header=_tally_header(_("Session")),
        rows=[_tally_cells(s.session.label, s.tally, s.median_minutes) for s in report.sessions],
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


def _tally_header(first: str) -> list[str]:
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


def _tally_cells(label, tally: analytics.Tally, median=None) -> list:
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
        _percent(tally.rate),
        "" if tally.average_minutes is None else tally.average_minutes,
        "" if median is None else median,
    ]


def dashboard_charts(dashboard: analytics.Dashboard) -> dict[str, Chart]:
    months = dashboard.by_month
    charts = {
        "months": line_chart(
            "months",
            _("Attendance rate per month"),
            [(row.label, row.tally.rate) for row in months],
            header=_tally_header(_("Month"))[:-1],
            rows=[_tally_cells(row.label, row.tally)[:-1] for row in months],
            description=_("Sessions by the month they started (UTC)."),
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
        header=[_("First session (UTC)"), *_tally_header(_("Webinar"))[:-1]],
        rows=[
            [
                w.first_start.date().isoformat() if w.first_start else "",
                *_tally_cells(w.title, w.tally)[:-1],
            ]
            for w in dashboard.webinars
        ],
    )
    return charts


def _chart_csv(charts: dict[str, Chart], chart_id: str, filename: str):
    chart = charts.get(chart_id)
    if chart is None:
        raise Http404
    return csv_response(f"{filename}-{chart_id}.csv", chart.header, chart.rows)


# --- one webinar -------------------------------------------------------------------------


def _session_param(request) -> int | None:
    try:
        return int(request.GET.get("session", ""))
    except ValueError:
        return None


@login_required
def webinar_analytics(request, slug: str):
    webinar = get_object_or_404(Webinar, slug=slug)
    report = analytics.webinar_report(
        webinar=webinar, viewer=request.user, session_id=_session_param(request)
    )
    charts = webinar_charts(report)
    query = f"?session={report.scope_session.pk}" if report.scope_session else ""
    for chart in charts.values():
        chart.csv_url = reverse("webinars:analytics_chart", args=[slug, chart.id]) + query
    return render(
        request,
        "webinars/analytics/webinar.html",
        {
            "webinar": webinar,
            "report": report,
            "charts": charts,
            "breakdowns": [charts[key] for key in BREAKDOWNS],
            "query": query,
        },
    )


@login_required
def webinar_analytics_csv(request, slug: str, chart: str):
    webinar = get_object_or_404(Webinar, slug=slug)
    report = analytics.webinar_report(
        webinar=webinar, viewer=request.user, session_id=_session_param(request)
    )
    return _chart_csv(webinar_charts(report), chart, webinar.slug)


@login_required
def attendance_csv(request, slug: str):
    webinar = get_object_or_404(Webinar, slug=slug)
    session_id = _session_param(request)
    session = get_object_or_404(webinar.sessions, pk=session_id) if session_id else None
    rows = analytics.attendance_export(viewer=request.user, webinar=webinar, session=session)
    name = f"{webinar.slug}-session-{session.pk}" if session else webinar.slug
    return csv_response(f"{name}-attendance.csv", analytics.EXPORT_HEADER, rows)


# --- imports -----------------------------------------------------------------------------


class ReportUploadForm(forms.Form):
    session = forms.ModelChoiceField(label=gettext_lazy("Session"), queryset=Session.objects.none())
    report = forms.FileField(
        label=gettext_lazy("Report file"),
        help_text=gettext_lazy(
            "The attendee report as Zoom (webinar or meeting), Microsoft Teams or GoTo "
            "Webinar exports it, in CSV. The format is recognised by itself."
        ),
    )
    zone = forms.ChoiceField(
        label=gettext_lazy("Time zone of the times in the file"),
        required=False,
        help_text=gettext_lazy(
            "The zone the platform wrote the times in (usually the host's account zone)."
        ),
    )

    def __init__(self, *args, webinar: Webinar, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = webinar.sessions.order_by("starts_at")
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: s.label
        self.fields["zone"].choices = [("", _("The session's host zone")), *zone_choices()]
        started = [s for s in sessions if s.starts_at <= now()]
        if started and "session" not in self.initial:  # the latest that has begun
            self.initial["session"] = started[-1].pk

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than 30 MB; no attendance report is that big.")
            )
        return upload


class ZoneForm(forms.Form):
    zone = TimeZoneField(label=gettext_lazy("Time zone of the times in the file"))


def _evidence(webinar: Webinar, params):
    """Registrants with both kinds of evidence side by side, 50 a page."""
    registrations = (
        Registration.objects.filter(webinar=webinar)
        .select_related("session", "attendance", "attendance__session")
        .order_by("session__starts_at", "full_name", "id")
    )
    return Paginator(registrations, 50).get_page(params.get("page"))


@login_required
def attendance_page(request, slug: str):
    webinar = managed_webinar(request, slug)
    form = ReportUploadForm(request.POST or None, request.FILES or None, webinar=webinar)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, _preview = attendance_import_preview(
                session=data["session"],
                actor=request.user,
                content=data["report"].read(),
                filename=data["report"].name,
                zone=data["zone"] or None,
            )
        except ReportError as error:
            form.add_error("report", error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    imports = (
        AttendanceImport.objects.filter(session__webinar=webinar)
        .defer("content")
        .select_related("session", "uploaded_by")
    )
    walk_ins = Attendance.objects.filter(webinar=webinar, registration__isnull=True).select_related(
        "session"
    )
    return render(
        request,
        "webinars/analytics/attendance.html",
        {
            "webinar": webinar,
            "form": form,
            "imports": imports[:50],
            "page": _evidence(webinar, request.GET),
            "walk_ins": walk_ins[:500],
            "walk_in_count": walk_ins.count(),
        },
    )


def _import_of(webinar: Webinar, import_id: int, *, content: bool = True) -> AttendanceImport:
    imports = AttendanceImport.objects.select_related("session", "session__webinar")
    if not content:  # the file itself (up to 30 MB) is read again by whoever needs it
        imports = imports.defer("content")
    return get_object_or_404(imports, pk=import_id, session__webinar=webinar)


@login_required
def import_preview(request, slug: str, import_id: int):
    webinar = managed_webinar(request, slug)
    record = _import_of(webinar, import_id)
    zone_form = ZoneForm(request.POST or None, initial={"zone": record.source_zone})
    if request.method == "POST" and record.status == AttendanceImport.Status.PREVIEWED:
        if zone_form.is_valid():
            record, _preview = attendance_import_rezone(
                attendance_import=record, actor=request.user, zone=zone_form.cleaned_data["zone"]
            )
            messages.success(request, _("The file was read again in the zone chosen."))
            return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    try:
        preview = preview_report(
            session=record.session, content=bytes(record.content), zone=record.source_zone
        )
    except ReportError as error:  # an importer change since; say so rather than fail
        preview = None
        messages.error(request, error.message)
    return render(
        request,
        "webinars/analytics/import_preview.html",
        {
            "webinar": webinar,
            "record": record,
            "preview": preview,
            "summary": preview.summary() if preview else record.summary,
            "matched": preview.matched[:500] if preview else [],
            "walk_ins": preview.walk_ins[:500] if preview else [],
            "zone_form": zone_form,
            "applied": record.status == AttendanceImport.Status.APPLIED,
        },
    )


@login_required
@require_POST
def import_apply(request, slug: str, import_id: int):
    webinar = managed_webinar(request, slug)
    record = _import_of(webinar, import_id, content=False)
    try:
        outcome = attendance_import_apply(
            attendance_import=record,
            actor=request.user,
            skip_unreadable=request.POST.get("skip_unreadable") == "on",
        )
    except ImportBlocked as error:
        messages.error(request, " ".join(error.messages))
        return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    summary = outcome.summary
    if outcome.applied:
        messages.success(
            request,
            _("Imported: %(attendees)d attendees (%(matched)d registrants, %(walk_ins)d walk-ins).")
            % summary,
        )
    else:
        messages.info(request, _("This file had already been imported: nothing changed."))
    return redirect("webinars:attendance", slug=webinar.slug)


# --- follow-up ---------------------------------------------------------------------------


class FollowUpForm(forms.Form):
    recording_url = forms.URLField(
        label=gettext_lazy("Recording (web address)"), required=False, assume_scheme="https"
    )
    slides_url = forms.URLField(
        label=gettext_lazy("Slides (web address)"), required=False, assume_scheme="https"
    )


@login_required
def followup(request, slug: str):
    webinar = managed_webinar(request, slug)
    form = FollowUpForm(
        request.POST or None,
        initial={"recording_url": webinar.recording_url, "slides_url": webinar.slides_url},
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts = webinar_publish_followup(
                webinar=webinar, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Saved. %(thank_you)d thank-you and %(sorry_missed)d sorry-we-missed-you "
                    "emails are being sent."
                )
                % counts,
            )
            return redirect("webinars:followup", slug=webinar.slug)
    return render(
        request,
        "webinars/analytics/followup.html",
        {"webinar": webinar, "form": form, "pending": followup_pending(webinar=webinar)},
    )


# --- across webinars ---------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Organization.objects.none(), required=False
    )
    series = forms.ModelChoiceField(
        label=gettext_lazy("Series"), queryset=Series.objects.none(), required=False
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Sessions from (UTC day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, choices: dict, platform: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(
            pk__in=[s.pk for s in choices["series"]]
        )
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (t.slug, t.name) for t in choices["topics"]
        ]
        if platform:
            self.fields["organization"].queryset = Organization.objects.filter(
                webinars__isnull=False
            ).distinct()
        else:
            del self.fields["organization"]

    def scope_filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {
            "series_id": data["series"].pk if data.get("series") else None,
            "topic": data.get("topic") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("organization"):
            filters["organization_id"] = data["organization"].pk
        return filters


def _dashboard(request, *, platform: bool):
    base = analytics.dashboard_scope(viewer=request.user, platform=platform)
    form = DashboardFilterForm(
        request.GET or None,
        choices=analytics.dashboard_filters(scope=base),
        platform=platform,
    )
    filters = form.scope_filters()
    organization_id = filters.pop("organization_id", None)
    scope = analytics.dashboard_scope(
        viewer=request.user, platform=platform, organization_id=organization_id, **filters
    )
    return form, scope


def _query_string(request) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""


def _dashboard_page(request, *, platform: bool):
    form, scope = _dashboard(request, platform=platform)
    dashboard = analytics.dashboard_report(scope=scope)
    charts = dashboard_charts(dashboard)
    name = "webinars:analytics_platform_chart" if platform else "webinars:analytics_partner_chart"
    query = _query_string(request)
    for chart in charts.values():
        chart.csv_url = reverse(name, args=[chart.id]) + query
    export = (
        "webinars:analytics_platform_export" if platform else "webinars:analytics_partner_export"
    )
    organization = None
    if not platform:
        organization = Organization.objects.filter(pk=scope.organization_id).first()
    return render(
        request,
        "webinars/analytics/dashboard.html",
        {
            "dashboard": dashboard,
            "charts": charts,
            "form": form,
            "platform": platform,
            "organization": organization,
            "webinars": dashboard.webinars[:100],
            "export_url": reverse(export) + query,
            "totals": _tally_cells(_("All"), dashboard.totals),
        },
    )


@login_required
def partner_dashboard(request):
    if request.user.is_platform_staff and not request.user.organization_id:
        return redirect(reverse("webinars:analytics_platform") + _query_string(request))
    return _dashboard_page(request, platform=False)


@login_required
def platform_dashboard(request):
    return _dashboard_page(request, platform=True)


@login_required
def dashboard_chart_csv(request, chart: str, platform: bool = False):
    _form, scope = _dashboard(request, platform=platform)
    charts = dashboard_charts(analytics.dashboard_report(scope=scope))
    return _chart_csv(charts, chart, "platform" if platform else "partner")


@login_required
def dashboard_export(request, platform: bool = False):
    """Registrants and attendance across the dashboard's webinars, streamed."""
    _form, scope = _dashboard(request, platform=platform)
    rows = analytics.attendance_export(viewer=request.user, scope=scope)
    name = "platform" if platform else f"partner-{scope.organization_id}"
    filename = f"{name}-attendance-{now().date().isoformat()}.csv"
    return csv_response(filename, analytics.EXPORT_HEADER, rows)
