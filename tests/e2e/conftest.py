"""Browser tests: Playwright driving the system Chromium against a live Daphne + worker."""

import os

import pytest
from django.db import connection

from tests.conftest import require_chromium
from tests.servers import BarazaProcesses

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def chromium():
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread
    while it is open, which async tests elsewhere cannot share. The ORM calls the
    browser tests make between steps are ordinary blocking calls, allowed meanwhile."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live(transactional_db, tmp_path):
    """Daphne and a Celery worker on the test database; email lands as .eml files."""
    servers = BarazaProcesses.create(workdir=tmp_path, db_settings=connection.settings_dict)
    servers.start_web()
    servers.start_worker()
    yield servers
    servers.stop()


@pytest.fixture
def page_in_zone(chromium):
    """A new browser context in a given time zone (and English UI unless told otherwise),
    `width` CSS pixels wide if given (under 600: a phone)."""
    contexts = []

    def make(zone: str, locale: str = "en-GB", width: int | None = None):
        viewport = {"width": width, "height": 800} if width else None
        extra = {"viewport": viewport, "is_mobile": width < 600} if viewport else {}
        context = chromium.new_context(timezone_id=zone, locale=locale, **extra)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
