"""The usage dashboard (/monitoring/) and the CSV beside each of its charts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from monitoring import services
from monitoring.charts import dashboard_charts
from monitoring.exports import DATASETS, ExportFilter, export_count, export_rows
from monitoring.forms import AccountDeleteForm, ExportForm, PeriodForm
from monitoring.models import ExportJob
from monitoring.personal_data import member_account_delete, personal_data_archive
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


def _staff_only(request) -> None:
    if not request.user.is_platform_staff:
        raise PermissionDenied(_("Exports are for platform staff."))


@login_required
def exports(request):
    """The export form; a valid one streams the CSV, or hands a large one to the worker."""
    _staff_only(request)
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        dataset = DATASETS[data["dataset"]]
        filters = ExportFilter(data["start"], data["end"], data["organization"])
        if export_count(dataset, filters) > settings.EXPORT_STREAM_LIMIT:
            return render(request, "monitoring/export_confirm.html", {"form": form})
        scope = data["organization"].slug if data["organization"] else "all"
        filename = f"{data['dataset']}-{scope}-{data['start']}-{data['end']}.csv"
        return csv_response(filename, dataset.columns(filters), export_rows(dataset, filters))
    jobs = ExportJob.objects.filter(requested_by=request.user).order_by("-created_at")[:10]
    return render(request, "monitoring/exports.html", {"form": form, "jobs": jobs})


@login_required
@require_POST
def export_job_start(request):
    _staff_only(request)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return render(request, "monitoring/exports.html", {"form": form, "jobs": []}, status=400)
    data = form.cleaned_data
    filters = ExportFilter(data["start"], data["end"], data["organization"])
    job = services.export_job_create(
        requested_by=request.user, dataset=data["dataset"], filters=filters.as_json()
    )
    return redirect("monitoring:export_job", job_id=job.pk)


@login_required
def export_job(request, job_id: int):
    job = get_object_or_404(ExportJob, pk=job_id, requested_by=request.user)
    return render(request, "monitoring/export_job.html", {"job": job})


@login_required
def export_job_file(request, job_id: int):
    job = get_object_or_404(
        ExportJob, pk=job_id, requested_by=request.user, status=ExportJob.Status.READY
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"{job.dataset}-{job.pk}.csv"
    )


@login_required
def my_data(request):
    """Download everything about you; delete your account."""
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = request.user
        logout(request)
        member_account_delete(member=member, keep_posts=form.cleaned_data["posts"] == "keep")
        messages.success(request, _("Your account is deleted. Thank you for taking part."))
        return redirect("home")
    return render(request, "monitoring/my_data.html", {"form": form})


@login_required
def my_data_download(request):
    archive = personal_data_archive(member=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="baraza-my-data.zip"'
    return response
