"""Organizer pages for analytics: the webinar's analytics, the partner and platform
dashboards, and their CSV downloads. The charts are built in `webinars.analytics.charts`
(inline SVG from the same rows as the table beside each one; every chart has a CSV of its
table); the attendance pages are in `webinars.attendance.views`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import now
from core.csv_export import csv_response
from webinars import analytics, selectors
from webinars.analytics.charts import (
    BREAKDOWNS,
    Chart,
    dashboard_charts,
    tally_cells,
    webinar_charts,
)
from webinars.analytics_forms import DashboardFilterForm
from webinars.attendance.views import session_param


def _chart_csv(charts: dict[str, Chart], chart_id: str, filename: str) -> HttpResponse:
    chart = charts.get(chart_id)
    if chart is None:
        raise Http404
    return csv_response(f"{filename}-{chart_id}.csv", chart.header, chart.rows)


# --- one webinar -------------------------------------------------------------------------


@login_required
def webinar_analytics(request: HttpRequest, slug: str) -> HttpResponse:
    webinar = selectors.webinar_by_slug(slug)
    report = analytics.webinar_report(
        webinar=webinar, viewer=request.user, session_id=session_param(request)
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
def webinar_analytics_csv(request: HttpRequest, slug: str, chart: str) -> HttpResponse:
    webinar = selectors.webinar_by_slug(slug)
    report = analytics.webinar_report(
        webinar=webinar, viewer=request.user, session_id=session_param(request)
    )
    return _chart_csv(webinar_charts(report), chart, webinar.slug)


# --- across webinars ---------------------------------------------------------------------


def _dashboard(
    request: HttpRequest, *, platform: bool
) -> tuple[DashboardFilterForm, analytics.Scope]:
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


def _query_string(request: HttpRequest) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""


def _dashboard_page(request: HttpRequest, *, platform: bool) -> HttpResponse:
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
    organization = None if platform else selectors.organization_or_none(scope.organization_id)
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
            "totals": tally_cells(_("All"), dashboard.totals),
        },
    )


@login_required
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    if request.user.is_platform_staff and not request.user.organization_id:
        return redirect(reverse("webinars:analytics_platform") + _query_string(request))
    return _dashboard_page(request, platform=False)


@login_required
def platform_dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request, platform=True)


@login_required
def dashboard_chart_csv(request: HttpRequest, chart: str, platform: bool = False) -> HttpResponse:
    _form, scope = _dashboard(request, platform=platform)
    charts = dashboard_charts(analytics.dashboard_report(scope=scope))
    return _chart_csv(charts, chart, "platform" if platform else "partner")


@login_required
def dashboard_export(request: HttpRequest, platform: bool = False) -> HttpResponse:
    """Registrants and attendance across the dashboard's webinars, streamed."""
    _form, scope = _dashboard(request, platform=platform)
    rows = analytics.attendance_export(viewer=request.user, scope=scope)
    name = "platform" if platform else f"partner-{scope.organization_id}"
    filename = f"{name}-attendance-{now().date().isoformat()}.csv"
    return csv_response(filename, analytics.EXPORT_HEADER, rows)
