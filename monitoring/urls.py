from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart>.csv", views.chart_csv, name="chart_csv"),
]
