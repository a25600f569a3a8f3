"""Absolute links for emails, calendar files and feeds: one place builds them from the
configured site (SITE_URL, or http://HOST:PORT when it is unset), never from a request."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/webinars/x/` -> `https://baraza.example.org/webinars/x/`."""
    if not path.startswith("/"):
        raise ValueError(f"expected a path starting with '/', got {path!r}")
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    """The host (and port, if any) people reach Baraza at: what account emails name."""
    return urlsplit(settings.SITE_URL).netloc or "baraza.localhost"
