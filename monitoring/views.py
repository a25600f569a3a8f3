"""The usage dashboard (/monitoring/) and the CSV beside each of its charts."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from core.csv_export import csv_response
from monitoring.charts import dashboard_charts
from monitoring.forms import PeriodForm
from monitoring.selectors import monitoring_dashboard, monitoring_scope


def _dashboard(request):
    form = PeriodForm(request.GET or None)
    slug = request.GET.get("organization", "").strip()
    scope = monitoring_scope(viewer=request.user, organization_slug=slug)
    start, end = form.period()
    dashboard = monitoring_dashboard(scope=scope, start=start, end=end)
    return form, dashboard, dashboard_charts(dashboard)


@login_required
def dashboard(request):
    form, board, charts = _dashboard(request)
    query = urlencode(
        {
            "start": board.start.isoformat(),
            "end": board.end.isoformat(),
            **({"organization": board.scope.organization.slug} if board.scope.organization else {}),
        }
    )
    for chart in charts.values():
        chart.csv_url = f"{reverse('monitoring:chart_csv', args=[chart.id])}?{query}"
    return render(
        request,
        "monitoring/dashboard.html",
        {"form": form, "dashboard": board, "charts": charts},
    )


@login_required
def chart_csv(request, chart: str):
    _form, board, charts = _dashboard(request)
    if chart not in charts:
        raise Http404
    scope = board.scope.organization.slug if board.scope.organization else "platform"
    filename = f"usage-{chart}-{scope}-{board.start}-{board.end}.csv"
    return csv_response(filename, charts[chart].header, charts[chart].rows)
