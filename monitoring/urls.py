from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart>.csv", views.chart_csv, name="chart_csv"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("exports/", views.exports, name="exports"),
    path("exports/start/", views.export_job_start, name="export_job_start"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/file/", views.export_job_file, name="export_job_file"),
]
