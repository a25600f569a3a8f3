"""The project's URLs plus the ceilings (`/bench/...`), served only by the bench server."""

from django.urls import path

from bench.views import calendar_ceiling, ceiling, library_ceiling, registration_ceiling
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,  # first, so the ceilings pay for resolving past them like a page
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("bench/ceiling/calendar/<int:rows>/", calendar_ceiling, name="bench_calendar_ceiling"),
    path(
        "bench/ceiling/register/<int:webinar_id>/<int:session_id>/",
        registration_ceiling,
        name="bench_registration_ceiling",
    ),
    path("bench/ceiling/library/<int:pk>/", library_ceiling, name="bench_library_ceiling"),
]
