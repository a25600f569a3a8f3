"""Static files cross slow links compressed: `make run` collects them with gzip copies,
which WhiteNoise sends to a browser that accepts gzip."""

from django.core.management import call_command
from django.test import Client


def test_collected_static_files_are_served_gzipped(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "js" / "timezone.js.gz").exists()
    assert (tmp_path / "css" / "baraza.css.gz").exists()

    plain = Client().get("/static/css/baraza.css")
    response = Client().get("/static/css/baraza.css", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) < int(plain["Content-Length"]) / 2
