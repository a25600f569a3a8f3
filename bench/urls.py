"""The project's URLs plus `/bench/ceiling/`, served only by the bench server."""

from django.urls import path

from bench.views import ceiling
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,  # first, so the ceiling pays for resolving past them like a page
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
]
