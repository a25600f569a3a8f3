"""The project's URLs plus views that fail, for the error-page tests."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler500, urlpatterns  # noqa: F401 - the handler is read from here


def boom(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError("could not connect to server")


urlpatterns = [
    *urlpatterns,
    path("test-boom/", boom),
    path("test-database-down/", database_down),
]
